import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { binaries } from "../../scripts/binaries.ts";
import { services } from "@todo/embedded/services";
import { createServiceHost } from "@todo/testkit/service-host";
import { ofKind, renderChart, type Manifest } from "./render.ts";

/**
 * The chart's Subscription resources come from values; the code declares
 * its own on GET /dapr/subscribe. They must be the same set, with the
 * pub/sub component the chart gives each service (PUBSUB_NAME), or daprd
 * would deliver to routes nobody serves (or miss topics).
 */
setDefaultTimeout(60_000);

const serviceHost = createServiceHost();
afterAll(() => serviceHost.close());

interface Declared {
  pubsubname: string;
  topic: string;
  route: string;
  deadLetterTopic?: string;
}
const byTopic = (list: Declared[]) => [...list].sort((a, b) => a.topic.localeCompare(b.topic));

const workloadOf = (manifests: Manifest[], appId: string) =>
  manifests.find((m) => (m.kind === "Deployment" || m.kind === "StatefulSet") && m.metadata.labels?.["app.kubernetes.io/name"] === appId);

test.each(services.map((service) => [service.appId, service] as const))(
  "%s: the chart's Subscriptions are exactly what the code declares, on the component the chart gives it",
  async (appId, service) => {
    const manifests = await renderChart();
    const env = workloadOf(manifests, appId)!.spec.template.spec.containers[0].env as { name: string; value?: string }[];
    const pubsub = env.find((variable) => variable.name === "PUBSUB_NAME")!.value!;
    const app = await service.createApp(serviceHost.deps({ components: { pubsub } }), serviceHost.context());
    const response = await app.handle(new Request(`http://${appId}.app.local/dapr/subscribe`));
    const inCode: Declared[] = response.status === 404 ? [] : await response.json();

    const inChart = ofKind(manifests, "Subscription")
      .filter((subscription) => subscription.scopes.includes(appId))
      .map(({ spec, scopes }): Declared => {
        expect(scopes).toEqual([appId]);
        return { pubsubname: spec.pubsubname, topic: spec.topic, route: spec.routes.default, deadLetterTopic: spec.deadLetterTopic };
      });
    expect(byTopic(inChart)).toEqual(byTopic(inCode));
    // Every subscription's component exists and this app is in its scopes.
    for (const { pubsubname } of inChart) {
      const component = ofKind(manifests, "Component").find((candidate) => candidate.metadata.name === pubsubname);
      expect(component?.scopes).toContain(appId);
    }
  },
);

test("the chart, the embedded host and the image build list the same services", async () => {
  const manifests = await renderChart();
  const inChart = manifests
    .filter((m) => (m.kind === "Deployment" || m.kind === "StatefulSet") && !["redis", "postgresql"].includes(m.metadata.labels?.["app.kubernetes.io/name"] ?? ""))
    .map((m) => m.metadata.labels!["app.kubernetes.io/name"]!)
    .sort();
  const withSidecar = manifests
    .filter((m) => m.spec?.template?.metadata?.annotations?.["dapr.io/enabled"] === "true")
    .map((m) => m.metadata.labels!["app.kubernetes.io/name"]!)
    .sort();
  expect(withSidecar).toEqual(services.map((service) => service.appId).sort());
  expect([...inChart, "smoke"].sort()).toEqual(binaries.map((binary) => binary.name).sort());
});

test("the Ingress sends each service exactly the paths its descriptor serves publicly", async () => {
  const manifests = await renderChart({ set: { "ingress.enabled": true } });
  const routed = ofKind(manifests, "Ingress").flatMap((ingress) =>
    ingress.spec.rules.flatMap((rule: any) => rule.http.paths.map((path: any) => ({ path: path.path as string, service: path.backend.service.name as string }))),
  );
  for (const service of services) {
    const paths = routed.filter((route) => route.service === `todo-${service.appId}`).map((route) => route.path);
    expect({ appId: service.appId, paths: paths.sort() }).toEqual({ appId: service.appId, paths: [...service.publicPaths].sort() });
  }
});
