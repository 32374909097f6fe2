/** The reference HTTP server: Bun.serve with one trivial route, in its own process. Prints its port. */
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("ok") });
console.log(JSON.stringify({ port: server.port }));
process.on("SIGTERM", () => process.exit(0));
