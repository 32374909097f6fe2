/**
 * Urdu support: chrono-node and the English patterns know no Urdu, so a
 * message in Urdu script is rewritten into the English command it means,
 * keeping the task's own words (the title) in Urdu. Covers the common
 * phrasings; anything else falls through to the "did not understand" reply.
 */
export function isUrdu(text: string): boolean {
  return /[\u0600-\u06FF]/.test(text);
}

const WEEKDAYS: [string, string][] = [
  ["پیر", "monday"], ["منگل", "tuesday"], ["بدھ", "wednesday"], ["جمعرات", "thursday"],
  ["جمعہ", "friday"], ["ہفتہ", "saturday"], ["ہفتے", "saturday"], ["اتوار", "sunday"],
];
const DIGITS = "۰۱۲۳۴۵۶۷۸۹";
const WEEKDAY = WEEKDAYS.map(([urdu]) => urdu).join("|");

function westernDigits(text: string): string {
  return text.replace(/[۰-۹]/g, (digit) => String(DIGITS.indexOf(digit)));
}

/** Cuts the first match of `pattern` from the text and returns what it captured. */
function take(state: { text: string }, pattern: RegExp): RegExpExecArray | null {
  const match = pattern.exec(state.text);
  if (match) state.text = state.text.replace(match[0], " ");
  return match;
}

const B = "(?<![\\p{L}\\p{M}])";
const E = "(?![\\p{L}\\p{M}])";
const word = (alternatives: string) => new RegExp(`${B}(?:${alternatives})${E}`, "u");

export function urduToEnglish(message: string): string {
  const state = { text: westernDigits(message).replace(/[۔؟!?.]+/g, " ") };
  if (word("ہاں|جی ہاں|ہاں جی|ٹھیک ہے|جی").test(state.text) && state.text.trim().split(/\s+/).length <= 3) return "yes";
  if (/^\s*(?:نہیں|نہ|رہنے دو)\s*$/u.test(state.text)) return "no";
  if (word("مدد").test(state.text)) return "help";

  const when: string[] = [];
  const recurrence: string[] = [];
  let match: RegExpExecArray | null;
  if ((match = take(state, word(`ہر (${WEEKDAY})`)))) recurrence.push(`every ${englishDay(match[1]!)}`);
  else if (take(state, word("ہر روز|روزانہ|ہر دن"))) recurrence.push("every day");
  else if (take(state, word("ہر ہفتے|ہفتہ وار"))) recurrence.push("every week");
  else if (take(state, word("ہر مہینے|ماہانہ"))) recurrence.push("every month");
  if ((match = take(state, word(`اگلے (${WEEKDAY})`)))) when.push(`next ${englishDay(match[1]!)}`);
  else if (take(state, word("پرسوں"))) when.push("the day after tomorrow");
  else if (take(state, word("کل"))) when.push("tomorrow");
  else if (take(state, word("آج"))) when.push("today");
  const period = take(state, word("صبح|شام|رات|دوپہر"))?.[0];
  const hour = take(state, new RegExp(`(\\d{1,2})(?::(\\d{2}))?\\s*بجے${E}`, "u"));
  if (hour) {
    const suffix = period === "صبح" ? "am" : period ? "pm" : "";
    when.push(`at ${hour[1]}${hour[2] ? `:${hour[2]}` : ""}${suffix}`);
  } else if (period) {
    when.push(period === "صبح" ? "at 9am" : period === "دوپہر" ? "at 2pm" : period === "شام" ? "at 6pm" : "at 9pm");
  }
  const urgent = take(state, word("اہم|ضروری|فوری")) ? " urgent" : "";
  const tail = `${recurrence.length ? ` ${recurrence.join(" ")}` : ""}${when.length ? ` ${when.join(" ")}` : ""}${urgent}`;

  if (take(state, word("یاد دلانا|یاد دلاؤ|یاد دلائیں|یاد دلا دینا|یاد کرانا|یاد کروانا"))) return `remind me to ${title(state.text)}${tail}`;
  if (take(state, word("شامل کرو|شامل کریں|شامل کر دو|ایڈ کرو|نیا کام|لکھ لو"))) return `add ${title(state.text)}${tail}`;
  if (take(state, word("تلاش کرو|تلاش کریں|ڈھونڈو"))) return `search ${title(state.text)}`;
  if (take(state, word("دکھاؤ|دکھائیں|دکھا دو|بتاؤ|بتائیں|فہرست"))) {
    const done = word("مکمل|ختم شدہ").test(state.text) ? " completed" : "";
    const due = when.includes("today") ? " due today" : when.includes("tomorrow") ? " due tomorrow" : "";
    return `show my${done}${urgent ? " high priority" : ""} tasks${due}`;
  }
  if (take(state, word("سب کچھ حذف کرو|سب حذف کرو|سب مٹا دو|سارے کام حذف کرو|تمام کام حذف کرو"))) return "delete everything";
  if (take(state, word("دوبارہ کھولو|واپس کھولو|دوبارہ کھولیں|نامکمل کرو"))) return `reopen ${reference(state.text)}`;
  if (take(state, word("مکمل کرو|مکمل کریں|مکمل کر دو|ہو گیا|ہوگیا|کر لیا|ختم کرو"))) return `complete ${reference(state.text)}`;
  if (take(state, word("حذف کرو|حذف کریں|حذف کر دو|ڈیلیٹ کرو|مٹا دو|ہٹا دو|ختم کر دو"))) return `delete ${reference(state.text)}`;
  return message;
}

function englishDay(urdu: string): string {
  return WEEKDAYS.find(([name]) => name === urdu)?.[1] ?? "monday";
}

function title(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\s+(?:کو|کا|کی|کے)$/u, "").trim();
}

/** "پہلا والا", "دوسرے کام کو", "دونوں", "اسے", or a title. */
function reference(text: string): string {
  const rest = text
    .replace(word("والا|والی|والے|کو|کام|ٹاسک"), " ")
    .replace(word("والا|والی|والے|کو|کام|ٹاسک"), " ")
    .replace(/\s+/g, " ")
    .trim();
  const map: [string, string][] = [
    ["پہلا|پہلے|پہلی", "the first one"], ["دوسرا|دوسرے|دوسری", "the second one"], ["تیسرا|تیسرے|تیسری", "the third one"],
    ["آخری", "the last one"], ["دونوں", "both"], ["سب|سارے|تمام", "all"], ["اسے|اس|یہ|وہ|اسکو", "it"],
  ];
  for (const [urdu, english] of map) if (new RegExp(`^(?:${urdu})$`, "u").test(rest)) return english;
  return rest === "" ? "it" : rest;
}
