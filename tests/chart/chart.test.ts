import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KUBE_VERSION } from "../../scripts/tools.ts";
import { isCustomResource, validateCustomResource } from "./crd-shapes.ts";
import { validateKubernetesObject } from "./kubernetes-schemas.ts";
import { CHART_DIR, helm, named, ofKind, renderChart, type Manifest, type RenderOptions } from "./render.ts";
import { workloadProblems } from "./workload-requirements.ts";

/**
 * The chart, rendered by a real helm for Minikube, the cloud and every
 * combination of in-cluster and external Kafka, Redis and PostgreSQL; every
 * object checked against its schema, and every service workload against
 * what a service must ship with.
 */
setDefaultTimeout(60_000);

const external = {
  kafka: { mode: "external", external: { brokers: "kafka.example.com:9092" } },
  redis: { mode: "external", external: { host: "redis.example.com:6379" } },
  postgresql: { mode: "external" },
};
const inCluster = { kafka: { mode: "strimzi" }, redis: { mode: "inCluster" }, postgresql: { mode: "inCluster" } };
type Dependency = keyof typeof external;

/** Every on/off combination of the three dependencies, by name: "kafka=external redis=inCluster ...". */
const combinations: [string, RenderOptions][] = [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => {
  const values: Record<string, unknown> = {};
  const name = (Object.keys(external) as Dependency[])
    .map((dependency, index) => {
      const chosen = bits & (1 << index) ? external[dependency] : inCluster[dependency];
      values[dependency] = chosen;
      return `${dependency}=${chosen.mode}`;
    })
    .join(" ");
  return [name, { values }];
});
const renders: [string, RenderOptions][] = [["values.yaml", {}], ["values-cloud.yaml", { valuesFiles: ["values-cloud.yaml"] }], ...combinations];

const servicesIn = (manifests: Manifest[]) =>
  manifests.filter((m) => (m.kind === "Deployment" || m.kind === "StatefulSet") && m.metadata.labels?.["app.kubernetes.io/part-of"] === "todo");
const appOf = (manifest: Manifest) => manifest.metadata.labels?.["app.kubernetes.io/name"] ?? "";
const infrastructure = new Set(["redis", "postgresql"]);
const envOf = (workload: Manifest) => (workload.spec.template.spec.containers[0].env ?? []) as { name: string; value?: string; valueFrom?: any }[];

