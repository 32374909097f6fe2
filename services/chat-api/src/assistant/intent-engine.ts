import { classify, type IntentName } from "./engine/intents.ts";
import { parseMessage, type Clock, type ParsedMessage } from "./engine/parse.ts";
import { firstOccurrence } from "./engine/recurrence-phrases.ts";
import { resolveTasks } from "./engine/references.ts";
import { GREETING, NOTHING_TO_UNDO, REPLIES, UNDONE } from "./engine/replies.ts";
import { findPriority, findTags } from "./engine/slots.ts";
import { cleanTitle, unquote } from "./engine/title.ts";
import type { FoundWhen } from "./engine/when.ts";
import { formatWhen, instantAt, wallClock } from "./engine/zone-time.ts";
import type { ConversationMemory, Language, PlannedCall, TaskSummary, ToolName, ToolResult, TurnContext, TurnPlan } from "./types.ts";

export const MAX_MESSAGE_LENGTH = 4000;

/**
 * The deterministic agent's brain: one message (plus what earlier turns
 * referred to) in, the tool calls to make out. Pure: no I/O, the clock and the
 * user's tasks come in through the context. The message is parsed once into
 * slots and a rest (engine/parse.ts); the intent table (engine/intents.ts)
 * reads the rest; a message no intent claims is a new task.
 */
export function planTurn(message: string, context: TurnContext): TurnPlan {
  const trimmed = message.trim();
  const parsed = parseMessage(trimmed.slice(0, MAX_MESSAGE_LENGTH), context);
  const turn = new Turn(parsed, context);
  if (trimmed === "") return turn.answer(REPLIES.empty);
  if (message.length > MAX_MESSAGE_LENGTH) return turn.answer(REPLIES.tooLong);

  const whole = polite(parsed.working.text);
  const pending = turn.memory.pending;
  if (pending) {
    if (YES.test(whole)) {
      if (pending.kind === "confirm") return turn.act(pending.calls);
    }
    if (NO.test(whole)) return turn.answer(REPLIES.cancelled);
    if (pending.kind === "clarify") {
      const candidates = pending.candidates.map((id) => context.tasks.find((task) => task.id === id)).filter((task) => task !== undefined);
      const picked = resolveTasks(stripReferenceWords(whole), { listed: pending.candidates }, candidates);
      if (picked.kind === "tasks") return turn.act(picked.ids.flatMap((id) => pending.calls.map((call) => ({ tool: call.tool, input: { ...call.input, id } }))));
    }
  }

  const rest = polite(parsed.rest);
  for (const { intent, groups } of classify(whole, rest)) {
    const plan = HANDLERS[intent](turn, groups);
    if (plan) return plan;
  }
  return turn.newTask();
}

