/**
 * The app behind the sidecar under test: a real HTTP server (Bun.serve on
 * port 0) that the sidecar reaches through --app-port, exactly like a
 * service would. It declares programmatic subscriptions, records every call
 * the sidecar makes and answers each event as scripted by the test.
 */
import type { Server } from "bun";

/** How the app answers one delivery. */
export type Reply = "SUCCESS" | "RETRY" | "DROP" | "404" | "500" | "HANG";

export interface SubscriptionSpec {
  topic: string;
  pubsubname?: string;
  deadLetterTopic?: string;
}

/** A subscription as served at GET /dapr/subscribe. */
export interface DeclaredSubscription extends SubscriptionSpec {
  pubsubname: string;
  route: string;
}

export interface Delivery {
  /** The subscription topic whose route received the call. */
  topic: string;
  headers: Record<string, string>;
  /** Parsed JSON body (the CloudEvent), or the raw text when not JSON. */
  event: CloudEventLike;
  rawBody: string;
  arrivedAt: number;
  /** 1-based count of deliveries of this event id on this topic, this one included. */
  attempt: number;
  reply: Reply;
}

export interface CloudEventLike {
  id?: string;
  source?: string;
  type?: string;
  specversion?: string;
  datacontenttype?: string;
  topic?: string;
  pubsubname?: string;
  traceid?: string;
  traceparent?: string;
  time?: string;
  data?: unknown;
  [field: string]: unknown;
}

export interface JobTrigger {
  name: string;
  headers: Record<string, string>;
  body: unknown;
  rawBody: string;
  arrivedAt: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  arrivedAt: number;
}

/** Decides the reply for a delivery; `undefined` falls back to the event's own script. */
export type DeliveryScript = (delivery: Omit<Delivery, "reply">) => Reply | undefined;

/**
 * Event data may script its own handling, so one publish says what the app
 * will answer: `{ script: ["RETRY", "SUCCESS"] }` answers the nth attempt with
 * script[n-1] (the last entry repeats); `delayMs` makes the handler slow.
 */
export interface ScriptedData {
  script?: Reply[];
  delayMs?: number;
}

export interface TestApp {
  readonly port: number;
  readonly url: string;
  readonly subscriptions: DeclaredSubscription[];
  readonly deliveries: Delivery[];
  readonly jobTriggers: JobTrigger[];
  /** Every other call the sidecar made (GET /dapr/subscribe, /dapr/config, invocations...). */
  readonly calls: RecordedCall[];
  deliveriesOf(topic: string): Delivery[];
  deliveriesOfEvent(topic: string, eventId: string): Delivery[];
  triggersOf(jobName: string): JobTrigger[];
  /** Overrides the reply for one topic's deliveries. */
  scriptTopic(topic: string, script: DeliveryScript): void;
  /** Overrides the status for one job's triggers (default 200). */
  scriptJob(jobName: string, status: (trigger: JobTrigger, attempt: number) => number): void;
  /** While held, every delivery waits (as HANG) until released. */
  holdDeliveries(): void;
  /** Lets every held delivery answer SUCCESS and stops holding. */
  releaseDeliveries(): void;
  /** Number of deliveries currently waiting for release. */
  readonly heldCount: number;
  stop(): Promise<void>;
}

export function routeFor(topic: string): string {
  return `/events/${encodeURIComponent(topic)}`;
}

