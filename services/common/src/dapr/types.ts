/**
 * The Dapr HTTP API as the services use it. One implementation
 * (`createDaprClient` in ./client.ts) speaks to a real daprd sidecar or to the
 * embedded runtime; callers never know which.
 */

/** A `fetch`-shaped function: the global fetch, or the embedded runtime's in-process handler. */
export type FetchLike = (request: Request) => Promise<Response>;

export interface DaprClientOptions {
  /** e.g. http://127.0.0.1:3500, or http://dapr.local for the embedded runtime. */
  baseUrl: string;
  fetch?: FetchLike;
  /** Sent as `dapr-api-token` when daprd runs with DAPR_API_TOKEN. */
  apiToken?: string;
  /** Per-request timeout; a timeout surfaces as DaprUnavailableError. */
  timeoutMs?: number;
}

export interface PublishOptions {
  /** Kafka record key: keeps one task's events ordered. Sent as metadata.partitionKey. */
  partitionKey?: string;
  /** Extra `metadata.<key>` query parameters (e.g. ttlInSeconds, rawPayload). */
  metadata?: Record<string, string>;
  /** Overrides the content type; a CloudEvent object defaults to application/cloudevents+json. */
  contentType?: string;
  /** W3C trace context to propagate. */
  traceparent?: string;
}

export interface BulkPublishEntry {
  entryId: string;
  event: unknown;
  contentType?: string;
  metadata?: Record<string, string>;
}

export interface StateItem<T = unknown> {
  key: string;
  value: T;
  etag?: string;
  /** Seconds until the item expires; -1 never. */
  ttlInSeconds?: number;
  concurrency?: "first-write" | "last-write";
  consistency?: "eventual" | "strong";
}

export interface StateEntry<T = unknown> {
  key: string;
  value: T;
  etag: string | undefined;
}

export type StateOperation =
  | { operation: "upsert"; request: { key: string; value: unknown; etag?: string; ttlInSeconds?: number } }
  | { operation: "delete"; request: { key: string; etag?: string } };

export interface JobSpec {
  /** Six-field cron (seconds first), `@every 1h30m`, or `@daily`-style macros. */
  schedule?: string;
  /** RFC 3339 time, Go duration from now ("30s") or ISO 8601 duration. */
  dueTime?: string;
  repeats?: number;
  ttl?: string;
  data?: unknown;
  /** Dapr 1.16+: replace an existing job of the same name instead of 409. */
  overwrite?: boolean;
  failurePolicy?: { drop: Record<string, never> } | { constant: { interval?: string; maxRetries?: number } };
}

export interface Job extends JobSpec {
  name: string;
}

export interface InvokeOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

export interface DaprMetadata {
  id: string;
  runtimeVersion?: string;
  components?: { name: string; type: string; version?: string; capabilities?: string[] }[];
  subscriptions?: {
    pubsubname: string;
    topic: string;
    rules?: { rules?: { match?: string; path: string }[] } | unknown;
    deadLetterTopic?: string;
    metadata?: Record<string, string>;
    type?: string;
  }[];
  [extra: string]: unknown;
}

export interface DaprClient {
  publish(pubsub: string, topic: string, data: unknown, options?: PublishOptions): Promise<void>;
  /** Resolves with the entry ids that failed (empty when all were accepted). */
  bulkPublish(pubsub: string, topic: string, entries: BulkPublishEntry[], metadata?: Record<string, string>): Promise<string[]>;

  getState<T = unknown>(store: string, key: string): Promise<StateEntry<T> | undefined>;
  getBulkState<T = unknown>(store: string, keys: string[]): Promise<StateEntry<T | undefined>[]>;
  saveState(store: string, items: StateItem[]): Promise<void>;
  deleteState(store: string, key: string, options?: { etag?: string }): Promise<void>;
  transaction(store: string, operations: StateOperation[], metadata?: Record<string, string>): Promise<void>;

  scheduleJob(name: string, spec: JobSpec): Promise<void>;
  getJob(name: string): Promise<Job | undefined>;
  deleteJob(name: string): Promise<void>;

  /** Service invocation; returns the callee's response unchanged. */
  invoke(appId: string, method: string, options?: InvokeOptions): Promise<Response>;

  getSecret(store: string, name: string): Promise<Record<string, string>>;
  getBulkSecrets(store: string): Promise<Record<string, Record<string, string>>>;

  /** True when daprd answers 204 on /v1.0/healthz (outbound: does not wait for the app). */
  healthy(options?: { outbound?: boolean }): Promise<boolean>;
  metadata(): Promise<DaprMetadata>;
}