const YES = /^(?:yes|y|yeah|yep|yup|sure|ok|okay|confirm|do it|go ahead|yes please|haan|han|haan ji|ji|jee|ji haan|theek hai|ہاں|جی|جی ہاں|ہاں جی|ٹھیک ہے)$/i;
const NO = /^(?:no|n|nope|cancel|stop|never ?mind|don't|do not|nahi|nahin|na|rehne do|نہیں|نہ|رہنے دو)$/i;

/** Without politeness around it, end punctuation or a trailing "please". */
function polite(text: string): string {
  let out = text.replace(/\s+/g, " ").trim();
  for (let previous = ""; previous !== out; ) {
    previous = out;
    out = out
      .replace(/^(?:please|pls|plz|plzz|kindly|hey|hi|ok|okay|so|um|umm|thanks|thank you|thx|can you|can u|could you|could u|would you|will you|bhai|yaar|yar|assistant)[\s,]+/i, "")
      .replace(/[\s,]+(?:at )?(?:the )?same time$/i, "")
      .replace(/[\s,]+(?:please|pls|plz|thanks|thx|bhai|yaar)$/i, "")
      .replace(/[\s.!?؟۔]+$/u, "")
      .trim();
  }
  return out;
}

type Groups = Record<string, string | undefined>;
type Handler = (turn: Turn, groups: Groups) => TurnPlan | undefined;

const REMIND_WORDS = /^(?:(?:please |pls |can you |can u |could you )?(?:remind me|ping me|alert me|nudge me|set (?:a |an |the )?reminder|reminder|don'?t let me forget|do not let me forget|don'?t forget|do not forget))\b|(?:ya+d (?:dilana|dila dena|dilao|dilaen|dilayen|karwana|karana|kara dena|krwana|krana)|remind (?:kar dena|karna|karo|kar do)|یاد (?:دلانا|دلا دینا|دلاؤ|دلائیں|کروانا|کرانا))/i;
const REFERENCE = /^(?:it|that|this|them|these|those|both|all|the same|isko|isey|ise|usko|use|ye|yeh|اسے|اس|یہ|اس کو)$/i;

class Turn {
  readonly language: Language;
  readonly memory: ConversationMemory;
  readonly kept: ConversationMemory;
  constructor(
    readonly parsed: ParsedMessage,
    readonly context: TurnContext,
  ) {
    this.language = parsed.language;
    this.memory = context.memory ?? {};
    this.kept = { listed: this.memory.listed, touched: this.memory.touched, undo: this.memory.undo, lastTool: this.memory.lastTool };
  }

  answer(reply: Record<Language, string> | string, next: ConversationMemory = this.kept): TurnPlan {
    return { language: this.language, calls: [], reply: typeof reply === "string" ? reply : reply[this.language], memory: next };
  }

  act(calls: PlannedCall[]): TurnPlan {
    return { language: this.language, calls, memory: this.kept };
  }

  task(id: unknown): TaskSummary | undefined {
    return this.context.tasks.find((task) => task.id === id);
  }

  /** Whether a phrase names tasks the user has (by title or by reference), without asking. */
  resolves(phrase: string, prefer: "pending" | "completed" = "pending"): boolean {
    const resolved = resolveTasks(stripReferenceWords(phrase), this.memory, this.context.tasks, prefer);
    return resolved.kind !== "none";
  }

  /** The calls on the tasks a phrase names; a question when several fit; a reply when none does. */
  onTasks(phrase: string, tool: ToolName, extra: (task: TaskSummary | undefined) => Record<string, unknown> | undefined = () => ({}), prefer: "pending" | "completed" = "pending"): TurnPlan {
    const resolved = resolveTasks(stripReferenceWords(phrase), this.memory, this.context.tasks, prefer);
    if (resolved.kind === "tasks") {
      const calls: PlannedCall[] = [];
      for (const id of resolved.ids) {
        const fields = extra(this.task(id));
        if (!fields) return this.answer(REPLIES.noDate);
        calls.push({ tool, input: { id, ...fields } });
      }
      return this.act(calls);
    }
    if (resolved.kind === "none") return this.answer(REPLIES.notFound[this.language](resolved.phrase));
    const ids = resolved.candidates.map((task) => task.id);
    const lines = resolved.candidates.map((task, index) => `${index + 1}. ${task.title}${describeDue(task, this.context, this.language)}`);
    const sample = extra(resolved.candidates[0]) ?? {};
    return this.answer([REPLIES.which[this.language], ...lines].join("\n"), {
      ...this.kept,
      listed: ids,
      pending: { kind: "clarify", calls: [{ tool, input: { id: "?", ...sample } }], candidates: ids, language: this.language },
    });
  }

  /**
   * "finish the proposal by thursday high priority" names no task the user
   * has and carries a due date: it is something to do, not a command.
   */
  unlessNewTask(target: string | undefined): TurnPlan | undefined {
    const { when, recurrence, priority, tags } = this.parsed;
    if (!target || (!when && !recurrence && !priority && tags.length === 0)) return undefined;
    return this.resolves(target) ? undefined : this.newTask();
  }

  /** A new task from the message: the slots, and the rest as its title. */
  newTask(): TurnPlan {
    const { title, input } = newTaskFields(this.parsed, this.context);
    if (!title) return this.answer(REPLIES.noTitle);
    return this.act([{ tool: "add_task", input }]);
  }

  /** The due date a task gets from the message: a bare day keeps its time, a bare time its day, "next week" moves it by seven days. */
  dueFor(task: TaskSummary | undefined, when: FoundWhen): string {
    const zone = this.context.timeZone;
    if (!task?.dueAt || when.relative) return when.iso;
    const current = wallClock(new Date(task.dueAt), zone);
    if (when.nextWeek) return instantAt(zone, current.year, current.month, current.day + 7, current.hour, current.minute).toISOString();
    if (when.hasDay && !when.hasTime) return instantAt(zone, when.day!.year, when.day!.month, when.day!.day, current.hour, current.minute).toISOString();
    if (!when.hasDay && when.hasTime) return instantAt(zone, current.year, current.month, current.day, when.time!.hour, when.time!.minute).toISOString();
    return when.iso;
  }
}

/** Title, due date, reminder, recurrence, priority and tags of a new task. */
function newTaskFields(parsed: ParsedMessage, clock: Clock): { title: string; input: Record<string, unknown> } {
  const input: Record<string, unknown> = {};
  const { when, recurrence } = parsed;
  if (recurrence) {
    input.recurrence = recurrence.rule;
    // A series needs an anchor: the first occurrence at the time said (or the phrase's own hour, or 09:00).
    if (recurrence.byWeekday || recurrence.byMonthDay || !when || !when.hasDay || when.relative) {
      input.dueAt = firstOccurrence(recurrence, clock.now, clock.timeZone, when?.time?.hour ?? recurrence.hour, when?.time?.minute);
    } else input.dueAt = when.iso;
  } else if (when) input.dueAt = when.iso;
  // "remind me ...", "yaad dilana": the reminder is at the due time.
  if (REMIND_WORDS.test(polite(parsed.rest)) && input.dueAt) input.remindAt = input.dueAt;
  if (parsed.priority) input.priority = parsed.priority.priority;
  if (parsed.tags.length > 0) input.tags = parsed.tags;
  const title = cleanTitle(parsed.rest);
  return { title, input: { title, ...input } };
}

function span(amount: string | undefined, unit: string | undefined): number {
  const count = !amount ? 10 : /^\d+$/.test(amount) ? Number(amount) : /half/.test(amount) ? 0.5 : 1;
  const minutes = !unit || /^m/i.test(unit) ? 1 : /^d/i.test(unit) ? 1440 : 60;
  return count * minutes * 60_000;
}

const HANDLERS: Record<IntentName, Handler> = {
  help: (turn) => turn.answer(REPLIES.help),
  greet: (turn) => turn.answer(GREETING),
  dismiss: (turn) => turn.answer(REPLIES.cancelled),
  also: (turn, groups) => {
    // "and call mom too": the last command again, on another task
    const tool = turn.memory.lastTool;
    if (!tool || !["complete_task", "delete_task", "reopen_task"].includes(tool) || !turn.resolves(groups.target!)) return undefined;
    return turn.onTasks(groups.target!, tool);
  },
  shift: (turn, groups) => {
    const amount = groups.amount === "a couple of" ? "2" : groups.amount;
    const delay = span(amount, groups.unit!.replace(/^min.*/, "m"));
    return turn.onTasks(groups.target ?? "it", "update_task", (task) => ({ dueAt: new Date((task?.dueAt ? Date.parse(task.dueAt) : turn.context.now.getTime()) + delay).toISOString() }));
  },
  undo: (turn) => {
    const calls = turn.memory.undo;
    // "undo it" with nothing to take back still means "reopen it".
    if ((!calls || calls.length === 0) && /\b(?:it|that|this)$/i.test(turn.parsed.rest)) return undefined;
    if (!calls || calls.length === 0) return turn.answer(NOTHING_TO_UNDO);
    return { ...turn.act(calls), undoing: true, memory: { ...turn.kept, undo: undefined } };
  },
  deleteAll: (turn) => {
    const ids = turn.context.tasks.map((task) => task.id);
    if (ids.length === 0) return turn.answer(REPLIES.nothingToDelete);
    const calls = ids.map((id): PlannedCall => ({ tool: "delete_task", input: { id } }));
    const prompt = REPLIES.confirmDeleteAll[turn.language](ids.length);
    return { language: turn.language, calls: [], reply: prompt, confirm: { prompt, calls }, memory: { ...turn.kept, pending: { kind: "confirm", calls, language: turn.language } } };
  },
  snooze: (turn, groups) => {
    const delay = span(groups.amount, groups.unit);
    const now = turn.context.now.getTime();
    const when = turn.parsed.when;
    const later = (task: TaskSummary | undefined) => {
      if (when) return { remindAt: when.iso };
      const from = task?.remindAt ? Math.max(now, Date.parse(task.remindAt)) : now;
      return { remindAt: new Date(from + delay).toISOString() };
    };
    // Right after a reminder's toast, "it" is the task whose reminder just went off.
    const fired = justFired(turn.context);
    if (fired) return turn.act([{ tool: "set_reminder", input: { id: fired.id, ...later(fired) } }]);
    return turn.onTasks("it", "set_reminder", later);
  },
  remindBefore: (turn, groups) => {
    const before = span(groups.amount, groups.unit);
    return turn.onTasks(groups.target ?? "it", "set_reminder", (task) => (task?.dueAt ? { remindAt: new Date(Date.parse(task.dueAt) - before).toISOString() } : undefined));
  },
  clearReminder: (turn, groups) => turn.onTasks(groups.target ?? "it", "set_reminder", () => ({ remindAt: null })),
  stopRecurrence: (turn, groups) => turn.onTasks(groups.target ?? "it", "set_recurrence", () => ({ recurrence: null })),
  rename: (turn, groups) => turn.onTasks(groups.target ?? "it", "update_task", () => ({ title: unquote(groups.title!) })),
  clearDue: (turn, groups) => turn.onTasks(groups.target!, "update_task", () => ({ dueAt: null })),
  tag: (turn, groups) => {
    const tags = groups.tags!.split(/,|\band\b|\s+/).map((tag) => tag.replace(/^#/, "").trim().toLowerCase()).filter(Boolean);
    return turn.onTasks(groups.target!, "update_task", (task) => ({ tags: [...new Set([...(task?.tags ?? []), ...tags])] }));
  },
  reopen: (turn, groups) => turn.unlessNewTask(groups.target) ?? turn.onTasks(groups.target ?? "it", "reopen_task", () => ({}), "completed"),
  complete: (turn, groups) => {
    if (groups.past !== undefined) {
      // "i called mom": only when it names a task the user has; otherwise it is something to do.
      const resolved = resolveTasks(stripReferenceWords(groups.past), turn.memory, turn.context.tasks);
      return resolved.kind === "tasks" ? turn.act(resolved.ids.map((id) => ({ tool: "complete_task", input: { id } }))) : undefined;
    }
    return turn.unlessNewTask(groups.target) ?? turn.onTasks(groups.target ?? "it", "complete_task");
  },
  delete: (turn, groups) => turn.unlessNewTask(groups.target) ?? turn.onTasks(groups.target ?? "it", "delete_task"),
  details: (turn, groups) => turn.onTasks(groups.target!, "get_task"),
  search: (turn, groups) => {
    // "find a plumber tomorrow", "look for a new job": something to do, not a search of the list
    const { when, recurrence, priority } = turn.parsed;
    if (when || recurrence || priority || /^(?:a|an) /i.test(groups.q!)) return turn.newTask();
    return turn.act([{ tool: "list_tasks", input: { q: unquote(groups.q!) } }]);
  },
  list: (turn) => turn.act([{ tool: "list_tasks", input: listFilters(turn) }]),
  remindExisting: (turn, groups) => {
    const target = groups.target!;
    if (!REFERENCE.test(stripReferenceWords(target)) && !strongMatch(target, turn.context.tasks)) return undefined;
    const when = turn.parsed.when;
    if (!when) return turn.answer(REPLIES.noDate);
    return turn.onTasks(target, "set_reminder", () => ({ remindAt: when.iso }));
  },
  edit: (turn, groups) => edit(turn, groups.target),
  question: (turn) => turn.answer(REPLIES.notUnderstood),
};

/** A change to an existing task from the slots of the message: due date, priority, tags, recurrence. */
function edit(turn: Turn, target: string | undefined): TurnPlan | undefined {
  const { when, recurrence, priority, tags } = turn.parsed;
  const phrase = target?.trim() || "it";
  const isReference = REFERENCE.test(stripReferenceWords(phrase)) || /^(?:the )?(?:#?\d+|first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)(?: one)?$/i.test(stripReferenceWords(phrase));
  if (isReference && !turn.memory.touched?.length && !turn.memory.listed?.length) return undefined;
  if (!isReference && !turn.resolves(phrase)) return undefined;
  const moving = /^(?:move|reschedule|postpone|push|shift|delay|bump)\b|\bshift\b/i.test(turn.parsed.rest);
  if (!when && !recurrence && !priority && tags.length === 0) return moving ? turn.answer(REPLIES.noDate) : undefined;
  if (recurrence && !priority && tags.length === 0) {
    return turn.onTasks(phrase, "set_recurrence", (task) => {
      const fields: Record<string, unknown> = { recurrence: recurrence.rule };
      const anchorWanted = when?.hasTime || recurrence.byWeekday || recurrence.byMonthDay || !task?.dueAt;
      // Without a new time the series keeps the task's time of day (and its date when that is on the rule).
      const current = task?.dueAt ? wallClock(new Date(task.dueAt), turn.context.timeZone) : undefined;
      const hour = when?.time?.hour ?? recurrence.hour ?? current?.hour;
      const minute = when?.time?.minute ?? (recurrence.hour === undefined ? current?.minute : 0);
      if (when?.hasDay && !recurrence.byWeekday && !recurrence.byMonthDay) fields.dueAt = turn.dueFor(task, when);
      else if (anchorWanted) fields.dueAt = firstOccurrence(recurrence, turn.context.now, turn.context.timeZone, hour, minute);
      return fields;
    });
  }
  return turn.onTasks(phrase, "update_task", (task) => {
    const fields: Record<string, unknown> = {};
    if (when) fields.dueAt = turn.dueFor(task, when);
    if (priority) fields.priority = priority.priority;
    if (tags.length > 0) fields.tags = [...new Set([...(task?.tags ?? []), ...tags])];
    if (recurrence) fields.recurrence = recurrence.rule;
    return fields;
  });
}

/** A phrase that is a task's title, or contained in exactly one: enough to treat "remind me about X" as about that task. */
function strongMatch(phrase: string, tasks: TaskSummary[]): boolean {
  const text = stripReferenceWords(phrase).toLowerCase().replace(/^(?:the|my) /, "").trim();
  if (text.length < 3) return false;
  return tasks.some((task) => task.title.toLowerCase() === text) || tasks.filter((task) => task.title.toLowerCase().includes(text)).length === 1;
}

/** Filters of a "show my tasks ..." request, from its words and its slots. */
function listFilters(turn: Turn): Record<string, unknown> {
  const lower = turn.parsed.working.text.toLowerCase();
  const { context, parsed } = turn;
  const input: Record<string, unknown> = {};
  if (/\b(?:completed|done|finish|finished|mukammal|ho gaye|ho gaya)\b|مکمل|ختم شدہ/u.test(lower)) input.status = "completed";
  else if (/\b(?:all tasks|all my tasks|including completed|everything)\b/.test(lower)) input.status = "all";
  const priority = parsed.priority ?? findPriority(lower);
  if (priority) input.priority = priority.priority;
  const tags = parsed.tags.length > 0 ? parsed.tags : findTags(lower).tags;
  const known = new Set(context.tasks.flatMap((task) => task.tags ?? []));
  const named = /^(?:show|list|display)(?: me)?(?: my| the| all)? ([\p{L}\d_-]+) (?:tasks|stuff|items|todos|things)$/u.exec(lower)?.[1];
  if (tags.length > 0) input.tag = tags;
  else if (named && known.has(named)) input.tag = [named];
  if (/\b(?:overdue|late|past due)\b/.test(lower)) input.overdue = true;
  const clock = wallClock(context.now, context.timeZone);
  const day = (offset: number) => instantAt(context.timeZone, clock.year, clock.month, clock.day + offset, 0, 0).toISOString();
  if (/\bthis week\b/.test(lower)) Object.assign(input, { dueAfter: day(0), dueBefore: day(7 - ((clock.weekday + 6) % 7)) });
  else if (parsed.when?.day && !parsed.when.relative) {
    const { year, month, day: date } = parsed.when.day;
    Object.assign(input, {
      dueAfter: instantAt(context.timeZone, year, month, date, 0, 0).toISOString(),
      dueBefore: instantAt(context.timeZone, year, month, date + 1, 0, 0).toISOString(),
    });
  }
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
  // Lists read by date: soonest first, undated last.
  input.sort ??= "due";
  return input;
}

/**
 * The task one quick-add line describes ("Pay rent tomorrow 9am #home !high"):
 * the same parse the chat uses for a new task, plus which words filled which
 * field, for the board's preview.
 */
export function parseTaskLine(text: string, clock: Clock): { title: string; input: Record<string, unknown>; words: Record<string, string> } {
  const parsed = parseMessage(text, clock);
  const { title, input } = newTaskFields(parsed, clock);
  const words: Record<string, string> = { ...(title ? { title } : {}), ...parsed.words };
  if (input.remindAt && parsed.words.dueAt) words.remindAt = parsed.words.dueAt;
  return { title, input, words };
}

function stripReferenceWords(phrase: string): string {
  return phrase
    .replace(/^(?:please )?/i, "")
    .replace(/\s+(?:please|for me|now|task|tasks|too|as well|instead|actually)$/i, "")
    .replace(/\s+(?:on|at|for|to|by|in|from|until|till|pe|par|ko)$/i, "")
    .replace(/^(?:the task|task|actually|also) /i, "")
    .trim();
}

function describeDue(task: TaskSummary, context: { timeZone: string; now?: Date }, language: Language): string {
  return task.dueAt ? REPLIES.due[language](formatWhen(task.dueAt, context.timeZone, language, context.now)) : "";
}

/** The calls that take one result back, from the task as it was before ("undo"). */
function undoOf(outcome: ToolResult & { result: unknown }, before: TaskSummary | undefined): PlannedCall[] {
  const input = (outcome.input ?? {}) as Record<string, unknown>;
  const after = outcome.result as TaskSummary;
  switch (outcome.tool) {
    case "add_task":
      return [{ tool: "delete_task", input: { id: after.id } }];
    case "delete_task": {
      if (!before) return [];
      const restored: Record<string, unknown> = { title: before.title };
      for (const field of ["priority", "tags", "dueAt", "recurrence"] as const) if (before[field]) restored[field] = before[field];
      return [{ tool: "add_task", input: restored }];
    }
    case "complete_task":
      return [{ tool: "reopen_task", input: { id: after.id } }];
    case "reopen_task":
      return [{ tool: "complete_task", input: { id: after.id } }];
    case "update_task":
    case "set_reminder":
    case "set_recurrence": {
      if (!before) return [];
      const previous: Record<string, unknown> = { id: before.id };
      for (const field of Object.keys(input)) {
        if (field === "id") continue;
        const value = before[field as keyof TaskSummary];
        previous[field] = value ?? (field === "priority" ? "none" : field === "tags" ? [] : null);
      }
      return [{ tool: "update_task", input: previous }];
    }
    default:
      return [];
  }
}

/**
 * Words the reply from what the tools returned, in the message's language, and
 * remembers the tasks shown (for "the second one"), touched (for "it") and
 * how to take the change back (for "undo").
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
  const undo: PlannedCall[] = [];
  let listed: string[] | undefined;
  const when = (iso: string) => formatWhen(iso, context.timeZone, language, context.now);
  const undoing = plan.undoing === true;
  for (const outcome of results) {
    if ("error" in outcome) {
      lines.push(REPLIES.failed[language](outcome.error.message));
      continue;
    }
    const input = (outcome.input ?? {}) as Record<string, unknown>;
    const before = context.tasks.find((task) => task.id === input.id);
    if (outcome.tool !== "list_tasks" && outcome.tool !== "get_task") undo.unshift(...undoOf(outcome, before));
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
      lines.push(REPLIES.deleted[language](before?.title ?? id));
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
  if (undoing) lines.unshift(UNDONE[language]);
  const changed = undo.length > 0;
  return {
    reply: lines.join("\n"),
    memory: {
      listed: listed ?? plan.memory.listed,
      touched: touched.length > 0 ? touched : plan.memory.touched,
      pending: plan.memory.pending,
      undo: undoing ? undefined : changed ? undo : plan.memory.undo,
      lastTool: plan.calls.at(-1)?.tool ?? plan.memory.lastTool,
    },
  };
}

/** How long after its reminder went off a task is still what "snooze it" means. */
const JUST_FIRED_MS = 30 * 60_000;

/** The pending task whose reminder went off most recently, if within JUST_FIRED_MS. */
function justFired(context: TurnContext): TaskSummary | undefined {
  const now = context.now.getTime();
  return context.tasks
    .filter((task) => task.status === "pending" && task.remindAt && Date.parse(task.remindAt) <= now && now - Date.parse(task.remindAt) < JUST_FIRED_MS)
    .sort((a, b) => Date.parse(b.remindAt!) - Date.parse(a.remindAt!))[0];
}