export function createTestApp(options: { subscriptions: SubscriptionSpec[]; pubsubName?: string }): TestApp {
  const pubsubName = options.pubsubName ?? "pubsub";
  // An entry without a route is discarded by daprd, so each topic gets its own.
  const subscriptions = options.subscriptions.map((s) => ({ pubsubname: pubsubName, ...s, route: routeFor(s.topic) }));
  const topicByRoute = new Map(subscriptions.map((s) => [routeFor(s.topic), s.topic]));
  const deliveries: Delivery[] = [];
  const jobTriggers: JobTrigger[] = [];
  const calls: RecordedCall[] = [];
  const topicScripts = new Map<string, DeliveryScript>();
  const jobScripts = new Map<string, (trigger: JobTrigger, attempt: number) => number>();
  let holding = false;
  let held: Array<() => void> = [];

  const waitForRelease = () => new Promise<void>((resolve) => held.push(resolve));

  async function handleDelivery(request: Request, topic: string, arrivedAt: number): Promise<Response> {
    const rawBody = await request.text();
    const event = parseJson(rawBody) as CloudEventLike;
    const eventId = typeof event?.id === "string" ? event.id : "";
    const attempt = deliveries.filter((d) => d.topic === topic && d.event?.id === eventId).length + 1;
    const partial = { topic, headers: headersOf(request), event, rawBody, arrivedAt, attempt };
    const reply = holding ? "HANG" : (topicScripts.get(topic)?.(partial) ?? scriptedReply(event, attempt));
    deliveries.push({ ...partial, reply });

    const data = (event?.data ?? {}) as ScriptedData;
    if (typeof data.delayMs === "number" && data.delayMs > 0) await Bun.sleep(data.delayMs);
    if (reply === "HANG") {
      await waitForRelease();
      return Response.json({ status: "SUCCESS" });
    }
    return replyResponse(reply);
  }

  async function handleJob(request: Request, name: string, arrivedAt: number): Promise<Response> {
    const rawBody = await request.text();
    const trigger: JobTrigger = { name, headers: headersOf(request), body: parseJson(rawBody), rawBody, arrivedAt };
    jobTriggers.push(trigger);
    const attempt = jobTriggers.filter((t) => t.name === name).length;
    const status = jobScripts.get(name)?.(trigger, attempt) ?? 200;
    return new Response(status === 200 ? "" : `scripted ${status}`, { status });
  }

  async function handleEcho(request: Request, url: URL): Promise<Response> {
    const body = await request.text();
    const status = Number(request.headers.get("x-echo-status") ?? "200");
    return Response.json(
      {
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: headersOf(request),
        body,
      },
      { status, headers: { "x-echo-reply": "yes" } },
    );
  }

  const server: Server<undefined> = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    // Held deliveries can outlast Bun's default 10 s idle timeout.
    idleTimeout: 0,
    fetch: async (request) => {
      const arrivedAt = Date.now();
      const url = new URL(request.url);
      const path = url.pathname;
      const topic = request.method === "POST" ? topicByRoute.get(path) : undefined;
      if (topic !== undefined) return handleDelivery(request, topic, arrivedAt);
      if (request.method === "POST" && path.startsWith("/job/")) {
        return handleJob(request, decodeURIComponent(path.slice("/job/".length)), arrivedAt);
      }
      calls.push({ method: request.method, path, headers: headersOf(request), arrivedAt });
      if (path === "/dapr/subscribe" && request.method === "GET") return Response.json(subscriptions);
      if (path === "/echo" || path.startsWith("/echo/")) return handleEcho(request, url);
      return new Response("not found", { status: 404 });
    },
  });

  const port = server.port ?? 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    subscriptions,
    deliveries,
    jobTriggers,
    calls,
    deliveriesOf: (topic) => deliveries.filter((d) => d.topic === topic),
    deliveriesOfEvent: (topic, eventId) => deliveries.filter((d) => d.topic === topic && d.event?.id === eventId),
    triggersOf: (jobName) => jobTriggers.filter((t) => t.name === jobName),
    scriptTopic: (topic, script) => void topicScripts.set(topic, script),
    scriptJob: (jobName, status) => void jobScripts.set(jobName, status),
    holdDeliveries: () => {
      holding = true;
    },
    releaseDeliveries: () => {
      holding = false;
      const waiting = held;
      held = [];
      for (const resolve of waiting) resolve();
    },
    get heldCount() {
      return held.length;
    },
    stop: async () => {
      holding = false;
      for (const resolve of held) resolve();
      held = [];
      await server.stop(true);
    },
  };
}

function scriptedReply(event: CloudEventLike | undefined, attempt: number): Reply {
  const script = (event?.data as ScriptedData | undefined)?.script;
  if (!Array.isArray(script) || script.length === 0) return "SUCCESS";
  return script[Math.min(attempt, script.length) - 1] ?? "SUCCESS";
}

function replyResponse(reply: Exclude<Reply, "HANG">): Response {
  switch (reply) {
    case "404":
      return new Response("no such route", { status: 404 });
    case "500":
      return new Response("scripted failure", { status: 500 });
    default:
      return Response.json({ status: reply });
  }
}

function headersOf(request: Request): Record<string, string> {
  return Object.fromEntries(request.headers);
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
