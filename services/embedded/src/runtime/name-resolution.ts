import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AppChannel } from "./app-channel.ts";
import { isProcessAlive } from "./process-alive.ts";

/**
 * Local name resolution between standalone sidecars (sidecar-main), the
 * stand-in for daprd's mDNS in self-hosted mode: each sidecar writes its
 * address to a per-user directory, and a caller whose app is not hosted
 * locally forwards the invocation to the callee's sidecar, which calls its
 * own app (adding its APP_API_TOKEN), as daprd sidecars do between them.
 * The sidecar-to-sidecar hop carries a per-process internal token instead of
 * the public DAPR_API_TOKEN, readable only by the same user (files 0600).
 */
export interface SidecarAddress {
  appId: string;
  /** The sidecar's HTTP API, e.g. http://127.0.0.1:3500 */
  url: string;
  pid: number;
  internalToken: string;
}

export interface NameRegistry {
  register(address: SidecarAddress): void;
  /** Removes the entry if it is still this process's own. */
  unregister(appId: string): void;
  /** Undefined when no live sidecar serves the app id. */
  resolve(appId: string): SidecarAddress | undefined;
}

/** Header of the sidecar-to-sidecar hop. */
export const internalTokenHeader = "dapr-internal-token";

export function defaultRegistryDir(): string {
  return join(tmpdir(), `dapr-embedded-names-${process.getuid?.() ?? "user"}`);
}

export function localNameRegistry(dir: string): NameRegistry {
  const fileOf = (appId: string) => join(dir, `${encodeURIComponent(appId)}.json`);
  const read = (appId: string): SidecarAddress | undefined => {
    try {
      return JSON.parse(readFileSync(fileOf(appId), "utf8")) as SidecarAddress;
    } catch {
      return undefined;
    }
  };
  return {
    register(address) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(fileOf(address.appId), JSON.stringify(address), { mode: 0o600 });
    },
    unregister(appId) {
      if (read(appId)?.pid === process.pid) rmSync(fileOf(appId), { force: true });
    },
    resolve(appId) {
      const address = read(appId);
      // An entry left behind by a killed sidecar names a dead process.
      return address && isProcessAlive(address.pid) ? address : undefined;
    },
  };
}

/** Reaches an app through its own sidecar. `path` is the method path with its query. */
export function remoteSidecarChannel(address: SidecarAddress): AppChannel {
  return {
    appId: address.appId,
    call: (path, init) => {
      const headers = new Headers(init?.headers);
      headers.set(internalTokenHeader, address.internalToken);
      return fetch(`${address.url}/v1.0/invoke/${encodeURIComponent(address.appId)}/method${path}`, { ...init, headers });
    },
  };
}
