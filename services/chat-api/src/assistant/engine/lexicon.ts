/**
 * The message as the slot finders read it: Roman Urdu and Urdu-script date,
 * time, recurrence and priority phrases, and English chat shorthand, are
 * rewritten into the English phrase they mean ("kal shaam 5 baje" -> "tomorrow
 * evening at 5"), everything else is kept as typed. Only slot words are
 * rewritten, so what the finders leave over (the title) is the user's own
 * words; `original` maps a span of the rewritten text back to what was typed
 * (for the quick-add preview).
 */
export interface Working {
  text: string;
  original(start: number, end: number): string;
}

type Rule = [RegExp, string | ((...groups: string[]) => string)];

const L = "\\p{L}\\p{M}";
const DIGITS = "۰۱۲۳۴۵۶۷۸۹";

const NUMBER_WORDS: Record<string, string> = {
  ek: "1", aik: "1", do: "2", teen: "3", char: "4", chaar: "4", paanch: "5", panch: "5", das: "10", bees: "20", tees: "30", pandrah: "15",
  ایک: "1", دو: "2", تین: "3", چار: "4", پانچ: "5", دس: "10", بیس: "20", تیس: "30", پندرہ: "15",
};
const NUM = `(\\d{1,3}|${Object.keys(NUMBER_WORDS).join("|")})`;
const num = (word: string) => NUMBER_WORDS[word.toLowerCase()] ?? word;

const ROMAN_DAYS: [string, string][] = [
  ["peer|pir|somwar|somvar", "monday"], ["mangal|mangalwar", "tuesday"], ["budh|budhwar", "wednesday"],
  ["jumeraat|jumerat|jumeraat|jumairat|jumaraat", "thursday"], ["jumma|juma|jumme|jumay|jummay|jumey", "friday"], ["itwar|itwaar|itvar|itwār", "sunday"],
];
const URDU_DAYS: [string, string][] = [
  ["پیر|سوموار", "monday"], ["منگل", "tuesday"], ["بدھ", "wednesday"], ["جمعرات", "thursday"], ["جمعہ|جمعے", "friday"], ["اتوار", "sunday"],
];
/** hafta is Saturday and also a week: Saturday only as "hafte ko". */
const SATURDAY: [string, string] = ["hafte|hafta|hafty|haftay|ہفتے|ہفتہ", "saturday"];
const DAY_WORDS: [string, string][] = [...ROMAN_DAYS, ...URDU_DAYS, SATURDAY];
/** Longest spelling first, so "juma" does not stop "jumay" from matching. */
const longestFirst = (lists: [string, string][]) => lists.flatMap(([words]) => words.split("|")).sort((a, b) => b.length - a.length).join("|");
const WEEKDAY = longestFirst([...ROMAN_DAYS, ...URDU_DAYS]);
const ANY_DAY = longestFirst(DAY_WORDS);
const dayOf = (word: string) => DAY_WORDS.find(([words]) => new RegExp(`^(?:${words})$`, "iu").test(word.trim()))?.[1] ?? word;

const ON = "(?:\\s+(?:ko|pe|par|tak|کو|پر|تک))?";
const ORDINAL_URDU: Record<string, string> = { pehli: "1st", pehle: "1st", پہلی: "1st", doosri: "2nd", دوسری: "2nd", aakhri: "last", آخری: "last" };

