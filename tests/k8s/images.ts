#!/usr/bin/env bun
/**
 * Container images without a registry or Docker: a root file system written
 * as a docker-archive tar and imported into the cluster's containerd.
 *
 *   bun tests/k8s/images.ts base --containerd SOCK --dapr DIR
 *       the pause image and Dapr's control plane + daprd images
 *   bun tests/k8s/images.ts app --containerd SOCK --bin dist/bin --tag TAG
 *       one image per program of scripts/binaries.ts
 *
 * What goes into an app image is read from the Dockerfile's final stage
 * (WORKDIR, COPY, USER, ENV, EXPOSE, ENTRYPOINT): the Dockerfile is the one
 * definition, this file only fills the distroless base the way
 * gcr.io/distroless/base-debian12:nonroot does (glibc, CA bundle, user 65532).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { binaries } from "../../scripts/binaries.ts";

export const REGISTRY = "registry.local";
const REPO_ROOT = join(import.meta.dir, "../..");
export const DAPR_IMAGES = ["operator", "injector", "sentry", "placement", "scheduler", "daprd"] as const;
const NONROOT = 65532;

export interface ImageConfig {
  workdir?: string;
  user?: string;
  env: string[];
  entrypoint: string[];
  exposedPorts: string[];
}

/** A runtime stage of the Dockerfile: its COPY sources and the image config it sets. */
export interface RuntimeStage {
  copies: { from: string; to: string }[];
  config: ImageConfig;
}

/** Reads the Dockerfile's last stage, with ${SERVICE} substituted. */
export function runtimeStage(dockerfile: string, service: string): RuntimeStage {
  const lines = dockerfile.replace(/\\\n/g, " ").split("\n").map((line) => line.trim());
  const lastFrom = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  const stage: RuntimeStage = { copies: [], config: { env: [], entrypoint: [], exposedPorts: [] } };
  for (const line of lines.slice(lastFrom + 1)) {
    const [instruction = "", ...rest] = line.replaceAll("${SERVICE}", service).split(/\s+/);
    const args = rest.join(" ");
    switch (instruction.toUpperCase()) {
      case "WORKDIR":
        stage.config.workdir = args;
        break;
      case "USER":
        stage.config.user = args;
        break;
      case "ENV":
        stage.config.env.push(...rest);
        break;
      case "EXPOSE":
        stage.config.exposedPorts.push(...rest.map((port) => (port.includes("/") ? port : `${port}/tcp`)));
        break;
      case "ENTRYPOINT":
        stage.config.entrypoint = JSON.parse(args);
        break;
      case "COPY": {
        const paths = rest.filter((part) => !part.startsWith("--"));
        stage.copies.push({ from: paths[0]!, to: paths[1]! });
        break;
      }
    }
  }
  return stage;
}

