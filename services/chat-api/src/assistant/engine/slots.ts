/** Priority and tag phrases, wherever they are in a message. */
export type Priority = "high" | "medium" | "low" | "none";

export interface FoundPriority {
  priority: Priority;
  text: string;
  span: [number, number];
}

/**
 * Negations first: "not urgent" is low, never high. p1-p4 as in most todo
 * apps (p1 highest; p4, the lowest anyone types, is low).
 */
const PRIORITY_PHRASES: [RegExp, Priority][] = [
  [/\(?\b(?:its |it's |it is |this is )?not (?:that |very |so |too )?(?:urgent|important)\)?|\bno rush\b|\bno hurry\b|\b(?:with )?(?:a )?low[- ]priority\b:?|\bpriority:? low\b|(?:^|\s)!low\b|\bp[34]\b|\blow prio\b/i, "low"],
  [/\bno priority\b/i, "none"],
  [/(?:^|\s)!(?:medium|med)\b|\b(?:with )?(?:a )?medium[- ]priority\b:?|\bpriority:? medium\b|\bp2\b/i, "medium"],
  [/(?:^|\s)!(?:high|urgent|important)\b|\b(?:its |it's |it is )?(?:very |super |really |bohat |bahut )?(?:urgent(?:ly)?|important|asap)\b(?:!+|:)?|(?:^|\s)!{2,}(?=\s|$)|\b(?:with )?(?:a )?high[- ]priority\b:?|\bpriority:? high\b|\bp1\b|\bhigh prio\b/i, "high"],
];

/** "set the priority of pay rent to low": a bare level counts once the word priority was said. */
const LEVEL_AFTER_PRIORITY = /\b(?:to|as) (high|medium|low|none)\b/i;

export function findPriority(text: string): FoundPriority | undefined {
  const phrases: [RegExp, Priority | undefined][] = /\bpriority\b/i.test(text) ? [...PRIORITY_PHRASES, [LEVEL_AFTER_PRIORITY, undefined]] : PRIORITY_PHRASES;
  for (const [pattern, priority] of phrases) {
    const match = pattern.exec(text);
    if (match) {
      const lead = match[0].length - match[0].trimStart().length;
      return { priority: priority ?? (match[1]!.toLowerCase() as Priority), text: match[0].trim(), span: [match.index + lead, match.index + match[0].length] };
    }
  }
  return undefined;
}

const TAG = "[\\p{L}][\\p{L}\\p{N}_-]{0,31}";

/** "#work", "tag it health", "tagged home and errands", "put it under work", "tag: work". */
export function findTags(text: string): { tags: string[]; texts: string[]; spans: [number, number][] } {
  const tags: string[] = [];
  const spans: [number, number][] = [];
  for (const match of text.matchAll(new RegExp(`(?:^|\\s)#(${TAG})`, "gu"))) {
    tags.push(match[1]!.toLowerCase());
    const lead = match[0].startsWith("#") ? 0 : 1;
    spans.push([match.index! + lead, match.index! + match[0].length]);
  }
  const phrases = [
    new RegExp(`,?\\s*\\b(?:and )?(?:tag (?:it|this|that)|tagged|label(?:led|ed)?(?: it)?) (?:as |with )?(${TAG}(?:(?:,| and) ${TAG})*)`, "iu"),
    new RegExp(`,?\\s*\\b(?:tags?|labels?):\\s*(${TAG}(?:(?:,| and) ${TAG})*)`, "iu"),
    new RegExp(`,?\\s*\\bwith (?:the )?tags? (${TAG}(?:(?:,| and) ${TAG})*)`, "iu"),
    new RegExp(`,?\\s*\\b(?:put|file) (?:it |this |that )?under (${TAG})`, "iu"),
    new RegExp(`\\s\\bunder (${TAG})$`, "iu"),
  ];
  for (const pattern of phrases) {
    const match = pattern.exec(text);
    if (!match) continue;
    tags.push(...match[1]!.split(/,| and /).map((tag) => tag.trim().toLowerCase()).filter(Boolean));
    spans.push([match.index, match.index + match[0].length]);
    break;
  }
  return { tags: [...new Set(tags)], texts: spans.map(([start, end]) => text.slice(start, end)), spans };
}
