import { RRule } from "rrule";
import { instantAt } from "../engine/zone-time.ts";

/**
 * Reads the corpus files (see the header of train.txt for the notation) and
 * checks one case's outcome: the seeds before, the tasks after and the last
 * turn's reply and actions.
 */
export const NOW = new Date("2026-03-10T12:00:00Z");
export const ZONE = "Asia/Karachi";

export interface Seed {
  name: string;
  body: Record<string, unknown>;
  completed?: boolean;
}

const at = (text: string) => localInstant(text).toISOString();

export const SEEDS: Seed[] = [
  { name: "milk", body: { title: "Buy milk", tags: ["home"] } },
  { name: "mom", body: { title: "Call mom", dueAt: at("03-11 17:00") } },
  { name: "rent", body: { title: "Pay rent", dueAt: at("04-01 09:00"), recurrence: "FREQ=MONTHLY;BYMONTHDAY=1", tags: ["finance"] } },
  { name: "report", body: { title: "Write report", priority: "high" } },
  { name: "blog", body: { title: "Write blog post" } },
  { name: "dentist", body: { title: "Book dentist" }, completed: true },
  { name: "doodh", body: { title: "دودھ خریدنا" } },
  { name: "gym", body: { title: "Gym", dueAt: at("03-10 19:00") } },
  { name: "bill", body: { title: "Bijli ka bill", dueAt: at("03-12 09:00") } },
];

export interface Case {
  line: number;
  section: string;
  turns: string[];
  expect: string;
  reply?: RegExp;
}

export function readCorpus(text: string): Case[] {
  const cases: Case[] = [];
  let section = "";
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line.startsWith("# ---")) section = line.slice(5).trim();
    if (line === "" || /^#(?:\s|$)/.test(line)) return;
    const split = line.lastIndexOf(" => ");
    if (split < 0) throw new Error(`corpus line ${index + 1} has no =>`);
    let expect = line.slice(split + 4).trim();
    let reply: RegExp | undefined;
    const tail = / ~\/(.+)\/([a-z]*)$/.exec(expect);
    if (tail) {
      reply = new RegExp(tail[1]!, tail[2]);
      expect = expect.slice(0, tail.index).trim();
    }
    cases.push({ line: index + 1, section, turns: line.slice(0, split).split(" || ").map((turn) => turn.trim()), expect, reply });
  });
  return cases;
}

/** "03-11 17:00" (this year) or "2027-03-03 09:00", in the corpus zone. */
export function localInstant(text: string): Date {
  const match = /^(?:(\d{4})-)?(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) throw new Error(`bad corpus date ${text}`);
  return instantAt(ZONE, Number(match[1] ?? 2026), Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5]));
}

export interface StoredTask {
  id: string;
  title: string;
  status: string;
  priority: string;
  tags: string[];
  dueAt: string | null;
  remindAt: string | null;
  recurrence: string | null;
}

export interface Outcome {
  /** Seed name -> task id. */
  ids: Map<string, string>;
  before: StoredTask[];
  after: StoredTask[];
  reply: string;
  actions: { tool: string; input: any; result: any }[];
}

/** Why the outcome misses the expectation, or undefined when it meets it. */
export function mismatch(expect: string, outcome: Outcome, reply?: RegExp): string | undefined {
  const problem = check(expect, outcome);
  if (problem) return problem;
  if (reply && !reply.test(outcome.reply)) return `reply ${JSON.stringify(outcome.reply)} does not match ${reply}`;
  return undefined;
}

const FIELDS = ["title", "status", "priority", "tags", "dueAt", "remindAt", "recurrence"] as const;

