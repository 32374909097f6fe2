/**
 * What the suite needs from a Dapr sidecar implementation. The same tests run
 * against the embedded runtime (sidecar-main.ts) and, later, against a real
 * daprd + Scheduler + Kafka + Redis; a target hides how its sidecar is
 * started and states the few bounds that legitimately differ between them.
 */

export interface SidecarStartOptions {
  appId: string;
  /** The test app's port on 127.0.0.1 (daprd --app-port). It is listening before start. */
  appPort: number;
  /** A fresh directory owned by the test; the sidecar keeps its durable state there. */
  dataDir: string;
  /** Sidecar requires `dapr-api-token` on API calls (DAPR_API_TOKEN). */
  daprApiToken?: string;
  /** Sidecar sends `dapr-api-token` to the app (APP_API_TOKEN). */
  appApiToken?: string;
  env?: Record<string, string>;
}

export interface Sidecar {
  readonly appId: string;
  /** http://127.0.0.1:<dapr-http-port>; stays the same across restart(). */
  readonly baseUrl: string;
  /** Graceful stop (SIGTERM), then removes nothing: the test owns dataDir. */
  stop(): Promise<void>;
  /** SIGKILL, no chance to flush anything. */
  kill(): Promise<void>;
  /** kill -9, then start again on the same data and port; resolves when healthy. */
  restart(): Promise<void>;
  /** The sidecar's recent output, for failure messages. */
  output(): string;
}

/** Bounds and fixtures that a target provides (see README.md). */
export interface TargetProfile {
  name: string;
  components: { pubsub: string; state: string; secrets: string };
  /** A secret named `conformance-secret` exists in the secret store with this value. */
  secret: { name: string; value: string };
  /**
   * Retries after the first attempt that the inbound pub/sub resiliency
   * policy makes before an event goes to its dead-letter topic.
   */
  pubsubInboundRetries: number;
  /** How late a job may fire after its due time. */
  jobLatenessBoundMs: number;
  /** How long to wait for a delivery that should happen (broker latency). */
  deliveryTimeoutMs: number;
}

export interface SidecarTarget {
  readonly profile: TargetProfile;
  start(options: SidecarStartOptions): Promise<Sidecar>;
  /**
   * True once every event of `topic` the app acknowledged is durably marked
   * as consumed, so a kill -9 now cannot bring it back. The embedded runtime
   * records an ack before the next delivery; daprd's Kafka consumer commits
   * offsets every second (Sarama's auto-commit), so until then a crash
   * redelivers them (at-least-once).
   */
  acknowledgementsDurable(appId: string, topic: string): Promise<boolean>;
}
