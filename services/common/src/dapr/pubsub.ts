import { defaultEntryContentType, encodeEvent } from "./publish-body.ts";
import { ensureOk, encodeSegments, expectSuccess, metadataQuery, readText, type SendToDapr } from "./transport.ts";
import type { DaprClient } from "./types.ts";

export function pubsubMethods(send: SendToDapr): Pick<DaprClient, "publish" | "bulkPublish"> {
  return {
    async publish(pubsub, topic, data, options = {}) {
      const { body, contentType } = encodeEvent(data, options.contentType);
      const query = metadataQuery(options.metadata);
      // Kafka uses it as the record key, so one task's events land on one partition in order.
      if (options.partitionKey !== undefined) query.set("metadata.partitionKey", options.partitionKey);
      const headers: Record<string, string> = { "Content-Type": contentType };
      if (options.traceparent !== undefined) headers.traceparent = options.traceparent;
      const response = await send("publish", {
        method: "POST",
        path: `/v1.0/publish/${encodeURIComponent(pubsub)}/${encodeSegments(topic)}`,
        query,
        headers,
        body,
      });
      await expectSuccess("publish", response);
    },

    async bulkPublish(pubsub, topic, entries, metadata) {
      const body = entries.map((entry) => ({
        ...entry,
        contentType: entry.contentType ?? defaultEntryContentType(entry.event),
      }));
      const response = await send("bulkPublish", {
        method: "POST",
        path: `/v1.0-alpha1/publish/bulk/${encodeURIComponent(pubsub)}/${encodeSegments(topic)}`,
        query: metadataQuery(metadata),
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.ok) return failedEntryIds(await readText("bulkPublish", response));
      // A partial (or total) broker failure is a 500 listing the entries that did not make it;
      // the caller retries just those. Anything else (bad request, unknown pubsub) is an error.
      if (response.status === 500) {
        const failed = failedEntryIds(await readText("bulkPublish", response.clone()));
        if (failed.length > 0) return failed;
      }
      await ensureOk("bulkPublish", response);
      return [];
    },
  };
}

function failedEntryIds(text: string): string[] {
  if (text.trim() === "") return [];
  try {
    const parsed = JSON.parse(text) as { failedEntries?: { entryId?: unknown }[] };
    if (!Array.isArray(parsed.failedEntries)) return [];
    return parsed.failedEntries.map((entry) => entry.entryId).filter((id): id is string => typeof id === "string");
  } catch {
    return [];
  }
}
