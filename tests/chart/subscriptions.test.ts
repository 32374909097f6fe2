import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { binaries } from "../../scripts/binaries.ts";
import { hostedApps } from "../../services/embedded/src/hosted-apps.ts";
import { createServiceHost } from "../services/service-host.ts";
import { ofKind, renderChart, type Manifest } from "./render.ts";

/**
 * The chart's Subscription resources come from values; the code declares
 * its own on GET /dapr/subscribe. They must be the same set, with the
 * pub/sub component the chart gives each service (PUBSUB_NAME), or daprd
 * would deliver to routes nobody serves (or miss topics).
 */
setDefaultTimeout(60_000);

const services = createServiceHost();
afterAll(() => services.close());

interface Declared {
  pubsubname: string;
  topic: string;
  route: string;
  deadLetterTopic?: string;
}
const byTopic = (list: Declared[]) => [...list].sort((a, b) => a.topic.localeCompare(b.topic));

const workloadOf = (manifests: Manifest[], appId: string) =>
  manifests.find((m) => (m.kind === "Deployment" || m.kind === "StatefulSet") && m.metadata.labels?.["app.kubernetes.io/name"] === appId);

test.each(hostedApps.map((hosted) => [hosted.appId, hosted] as const))(
  "%s: the chart's Subscriptions are exactly what the code declares, on the component the chart gives it",
  async (appId, hosted) => {
    const manifests = await renderChart();
    const env = workloadOf(manifests, appId)!.spec.template.spec.containers[0].env as { name: string; value?: string }[];
    const pubsub = env.find((variable) => variable.name === "PUBSUB_NAME")!.value!;
    const app = await hosted.create(services.deps({ components: { pubsub } }), services.host(`${appId}-chart`));
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
  expect(withSidecar).toEqual(hostedApps.map((hosted) => hosted.appId).sort());
  expect([...inChart, "smoke"].sort()).toEqual(binaries.map((binary) => binary.name).sort());
});
