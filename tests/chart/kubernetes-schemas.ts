import type { Manifest } from "./render.ts";

/**
 * Validates a built-in Kubernetes object against the OpenAPI schema of its
 * apiVersion/kind, through the `kubernetes-models` classes (ajv). Custom
 * resources (Dapr, Strimzi) go through crd-shapes.ts instead.
 */
export async function validateKubernetesObject(manifest: Manifest): Promise<void> {
  const [group, version] = manifest.apiVersion.includes("/") ? manifest.apiVersion.split("/") : ["", manifest.apiVersion];
  const module: Record<string, unknown> = await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`).catch(() => {
    throw new Error(`${manifest.apiVersion} is not a Kubernetes API group kubernetes-models knows`);
  });
  const Model = module[manifest.kind] as (new (data: unknown) => { validate(): void }) | undefined;
  if (!Model) throw new Error(`${manifest.apiVersion} has no kind ${manifest.kind}`);
  try {
    new Model(manifest).validate();
  } catch (error) {
    throw new Error(`${manifest.kind}/${manifest.metadata.name}: ${(error as Error).message}`);
  }
}

