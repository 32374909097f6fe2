import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";

/**
 * Whether a new password is too easy to guess. zxcvbn estimates how many
 * guesses an attacker needs, knowing the common-password lists (the 30 000
 * most used, with l33t and reversed variants), keyboard walks, repeats,
 * sequences, dates, and the words of the user's own email. Score 0 and 1 mean
 * fewer than a million guesses: "password", "12345678", "aaaaaaaa",
 * "password1", "qwertyuiop" and "ada.lovelace" for ada.lovelace@... are all
 * refused, while a passphrase of a few words passes.
 */
const MIN_SCORE = 2;

// The dictionaries are built once per process (about 70 ms), on first use.
let checker: ZxcvbnFactory | undefined;
const zxcvbn = () => (checker ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }));

/** Undefined when the password is fine; otherwise why it is refused, for the person choosing it. */
export async function weakPasswordReason(password: string, email: string): Promise<string | undefined> {
  if (containsEmail(password, email)) return "password must not contain your email address or its name part";
  const result = await zxcvbn().check(password, emailWords(email));
  if (result.score >= MIN_SCORE) return undefined;
  const hint = result.feedback.warning ? ` (${warningText(result.feedback.warning)})` : "";
  return `password is too easy to guess${hint}: use a few unrelated words or a longer phrase`;
}

/** The address and the name part of it, compared without case or punctuation ("Ada.Lovelace" ~ "adalovelace"). */
function containsEmail(password: string, email: string): boolean {
  const bare = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  const candidate = bare(password);
  const [local = ""] = email.split("@");
  return [bare(email), bare(local)].some((part) => part.length >= 4 && candidate.includes(part));
}

function emailWords(email: string): string[] {
  const lower = email.toLowerCase();
  const [local = "", domain = ""] = lower.split("@");
  return [lower, local, ...local.split(/[._+-]+/), ...domain.split(".")].filter((word) => word.length >= 3);
}

// zxcvbn's warnings are keys (its translations are a separate package); these read as a person would.
const WARNINGS: Record<string, string> = {
  topTen: "it is one of the ten most common passwords",
  topHundred: "it is one of the hundred most common passwords",
  common: "it is a very common password",
  similarToCommon: "it is a common password with small changes",
  simpleRepeat: "repeated characters are easy to guess",
  extendedRepeat: "repeated patterns are easy to guess",
  sequences: "sequences such as abc or 123 are easy to guess",
  keyPattern: "keyboard patterns are easy to guess",
  straightRow: "a row of keys is easy to guess",
  recentYears: "recent years are easy to guess",
  dates: "dates are easy to guess",
  userInputs: "it contains parts of your email",
  wordByItself: "a single word is easy to guess",
  namesByThemselves: "a name on its own is easy to guess",
  commonNames: "common names are easy to guess",
};
const warningText = (key: string) => WARNINGS[key] ?? "it matches a known pattern";
