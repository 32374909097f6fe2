import type { ConversationMemory, TaskSummary } from "../types.ts";

/** How a phrase naming tasks resolved: to ids, to several equally good candidates, or to nothing. */
export type Resolution =
  | { kind: "tasks"; ids: string[] }
  | { kind: "ambiguous"; candidates: TaskSummary[] }
  | { kind: "none"; phrase: string };

const ORDINALS: Record<string, number> = {
  first: 0, "1st": 0, one: 0, second: 1, "2nd": 1, two: 1, third: 2, "3rd": 2, three: 2,
  fourth: 3, "4th": 3, four: 3, fifth: 4, "5th": 4, five: 4,
};

/**
 * Resolves "it", "both", "them", "the second one", "#2", "all of them" against
 * what earlier turns showed or touched, and anything else by title against the
 * caller's tasks (exact, then contained, then shared words). `preferStatus`
 * picks pending tasks for complete/update and completed ones for reopen.
 */
/** Roman Urdu and Urdu-script reference words, in English. */
const LOCAL_REFERENCES: [RegExp, string][] = [
  [/^(?:pehla|pehle|pehli|پہلا|پہلے|پہلی)$/u, "first"], [/^(?:doosra|doosre|doosri|dusra|dusre|دوسرا|دوسرے|دوسری)$/u, "second"],
  [/^(?:teesra|teesre|teesri|تیسرا|تیسرے|تیسری)$/u, "third"], [/^(?:chautha|chauthe|چوتھا|چوتھے)$/u, "fourth"], [/^(?:aakhri|akhri|آخری)$/u, "last"],
  [/^(?:dono|donon|دونوں)$/u, "both"], [/^(?:sab|saare|sare|tamam|سب|سارے|تمام)$/u, "all"],
  [/^(?:isko|isey|ise|is|ye|yeh|usko|usey|use|us|wo|woh|اسے|اس|یہ|وہ|اسکو|اس کو|اُسے)$/u, "it"],
];

function inEnglish(phrase: string): string {
  const text = phrase
    .replace(/(?<![\p{L}\p{M}])(?:wala|wali|wale|waala|والا|والی|والے|kaam|کام|task|ٹاسک|ko|کو|ka|کا|ki|کی)(?![\p{L}\p{M}])/giu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const mapped = text.split(" ").map((word) => LOCAL_REFERENCES.find(([pattern]) => pattern.test(word))?.[1] ?? word);
  return mapped.join(" ");
}

export function resolveTasks(
  phrase: string,
  memory: ConversationMemory,
  tasks: TaskSummary[],
  preferStatus: "pending" | "completed" = "pending",
): Resolution {
  const english = inEnglish(phrase);
  // "the 2nd and 3rd", "pehla aur doosra": each part on its own, all of them.
  const pieces = english.split(/\s*(?:,|\band\b|\baur\b|\bاور\b|&)\s*/u).filter(Boolean);
  if (pieces.length > 1 && pieces.every((piece) => /^(?:the )?(?:#?\d+|first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)(?: one)?$/.test(piece))) {
    const ids: string[] = [];
    for (const piece of pieces) {
      const one = resolveOne(piece, memory, tasks, preferStatus);
      if (one.kind !== "tasks") return one;
      ids.push(...one.ids);
    }
    return { kind: "tasks", ids: [...new Set(ids)] };
  }
  // "call mom and gym": two titles, unless the whole phrase is one title ("call mom and dad").
  if (pieces.length > 1 && !tasks.some((task) => task.title.toLowerCase().includes(english.toLowerCase()))) {
    const each = pieces.map((piece) => resolveOne(piece, memory, tasks, preferStatus));
    if (each.every((one) => one.kind === "tasks" && one.ids.length === 1)) {
      return { kind: "tasks", ids: [...new Set(each.flatMap((one) => (one.kind === "tasks" ? one.ids : [])))] };
    }
  }
  return resolveOne(english, memory, tasks, preferStatus);
}

function resolveOne(phrase: string, memory: ConversationMemory, tasks: TaskSummary[], preferStatus: "pending" | "completed"): Resolution {
  const text = phrase
    .toLowerCase()
    .replace(/^(?:the |my |task |tasks |number |no\.? )+/, "")
    .replace(/\s+(?:task|one|item)s?$/, "")
    .replace(/[.!?]+$/, "")
    .trim();
  const listed = memory.listed ?? [];
  const touched = memory.touched ?? [];

  if (/^(?:it|that|this|that one|this one|the same)$/.test(text) || text === "") {
    const recent = touched.length > 0 ? touched : listed;
    if (recent.length === 1) return { kind: "tasks", ids: recent };
    return recent.length > 1 ? { kind: "ambiguous", candidates: byIds(recent, tasks) } : { kind: "none", phrase };
  }
  if (/^(?:both|both of them|them|these|those|them both)$/.test(text)) {
    const recent = touched.length >= 2 ? touched : listed;
    if (text.startsWith("both") && recent.length !== 2) {
      return recent.length > 2 ? { kind: "ambiguous", candidates: byIds(recent, tasks) } : { kind: "none", phrase };
    }
    return recent.length > 0 ? { kind: "tasks", ids: recent } : { kind: "none", phrase };
  }
  if (/^(?:all|all of them|all of those|all (?:the )?listed)$/.test(text)) {
    return listed.length > 0 ? { kind: "tasks", ids: listed } : { kind: "none", phrase };
  }
  const ordinal = /^(?:#|number |no\.? )?(\d+|first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|one|two|three|four|five)$/.exec(text);
  if (ordinal) {
    const word = ordinal[1]!;
    const index = word === "last" ? listed.length - 1 : /^\d+$/.test(word) ? Number(word) - 1 : ORDINALS[word]!;
    const id = listed[index];
    return id ? { kind: "tasks", ids: [id] } : { kind: "none", phrase };
  }
  return matchTitle(text, tasks, preferStatus);
}

function byIds(ids: string[], tasks: TaskSummary[]): TaskSummary[] {
  return ids.map((id) => tasks.find((task) => task.id === id) ?? { id, title: id, status: "pending" as const });
}

function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 1);
}

function matchTitle(text: string, tasks: TaskSummary[], preferStatus: "pending" | "completed"): Resolution {
  const preferred = tasks.filter((task) => task.status === preferStatus);
  for (const pool of [preferred, tasks]) {
    const exact = pool.filter((task) => task.title.toLowerCase() === text);
    if (exact.length === 1) return { kind: "tasks", ids: [exact[0]!.id] };
    if (exact.length > 1) return { kind: "ambiguous", candidates: exact };
    const contained = pool.filter((task) => task.title.toLowerCase().includes(text));
    if (contained.length === 1) return { kind: "tasks", ids: [contained[0]!.id] };
    if (contained.length > 1) return { kind: "ambiguous", candidates: contained };
    const wanted = words(text);
    if (wanted.length === 0) continue;
    const scored = pool
      .map((task) => {
        const have = words(task.title);
        return { task, score: wanted.filter((word) => have.some((h) => h === word || h.startsWith(word))).length / wanted.length };
      })
      .filter((entry) => entry.score >= 0.5);
    const best = Math.max(0, ...scored.map((entry) => entry.score));
    const top = scored.filter((entry) => entry.score === best).map((entry) => entry.task);
    if (top.length === 1) return { kind: "tasks", ids: [top[0]!.id] };
    if (top.length > 1) return { kind: "ambiguous", candidates: top };
  }
  return { kind: "none", phrase: text };
}