describe.each(renders)("rendered with %s", (_, options) => {
  let manifests: Manifest[];
  const rendered = async () => (manifests ??= await renderChart(options));

  test("every object is valid against its Kubernetes schema or Dapr/Strimzi resource spec", async () => {
    const objects = await rendered();
    expect(objects.length).toBeGreaterThan(30);
    for (const manifest of objects) {
      if (isCustomResource(manifest)) validateCustomResource(manifest);
      else await validateKubernetesObject(manifest);
    }
  });

  test("every service has probes, requests and limits, the hardened security context and, with a sidecar, the Dapr annotations", async () => {
    const workloads = servicesIn(await rendered());
    const services = workloads.filter((workload) => !infrastructure.has(appOf(workload)));
    expect(services.map(appOf).sort()).toEqual(["audit", "chat-api", "notification", "recurring-task", "site", "websocket"]);
    for (const workload of workloads) {
      const app = appOf(workload);
      const isService = !infrastructure.has(app);
      const dapr = isService && app !== "site";
      expect({ app, problems: workloadProblems(workload, { service: isService, dapr }) }).toEqual({ app, problems: [] });
    }
    const smoke = named(await rendered(), "Pod", "todo-smoke-test");
    expect(smoke.metadata.annotations?.["helm.sh/hook"]).toBe("test");
    expect(workloadProblems(smoke, { service: false, dapr: false })).toEqual([]);
  });

  test("no secret value is rendered: no Secret objects, credentials only through secretKeyRef", async () => {
    const objects = await rendered();
    expect(ofKind(objects, "Secret")).toEqual([]);
    // Credentials by name; SECRET_STORE etc. name a Dapr component, not a secret.
    const secretLike = /PASSWORD|TOKEN|SECRET(?!_STORE$)|DATABASE_URL|KEY$/;
    for (const workload of [...servicesIn(objects), named(objects, "Pod", "todo-smoke-test")]) {
      const containers = workload.spec.template?.spec.containers ?? workload.spec.containers;
      for (const variable of containers.flatMap((container: { env?: unknown[] }) => container.env ?? []) as { name: string; value?: string; valueFrom?: any }[]) {
        if (!secretLike.test(variable.name)) continue;
        // DATABASE_URL may be composed from a secret variable by Kubernetes ($(POSTGRES_PASSWORD)), never hold one.
        if (variable.value !== undefined) expect(variable.value).toMatch(/\$\(POSTGRES_PASSWORD\)/);
        else expect(variable.valueFrom?.secretKeyRef?.name).toBeTruthy();
      }
    }
    for (const component of ofKind(objects, "Component")) {
      for (const item of component.spec.metadata as { name: string; value?: string }[]) {
        if (/password|token|secret/i.test(item.name)) expect(item.value).toBeUndefined();
      }
    }
  });

  test("chat-api and audit get DATABASE_URL from the chosen PostgreSQL, the other services none", async () => {
    const objects = await rendered();
    // values-cloud.yaml uses an external PostgreSQL; the combinations say theirs.
    const mode = (options.values?.postgresql as { mode?: string } | undefined)?.mode ?? (options.valuesFiles?.includes("values-cloud.yaml") ? "external" : "inCluster");
    for (const workload of servicesIn(objects).filter((w) => !infrastructure.has(appOf(w)))) {
      const databaseUrl = envOf(workload).find((variable) => variable.name === "DATABASE_URL");
      if (!["chat-api", "audit"].includes(appOf(workload))) {
        expect(databaseUrl).toBeUndefined();
        continue;
      }
      if (mode === "external") expect(databaseUrl?.valueFrom?.secretKeyRef).toEqual({ name: "todo-database", key: "url" });
      else expect(databaseUrl?.value).toBe("postgres://todo:$(POSTGRES_PASSWORD)@todo-postgresql:5432/todo");
    }
    expect(objects.some((m) => m.kind === "StatefulSet" && m.metadata.name === "todo-postgresql")).toBe(mode === "inCluster");
  });

  test("the pub/sub components point at the chosen Kafka, and only an in-cluster choice renders one", async () => {
    const objects = await rendered();
    const kafka = ofKind(objects, "Kafka");
    const brokersOf = (name: string) =>
      (named(objects, "Component", name).spec.metadata as { name: string; value: string }[]).find((item) => item.name === "brokers")?.value;
    if (kafka.length === 1) {
      expect(brokersOf("pubsub")).toBe(`${kafka[0]!.metadata.name}-kafka-bootstrap:9092`);
      expect(ofKind(objects, "KafkaNodePool")[0]!.metadata.labels?.["strimzi.io/cluster"]).toBe(kafka[0]!.metadata.name);
    } else {
      expect(kafka).toEqual([]);
      expect(brokersOf("pubsub")).toMatch(/example\.com:909[23]/);
    }
    expect(brokersOf("websocket-pubsub")).toBe(brokersOf("pubsub")!);
  });
});

describe("websocket", () => {
  test("each pod is its own Kafka consumer group: a StatefulSet on a component with consumerID {podName}, scoped to it alone", async () => {
    const objects = await renderChart();
    const own = named(objects, "Component", "websocket-pubsub");
    expect(own.spec.metadata).toContainEqual({ name: "consumerID", value: "{podName}" });
    expect(own.scopes).toEqual(["websocket"]);
    expect(named(objects, "Component", "pubsub").scopes).not.toContain("websocket");
    const websocket = named(objects, "StatefulSet", "todo-websocket");
    expect(envOf(websocket)).toContainEqual({ name: "PUBSUB_NAME", value: "websocket-pubsub" });
    // The others share one group per app id (Dapr's default consumerID): no consumerID set.
    expect((named(objects, "Component", "pubsub").spec.metadata as { name: string }[]).map((item) => item.name)).not.toContain("consumerID");
  });
});

describe("ingress", () => {
  test("routes /api and /mcp to chat-api, /api/audit to audit, / to the site, and /ws through an Ingress with long timeouts", async () => {
    const objects = await renderChart({ set: { "ingress.host": "todo.example.com" } });
    const routes = (name: string) =>
      Object.fromEntries(
        (named(objects, "Ingress", name).spec.rules[0].http.paths as { path: string; backend: { service: { name: string } } }[]).map((p) => [p.path, p.backend.service.name]),
      );
    expect(routes("todo")).toEqual({ "/api": "todo-chat-api", "/mcp": "todo-chat-api", "/api/audit": "todo-audit", "/": "todo-site" });
    expect(routes("todo-long-lived")).toEqual({ "/ws": "todo-websocket" });
    expect(named(objects, "Ingress", "todo-long-lived").metadata.annotations?.["nginx.ingress.kubernetes.io/proxy-read-timeout"]).toBe("3600");
    expect(named(objects, "Ingress", "todo").metadata.annotations?.["nginx.ingress.kubernetes.io/proxy-read-timeout"]).toBeUndefined();
    expect(named(objects, "Ingress", "todo").spec.rules[0].host).toBe("todo.example.com");
  });
});