/** Ordered: longer phrases first. Each pattern is tried at word starts only. */
const RULES: Rule[] = [
  // recurrence
  [new RegExp(`(?:har|ہر) (?:mahine|maheene|mahina|month|مہینے) (?:ki|کی) (pehli|doosri|aakhri|پہلی|دوسری|آخری|\\d{1,2}) (?:tareekh|tarikh|date|تاریخ)${ON}`, "iu"),
    (day) => `on the ${ORDINAL_URDU[day.toLowerCase()] ?? `${day}th`} of every month`],
  [new RegExp(`(?:har|ہر) (?:saal|sal|سال) (\\d{1,2}) (\\p{L}+)${ON}`, "iu"), (day, month) => `every year on ${month} ${day}`],
  [new RegExp(`(?:har|ہر) ${NUM} (ghante|ghanta|گھنٹے|din|دن|hafte|ہفتے|mahine|مہینے)(?: (?:baad|bad|بعد))?`, "iu"),
    (n, unit) => `every ${num(n)} ${/ghant|گھنٹ/.test(unit) ? "hours" : /din|دن/.test(unit) ? "days" : /haft|ہفت/.test(unit) ? "weeks" : "months"}`],
  [/(?:har|ہر) (?:doosre|dusre|دوسرے) (?:din|دن)/iu, "every other day"],
  [/(?:har roz|har din|rozana|roz ana|ہر روز|ہر دن|روزانہ)/iu, "every day"],
  [/(?:har subah|ہر صبح)/iu, "every morning"],
  [/(?:har raat|ہر رات)/iu, "every night"],
  [/(?:har shaam|har sham|ہر شام)/iu, "every evening"],
  [new RegExp(`(?:har|ہر) (?:hafte|ہفتے) (${WEEKDAY})${ON}`, "iu"), (day) => `every ${dayOf(day)}`],
  [new RegExp(`(?:har|ہر) (${WEEKDAY})${ON}`, "iu"), (day) => `every ${dayOf(day)}`],
  [/(?:har hafte|har hafta|har hafty|har haftay|ہر ہفتے|ہفتہ وار)/iu, "every week"],
  [/(?:har mahine|har maheene|ہر مہینے|ماہانہ)/iu, "every month"],
  [/(?:har saal|ہر سال|سالانہ)/iu, "every year"],
  // relative times
  [new RegExp(`(?:aadhe|آدھے) (?:ghante|گھنٹے) (?:baad|bad|mein|main|me|بعد|میں)`, "iu"), "in 30 minutes"],
  [new RegExp(`${NUM} (?:ghante|ghanta|ghantay|گھنٹے|گھنٹہ) (?:baad|bad|mein|main|me|بعد|میں)`, "iu"), (n) => `in ${num(n)} hours`],
  [new RegExp(`${NUM} (?:minute|minat|mint|min|mins|منٹ) (?:baad|bad|mein|main|me|بعد|میں)`, "iu"), (n) => `in ${num(n)} minutes`],
  [new RegExp(`${NUM} (?:din|دن) (?:baad|bad|mein|main|بعد|میں)`, "iu"), (n) => `in ${num(n)} days`],
  // clock times
  [/(?:saadhe|sadhe|ساڑھے) (\d{1,2}) ?(?:baje|bje|bajay|bjay|بجے)/iu, (h) => `at ${h}:30`],
  [/(\d{1,2})(?::(\d{2}))? ?(?:baje|bje|bajay|bjay|بجے)/iu, (h, m) => `at ${h}${m ? `:${m}` : ""}`],
  // parts of day
  [/(?:aaj|aj|آج) (?:raat|رات)(?: (?:ko|کو))?/iu, "tonight"],
  [/(?:aaj|aj|آج) (?:shaam|sham|شام)(?: (?:ko|کو))?/iu, "this evening"],
  [/(?:subah|subha|sube|subh|صبح)(?: (?:ko|کو|mein|میں))?/iu, "morning"],
  [/(?:dopahar|dopehar|dopeher|dupehar|دوپہر)(?: (?:ko|کو|mein|میں))?/iu, "afternoon"],
  [/(?:shaam|sham|شام)(?: (?:ko|کو|mein|میں))?/iu, "evening"],
  [/(?:raat|رات)(?: (?:ko|کو|mein|میں))?/iu, "night"],
  // days
  [new RegExp(`(?:agle|agla|aglay|agly|اگلے) (${WEEKDAY})${ON}`, "iu"), (day) => `next ${dayOf(day)}`],
  [/(?:agle|agla|aglay|agly|اگلے) (?:hafte|hafta|hafty|haftay|ہفتے)(?: (?:tak|تک))?/iu, "next week"],
  [/(?:is|اس) (?:hafte|ہفتے)/iu, "this week"],
  [/(?:agle|اگلے) (?:mahine|مہینے) (?:ki|کی) (\d{1,2}) (?:tareekh|tarikh|تاریخ)(?: (?:ko|کو))?/iu, (day) => `on the ${day}th of next month`],
  [/(?:is|اس) (?:mahine|مہینے) (?:ki|کی) (\d{1,2}) (?:tareekh|tarikh|تاریخ)(?: (?:ko|کو))?/iu, (day) => `on the ${day}th`],
  [/(\d{1,2}) (?:tareekh|tarikh|تاریخ)(?: (?:ko|کو))?/iu, (day) => `on the ${day}th`],
  [/(?:agle|اگلے) (?:mahine|مہینے)/iu, "next month"],
  [new RegExp(`(?:parson|parso|parsun|پرسوں)${ON}`, "iu"), "the day after tomorrow"],
  [new RegExp(`(?:kal|kl|کل)${ON}`, "iu"), "tomorrow"],
  [new RegExp(`(?:aaj|aj|آج)${ON}`, "iu"), "today"],
  // a bare Roman weekday needs its postposition ("peer ko"): "peer review" is not a Monday
  [new RegExp(`(${ANY_DAY})(?:\\s+(?:ko|pe|par|tak|کو|پر|تک))`, "iu"), (day) => dayOf(day)],
  [new RegExp(`(${longestFirst(URDU_DAYS)})`, "u"), (day) => dayOf(day)],
  // priority
  [/(?:zaroori|zaruri|zarori|urgent|ضروری|اہم) (?:nahi|nahin|نہیں)(?: (?:hai|ہے))?/iu, "not urgent"],
  [/(?:bohat |bahut |بہت )?(?:zaroori|zaruri|zarori|ahem|ahm|ضروری|اہم|فوری)(?: (?:hai|ہے))?/iu, "urgent"],
  [/urgent hai/iu, "urgent"],
  // English shorthand
  [/(?:tmrw|tmrow|tmr|tomorow|tommorow|tommorrow|tomorroww|2morrow|2moro|2mrw|tomoro|tmorrow)/iu, "tomorrow"],
  [/(?:tonite|2nite)/iu, "tonight"],
  [/(?:thurs|thur|thrs)(?![\p{L}])/iu, "thursday"],
  [/tues(?![\p{L}])/iu, "tuesday"],
  [/weds(?![\p{L}])/iu, "wednesday"],
  [/(?:aftn|arvo|aftrnoon|afternon)/iu, "afternoon"],
  [/(?:mrng|mornin|morng|mrning)/iu, "morning"],
  [/(?:evng|eveng)/iu, "evening"],
  [/(?:nite)/iu, "night"],
  // "remind me in 10": minutes
  [/in (\d{1,2})(?=\s*[.!?]*$)/iu, (n) => `in ${n} minutes`],
  [/(?:by )?eod/iu, "at 5pm"],
  [/end of (?:the )?week/iu, "friday"],
  [/this weekend|the weekend/iu, "saturday"],
  [/(?:the )?day after (?:tomorrow|tmrw|tomorow)/iu, "the day after tomorrow"],
  [/(in|within) (\d{1,3}) ?(?:mins|min|minz)(?![\p{L}])/iu, (word, n) => `${word} ${n} minutes`],
  [/(in|within) (\d{1,3}) ?(?:hrs|hr)(?![\p{L}])/iu, (word, n) => `${word} ${n} hours`],
  // "make it 6": after a correction verb a bare number is an hour
  [/(make|change|move|push|set|shift) (it|that|this) (?:to |at )?(\d{1,2}(?::\d{2})?)(?=\s*[.!?]*$)/iu, (verb, ref, hour) => `${verb} ${ref} at ${hour}`],
  [/(?:at|@) ?([01]\d|2[0-3])([0-5]\d)(?![\p{L}\d])/iu, (h, m) => `at ${h}:${m}`],
  [/@ ?(?=\d)/u, "at "],
];

