/** bun run stack:up: starts the real stack and prints where everything is. */
import { SERVICES, servicePorts } from "./layout.ts";
import { startStack } from "./stack.ts";

const state = await startStack();
console.log(`state dir   ${state.dir} (stack.json lists every process, its pid and log)`);
for (const record of state.processes) console.log(`${record.name.padEnd(22)} pid ${String(record.pid).padEnd(8)} ${record.log}`);
console.log(`chat-api    ${state.urls["chat-api"]}  (REST /api, /mcp)`);
console.log(`audit       ${state.urls.audit}  (/api/audit, admin token in ${state.dir}/secrets.json)`);
console.log(`websocket   ${state.urls.websocket.replace("http", "ws")}/ws`);
for (const service of SERVICES) console.log(`daprd ${service.padEnd(15)} http://127.0.0.1:${servicePorts(service).daprHttp} (dapr-api-token in stack.json)`);
