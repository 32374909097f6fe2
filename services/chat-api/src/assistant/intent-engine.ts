import { findDate } from "./engine/dates.ts";
import { findRecurrence, firstOccurrence } from "./engine/recurrence-phrases.ts";
import { resolveTasks } from "./engine/references.ts";
import { REPLIES } from "./engine/replies.ts";
import { planSnooze } from "./engine/snooze.ts";
import { cleanTitle, findPriority, findTags } from "./engine/slots.ts";
import { isUrdu, urduToEnglish } from "./engine/urdu.ts";
import { formatWhen, instantAt, wallClock } from "./engine/zone-time.ts";
import type { ConversationMemory, Language, PlannedCall, TaskSummary, ToolName, ToolResult, TurnContext, TurnPlan } from "./types.ts";

export const MAX_MESSAGE_LENGTH = 4000;

/**
 * The deterministic agent's brain: one message (plus what earlier turns
 * referred to) in, the tool calls to make out. Pure: no I/O, the clock and the
 * user's tasks come in through the context. Urdu is rewritten into the English
 * command it means first, so both languages share one grammar.
 */
export function planTurn(message: string, context: TurnContext): TurnPlan {
  const trimmed = message.trim();
  const language: Language = isUrdu(trimmed) ? "ur" : "en";
  const memory = context.memory ?? {};
  const kept: ConversationMemory = { listed: memory.listed, touched: memory.touched };
  const answer = (reply: string, next: ConversationMemory = kept): TurnPlan => ({ language, calls: [], reply, memory: next });
  if (trimmed === "") return answer(REPLIES.empty[language]);
  if (message.length > MAX_MESSAGE_LENGTH) return answer(REPLIES.tooLong[language]);

  const english = (language === "ur" ? urduToEnglish(trimmed) : trimmed).replace(/\s+/g, " ").replace(/[.!]+$/, "").trim();
  const lower = english.toLowerCase();
  const act = (calls: PlannedCall[]): TurnPlan => ({ language, calls, memory: kept });

  if (memory.pending) {
    const pending = memory.pending;
    if (/^(?:yes|y|yeah|yep|sure|ok|okay|confirm|do it|go ahead|yes please)$/.test(lower)) {
      if (pending.kind === "confirm") return act(pending.calls);
    }
    if (/^(?:no|n|nope|cancel|stop|never ?mind|don't|do not)$/.test(lower)) return answer(REPLIES.cancelled[language]);
    if (pending.kind === "clarify") {
      const candidates = pending.candidates.map((id) => context.tasks.find((task) => task.id === id)).filter((task) => task !== undefined);
      const picked = resolveTasks(stripReferenceWords(lower), { listed: pending.candidates }, candidates);
      if (picked.kind === "tasks") {
        return act(picked.ids.flatMap((id) => pending.calls.map((call) => ({ tool: call.tool, input: { ...call.input, id } }))));
      }
    }
  }

  const slotsOf = (text: string) => extractSlots(text, context);
  const onTasks = (phrase: string, tool: ToolName, extra: Record<string, unknown> = {}, prefer: "pending" | "completed" = "pending"): TurnPlan => {
    const resolved = resolveTasks(stripReferenceWords(phrase), memory, context.tasks, prefer);
    if (resolved.kind === "tasks") return act(resolved.ids.map((id) => ({ tool, input: { id, ...extra } })));
    if (resolved.kind === "none") return answer(REPLIES.notFound[language](resolved.phrase));
    const ids = resolved.candidates.map((task) => task.id);
    const lines = resolved.candidates.map((task, index) => `${index + 1}. ${task.title}${describeDue(task, context, language)}`);
    return answer([REPLIES.which[language], ...lines].join("\n"), {
      listed: ids,
      touched: memory.touched,
      pending: { kind: "clarify", calls: [{ tool, input: { id: "?", ...extra } }], candidates: ids, language },
    });
  };
  let match: RegExpExecArray | null;

  if (/^(?:help|\?|what can you do|how does this work|commands|menu)\b/.test(lower)) return answer(REPLIES.help[language]);

  const snooze = planSnooze(english, context, memory);
  if (snooze) {
    if ("calls" in snooze) return act(snooze.calls);
    return answer(snooze.reply === "notFound" ? REPLIES.notFound[language](snooze.phrase) : REPLIES.nothingToSnooze[language]);
  }

  if (/^(?:delete|remove|clear|erase|wipe|trash)(?: out)? (?:everything|all(?: of)?(?: my)?(?: tasks| todos| to-dos)?|every task)$/.test(lower)) {
    const ids = context.tasks.map((task) => task.id);
    if (ids.length === 0) return answer(REPLIES.nothingToDelete[language]);
    const calls = ids.map((id): PlannedCall => ({ tool: "delete_task", input: { id } }));
    const prompt = REPLIES.confirmDeleteAll[language](ids.length);
    return { language, calls: [], reply: prompt, confirm: { prompt, calls }, memory: { ...kept, pending: { kind: "confirm", calls, language } } };
  }

  if (
    (match = /^(?:remove|clear|cancel|delete|turn off|drop|unset) (?:the |my )?reminders?(?: (?:for|of|on|from|about) (.+))?$/.exec(english)) ||
    (match = /^(?:don't|do not) remind me (?:about|of) (.+)$/i.exec(english))
  ) {
    return onTasks(match[1] ?? "it", "set_reminder", { remindAt: null });
  }

  if (
    (match = /^(?:stop|cancel|end) (?:repeating|recurring|the recurrence(?: of| for)?|recurrence(?: of| for)?|the repeat(?: of| for)?)(?: (.+))?$/i.exec(english)) ||
    (match = /^make (.+?) (?:not recurring|non-recurring|not repeat(?:ing)?|one-off|a one-off|one time)$/i.exec(english)) ||
    (match = /^(.+?) should (?:no longer|not|stop) (?:repeat|recur)(?:ing)?$/i.exec(english)) ||
    (match = /^(?:remove|clear) (?:the )?(?:recurrence|repeat)(?: (?:of|from|for) (.+))?$/i.exec(english))
  ) {
    return onTasks(match[1] ?? "it", "set_recurrence", { recurrence: null });
  }

  if (
    (match = /^make (.+?) (?:recur|repeat|recurring|repeating) (.+)$/i.exec(english)) ||
    (match = /^(?:repeat|set (?:the )?recurrence (?:of|for)) (.+?) ((?:every|each|daily|weekly|monthly|yearly|on the) .+)$/i.exec(english)) ||
    (match = /^(.+?) should (?:repeat|recur) (.+)$/i.exec(english))
  ) {
    const found = findRecurrence(match[2]!, context.now, context.timeZone);
    if (!found) return answer(REPLIES.notUnderstood[language]);
    const extra: Record<string, unknown> = { recurrence: found.rule };
    const time = timeOfDay(match[2]!);
    const anchorWanted = time || found.byWeekday || found.byMonthDay;
    if (anchorWanted) extra.dueAt = firstOccurrence(found, context.now, context.timeZone, time?.hour, time?.minute);
    const plan = onTasks(match[1]!, "set_recurrence", extra);
    // A series needs an anchor: a task without a due date gets the first occurrence.
    for (const call of plan.calls) {
      const task = context.tasks.find((candidate) => candidate.id === call.input.id);
      if (!call.input.dueAt && !task?.dueAt) call.input.dueAt = firstOccurrence(found, context.now, context.timeZone, time?.hour, time?.minute);
    }
    return plan;
  }

  if ((match = /^(?:remind me (?:about|of)|set (?:a |the )?reminder (?:for|on|about)) (.+)$/i.exec(english))) {
    const date = findDate(match[1]!, context.now, context.timeZone);
    if (!date) return answer(REPLIES.noDate[language]);
    const phrase = cleanTitle(match[1]!, [date.text]).replace(/\s+(?:at|on|in|for)$/i, "");
    return onTasks(phrase || "it", "set_reminder", { remindAt: date.iso });
  }

  if ((match = /^(?:please )?remind me to (.+)$/i.exec(english))) {
    const slots = slotsOf(match[1]!);
    if (!slots.title) return answer(REPLIES.noTitle[language]);
    const input = slots.input;
    if (input.dueAt && !input.remindAt) input.remindAt = input.dueAt;
    return act([{ tool: "add_task", input }]);
  }

  if (
    (match = /^(?:rename|retitle) (.+?) (?:to|as) (.+)$/i.exec(english)) ||
    (match = /^change (?:the )?(?:title|name) of (.+?) to (.+)$/i.exec(english)) ||
    (match = /^(?:call|name) (it|that|this) (.+)$/i.exec(english))
  ) {
    return onTasks(match[1]!, "update_task", { title: unquote(match[2]!) });
  }

  if ((match = /^(?:remove|clear|drop) (?:the )?due date (?:of|from|for|on) (.+)$/i.exec(english))) {
    return onTasks(match[1]!, "update_task", { dueAt: null });
  }

  if (/^what(?:'s| is)? due\b/.test(lower)) return act([{ tool: "list_tasks", input: listFilters(lower, context) }]);

  if (
    (match = /^(?:move|reschedule|postpone|push|shift|delay|change (?:the )?due date of|set (?:the )?due date (?:of|for)) (.+?) (?:to|until|till|for|back to) (.+)$/i.exec(english)) ||
    (match = /^(?:move|reschedule|postpone|push) (.+?) ((?:tomorrow|today|next|in|on) .*)$/i.exec(english)) ||
    (match = /^(.+?) is (?:now )?due (.+)$/i.exec(english))
  ) {
    const date = findDate(match[2]!, context.now, context.timeZone);
    if (!date) return answer(REPLIES.noDate[language]);
    return onTasks(match[1]!, "update_task", { dueAt: date.iso });
  }

  if (
    (match = /^(?:set|change) (?:the )?priority (?:of|for|on) (.+?) to (high|medium|low|none|urgent)$/i.exec(english)) ||
    (match = /^(?:make|mark|set) (.+?) (?:as |to )?(urgent|important|high priority|medium priority|low priority|high|low|medium|not urgent)$/i.exec(english))
  ) {
    const priority = findPriority(match[2]!)?.priority ?? (match[2]!.toLowerCase() as "high" | "medium" | "low" | "none");
    return onTasks(match[1]!, "update_task", { priority });
  }

  if ((match = /^tag (.+?) (?:with|as) (.+)$/i.exec(english)) || (match = /^add (?:the )?tags? (.+?) to (.+)$/i.exec(english))) {
    const [phrase, tagText] = lower.startsWith("tag ") ? [match[1]!, match[2]!] : [match[2]!, match[1]!];
    const tags = tagText.split(/,|\band\b|\s+/).map((tag) => tag.replace(/^#/, "").trim().toLowerCase()).filter(Boolean);
    const plan = onTasks(phrase, "update_task", {});
    for (const call of plan.calls) {
      const task = context.tasks.find((candidate) => candidate.id === call.input.id);
      call.input.tags = [...new Set([...(task?.tags ?? []), ...tags])];
    }
    if (plan.memory.pending?.kind === "clarify") plan.memory.pending.calls[0]!.input.tags = tags;
    return plan;
  }

  if (
    (match = /^(?:reopen|re-open|unmark|uncomplete|undo|restore) (.+)$/i.exec(english)) ||
    (match = /^mark (.+?) (?:as )?(?:not done|undone|pending|incomplete|open|not complete)$/i.exec(english))
  ) {
    return onTasks(match[1]!, "reopen_task", {}, "completed");
  }

  if (
    (match = /^(?:mark|set|check|tick) (.+?) (?:as )?(?:done|complete|completed|finished|off)$/i.exec(english)) ||
    (match = /^(?:complete|finish|done with|check off|tick off|close|i'?ve done|i have done|i (?:finished|completed|did)) (.+)$/i.exec(english)) ||
    (match = /^(.+?) is (?:done|finished|complete|completed)$/i.exec(english))
  ) {
    return onTasks(match[1]!, "complete_task");
  }

  if ((match = /^(?:delete|remove|drop|cancel|trash|erase|get rid of|forget about) (.+)$/i.exec(english))) {
    return onTasks(match[1]!, "delete_task");
  }

  if ((match = /^(?:details (?:of|for|about)|show (?:me )?(?:the )?details (?:of|for)|open|tell me about) (.+)$/i.exec(english))) {
    return onTasks(match[1]!, "get_task");
  }

  if ((match = /^(?:search|find|look for|look up)(?: for)? (?:tasks? )?(?:about |with |containing |matching )?(.+)$/i.exec(english))) {
    return act([{ tool: "list_tasks", input: { q: unquote(match[1]!) } }]);
  }

  if (
    /^(?:show|list|display|view|see|give me|get|what are|what's|whats|what is|what do i have|what have i got|which tasks|anything)\b/.test(lower) ||
    /^(?:my )?(?:tasks|todos|to-dos|to do list|todo list|agenda)\b/.test(lower)
  ) {
    return act([{ tool: "list_tasks", input: listFilters(lower, context) }]);
  }

  if (
    (match = /^(?:please )?(?:add|create|new|make|put|schedule|todo:?|to-do:?|remember to|i need to|i have to|i must|don't forget to|note)(?: (?:a |an )?(?:new )?(?:task|todo|to-do|item|reminder)s?)?(?: (?:to|for|called|named|titled)|:)? (.+)$/i.exec(english))
  ) {
    const slots = slotsOf(match[1]!.replace(/ to (?:my )?(?:list|tasks|todo list)$/i, ""));
    if (!slots.title) return answer(REPLIES.noTitle[language]);
    return act([{ tool: "add_task", input: slots.input }]);
  }

  return answer(REPLIES.notUnderstood[language]);
}

/**
 * The task one quick-add line describes ("Pay rent tomorrow 9am #home !high"):
 * the same slots the chat fills for "add ...", so the board's quick add and
 * the assistant understand a line the same way.
 */
export function parseTaskLine(text: string, clock: SlotClock): { title: string; input: Record<string, unknown> } {
  return extractSlots(text.replace(/\s+/g, " ").trim(), clock);
}

type SlotClock = Pick<TurnContext, "now" | "timeZone">;

/** Title, due date, recurrence, priority and tags of a new task. */
function extractSlots(text: string, context: SlotClock): { title: string; input: Record<string, unknown> } {
  const cuts: string[] = [];
  const input: Record<string, unknown> = {};
  let rest = text;
  const recurrence = findRecurrence(rest, context.now, context.timeZone);
  if (recurrence) {
    input.recurrence = recurrence.rule;
    cuts.push(...recurrence.texts);
    for (const piece of recurrence.texts) rest = rest.replace(new RegExp(escape(piece), "i"), " ");
  }
  const tags = findTags(rest);
  if (tags.tags.length > 0) {
    input.tags = tags.tags;
    cuts.push(...tags.texts);
    for (const piece of tags.texts) rest = rest.replace(piece, " ");
  }
  const priority = findPriority(rest);
  if (priority) {
    input.priority = priority.priority;
    cuts.push(priority.text);
    rest = rest.replace(priority.text, " ");
  }
  const time = recurrence ? timeOfDay(rest) : undefined;
  const date = findDate(rest, context.now, context.timeZone);
  if (recurrence && (recurrence.byWeekday || recurrence.byMonthDay || !date)) {
    const hour = date?.hasTime ? wallClock(new Date(date.iso), context.timeZone) : undefined;
    input.dueAt = firstOccurrence(recurrence, context.now, context.timeZone, hour?.hour ?? time?.hour, hour?.minute ?? time?.minute);
    if (date) cuts.push(date.text);
    else if (time) cuts.push(time.text);
  } else if (date) {
    input.dueAt = date.iso;
    cuts.push(date.text);
  }
  const title = unquote(cleanTitle(text, cuts));
  return { title, input: { title, ...input } };
}

/** Filters of a "show my tasks ..." request. */
function listFilters(lower: string, context: TurnContext): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (/\b(?:completed|done|finished)\b/.test(lower)) input.status = "completed";
  else if (/\b(?:all tasks|all my tasks|including completed|everything)\b/.test(lower)) input.status = "all";
  const priority = findPriority(lower);
  if (priority) input.priority = priority.priority;
  const tags = findTags(lower).tags;
  if (tags.length > 0) input.tag = tags;
  if (/\b(?:overdue|late|past due)\b/.test(lower)) input.overdue = true;
  const clock = wallClock(context.now, context.timeZone);
  const day = (offset: number) => instantAt(context.timeZone, clock.year, clock.month, clock.day + offset, 0, 0).toISOString();
  if (/\b(?:due )?today\b/.test(lower)) Object.assign(input, { dueAfter: day(0), dueBefore: day(1) });
  else if (/\b(?:due )?tomorrow\b/.test(lower)) Object.assign(input, { dueAfter: day(1), dueBefore: day(2) });
  else if (/\b(?:due )?this week\b/.test(lower)) Object.assign(input, { dueAfter: day(0), dueBefore: day(7 - ((clock.weekday + 6) % 7)) });
  let match: RegExpExecArray | null;
  if ((match = /\b(?:sorted |sort |order(?:ed)? )?by (due(?: date)?|priority|title|name|created|creation|updated)\b/.exec(lower))) {
    const key = match[1]!;
    input.sort = key.startsWith("due") ? "due" : key === "name" ? "title" : key === "creation" ? "created" : key;
  }
  if (/\b(?:newest|latest) first\b/.test(lower)) Object.assign(input, { sort: "created", order: "desc" });
  if (/\boldest first\b/.test(lower)) Object.assign(input, { sort: "created", order: "asc" });
  if (/\b(?:desc|descending)\b/.test(lower)) input.order = "desc";
  if (/\b(?:asc|ascending)\b/.test(lower)) input.order = "asc";
  if ((match = /\b(?:about|containing|matching|mentioning) (.+)$/.exec(lower))) input.q = unquote(match[1]!);
  if ((match = /\b(?:top|first|only) (\d{1,3})\b/.exec(lower))) input.limit = Math.min(Number(match[1]), 100);
  return input;
}

function timeOfDay(text: string): { hour: number; minute: number; text: string } | undefined {
  const match = /\bat (\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b|\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b/i.exec(text);
  if (!match) return undefined;
  let hour = Number(match[1] ?? match[4]);
  const minute = Number(match[2] ?? match[5] ?? 0);
  const meridiem = (match[3] ?? match[6])?.toLowerCase();
  if (meridiem === "pm" && hour < 12) hour += 12;
  if (meridiem === "am" && hour === 12) hour = 0;
  return hour < 24 && minute < 60 ? { hour, minute, text: match[0] } : undefined;
}

function stripReferenceWords(phrase: string): string {
  return phrase
    .replace(/^(?:please )?/i, "")
    .replace(/\s+(?:please|for me|now|task|tasks)$/i, "")
    .replace(/^(?:the task|task) /i, "")
    .trim();
}

function unquote(text: string): string {
  return text.trim().replace(/^["'“”‘’](.*)["'“”‘’]$/, "$1").trim();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function describeDue(task: TaskSummary, context: { timeZone: string }, language: Language): string {
  return task.dueAt ? REPLIES.due[language](formatWhen(task.dueAt, context.timeZone, language)) : "";
}

/**
 * Words the reply from what the tools returned, in the message's language, and
 * remembers the tasks shown (for "the second one") and touched (for "it").
 */
export function describeResults(
  plan: TurnPlan,
  results: ToolResult[],
  context: TurnContext,
): { reply: string; memory: ConversationMemory } {
  const language = plan.language;
  if (plan.calls.length === 0) return { reply: plan.reply ?? REPLIES.notUnderstood[language], memory: plan.memory };
  const lines: string[] = [];
  const touched: string[] = [];
  let listed: string[] | undefined;
  const when = (iso: string) => formatWhen(iso, context.timeZone, language);
  for (const outcome of results) {
    if ("error" in outcome) {
      lines.push(REPLIES.failed[language](outcome.error.message));
      continue;
    }
    const input = (outcome.input ?? {}) as Record<string, unknown>;
    if (outcome.tool === "list_tasks") {
      const items = ((outcome.result as { items?: TaskSummary[] }).items ?? []) as TaskSummary[];
      listed = items.map((task) => task.id);
      if (items.length === 0) lines.push(REPLIES.listEmpty[language]);
      else {
        lines.push(REPLIES.listHeader[language](items.length));
        items.forEach((task, index) => {
          const done = task.status === "completed" ? " ✓" : "";
          lines.push(`${index + 1}. ${task.title}${done}${describeDue(task, context, language)}`);
        });
      }
      continue;
    }
    if (outcome.tool === "delete_task") {
      const id = String(input.id);
      const title = context.tasks.find((task) => task.id === id)?.title ?? id;
      lines.push(REPLIES.deleted[language](title));
      touched.push(id);
      continue;
    }
    const task = outcome.result as TaskSummary;
    touched.push(task.id);
    switch (outcome.tool) {
      case "add_task":
      case "update_task":
      case "get_task": {
        let line = outcome.tool === "add_task" ? REPLIES.added[language](task.title) : outcome.tool === "get_task" ? `"${task.title}"` : REPLIES.updated[language](task.title);
        if (task.dueAt) line += REPLIES.due[language](when(task.dueAt));
        if (task.remindAt) line += REPLIES.reminder[language](when(task.remindAt));
        if (task.recurrence) line += REPLIES.repeats[language](task.recurrence);
        if (task.priority && task.priority !== "none") line += ` [${task.priority}]`;
        if (task.tags && task.tags.length > 0) line += ` ${task.tags.map((tag) => `#${tag}`).join(" ")}`;
        lines.push(`${line}${language === "ur" ? "۔" : "."}`);
        break;
      }
      case "complete_task":
        lines.push(REPLIES.completed[language](task.title));
        break;
      case "reopen_task":
        lines.push(REPLIES.reopened[language](task.title));
        break;
      case "set_reminder":
        lines.push(task.remindAt ? REPLIES.reminderSet[language](task.title, when(task.remindAt)) : REPLIES.reminderCleared[language](task.title));
        break;
      case "set_recurrence":
        lines.push(task.recurrence ? REPLIES.recurrenceSet[language](task.title, task.recurrence) : REPLIES.recurrenceCleared[language](task.title));
        break;
    }
  }
  return {
    reply: lines.join("\n"),
    memory: { listed: listed ?? plan.memory.listed, touched: touched.length > 0 ? touched : plan.memory.touched, pending: plan.memory.pending },
  };
}
