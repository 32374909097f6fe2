/**
 * Faults on the cluster (test:k8s, inside its network namespace) while three
 * users keep changing tasks with WebSocket tabs open (tests/stack/harness):
 *   (a) a pod of each service deleted, (b) chat-api's daprd container killed,
 *   (c) `helm upgrade` to a new image tag mid-stream: zero failed requests,
 *   (d) chat-api at 2 replicas and websocket at 2 pods: a tab on each pod
 *       sees every change.
 * After each: the audit gap report empty, every change audited once, no
 * duplicate occurrence, every reminder fired once, every tab equal to the server.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { waitFor } from "@todo/testkit";
import { apiClient, type ApiClient, type TestUser } from "../e2e/harness/api-client.ts";
import { openTab, type BrowserTab, type Frame } from "@todo/testkit/browser-tab";
import { startChangeStream, type ChangeStream } from "../stack/harness/change-stream.ts";
import { auditTrailProblems, duplicateOccurrences, reminderProblems, sameVersions, serverVersions, tabVersions } from "../stack/harness/invariants.ts";
import { inCluster, K8S_DIR, kubectl, kubectlJson, must, NAMESPACE, readK8sState, REPO_ROOT, type K8sState } from "./cluster.ts";
import { REGISTRY } from "./images.ts";
import { binaries } from "../../scripts/binaries.ts";

setDefaultTimeout(420_000);
const RECOVERY_TIMEOUT_MS = 180_000;

let state: K8sState;
let api: ApiClient;
let adminToken: string;
const users: TestUser[] = [];
/** Every tab of a user (one through the Service, more on specific websocket pods). */
const tabsOf = new Map<TestUser, ReconnectingTab[]>();

interface ReconnectingTab {
  /** Every frame of every connection, in arrival order. */
  readonly frames: Frame[];
  close(): Promise<void>;
}

/**
 * A tab as the site keeps one: when its websocket pod goes away (deleted,
 * rolled), it reconnects with `after` = the last event it received and gets
 * the missed events replayed.
 */
async function reconnectingTab(baseUrl: string, token: string): Promise<ReconnectingTab> {
  const connections: BrowserTab[] = [];
  let open = true;
  const frames = () => connections.flatMap((connection) => connection.frames);
  const connect = async (): Promise<void> => {
    const after = frames().at(-1)?.id;
    const connection = await waitFor(() => openTab(baseUrl, { token, after }).catch(() => undefined), {
      timeoutMs: RECOVERY_TIMEOUT_MS,
      intervalMs: 500,
      message: `a tab to reconnect to ${baseUrl}`,
    });
    connections.push(connection);
    void connection.closed.then(() => (open ? connect() : undefined));
  };
  await connect();
  return {
    get frames() {
      return frames();
    },
    async close() {
      open = false;
      await Promise.all(connections.map((connection) => connection.close()));
    },
  };
}

const workload = (service: string) => (service === "websocket" ? `statefulset/todo-${service}` : `deployment/todo-${service}`);
const rolledOut = (service: string) => kubectl("rollout", "status", workload(service), "--timeout", "5m");
const podsOf = async (service: string) =>
  (await kubectlJson<{ items: any[] }>("get", "pods", "-l", `app.kubernetes.io/name=${service}`)).items.filter((pod) => !pod.metadata.deletionTimestamp);

beforeAll(async () => {
  const found = readK8sState();
  if (!found) throw new Error("the fault tests need the cluster: bun run k8s:up (or bun run test:k8s)");
  state = found;
  api = apiClient({ api: state.urls["chat-api"]!, audit: state.urls.audit!, ws: state.urls.websocket!, metrics: () => state.urls["chat-api"]! });
  adminToken = Buffer.from(JSON.parse(await kubectl("get", "secret", "admin-token", "-o", "json")).data["admin-token"], "base64").toString();
  for (const label of ["ada", "grace", "linus"]) {
    const user = await api.signup(`k8s-fault-${label}`);
    users.push(user);
    tabsOf.set(user, [await reconnectingTab(state.urls.websocket!, user.token)]);
  }
});

afterAll(async () => {
  await Promise.all([...tabsOf.values()].flat().map((tab) => tab.close()));
});

async function expectConsistent(stream: ChangeStream): Promise<void> {
  const gaps = await waitFor(
    async () => {
      const report = await api.auditGaps(adminToken, 0).catch(() => undefined);
      return report?.missing.length === 0 && report;
    },
    { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 500, message: "an empty audit gap report" },
  );
  expect(gaps.checked).toBeGreaterThan(0);
  for (const user of users) {
    let problems: string[] = [];
    await waitFor(
      async () => {
        problems = auditTrailProblems(await api.auditTrail(user), await serverVersions(api, user));
        return problems.length === 0;
      },
      { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 500, message: `${user.email}'s audit trail to hold every change once`, describe: () => problems.join("; ") },
    );
    expect(await duplicateOccurrences(api, user)).toEqual([]);
    for (const tab of tabsOf.get(user)!) {
      await waitFor(async () => sameVersions(tabVersions(tab as BrowserTab), await serverVersions(api, user)), {
        timeoutMs: RECOVERY_TIMEOUT_MS,
        intervalMs: 500,
        message: `every tab of ${user.email} to show the server's tasks`,
      });
    }
  }
  const lastDue = Math.max(0, ...stream.reminders.map((reminder) => Date.parse(reminder.remindAt)));
  let problems: string[] = [];
  await waitFor(
    async () => {
      if (Date.now() < lastDue) return false;
      problems = await reminderProblems(api, users, stream.reminders);
      return problems.length === 0;
    },
    { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 500, message: "every reminder fired exactly once", describe: () => problems.join("; ") },
  );
}

