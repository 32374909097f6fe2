import {
  buildEvent,
  deterministicEventId,
  RECURRENCE_GENERATED,
  RECURRING_EVENTS_TOPIC,
  type DaprClient,
  type DeliveryContext,
  type HandlerResult,
  type TypedEvent,
} from "@todo/common";
import { nextOccurrence } from "./next-occurrence.ts";
import { requestOccurrence } from "./request-occurrence.ts";

export interface TaskCompletedDeps {
  dapr: DaprClient;
  pubsub: string;
  now?: () => Date;
}

/**
 * A completed task of a series: create its next occurrence through chat-api
 * and announce it with todo.recurrence.generated.v1.
 *
 * Safe to run any number of times for the same completion (redelivery, a
 * reopened and re-completed task, a stale snapshot): chat-api fills each
 * (seriesId, occurrence) slot once, and the announcement's id is derived from
 * that slot, so consumers de-duplicate a repeated one. Deleting or
 * un-recurring a task needs nothing here: it is never completed as part of
 * the series, so no next occurrence is asked for.
 */
export function onTaskCompleted(deps: TaskCompletedDeps) {
  return async (event: TypedEvent<"todo.task.completed.v1">, { logger, traceparent }: DeliveryContext): Promise<HandlerResult> => {
    const completed = event.data.task;
    const decision = nextOccurrence(completed);
    if (decision.next === null) {
      const fields = { taskId: completed.id, seriesId: completed.seriesId, reason: decision.reason, detail: decision.detail };
      switch (decision.reason) {
        case "not-recurring":
          return;
        case "invalid-rule":
          logger.warn("cannot compute the next occurrence; dead-lettering the completion", fields);
          return "DROP";
        case "no-anchor":
          logger.warn("recurring task without a series anchor; no next occurrence", fields);
          return;
        default:
          logger.info("series ended", fields);
          return;
      }
    }

    const draft = decision.next;
    const slot = { seriesId: draft.seriesId, occurrence: draft.occurrence, previousTaskId: completed.id };
    const answer = await requestOccurrence(deps.dapr, draft, { traceparent });
    if (answer.outcome === "series-not-found") {
      logger.warn("chat-api does not know the series any more; it ends here", slot);
      return;
    }
    if (answer.outcome === "rejected") {
      logger.warn("chat-api refused the next occurrence; dead-lettering the completion", { ...slot, status: answer.status, error: answer.reason });
      return "DROP";
    }
    if (answer.task.deletedAt !== null) {
      logger.info("the next occurrence exists but was deleted; not announcing it", { ...slot, taskId: answer.task.id });
      return;
    }

    // Announced again when the slot already existed: the earlier attempt may have stopped before publishing.
    const generated = buildEvent(RECURRENCE_GENERATED, {
      source: "recurring-task",
      id: deterministicEventId(RECURRENCE_GENERATED, draft.seriesId, String(draft.occurrence)),
      time: deps.now?.(),
      traceparent,
      data: { userId: answer.task.userId, ...slot, task: answer.task },
    });
    await deps.dapr.publish(deps.pubsub, RECURRING_EVENTS_TOPIC, generated, { partitionKey: answer.task.id, traceparent });
    logger.info(answer.outcome === "created" ? "next occurrence created" : "next occurrence already existed; announced again", {
      ...slot,
      taskId: answer.task.id,
      dueAt: answer.task.dueAt,
    });
  };
}
