import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSiteHandler } from "./site.ts";
import { createSiteServer } from "./site-server.ts";

/** A built site as Astro lays it out: pages, a 404 page and hashed assets. */
let dist: string;
beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), "site-dist-"));
  mkdirSync(join(dist, "_astro"));
  mkdirSync(join(dist, "about"));
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>board</title>");
  writeFileSync(join(dist, "about", "index.html"), "<!doctype html><title>about</title>");
  writeFileSync(join(dist, "404.html"), "<!doctype html><title>missing</title>");
  writeFileSync(join(dist, "_astro", "Board.abc123.js"), "export const x = 1;");
  writeFileSync(join(dist, "_astro", "Page.abc123.css"), "body{}");
  writeFileSync(join(dist, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const get = (handler: (request: Request) => Promise<Response>, path: string, method = "GET") =>
  handler(new Request(`http://site.local${path}`, { method }));

describe("site handler", () => {
  test("pages are HTML revalidated on every visit; folders serve their index.html", async () => {
    const site = createSiteHandler(dist);
    for (const path of ["/", "/about", "/about/"]) {
      const response = await get(site, path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html;charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("no-cache");
    }
    expect(await (await get(site, "/about")).text()).toContain("about");
  });

  test("hashed assets are cached for a year with their own content types", async () => {
    const site = createSiteHandler(dist);
    const script = await get(site, "/_astro/Board.abc123.js");
    expect(script.headers.get("content-type")).toStartWith("text/javascript");
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await get(site, "/_astro/Page.abc123.css")).headers.get("content-type")).toStartWith("text/css");
    expect((await get(site, "/favicon.svg")).headers.get("content-type")).toStartWith("image/svg+xml");
  });

  test("unknown paths get the site's 404 page with status 404", async () => {
    const response = await get(createSiteHandler(dist), "/no/such/page");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("missing");
  });

  test("never serves files outside the site folder, and only reads", async () => {
    const site = createSiteHandler(join(dist, "about"));
    // Encoded slashes survive URL parsing and decode to "../": refused.
    for (const path of ["/..%2Findex.html", "/%2e%2e%2Findex.html", "/..%2F..%2Fetc%2Fpasswd"]) {
      const response = await get(site, path);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("board");
    }
    // A plain "/../" is resolved by the URL itself, inside the site.
    expect(await (await get(site, "/../index.html")).text()).toContain("about");
    expect((await get(site, "/%E0%A4%A")).status).toBe(400);
    expect((await get(createSiteHandler(dist), "/", "POST")).status).toBe(405);
  });

  test("without a build, a status page says how to build the site", async () => {
    const response = await get(createSiteHandler(join(dist, "missing")), "/");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("bun run build:site");
  });
});

describe("site server (the site container)", () => {
  test("has probes: ready only once the build is there", async () => {
    expect((await get(createSiteServer(dist), "/healthz")).status).toBe(200);
    expect((await get(createSiteServer(dist), "/readyz")).status).toBe(200);
    const empty = createSiteServer(join(dist, "missing"));
    expect((await get(empty, "/healthz")).status).toBe(200);
    expect((await get(empty, "/readyz")).status).toBe(503);
    expect((await get(createSiteServer(dist), "/")).status).toBe(200);
  });

  test("site-main serves SITE_DIR on PORT and stops on SIGTERM", async () => {
    const child = Bun.spawn(["bun", join(import.meta.dir, "site-main.ts")], {
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", SITE_DIR: dist, LOG_LEVEL: "info" },
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      const url = await readyUrl(child.stdout);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("board");
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      child.kill("SIGTERM");
      expect(await child.exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

/** The "ready" log line carries the URL (PORT=0 picks a free port). */
async function readyUrl(stdout: ReadableStream<Uint8Array>): Promise<string> {
  let output = "";
  const reader = stdout.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    output += new TextDecoder().decode(value);
    const ready = output.split("\n").find((line) => line.includes('"msg":"ready"'));
    if (ready) {
      reader.releaseLock();
      return JSON.parse(ready).url;
    }
  }
  throw new Error(`site-main exited before ready:\n${output}`);
}
