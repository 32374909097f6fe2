import { isJobNotFound } from "./errors.ts";
import { ensureOk, expectSuccess, readJson, type SendToDapr } from "./transport.ts";
import type { DaprClient, Job, JobSpec } from "./types.ts";

type JobMethods = Pick<DaprClient, "scheduleJob" | "getJob" | "deleteJob">;

export function jobMethods(send: SendToDapr): JobMethods {
  const jobPath = (name: string) => `/v1.0-alpha1/jobs/${encodeURIComponent(name)}`;

  return {
    async scheduleJob(name, spec) {
      // The name belongs in the URL only; daprd answers 400 when the body carries it too.
      const { name: _ignored, ...body } = spec as JobSpec & { name?: string };
      const response = await send("scheduleJob", {
        method: "POST",
        path: jobPath(name),
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      await expectSuccess("scheduleJob", response);
    },

    async getJob(name) {
      try {
        const response = await ensureOk("getJob", await send("getJob", { method: "GET", path: jobPath(name) }));
        const job = await readJson<Record<string, unknown>>("getJob", response);
        const unwrapped = "data" in job ? { data: unwrapProtobufValue(job.data) } : {};
        return { ...job, name: typeof job.name === "string" ? job.name : name, ...unwrapped } as Job;
      } catch (error) {
        if (isJobNotFound(error)) return undefined;
        throw error;
      }
    },

    async deleteJob(name) {
      try {
        await expectSuccess("deleteJob", await send("deleteJob", { method: "DELETE", path: jobPath(name) }));
      } catch (error) {
        // A one-shot job removes itself after firing; deleting it afterwards is not a failure.
        if (!isJobNotFound(error)) throw error;
      }
    },
  };
}

/** daprd returns job data as a protobuf Any: {"@type": "...google.protobuf.Value", "value": X}. */
function unwrapProtobufValue(data: unknown): unknown {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return data;
  const any = data as Record<string, unknown>;
  return typeof any["@type"] === "string" && "value" in any ? any.value : data;
}
