/**
 * One self-hosted daprd: the command line for an app, and its readiness
 * (GET /v1.0/healthz answers 204 once components and the app channel are up).
 */
import { PORTS, REPO_ROOT } from "./layout.ts";
import type { ProcessSpec } from "./processes.ts";

export interface DaprdOptions {
  daprd: string;
  appId: string;
  appPort: number;
  httpPort: number;
  grpcPort: number;
  internalGrpcPort: number;
  metricsPort: number;
  resourcesDir: string;
  configFile?: string;
  daprApiToken?: string;
  appApiToken?: string;
  /** Health-check the app at /healthz (our services have it; the conformance test app does not). */
  appHealthCheck?: boolean;
  log: string;
  logLevel?: string;
}

export function daprdSpec(options: DaprdOptions): ProcessSpec {
  const argv = [
    options.daprd,
    "--app-id",
    options.appId,
    "--app-port",
    String(options.appPort),
    "--dapr-http-port",
    String(options.httpPort),
    "--dapr-grpc-port",
    String(options.grpcPort),
    "--dapr-internal-grpc-port",
    String(options.internalGrpcPort),
    "--dapr-listen-addresses",
    "127.0.0.1",
    "--metrics-port",
    String(options.metricsPort),
    "--metrics-listen-address",
    "127.0.0.1",
    "--resources-path",
    options.resourcesDir,
    "--scheduler-host-address",
    `127.0.0.1:${PORTS.scheduler}`,
    "--log-level",
    options.logLevel ?? "info",
  ];
  if (options.configFile) argv.push("--config", options.configFile);
  if (options.appHealthCheck) argv.push("--enable-app-health-check", "--app-health-check-path", "/healthz");
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root" };
  if (options.daprApiToken) env.DAPR_API_TOKEN = options.daprApiToken;
  if (options.appApiToken) env.APP_API_TOKEN = options.appApiToken;
  return { name: `daprd-${options.appId}`, argv, env, cwd: REPO_ROOT, log: options.log };
}

export async function daprdHealthy(httpPort: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${httpPort}/v1.0/healthz`).catch(() => undefined);
  return response?.status === 204;
}
