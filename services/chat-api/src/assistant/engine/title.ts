/**
 * What is left of a new-task message once its slots are cut, made into a
 * title: the command and filler words around it go ("remind me to", "pls",
 * "karna hai" keeps "karna" but not "hai", "مجھے ... کہ"), the user's words
 * and casing stay, and text is otherwise kept literally ("DROP TABLE x; --").
 */
const B = "(?<![\\p{L}\\p{M}\\p{N}])";
const E = "(?![\\p{L}\\p{M}\\p{N}])";

const LEADING = new RegExp(
  `^(?:${[
    "please", "pls", "plz", "plzz", "kindly", "براہ کرم", "برائے مہربانی", "meherbani (?:kar ke|karke)", "hey", "ok", "okay", "so", "also", "and", "oh", "bhai", "yaar", "yar", "ye", "yeh", "یہ",
    "can you", "can u", "could you", "could u", "would you", "will you", "u",
    "add(?: (?:a|an))?(?: new)?(?: (?:task|todo|to-do|item|reminder))?(?: (?:to|for|called|named|titled))?",
    "create(?: (?:a|an))?(?: new)?(?: (?:task|todo|to-do|item|reminder))?(?: (?:to|for|called|named|titled))?",
    "new (?:task|todo|to-do|item|reminder)(?: (?:to|for|called|named|titled))?", "new(?=\\s*:)", "نیا کام", "naya kaam",
    "(?:a |an )?(?:task|todo|to-do|to do)(?: (?:to|for|called|named|titled))?",
    "note to self", "note", "remember to", "remember 2", "remember", "put",
    "i need to", "i need 2", "need to", "need 2", "i have to", "i have 2", "have to", "i've got to", "ive got to", "got to", "i gotta", "gotta", "i must", "must", "i should", "i want to", "i wanna",
    "don'?t forget to", "do not forget to", "don'?t forget", "do not forget", "to (?:my|the) (?:list|todo list|to-do list|tasks)", "(?:my|the) (?:list|todo list|to-do list)(?=\\s*:)", "don'?t let me forget to", "do not let me forget to", "don'?t let me forget", "do not let me forget",
    "remind me to", "remind me 2", "remind me that", "remind me about(?: the)?", "remind me abt(?: the)?", "abt(?: the)?", "remind me of", "remind me", "ping me to", "ping me about(?: the)?", "ping me",
    "alert me to", "alert me about(?: the)?", "alert me", "nudge me to", "nudge me",
    "set (?:a |an |the )?reminder (?:for|to|about|of)", "set (?:a |an |the )?reminder", "reminder to", "reminder for", "reminder about(?: the)?", "reminder",
    "schedule(?: (?:a|an))?",
    "mujhe", "mjhe", "mujhay", "مجھے", "meri", "mera", "yaad se", "یاد سے",
    "ya+d (?:dilana|dila dena|dilao|dilaen|dilayen|karwana|karana|kara dena|rakhna|krwana|krana)", "remind (?:kar dena|karna|karo|kar do)",
    "یاد (?:دلانا|دلا دینا|دلاؤ|دلائیں|کروانا|کرانا)",
    "ke", "keh", "کہ", "that", "about(?: the| my)?",
    "ko", "pe", "par", "tak", "کو", "پر", "تک",
  ].join("|")})${E}[\\s,:;.!\\-–—]*`,
  "iu",
);

const TRAILING = new RegExp(
  `[\\s,:;]*${B}(?:${[
    "hai", "hain", "he", "hay", "hy", "h", "ہے", "ہیں", "بھی",
    "شامل (?:کرو|کریں|کر دو|کر دیں)", "ایڈ (?:کرو|کر دو)", "لکھ لو", "(?:add|shamil|note|likh) (?:kar do|karo|kar lo|kr do|lo)", "likh lo",
    "ya+d (?:dilana|dila dena|dilao|dilaen|dilayen|karwana|karana|kara dena|rakhna|krwana|krana)", "remind (?:kar dena|karna|karo|kar do)",
    "یاد (?:دلانا|دلا دینا|دلاؤ|دلائیں|کروانا|کرانا)",
    "to (?:my|the) (?:list|tasks|todo list|to-do list|todos)", "b4", "on (?:my|the) list",
    "please", "pls", "plz", "bhai", "yaar", "thanks", "thx", "for me", "too",
    "ka", "ki", "ke", "ko", "pe", "par", "tak", "se", "کا", "کی", "کے", "کو", "پر", "تک", "سے",
    "on", "at", "by", "for", "due", "in", "with", "and", "before", "until", "till", "from", "to", "around", "starting", "@", "its", "it's", "is",
  ].join("|")})${E}$`,
  "iu",
);

export function cleanTitle(rest: string): string {
  let title = rest.replace(/\(\s*\)/g, " ").replace(/\s+/g, " ").trim();
  for (let previous = ""; previous !== title; ) {
    previous = title;
    title = title
      .replace(LEADING, "")
      .replace(TRAILING, "")
      .replace(/^[\s,:;.\-–—]+/, "")
      .replace(/[\s,:;!?.–—]+$/, "")
      .replace(/(?<=\S)\s+-$/, "")
      .trim();
  }
  return unquote(title);
}

export function unquote(text: string): string {
  return text.trim().replace(/^["'“”‘’](.*)["'“”‘’]$/, "$1").trim();
}
