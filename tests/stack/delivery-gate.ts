/**
 * A pass-through HTTP proxy between a daprd and its app (the stack puts one
 * in front of audit): `POST /__gate/slow {"forMs": 30000}` makes the app
 * answer pub/sub deliveries slowly for that long. A delivery is forwarded at
 * once (the app does its work), but its answer is held until the slow
 * window ends, so daprd sees a consumer that holds each partition up to the
 * window's length. Health checks, job triggers and everything else pass
 * straight through. Run as a process: GATE_PORT, GATE_TARGET (the app's URL).
 */
const port = Number(process.env.GATE_PORT);
const target = process.env.GATE_TARGET;
if (!Number.isInteger(port) || !target) throw new Error("delivery-gate needs GATE_PORT and GATE_TARGET");

const DELIVERY_PATH = /^\/events\//;
let slowUntil = 0;
let held = 0;

const json = (body: unknown, status = 200) => Response.json(body, { status });

async function forward(request: Request, url: URL): Promise<Response> {
  const upstream = new URL(url.pathname + url.search, target);
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  const headers = new Headers(request.headers);
  headers.delete("host");
  try {
    const answer = await fetch(upstream, { method: request.method, headers, body, redirect: "manual" });
    const answerHeaders = new Headers(answer.headers);
    // The body is read (and decoded) here: its length and encoding are the new Response's own.
    answerHeaders.delete("content-length");
    answerHeaders.delete("content-encoding");
    return new Response(await answer.arrayBuffer(), { status: answer.status, headers: answerHeaders });
  } catch (error) {
    return json({ error: `the app did not answer: ${(error as Error).message}` }, 502);
  }
}

Bun.serve({
  hostname: "127.0.0.1",
  port,
  // A held answer may wait the whole window; Bun's default idle timeout is 10 s.
  idleTimeout: 0,
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/__gate/slow" && request.method === "POST") {
      const { forMs } = (await request.json()) as { forMs?: unknown };
      if (typeof forMs !== "number" || !(forMs >= 0 && forMs <= 600_000)) return json({ error: "forMs: 0-600000" }, 400);
      slowUntil = Date.now() + forMs;
      return json({ slowUntil: new Date(slowUntil).toISOString() });
    }
    if (url.pathname === "/__gate" && request.method === "GET") return json({ slowUntil: new Date(slowUntil).toISOString(), held });
    const answer = await forward(request, url);
    const wait = slowUntil - Date.now();
    if (DELIVERY_PATH.test(url.pathname) && wait > 0) {
      held++;
      await Bun.sleep(wait);
    }
    return answer;
  },
});
console.log(JSON.stringify({ msg: "delivery gate ready", port, target }));
