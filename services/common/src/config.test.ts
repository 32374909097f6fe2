import { Type } from "@sinclair/typebox";
import { describe, expect, test } from "bun:test";
import { BaseConfig, ConfigError, loadConfig } from "./config.ts";

const Schema = Type.Object(BaseConfig);

describe("loadConfig", () => {
  test("applies defaults and converts numbers from the environment", () => {
    const config = loadConfig(Schema, { PORT: "9090" });
    expect(config.PORT).toBe(9090);
    expect(config.DAPR_HTTP_PORT).toBe(3500);
    expect(config.PUBSUB_NAME).toBe("pubsub");
    expect(config.LOG_LEVEL).toBe("info");
  });

  test("names every invalid variable in one error", () => {
    try {
      loadConfig(Schema, { PORT: "eighty", LOG_LEVEL: "loud" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(["LOG_LEVEL", "PORT"]);
      expect((error as Error).message).toContain("PORT");
    }
  });

  test("treats an empty variable as unset", () => {
    expect(loadConfig(Schema, { PORT: "" }).PORT).toBe(8080);
  });

  test("rejects a Dapr endpoint that is not an http URL", () => {
    expect(() => loadConfig(Schema, { DAPR_HTTP_ENDPOINT: "localhost:3500" })).toThrow(/DAPR_HTTP_ENDPOINT/);
  });
});
