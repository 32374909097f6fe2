import { embeddedTarget } from "./lib/system.ts";
for (let i = 0; i < 2; i++) {
  const { readyMs, system } = await embeddedTarget().coldStart!();
  await Bun.sleep(3000);
  console.log("cold", Math.round(readyMs), "idle rss MB", Math.round((system.rss() ?? 0) / 2 ** 20));
  await system.stop();
}
process.exit(0);
