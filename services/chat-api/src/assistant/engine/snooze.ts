import type { ConversationMemory, PlannedCall, TaskSummary, TurnContext } from "../types.ts";
import { findDate } from "./dates.ts";
import { resolveTasks } from "./references.ts";
import { instantAt, wallClock } from "./zone-time.ts";

/** What "snooze …" plans: the reminder move, or why it cannot. */
export type SnoozePlan = { calls: PlannedCall[] } | { reply: "nothingToSnooze" } | { reply: "notFound"; phrase: string };

const SNOOZE = /^(?:please )?snooze(?: (.+?))?(?: (?:for|until|till|to|by) (.+))?$/i;
const DURATION = /^(an?|\d+) ?(min(?:ute)?s?|hours?|hrs?|h)$/i;

/**
 * "snooze it", "snooze that for an hour", "snooze Stretch until tomorrow":
 * moves a reminder later (set_reminder, so the notification service
 * reschedules it and the change is audited). "it" is the task whose reminder
 * went off last, as a user says it right after the toast; otherwise what the
 * conversation last touched. Ten minutes unless said otherwise.
 */
export function planSnooze(english: string, context: TurnContext, memory: ConversationMemory): SnoozePlan | undefined {
  const match = SNOOZE.exec(english);
  if (!match) return undefined;
  const phrase = (match[1] ?? "it").replace(/^(?:the )?reminder (?:for|of|on|about) /i, "");
  const remindAt = snoozedUntil(match[2], context);
  if (!remindAt) return undefined;

  const isReference = /^(?:it|that|this|that one|this one|the reminder|my reminder)$/i.test(phrase);
  const fired = lastFired(context);
  if (isReference && fired) return { calls: [{ tool: "set_reminder", input: { id: fired.id, remindAt } }] };
  const resolved = resolveTasks(isReference ? "it" : phrase, memory, context.tasks);
  if (resolved.kind === "tasks") return { calls: resolved.ids.map((id) => ({ tool: "set_reminder", input: { id, remindAt } })) };
  return isReference ? { reply: "nothingToSnooze" } : { reply: "notFound", phrase };
}

/** The pending task whose reminder time passed most recently. */
function lastFired(context: TurnContext): TaskSummary | undefined {
  const now = context.now.getTime();
  return context.tasks
    .filter((task) => task.status === "pending" && task.remindAt && Date.parse(task.remindAt) <= now)
    .sort((a, b) => Date.parse(b.remindAt!) - Date.parse(a.remindAt!))[0];
}

function snoozedUntil(text: string | undefined, context: TurnContext): string | undefined {
  const now = context.now;
  if (!text) return new Date(now.getTime() + 10 * 60_000).toISOString();
  const duration = DURATION.exec(text.trim());
  if (duration) {
    const amount = /^an?$/i.test(duration[1]!) ? 1 : Number(duration[1]);
    const minutes = /^h/i.test(duration[2]!) ? amount * 60 : amount;
    return new Date(now.getTime() + minutes * 60_000).toISOString();
  }
  if (/^tomorrow(?: morning)?$/i.test(text.trim())) {
    const today = wallClock(now, context.timeZone);
    return instantAt(context.timeZone, today.year, today.month, today.day + 1, 9, 0).toISOString();
  }
  return findDate(text, now, context.timeZone)?.iso;
}