function check(expect: string, outcome: Outcome): string | undefined {
  const [verb = "", ...restWords] = expect.split(" ");
  const rest = restWords.join(" ");
  const byId = new Map(outcome.after.map((task) => [task.id, task]));
  const seedIds = new Set(outcome.ids.values());
  const created = outcome.after.filter((task) => !seedIds.has(task.id));
  const nameOf = (id: string) => [...outcome.ids].find(([, value]) => value === id)?.[0] ?? id;
  const unchangedExcept = (names: string[], alsoNew = 0): string | undefined => {
    for (const seed of outcome.before) {
      const name = nameOf(seed.id);
      if (names.includes(name)) continue;
      const now = byId.get(seed.id);
      if (!now) return `${name} was deleted`;
      for (const field of FIELDS) if (!same(seed[field], now[field])) return `${name}.${field} changed to ${JSON.stringify(now[field])}`;
    }
    if (created.length > alsoNew) return `created ${created.map((task) => JSON.stringify(task.title)).join(", ")}`;
    return undefined;
  };

  switch (verb) {
    case "add":
    case "task": {
      const { title, fields } = titleAndFields(rest);
      const pool = verb === "add" ? created : outcome.after;
      const task = pool.find((candidate) => candidate.title === title);
      if (!task) return `no task titled ${JSON.stringify(title)}; got ${pool.map((t) => JSON.stringify(t.title)).join(", ") || "none"} (reply: ${outcome.reply})`;
      const problem = fieldsMatch(task, fields, true);
      if (problem) return problem;
      const seedName = seedIds.has(task.id) ? nameOf(task.id) : SEEDS.find((seed) => seed.body.title === title)?.name;
      return unchangedExcept(seedName ? [seedName] : [], 1);
    }
    case "none": {
      const title = JSON.parse(rest) as string;
      if (outcome.after.some((task) => task.title === title)) return `a task titled ${JSON.stringify(title)} exists`;
      return unchangedExcept([]);
    }
    case "done":
    case "open":
    case "gone": {
      const names = rest.split(",").map((name) => name.trim());
      for (const name of names) {
        const task = byId.get(outcome.ids.get(name)!);
        if (verb === "gone" && task) return `${name} still exists (reply: ${outcome.reply})`;
        if (verb !== "gone" && task?.status !== (verb === "done" ? "completed" : "pending")) return `${name} is ${task?.status ?? "deleted"} (reply: ${outcome.reply})`;
      }
      return unchangedExcept(names);
    }
    case "edit": {
      const [name = "", ...fieldWords] = rest.split(" ");
      const task = byId.get(outcome.ids.get(name)!);
      if (!task) return `${name} is gone`;
      const problem = fieldsMatch(task, parseFields(fieldWords.join(" ")), false, outcome.before.find((seed) => seed.id === task.id));
      return problem ? `${problem} (reply: ${outcome.reply})` : unchangedExcept([name]);
    }
    case "list": {
      const listed = outcome.actions.filter((action) => action.tool === "list_tasks");
      if (listed.length === 0) return `no list (reply: ${outcome.reply})`;
      const items = ((listed.at(-1)!.result?.items ?? []) as { id: string }[]).map((item) => nameOf(item.id));
      const wanted = rest.split(" ").filter(Boolean);
      if ([...items].sort().join(" ") !== [...wanted].sort().join(" ")) return `listed ${items.join(" ") || "nothing"}`;
      return unchangedExcept([]);
    }
    case "say": {
      const pattern = /^\/(.+)\/([a-z]*)$/.exec(rest);
      if (!pattern) throw new Error(`bad say ${rest}`);
      if (!new RegExp(pattern[1]!, pattern[2]).test(outcome.reply)) return `reply ${JSON.stringify(outcome.reply)}`;
      return unchangedExcept([]);
    }
  }
  throw new Error(`unknown expectation ${expect}`);
}

function titleAndFields(text: string): { title: string; fields: Map<string, string> } {
  const match = /^"((?:[^"\\]|\\.)*)"\s*(.*)$/.exec(text);
  if (!match) throw new Error(`bad title in ${text}`);
  return { title: match[1]!, fields: parseFields(match[2]!) };
}

function parseFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  const pattern = /(\w+)=("(?:[^"\\]|\\.)*"|\d{2,4}-\d{2}(?:-\d{2})? \d{2}:\d{2}|\S+)/g;
  for (const match of text.matchAll(pattern)) fields.set(match[1]!, match[2]!.startsWith('"') ? JSON.parse(match[2]!) : match[2]!);
  return fields;
}

/** `exact`: fields not named must be empty (a new task); otherwise they must be as before (an edit). */
function fieldsMatch(task: StoredTask, fields: Map<string, string>, exact: boolean, before?: StoredTask): string | undefined {
  const expected: Partial<Record<(typeof FIELDS)[number], unknown>> = exact
    ? { status: "pending", priority: "none", tags: [], dueAt: null, remindAt: null, recurrence: null }
    : { ...before };
  let anyDue = false;
  for (const [key, value] of fields) {
    if (key === "due" && value === "*") anyDue = true;
    else if (key === "due") expected.dueAt = at(value);
    else if (key === "remind") expected.remindAt = at(value);
    else if (key === "at") expected.dueAt = expected.remindAt = at(value);
    else if (key === "every") expected.recurrence = value === "-" ? null : value;
    else if (key === "prio") expected.priority = value;
    else if (key === "tags") expected.tags = value.split(",");
    else if (key === "status") expected.status = value;
    else if (key === "title") expected.title = value;
    else throw new Error(`unknown field ${key}`);
  }
  if (!exact) expected.title ??= before?.title;
  for (const field of FIELDS) {
    if (field === "title" && exact) continue;
    if (field === "dueAt" && anyDue) {
      if (!task.dueAt) return "no due date (the series needs an anchor)";
      continue;
    }
    if (field === "recurrence") {
      if (!sameSeries(expected.recurrence as string | null, task.recurrence, task.dueAt)) return `recurrence ${task.recurrence}, want ${expected.recurrence}`;
      continue;
    }
    if (!same(expected[field], task[field])) return `${field} ${JSON.stringify(task[field])}, want ${JSON.stringify(expected[field])}`;
  }
  return undefined;
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return [...a].sort().join(",") === [...b].sort().join(",");
  if (typeof a === "string" && typeof b === "string" && /^\d{4}-/.test(a)) return Date.parse(a) === Date.parse(b);
  return a === b;
}

/** Two rules are the same series when they yield the same first 60 dates from the task's anchor. */
function sameSeries(wanted: string | null, actual: string | null, anchor: string | null): boolean {
  if (wanted === null || actual === null) return wanted === actual;
  const dtstart = new Date(anchor ?? NOW);
  const dates = (rule: string) =>
    new RRule({ ...RRule.parseString(rule.replace(/^RRULE:/, "")), dtstart })
      .all((_, index) => index < 60)
      .map((date) => date.getTime())
      .join(",");
  try {
    return dates(wanted) === dates(actual);
  } catch {
    return false;
  }
}
