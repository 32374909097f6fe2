/** Closed-loop HTTP load: `concurrency` requests in flight against one URL for a while; answers the count. */
import { serveWorker } from "../lib/worker-rpc.ts";

serveWorker<{ url: string }>((config) => ({
  async run(args: { concurrency: number; durationMs: number }) {
    const end = performance.now() + args.durationMs;
    let ok = 0;
    let failed = 0;
    const lane = async () => {
      while (performance.now() < end) {
        const response = await fetch(config.url).catch(() => undefined);
        if (response?.ok) {
          await response.arrayBuffer();
          ok += 1;
        } else failed += 1;
      }
    };
    await Promise.all(Array.from({ length: args.concurrency }, lane));
    return { ok, failed };
  },
}));