describe("images", () => {
  test("a service with a digest is pulled by digest, the others by tag", async () => {
    const digest = `sha256:${"ab".repeat(32)}`;
    const objects = await renderChart({ set: { "image.digests": { "chat-api": digest, smoke: digest }, "image.tag": "0123abc" } });
    const imageOf = (workload: Manifest) => (workload.spec.template?.spec ?? workload.spec).containers[0].image;
    expect(imageOf(named(objects, "Deployment", "todo-chat-api"))).toBe(`ghcr.io/example/todo/chat-api@${digest}`);
    expect(imageOf(named(objects, "Pod", "todo-smoke-test"))).toBe(`ghcr.io/example/todo/smoke@${digest}`);
    expect(imageOf(named(objects, "Deployment", "todo-audit"))).toBe("ghcr.io/example/todo/audit:0123abc");
  });
});

describe("a new service", () => {
  test("added as a values entry ships with probes, limits, security context, Dapr annotations and its subscriptions", async () => {
    const objects = await renderChart({ values: { services: { "digest-mailer": { subscriptions: ["task-events"] } } } });
    const workload = named(objects, "Deployment", "todo-digest-mailer");
    expect(workloadProblems(workload, { service: true, dapr: true })).toEqual([]);
    expect(named(objects, "Subscription", "digest-mailer-task-events").spec).toEqual({
      pubsubname: "pubsub",
      topic: "task-events",
      routes: { default: "/events/task-events" },
      deadLetterTopic: "digest-mailer-dead-letters",
    });
    expect(named(objects, "Component", "pubsub").scopes).toContain("digest-mailer");
    for (const kind of ["Service", "ServiceAccount", "PodDisruptionBudget"]) named(objects, kind, "todo-digest-mailer");
  });

  test("the workload check reports what a workload lacks (so it can fail)", async () => {
    const workload = structuredClone(named(await renderChart(), "Deployment", "todo-chat-api"));
    const container = workload.spec.template.spec.containers[0];
    delete container.readinessProbe;
    delete container.resources.limits;
    container.securityContext.readOnlyRootFilesystem = false;
    delete workload.spec.template.metadata.annotations["dapr.io/app-token-secret"];
    expect(workloadProblems(workload, { service: true, dapr: true })).toEqual([
      "container chat-api: readOnlyRootFilesystem is not true",
      "container chat-api: no limits.cpu",
      "container chat-api: no limits.memory",
      "container chat-api: readinessProbe is not GET /readyz",
      "no dapr.io/app-token-secret annotation",
    ]);
  });
});

describe("values.schema.json", () => {
  test.each([
    ["a misspelt service key", { services: { audit: { replica: 3 } } }, "additional properties 'replica' not allowed"],
    ["an unknown Kafka mode", { kafka: { mode: "bitnami" } }, "/kafka/mode"],
    ["external Kafka without brokers", { kafka: { mode: "external" } }, "/kafka/external"],
    ["external Redis without a host:port", { redis: { mode: "external", external: { host: "redis" } } }, "/redis/external/host"],
    ["an image digest that is not sha256", { image: { digests: { audit: "latest" } } }, "/image/digests/audit"],
    ["a renamed JWT secret (the code reads jwt-secret)", { secrets: { jwtSecret: "my-jwt" } }, "/secrets/jwtSecret"],
  ])("rejects %s", async (_, values, message) => {
    await expect(renderChart({ values })).rejects.toThrow(message);
  });
});

describe("helm lint --strict", () => {
  test.each([["values.yaml"], ["values-cloud.yaml"]])("passes with %s", async (file) => {
    const output = await helm(["lint", "--strict", CHART_DIR, "-f", join(CHART_DIR, file), "--kube-version", KUBE_VERSION]);
    expect(output).toContain("1 chart(s) linted, 0 chart(s) failed");
  });
});

test("no template holds a Secret or secret data", () => {
  const templates = join(CHART_DIR, "templates");
  const files = readdirSync(templates, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) {
    const text = readFileSync(join(file.parentPath, file.name), "utf8");
    expect({ file: file.name, secret: /^\s*kind:\s*Secret\b|^\s*(stringData|data):/m.test(text) }).toEqual({ file: file.name, secret: false });
  }
});
