import type { Language } from "../types.ts";
import { toWorking, type Working } from "./lexicon.ts";
import { findRecurrence, type FoundRecurrence } from "./recurrence-phrases.ts";
import { findPriority, findTags, type FoundPriority } from "./slots.ts";
import { findWhen, type FoundWhen } from "./when.ts";

/**
 * One message taken apart: every slot found wherever it stands (tags,
 * priority, recurrence with its end, date and time), and the rest, the
 * message with those words cut, from which the intent and the title are read.
 */
export interface ParsedMessage {
  language: Language;
  working: Working;
  when?: FoundWhen;
  recurrence?: FoundRecurrence;
  priority?: FoundPriority;
  tags: string[];
  /** The message without its slot words, spaces collapsed, in the user's casing. */
  rest: string;
  /** Each filled field and the words (as typed) that filled it. */
  words: Partial<Record<"dueAt" | "recurrence" | "priority" | "tags", string>>;
}

export type Clock = { now: Date; timeZone: string };

const ROMAN_MARKERS =
  /\b(?:hai|hain|kal|aaj|parson|karna|karni|karne|karwana|karwani|karani|kar do|kardo|kr do|ko|ka|ki|ke|mujhe|mjhe|mere|meri|mera|dikhao|dikha|baje|bje|ghante|subah|shaam|raat|dopahar|har roz|rozana|yaad|dilana|wala|wali|gaya|gya|isko|isey|ise|usko|nahi|nahin|kya|jana|lena|leni|lani|zaroori|kaam|hata|mita|mukammal|doosra|dusra|pehla|teesra|shukriya|shukria|madad|salam|salaam|agle|tareekh|mahine|hafte|dono|kro|krna|krni|bje|yad)\b/i;

export function detectLanguage(text: string): Language {
  if (/[\u0600-\u06FF]/.test(text)) return "ur";
  return ROMAN_MARKERS.test(text) ? "ur-Latn" : "en";
}

const PART_BY_HOUR: Record<number, string> = { 9: "morning", 14: "afternoon", 18: "evening", 21: "night" };

export function parseMessage(message: string, clock: Clock): ParsedMessage {
  const working = toWorking(message.replace(/\s+/g, " ").trim());
  // Quoted words are the user's own: no slot is read inside them.
  const quoted = [...working.text.matchAll(/["“]([^"”]+)["”]/g)].map((match): [number, number] => [match.index!, match.index! + match[0].length]);
  let text = working.text;
  for (const [start, end] of quoted) text = text.slice(0, start) + "_".repeat(end - start) + text.slice(end);
  const cut: [number, number][] = [];
  const words: ParsedMessage["words"] = {};
  const take = (spans: [number, number][]) => {
    for (const [start, end] of spans) {
      cut.push([start, end]);
      text = text.slice(0, start) + " ".repeat(end - start) + text.slice(end);
    }
  };
  // The words as typed; overlapping or neighbouring spans read as one phrase.
  const said = (spans: [number, number][]) => {
    const merged: [number, number][] = [];
    for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
      const last = merged.at(-1);
      if (last && (start <= last[1] || working.text.slice(last[1], start).trim() === "")) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    return merged.map(([start, end]) => working.original(start, end).trim()).filter(Boolean).join(" … ");
  };

  const tags = findTags(text);
  if (tags.tags.length > 0) {
    words.tags = said(tags.spans);
    take(tags.spans);
  }
  const priority = findPriority(text);
  if (priority) {
    words.priority = said([priority.span]);
    take([priority.span]);
  }
  const recurrence = findRecurrence(text, clock.now, clock.timeZone);
  if (recurrence) {
    words.recurrence = said(recurrence.spans);
    take(recurrence.spans);
  }
  const when = findWhen(text, clock.now, clock.timeZone, recurrence?.hour === undefined ? undefined : PART_BY_HOUR[recurrence.hour]);
  if (when) {
    words.dueAt = said(when.spans);
    take(when.spans);
  }
  for (const [start, end] of quoted) text = text.slice(0, start) + working.text.slice(start, end) + text.slice(end);
  const rest = text.replace(/\s+/g, " ").trim();
  return { language: detectLanguage(message), working, when, recurrence, priority, tags: tags.tags, rest, words };
}
