import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { recorderApp, runtimeFixture } from "./runtime-fixture.ts";
import { waitFor } from "./wait-for.ts";

test("await using stops the runtime and removes its data dir at the end of the scope", async () => {
  let dataDir: string;
  let stopped: ReturnType<ReturnType<typeof runtimeFixture>["runtime"]>;
  {
    await using fixture = runtimeFixture();
    dataDir = fixture.dataDir;
    stopped = fixture.runtime();
    await stopped.start();
    expect(existsSync(dataDir)).toBe(true);
  }
  expect(existsSync(dataDir)).toBe(false);
  const afterStop = await stopped.sidecar("any")(new Request("http://dapr.local/v1.0/healthz")).catch(() => undefined);
  expect(afterStop?.status).not.toBe(204);
});

test("a recorder app receives what is published, and a reopened runtime keeps state on the same dir", async () => {
  await using fixture = runtimeFixture();
  const recorder = recorderApp("recorder", [{ pubsubname: "pubsub", topic: "things", route: "/things" }]);
  const first = fixture.runtime();
  first.registerApp(recorder.channel);
  await first.start();
  await fixture.sidecar("publisher").publish("pubsub", "things", { n: 1 });
  await waitFor(() => recorder.deliveries.length === 1, { message: "the delivery" });
  expect(recorder.deliveries[0]!.path).toBe("/things");
  await fixture.sidecar("recorder").saveState("statestore", [{ key: "k", value: "kept" }]);
  await first.stop();

  const second = fixture.runtime();
  await second.start();
  expect((await fixture.sidecar("recorder").getState("statestore", "k"))?.value).toBe("kept");
});
