/**
 * The system the end-to-end scenarios drive, picked by E2E_TARGET:
 * `embedded` (default) runs `bun start`'s host in this process; `stack` uses
 * the real stack that `bun run stack:up` started (tests/stack), where each
 * service has its own port: REST on chat-api, /api/audit on audit, /ws on
 * websocket, and a /metrics per service. `k8s` uses the Services of the
 * cluster `bun run k8s:up` started (tests/k8s/e2e-target.ts; run inside its
 * network namespace, as test:k8s does).
 */
import { startTestHost } from "@todo/testkit/system";
import { readStack } from "../../stack/stack.ts";
import { consumerGroupCaughtUp } from "../../stack/kafka-offsets.ts";
import { servicePorts } from "../../stack/layout.ts";
import { k8sSystem } from "../../k8s/e2e-target.ts";

export interface SystemUrls {
  /** chat-api's REST API (/api/auth, /api/tasks). */
  api: string;
  /** The audit API (/api/audit). */
  audit: string;
  /** Where the WebSocket endpoint /ws is. */
  ws: string;
  /** Where a service's Prometheus /metrics is. */
  metrics(service: string): string;
  /**
   * Real stack only: the service's Kafka consumer group has committed every
   * event of the topic. Its /metrics counters cannot say that there: they
   * include every earlier test's events, not just this file's users'.
   */
  consumerCaughtUp?(service: string, topic: string): Promise<boolean>;
}

export interface SystemUnderTest {
  readonly target: "embedded" | "stack" | "k8s";
  readonly urls: SystemUrls;
  /** Publishes an event on task-events as chat-api's outbox relay would, through chat-api's sidecar. */
  republish(event: unknown, partitionKey: string): Promise<Response>;
  stop(): Promise<void>;
}

export async function startSystem(env: Record<string, string | undefined> = process.env): Promise<SystemUnderTest> {
  const target = env.E2E_TARGET ?? "embedded";
  if (target === "embedded") return startEmbeddedSystem();
  if (target === "stack") return stackSystem();
  if (target === "k8s") return k8sSystem();
  throw new Error(`unknown E2E_TARGET "${target}" (known: embedded, stack, k8s)`);
}

const publishPath = (partitionKey: string) => `/v1.0/publish/pubsub/task-events?metadata.partitionKey=${encodeURIComponent(partitionKey)}`;

async function startEmbeddedSystem(): Promise<SystemUnderTest> {
  const system = await startTestHost();
  return {
    target: "embedded",
    urls: { api: system.url, audit: system.url, ws: system.url, metrics: () => system.url },
    republish: (event, partitionKey) =>
      system.host.runtime.sidecar("chat-api")(
        new Request(`http://dapr.local${publishPath(partitionKey)}`, {
          method: "POST",
          headers: { "content-type": "application/cloudevents+json" },
          body: JSON.stringify(event),
        }),
      ),
    stop: () => system.stop(),
  };
}

function stackSystem(): SystemUnderTest {
  const stack = readStack();
  if (!stack) throw new Error("E2E_TARGET=stack needs the real stack: run bun run stack:up first");
  return {
    target: "stack",
    urls: {
      api: stack.urls["chat-api"],
      audit: stack.urls.audit,
      ws: stack.urls.websocket,
      metrics: (service) => stack.urls[service as keyof typeof stack.urls] ?? stack.urls["chat-api"],
      consumerCaughtUp: consumerGroupCaughtUp,
    },
    republish: (event, partitionKey) =>
      fetch(`http://127.0.0.1:${servicePorts("chat-api").daprHttp}${publishPath(partitionKey)}`, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json", "dapr-api-token": stack.daprApiToken },
        body: JSON.stringify(event),
      }),
    // The stack outlives the test file; stack:down stops it.
    stop: async () => {},
  };
}
