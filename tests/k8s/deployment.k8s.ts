/**
 * The deployment as an operator would check it (run by test:k8s inside the
 * cluster's namespace): every workload rolled out, every app pod with its
 * daprd sidecar, no Warning events, `helm test --logs` passing.
 */
import { describe, expect, test } from "bun:test";
import { inCluster, kubectlJson, must, NAMESPACE, REPO_ROOT } from "./cluster.ts";

const workloads = async (namespace: string) =>
  (await kubectlJson<{ items: any[] }>("get", "deployments,statefulsets", "--namespace", namespace)).items;

describe("the chart on a one-node cluster", () => {
  for (const namespace of ["dapr-system", NAMESPACE]) {
    test(`every Deployment and StatefulSet in ${namespace} has all its replicas ready and updated`, async () => {
      const items = await workloads(namespace);
      expect(items.length).toBeGreaterThan(0);
      const unready = items
        .filter((item) => (item.status.readyReplicas ?? 0) !== item.spec.replicas || (item.status.updatedReplicas ?? 0) !== item.spec.replicas)
        .map((item) => `${item.kind}/${item.metadata.name}: ${item.status.readyReplicas ?? 0}/${item.spec.replicas} ready`);
      expect(unready).toEqual([]);
    });
  }

  test("every pod of a Dapr-enabled service runs a ready daprd next to the app", async () => {
    const pods = (await kubectlJson<{ items: any[] }>("get", "pods", "-l", "app.kubernetes.io/part-of=todo")).items;
    const daprPods = pods.filter((pod) => pod.metadata.annotations?.["dapr.io/enabled"] === "true" && pod.status.phase === "Running");
    const components = new Set(daprPods.map((pod) => pod.metadata.labels["app.kubernetes.io/name"]));
    expect([...components].sort()).toEqual(["audit", "chat-api", "notification", "recurring-task", "websocket"]);
    for (const pod of daprPods) {
      const statuses = Object.fromEntries(pod.status.containerStatuses.map((status: any) => [status.name, status.ready]));
      expect({ pod: pod.metadata.name, daprd: statuses.daprd }).toEqual({ pod: pod.metadata.name, daprd: true });
      expect(Object.values(statuses).every(Boolean)).toBe(true);
    }
  });

  test("no Warning events in the release namespace", async () => {
    const events = (await kubectlJson<{ items: any[] }>("get", "events", "--field-selector", "type=Warning")).items;
    expect(events.map((event) => `${event.involvedObject.kind}/${event.involvedObject.name}: ${event.reason}: ${event.message}`)).toEqual([]);
  });

  test("helm test --logs passes and prints the smoke test's log", async () => {
    const helm = (await must(["bun", `${REPO_ROOT}/scripts/tools.ts`, "path", "helm"])).trim();
    const output = await must(inCluster([helm, "test", "todo", "--namespace", NAMESPACE, "--logs", "--timeout", "5m"]));
    expect(output).toContain("Phase:          Succeeded");
    expect(output).toContain("POD LOGS: todo-smoke-test");
  }, 330_000);
});
