/**
 * E2E_TARGET=k8s: the end-to-end scenarios against the chart on the test
 * cluster, through its Services (REST on chat-api, /api/audit on audit, /ws
 * on websocket, each service's /metrics). Runs inside the cluster's network
 * namespace, where the Service IPs and the node's Kafka are reachable.
 */
import type { SystemUnderTest } from "../e2e/harness/system-under-test.ts";
import { consumerGroupCaughtUp } from "../stack/kafka-offsets.ts";
import { kubectlJson, NODE_IP, readK8sState } from "./cluster.ts";

/**
 * The chart gives websocket one consumer group per pod (consumerID "{podName}"),
 * every other service one per app id: a service has caught up when all its groups have.
 */
async function consumerGroups(service: string): Promise<string[]> {
  if (service !== "websocket") return [service];
  const pods = await kubectlJson<{ items: any[] }>("get", "pods", "-l", "app.kubernetes.io/name=websocket");
  return pods.items.map((pod) => pod.metadata.name);
}

export function k8sSystem(): SystemUnderTest {
  const state = readK8sState();
  if (!state) throw new Error("E2E_TARGET=k8s needs the cluster: run bun run k8s:up first (and the tests inside its namespace)");
  const url = (service: string) => state.urls[service] ?? state.urls["chat-api"]!;
  return {
    target: "k8s",
    urls: {
      api: url("chat-api"),
      audit: url("audit"),
      ws: url("websocket"),
      metrics: url,
      // Kafka is on the node; 127.0.0.1:9092 inside the namespace reaches it.
      consumerCaughtUp: async (service, topic) => {
        const groups = await consumerGroups(service);
        return (await Promise.all(groups.map((group) => consumerGroupCaughtUp(group, topic)))).every(Boolean);
      },
    },
    // daprd listens on the pod's loopback only: publish to Kafka as chat-api's
    // sidecar does (the CloudEvent as the value, the partition key as the key).
    republish: async (event, partitionKey) => {
      const proc = Bun.spawn(["kcat", "-b", `${NODE_IP}:9092`, "-t", "task-events", "-k", partitionKey, "-P"], { stdin: "pipe", stderr: "pipe" });
      proc.stdin.write(JSON.stringify(event));
      await proc.stdin.end();
      const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
      return new Response(code === 0 ? null : stderr, { status: code === 0 ? 204 : 502 });
    },
    // The cluster outlives the test file; k8s:down removes it.
    stop: async () => {},
  };
}
