/** Priority and tag phrases, and cleaning what is left into a title. */
export type Priority = "high" | "medium" | "low" | "none";

const PRIORITY_PHRASES: [RegExp, Priority][] = [
  [/(?:^|\s)!(high|urgent)\b/i, "high"],
  [/(?:^|\s)!(medium|med)\b/i, "medium"],
  [/(?:^|\s)!low\b/i, "low"],
  [/\b(?:with )?(?:a )?high[- ]priority\b|\burgent(?:ly)?\b|\bimportant\b|\basap\b|\bpriority high\b/i, "high"],
  [/\b(?:with )?(?:a )?medium[- ]priority\b|\bpriority medium\b/i, "medium"],
  [/\b(?:with )?(?:a )?low[- ]priority\b|\bpriority low\b|\bnot urgent\b/i, "low"],
  [/\bno priority\b/i, "none"],
];

export function findPriority(text: string): { priority: Priority; text: string } | undefined {
  for (const [pattern, priority] of PRIORITY_PHRASES) {
    const match = pattern.exec(text);
    if (match) return { priority, text: match[0] };
  }
  return undefined;
}

/** "#work", "tagged home", "tagged home and errands", "with tag work". */
export function findTags(text: string): { tags: string[]; texts: string[] } {
  const tags: string[] = [];
  const texts: string[] = [];
  for (const match of text.matchAll(/(?:^|\s)#([\p{L}\p{N}_-]{1,32})/gu)) {
    tags.push(match[1]!.toLowerCase());
    texts.push(match[0]);
  }
  const tagged = /\b(?:tagged|tags?|labell?ed|with (?:the )?tags?)(?: as| with)? ([a-z0-9_-]+(?:(?:,| and) [a-z0-9_-]+)*)/i.exec(text);
  if (tagged) {
    tags.push(...tagged[1]!.split(/,| and /).map((tag) => tag.trim().toLowerCase()).filter(Boolean));
    texts.push(tagged[0]);
  }
  return { tags: [...new Set(tags)], texts };
}

/** What remains of a message once the command words and slots are cut: the task's title. */
export function cleanTitle(text: string, cuts: string[]): string {
  let title = text;
  for (const cut of cuts) if (cut) title = title.replace(new RegExp(cut.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"), " ");
  title = title
    .replace(/\s+/g, " ")
    .replace(/^[\s,:;-]+|[\s,.:;!?-]+$/g, "")
    .replace(/^(?:a |an |the )?(?:task|todo|to-do|reminder)(?: to| for| called| named|:)?\s+/i, "")
    .replace(/\s+(?:on|at|by|for|due|in|with|and)$/i, "")
    .replace(/\s+(?:on|at|by|for|due|in|with|and)$/i, "")
    .trim();
  return title;
}
