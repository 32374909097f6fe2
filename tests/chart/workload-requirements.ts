import type { Manifest } from "./render.ts";

/** Annotations every service with a sidecar carries (docs.dapr.io/reference/arguments-annotations-overview). */
export const REQUIRED_DAPR_ANNOTATIONS = [
  "dapr.io/enabled",
  "dapr.io/app-id",
  "dapr.io/app-port",
  "dapr.io/config",
  "dapr.io/log-level",
  "dapr.io/sidecar-cpu-request",
  "dapr.io/sidecar-cpu-limit",
  "dapr.io/sidecar-memory-request",
  "dapr.io/sidecar-memory-limit",
  "dapr.io/app-token-secret",
];

/**
 * What a workload of the chart lacks: probes on /healthz and /readyz (for
 * services), requests and limits, the hardened security contexts and a
 * writable /tmp only. Empty when it has everything.
 */
export function workloadProblems(workload: Manifest, options: { service: boolean; dapr: boolean }): string[] {
  const problems: string[] = [];
  const pod = workload.spec?.template?.spec ?? workload.spec;
  const annotations: Record<string, string> = workload.spec?.template?.metadata?.annotations ?? workload.metadata.annotations ?? {};
  const podSecurity = pod?.securityContext ?? {};
  if (podSecurity.runAsNonRoot !== true) problems.push("pod securityContext.runAsNonRoot is not true");
  if (podSecurity.seccompProfile?.type !== "RuntimeDefault") problems.push("pod seccompProfile is not RuntimeDefault");
  for (const container of pod?.containers ?? []) {
    const where = `container ${container.name}`;
    const security = container.securityContext ?? {};
    if (security.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
    if (security.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
    if (!(security.capabilities?.drop ?? []).includes("ALL")) problems.push(`${where}: capabilities do not drop ALL`);
    for (const bound of ["requests", "limits"]) {
      for (const resource of ["cpu", "memory"]) {
        if (!container.resources?.[bound]?.[resource]) problems.push(`${where}: no ${bound}.${resource}`);
      }
    }
    if (options.service) {
      if (container.livenessProbe?.httpGet?.path !== "/healthz") problems.push(`${where}: livenessProbe is not GET /healthz`);
      if (container.readinessProbe?.httpGet?.path !== "/readyz") problems.push(`${where}: readinessProbe is not GET /readyz`);
      const tmp = (container.volumeMounts ?? []).find((mount: { mountPath: string }) => mount.mountPath === "/tmp");
      const volume = tmp && (pod.volumes ?? []).find((candidate: { name: string }) => candidate.name === tmp.name);
      if (!volume?.emptyDir) problems.push(`${where}: /tmp is not an emptyDir`);
    }
  }
  if (options.dapr) {
    for (const key of REQUIRED_DAPR_ANNOTATIONS) if (!annotations[key]) problems.push(`no ${key} annotation`);
    if (annotations["dapr.io/enabled"] !== undefined && annotations["dapr.io/enabled"] !== "true") problems.push("dapr.io/enabled is not \"true\"");
  }
  return problems;
}