export function toWorking(message: string): Working {
  const source = message.replace(/[۰-۹]/g, (digit) => String(DIGITS.indexOf(digit)));
  // pieces: [workStart, workEnd, origStart, origEnd] of each rewritten phrase
  const pieces: [number, number, number, number][] = [];
  let text = "";
  let index = 0;
  outer: while (index < source.length) {
    const before = source[index - 1] ?? " ";
    if (!new RegExp(`[${L}\\d]`, "u").test(before) || source[index] === "@") {
      for (const [pattern, replacement] of RULES) {
        const sticky = new RegExp(pattern.source, `${pattern.flags.replace("g", "")}y`);
        sticky.lastIndex = index;
        const match = sticky.exec(source);
        if (!match || match[0].length === 0) continue;
        const after = source[index + match[0].length] ?? " ";
        if (new RegExp(`[${L}\\d]`, "u").test(after) && !/\s$/.test(match[0])) continue;
        const out = typeof replacement === "string" ? replacement : replacement(...match.slice(1).map((group) => group ?? ""));
        pieces.push([text.length, text.length + out.length, index, index + match[0].length]);
        text += out;
        index += match[0].length;
        continue outer;
      }
    }
    text += source[index];
    index++;
  }
  const toOriginal = (position: number, side: "start" | "end"): number => {
    let shift = 0;
    for (const [ws, we, os, oe] of pieces) {
      if (position < ws || (side === "end" && position === ws)) break;
      if (position < we || (side === "end" && position === we)) return side === "start" ? os : oe;
      shift = oe - we;
    }
    return position + shift;
  };
  return { text, original: (start, end) => message.slice(toOriginal(start, "start"), toOriginal(end, "end")) };
}
