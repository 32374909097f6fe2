import type { Static, TObject, TProperties } from "@sinclair/typebox";
import type { Elysia } from "elysia";
import type { Database } from "./db/database.ts";
import type { ServiceDeps } from "./service-app.ts";

export type AnyElysia = Elysia<any, any, any, any, any, any, any>;

/** What the process hosting a service gives it besides its deps. */
export interface ServiceContext<S extends TProperties> {
  /** The service's own settings, read from the environment through `ServiceDescriptor.settings`. */
  settings: Static<TObject<S>>;
  /** The system database (PostgreSQL, or PGlite under `bun start`), opened once per process by the host. */
  database(): Promise<Database>;
  /** Which replica this process is: the pod name on Kubernetes, "local" under `bun start`. */
  replicaId: string;
}

/**
 * One service, as every host composes it: `runService` next to daprd, the
 * embedded host of `bun start`, and the chart checks.
 */
export interface ServiceDescriptor<S extends TProperties = TProperties> {
  appId: string;
  /** Settings this service reads in every mode (besides BaseConfig); the embedded host reads them all. */
  settings: S;
  /** Path prefixes it answers on the public port (the Ingress in the chart); everything else only through Dapr. */
  publicPaths: readonly string[];
  createApp(deps: ServiceDeps, context: ServiceContext<S>): AnyElysia | Promise<AnyElysia>;
}

/** Declares a service; the identity function keeps `settings` and `createApp` typed together. */
export function defineService<S extends TProperties>(descriptor: ServiceDescriptor<S>): ServiceDescriptor<S> {
  return descriptor;
}
