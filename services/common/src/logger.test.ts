import { describe, expect, test } from "bun:test";
import { createLogger, createMemoryLogger } from "./logger.ts";

describe("logger", () => {
  test("writes one JSON object per line with service, level and message", () => {
    const lines: string[] = [];
    const logger = createLogger({ service: "audit", write: (line) => lines.push(line), now: () => new Date(0) });
    logger.info("event stored", { eventId: "e1" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("\n");
    expect(JSON.parse(lines[0]!)).toEqual({
      time: "1970-01-01T00:00:00.000Z",
      level: "info",
      service: "audit",
      msg: "event stored",
      eventId: "e1",
    });
  });

  test("child loggers carry the event id and traceparent on every record", () => {
    const logger = createMemoryLogger();
    const child = logger.child({ eventId: "e2", traceparent: "00-abc-def-01" });
    child.warn("retrying");
    expect(logger.records[0]).toMatchObject({ eventId: "e2", traceparent: "00-abc-def-01", level: "warn" });
  });

  test("drops records below the configured level", () => {
    const lines: string[] = [];
    const logger = createLogger({ service: "x", level: "warn", write: (line) => lines.push(line) });
    logger.debug("noise");
    logger.info("noise");
    logger.error("boom");
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(["boom"]);
  });

  test("serialises errors with their message", () => {
    const logger = createMemoryLogger();
    logger.error("failed", { error: new Error("disk full") });
    expect(logger.records[0]!.error).toMatchObject({ name: "Error", message: "disk full" });
  });
});
