import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { startTestHost, type TestHost } from "@todo/testkit/system";
import { runSmoke } from "../../scripts/smoke.ts";

/** The deploy workflows' smoke script, against the whole system as `bun start` runs it. */
setDefaultTimeout(60_000);

let system: TestHost;
beforeAll(async () => {
  system = await startTestHost();
});
afterAll(async () => {
  await system?.stop();
});

test("signs up, creates a task and sees it read back, in the audit trail and on a WebSocket", async () => {
  const lines: string[] = [];
  const result = await runSmoke({ baseUrl: system.url, readyUrls: [system.url], timeoutMs: 10_000, log: (line) => lines.push(line) });
  expect(Object.keys(result.steps)).toEqual([
    `ready ${system.url}`,
    "sign up and in",
    "open a WebSocket",
    "create a task",
    "read it back",
    "see it in the audit trail",
    "receive it on the WebSocket",
  ]);
  expect(lines).toHaveLength(7);
});

test("fails, naming the step, when the audit trail is not where it is told to look", async () => {
  const wrongAudit = `${system.url}/nowhere`;
  await expect(runSmoke({ baseUrl: system.url, auditUrl: wrongAudit, timeoutMs: 1_000 })).rejects.toThrow(/audit/);
});