/** Runs the stream, applies the fault, waits for more traffic, stops, checks; returns the requests that failed during the fault. */
async function underLoad(name: string, fault: (stream: ChangeStream) => Promise<void>): Promise<number> {
  const stream = startChangeStream(api, users);
  let failedDuringFault = 0;
  try {
    await waitFor(() => stream.confirmed() >= 30 && stream.series.size > 0 && stream.reminders.length > 0, {
      timeoutMs: 60_000,
      message: "the change stream under way, with a series and a reminder",
    });
    const failedBefore = stream.failed();
    const began = performance.now();
    await fault(stream);
    failedDuringFault = stream.failed() - failedBefore;
    const confirmed = stream.confirmed();
    await waitFor(() => stream.confirmed() >= confirmed + 20, { timeoutMs: RECOVERY_TIMEOUT_MS, message: `the stream flowing again after ${name}` });
    console.log(`${name}: recovered in ${Math.round(performance.now() - began)} ms, ${failedDuringFault} failed requests`);
  } finally {
    await stream.stop();
  }
  await expectConsistent(stream);
  return failedDuringFault;
}

describe("faults on the cluster under a steady stream of changes", () => {
  test("(a) a pod of each service deleted: each comes back, nothing lost, nothing audited twice", async () => {
    await underLoad("(a) pod of each service deleted", async () => {
      for (const service of ["audit", "notification", "recurring-task", "websocket", "chat-api"]) {
        const [pod] = await podsOf(service);
        await kubectl("delete", "pod", pod.metadata.name, "--wait=false");
        await waitFor(async () => (await podsOf(service)).every((p) => p.metadata.uid !== pod.metadata.uid), {
          timeoutMs: RECOVERY_TIMEOUT_MS,
          message: `${pod.metadata.name} to be replaced`,
        });
        await rolledOut(service);
      }
    });
  });

  test("(b) chat-api's daprd container killed: the kubelet restarts it, nothing lost", async () => {
    await underLoad("(b) chat-api's daprd killed", async () => {
      const [pod] = await podsOf("chat-api");
      const daprd = pod.status.containerStatuses.find((status: any) => status.name === "daprd");
      const containerId = daprd.containerID.replace("containerd://", "");
      await must(["ctr", "--address", `${K8S_DIR}/containerd.sock`, "-n", "k8s.io", "tasks", "kill", "-s", "SIGKILL", containerId]);
      await waitFor(
        async () => {
          const [now] = await podsOf("chat-api");
          const status = now.status.containerStatuses.find((s: any) => s.name === "daprd");
          return status.restartCount > daprd.restartCount && status.ready;
        },
        { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 500, message: "chat-api's daprd restarted and ready" },
      );
    });
  });

  test("(c) helm upgrade to a new image tag mid-stream: a rolling update with zero failed requests", async () => {
    const tag = `${state.tag}-upgrade`;
    for (const { name } of binaries) {
      await must(["ctr", "--address", `${K8S_DIR}/containerd.sock`, "-n", "k8s.io", "images", "tag", `${REGISTRY}/todo/${name}:${state.tag}`, `${REGISTRY}/todo/${name}:${tag}`]);
    }
    const helm = (await must(["bun", `${REPO_ROOT}/scripts/tools.ts`, "path", "helm"])).trim();
    const failed = await underLoad("(c) helm upgrade", async () => {
      await must(inCluster([helm, "upgrade", "todo", `${REPO_ROOT}/chart`, "--namespace", NAMESPACE, "--reuse-values", "--set", `image.tag=${tag}`, "--wait", "--timeout", "10m"]));
      for (const service of ["chat-api", "audit", "notification", "recurring-task", "websocket", "site"]) await rolledOut(service);
    });
    const images = (await podsOf("chat-api")).map((pod) => pod.spec.containers.find((c: any) => c.name === "chat-api").image);
    expect(images.every((image: string) => image.endsWith(`:${tag}`))).toBe(true);
    expect(failed).toBe(0);
  });

  test("(d) chat-api at 2 replicas and websocket at 2 pods: one relay publishes in order, a tab on each pod sees every change", async () => {
    await kubectl("scale", workload("chat-api"), "--replicas=2");
    await kubectl("scale", workload("websocket"), "--replicas=2");
    await rolledOut("chat-api");
    await rolledOut("websocket");
    const wsPods = await podsOf("websocket");
    expect(wsPods.length).toBe(2);
    expect((await podsOf("chat-api")).length).toBe(2);
    // A tab on each websocket pod directly (pod IP), besides the one through the Service.
    for (const user of users) {
      for (const pod of wsPods) tabsOf.get(user)!.push(await reconnectingTab(`http://${pod.status.podIP}:8080`, user.token));
    }
    await underLoad("(d) scaled out", async (stream) => {
      // Traffic through both chat-api replicas (the Service spreads connections) for 100 more changes.
      const confirmed = stream.confirmed();
      await waitFor(() => stream.confirmed() >= confirmed + 100, { timeoutMs: RECOVERY_TIMEOUT_MS, message: "100 changes through the scaled-out chat-api" });
    });
  });
});
