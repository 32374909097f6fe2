#!/usr/bin/env bun
/**
 * bun run k8s:up: the one-node cluster (tests/k8s/cluster.sh), the app images
 * from `bun run build:binaries`, Dapr and the chart (tests/k8s/deploy.sh), and
 * state.json with the Service URLs. Prints the seconds of each phase.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { inCluster, K8S_DIR, kubectlJson, must, REPO_ROOT, readK8sState, statePath, type K8sState } from "./cluster.ts";

async function daprDir(): Promise<string> {
  const out = await must([join(REPO_ROOT, "tests/k8s/build-k8s.sh"), "dapr"]);
  return out.trim().split(" ")[1]!;
}

export async function serviceUrls(): Promise<Record<string, string>> {
  const list = await kubectlJson<{ items: any[] }>("get", "services", "-l", "app.kubernetes.io/part-of=todo");
  const urls: Record<string, string> = {};
  for (const service of list.items) {
    const name = service.metadata.labels["app.kubernetes.io/name"] ?? service.metadata.name;
    urls[name] = `http://${service.spec.clusterIP}:${service.spec.ports[0].port}`;
  }
  return urls;
}

export async function startK8s(options: { buildBinaries?: boolean } = {}): Promise<K8sState> {
  const timings: Record<string, number> = {};
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    const value = await work();
    timings[name] = Math.round((performance.now() - began) / 1000);
    console.log(`k8s:up: ${name} ${timings[name]} s`);
    return value;
  };
  const dapr = await phase("build or reuse Kubernetes, CoreDNS, Dapr", async () => {
    await must([join(REPO_ROOT, "tests/k8s/build-k8s.sh")], { inherit: true });
    return daprDir();
  });
  if (options.buildBinaries ?? true) {
    await phase("bun run build:binaries", () => must(["bun", "run", "build:binaries"], { inherit: true }));
  }
  await phase("cluster up (node Ready, CoreDNS, Kafka/Redis/PostgreSQL)", () => must([join(REPO_ROOT, "tests/k8s/cluster.sh"), "up"], { inherit: true }));
  // A tag per bring-up: what runs is what was just built.
  const tag = `local-${Date.now()}`;
  await phase("app images", () =>
    must(["bun", join(REPO_ROOT, "tests/k8s/images.ts"), "app", "--containerd", join(K8S_DIR, "containerd.sock"), "--tag", tag], { inherit: true }),
  );
  await phase("Dapr, chart, rollouts, helm test", () => must(inCluster([join(REPO_ROOT, "tests/k8s/deploy.sh"), dapr, tag]), { inherit: true }));
  const state: K8sState = { tag, urls: await serviceUrls(), timings };
  writeFileSync(statePath(), JSON.stringify(state, null, 2));
  return state;
}

if (import.meta.main) {
  if (readK8sState()) {
    console.error(`k8s:up: already up (${statePath()}); bun run k8s:down first`);
    process.exit(1);
  }
  try {
    const state = await startK8s({ buildBinaries: !Bun.argv.includes("--no-build") });
    console.log(JSON.stringify(state.urls, null, 2));
  } catch (error) {
    console.error((error as Error).message);
    console.error("k8s:up failed; state left in place for inspection: bun run k8s:down removes it");
    process.exit(1);
  }
}