async function run(argv: string[]): Promise<string> {
  const proc = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${argv.join(" ")} failed (${code}): ${err}${out}`);
  return out;
}

/** The distroless base: user nonroot, /tmp, CA bundle, and the shared libraries `binary` needs (if dynamic). */
async function writeBase(root: string, binary?: string): Promise<void> {
  for (const dir of ["etc/ssl/certs", "tmp", "home/nonroot"]) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, "etc/passwd"), `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin\n`);
  writeFileSync(join(root, "etc/group"), `root:x:0:\nnonroot:x:${NONROOT}:\n`);
  writeFileSync(join(root, "etc/nsswitch.conf"), "hosts: files dns\n");
  copyFileSync("/etc/ssl/certs/ca-certificates.crt", join(root, "etc/ssl/certs/ca-certificates.crt"));
  if (!binary) return;
  const ldd = await run(["ldd", binary]).catch(() => "");
  for (const match of ldd.matchAll(/(\/\S+)\s+\(0x/g)) {
    const lib = match[1]!;
    mkdirSync(join(root, dirname(lib)), { recursive: true });
    copyFileSync(lib, join(root, lib));
  }
}

/** Writes `root` as a one-layer docker-archive and imports it as `name`. */
async function importImage(containerd: string, name: string, root: string, config: ImageConfig): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "k8s-image-"));
  try {
    await run(["tar", "--numeric-owner", "--owner=0", "--group=0", "--sort=name", "--mtime=@0", "-C", root, "-cf", join(work, "layer.tar"), "."]);
    const layerDigest = new Bun.CryptoHasher("sha256").update(readFileSync(join(work, "layer.tar"))).digest("hex");
    const imageConfig = {
      architecture: "amd64",
      os: "linux",
      config: {
        User: config.user,
        Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ...config.env],
        Entrypoint: config.entrypoint,
        WorkingDir: config.workdir,
        ExposedPorts: Object.fromEntries(config.exposedPorts.map((port) => [port, {}])),
      },
      rootfs: { type: "layers", diff_ids: [`sha256:${layerDigest}`] },
    };
    writeFileSync(join(work, "config.json"), JSON.stringify(imageConfig));
    writeFileSync(join(work, "manifest.json"), JSON.stringify([{ Config: "config.json", RepoTags: [name], Layers: ["layer.tar"] }]));
    await run(["tar", "-C", work, "-cf", join(work, "image.tar"), "manifest.json", "config.json", "layer.tar"]);
    await run(["ctr", "--address", containerd, "-n", "k8s.io", "images", "import", "--no-unpack=false", join(work, "image.tar")]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** /tmp and the home dir belong to nonroot, as in distroless. */
async function tarRootOwnedByNonroot(root: string): Promise<void> {
  await run(["chown", "-R", `${NONROOT}:${NONROOT}`, join(root, "tmp"), join(root, "home/nonroot")]);
  await run(["chmod", "1777", join(root, "tmp")]);
}

const PAUSE_C = `#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static void reap(int s) { (void)s; while (waitpid(-1, 0, WNOHANG) > 0) {} }
static void quit(int s) { (void)s; _exit(0); }
int main(void) {
  signal(SIGINT, quit); signal(SIGTERM, quit); signal(SIGCHLD, reap);
  for (;;) pause();
}
`;

export async function importBaseImages(containerd: string, daprDir: string, daprTag: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "k8s-base-"));
  try {
    // The sandbox ("pause") image: holds the pod's namespaces, reaps zombies.
    const pause = join(work, "pause");
    mkdirSync(pause);
    writeFileSync(join(work, "pause.c"), PAUSE_C);
    await run(["gcc", "-static", "-Os", "-o", join(pause, "pause"), join(work, "pause.c")]);
    await importImage(containerd, `${REGISTRY}/pause:1`, pause, { env: [], entrypoint: ["/pause"], exposedPorts: [], user: "65535" });
    // Dapr's binaries are static (CGO_ENABLED=0); its images keep them at /<name>.
    await Promise.all(
      DAPR_IMAGES.map(async (name) => {
        const root = join(work, name);
        await writeBase(root);
        copyFileSync(join(daprDir, name), join(root, name));
        await tarRootOwnedByNonroot(root);
        await importImage(containerd, `${REGISTRY}/dapr/${name}:${daprTag}`, root, { env: [], entrypoint: [`/${name}`], exposedPorts: [], user: `${NONROOT}:${NONROOT}` });
      }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One image per program, `registry.local/todo/<name>:<tag>`, from `bun run build:binaries` output in `binDir`. */
export async function importAppImages(containerd: string, binDir: string, tag: string): Promise<string[]> {
  const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
  const work = mkdtempSync(join(tmpdir(), "k8s-app-"));
  try {
    const names = binaries.map((binary) => binary.name);
    const one = async (name: string) => {
      const root = join(work, name);
      const program = join(binDir, name);
      if (!existsSync(program)) throw new Error(`${program} is missing: run bun run build:binaries first`);
      await writeBase(root, program);
      for (const copy of runtimeStage(dockerfile, name).copies) {
        const target = join(root, copy.to);
        if (copy.from === `/out/${name}`) {
          mkdirSync(dirname(target), { recursive: true });
          copyFileSync(program, target);
        } else if (copy.from === "/out/site-dist") {
          // The builder stage puts the built site there for the site image, an empty dir for the rest.
          mkdirSync(target, { recursive: true });
          if (name === "site") cpSync(join(REPO_ROOT, "site/dist"), target, { recursive: true });
        } else {
          throw new Error(`Dockerfile copies ${copy.from}, which tests/k8s/images.ts does not know how to fill`);
        }
      }
      await tarRootOwnedByNonroot(root);
      await importImage(containerd, `${REGISTRY}/todo/${name}:${tag}`, root, runtimeStage(dockerfile, name).config);
    };
    // Two at a time: each is mostly disk and one core (tar, unpack).
    const queue = [...names];
    await Promise.all([0, 1].map(async () => {
      for (let name = queue.shift(); name; name = queue.shift()) await one(name);
    }));
    return names;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Bun.argv.slice(2),
    options: {
      containerd: { type: "string" },
      dapr: { type: "string" },
      "dapr-tag": { type: "string", default: "1.18.2" },
      bin: { type: "string", default: join(REPO_ROOT, "dist/bin") },
      tag: { type: "string", default: "local" },
    },
    allowPositionals: true,
  });
  const started = performance.now();
  if (!values.containerd) throw new Error("--containerd SOCK is required");
  if (positionals[0] === "base") await importBaseImages(values.containerd, values.dapr!, values["dapr-tag"]!);
  else if (positionals[0] === "app") await importAppImages(values.containerd, values.bin!, values.tag!);
  else throw new Error("usage: images.ts base|app ...");
  console.error(`images: ${positionals[0]} imported in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
