import { embeddedTarget } from "./lib/system.ts";
const { system } = await embeddedTarget().coldStart!();
await Bun.sleep(2000);
const text = await (await fetch(system.url + "/metrics")).text();
console.log(text.split("\n").filter((l) => /^(process_resident|nodejs_heap_size|nodejs_external|process_heap)/.test(l)).join("\n"));
console.log("rss", Math.round((system.rss() ?? 0) / 2 ** 20));
console.log(require("fs").readFileSync(`/proc/${system.pid}/status`, "utf8").split("\n").filter((l: string) => /Rss|VmHWM/.test(l)).join("\n"));
await system.stop();
process.exit(0);
