/**
 * The intents the assistant knows and the words that trigger each, in
 * English, Roman Urdu and Urdu script. Patterns read the message with its
 * slots (dates, recurrence, priority, tags) already cut out, lowercase-
 * insensitive; `target` is the task a command is about. A message no pattern
 * claims is a new task. The table is tried in order: the first match wins.
 */
export type IntentName =
  | "help"
  | "greet"
  | "dismiss"
  | "also"
  | "shift"
  | "undo"
  | "deleteAll"
  | "snooze"
  | "remindBefore"
  | "clearReminder"
  | "stopRecurrence"
  | "rename"
  | "clearDue"
  | "tag"
  | "reopen"
  | "complete"
  | "delete"
  | "details"
  | "search"
  | "list"
  | "remindExisting"
  | "edit"
  | "question";

export interface Intent {
  name: IntentName;
  /** Matched against the whole message (true) or against what is left once the slots are cut (false). */
  whole?: boolean;
  en?: RegExp[];
  roman?: RegExp[];
  ur?: RegExp[];
}

const DONE_EN = "done|complete|completed|finished|over|sorted|taken care of";
const DONE_ROMAN = "ho gaya|ho gya|hogaya|hogya|ho gayi|ho gyi|ho gaye|ho gye|kar liya|kr liya|kar li|kr li|kar diya|done hai|ho chuka|mukammal hai|khatam";
const DONE_UR = "ہو گیا|ہوگیا|ہو گئی|ہو گئے|کر لیا|کر لی|مکمل ہے|ہو چکا|ختم";
const DO = "(?:kar do|kardo|kr do|krdo|karo|kro|kar dein|kar den|kar dena|kar dijiye|do)";
const DO_UR = "(?:کر دو|کرو|کریں|کر دیں|کر دیجیے|دو)";

export const INTENTS: Intent[] = [
  {
    name: "help",
    whole: true,
    en: [/^(?:help|\?|what can you do|how does this work|commands|menu|how do i use this)$/],
    roman: [/^(?:madad|help karo|kya kar sakte ho|tum kya kar sakte ho)$/],
    ur: [/^(?:مدد|مدد کرو|آپ کیا کر سکتے ہیں)$/u],
  },
  {
    name: "greet",
    whole: true,
    en: [/^(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening|night)|thanks|thank you|thank u|thx|ty|ok|okay|k|cool|great|nice|awesome|lol|bye|goodbye|got it|perfect|yes|no|yeah|yep|nope|sure|nah)(?: (?:so much|a lot|bro|man|buddy|there|again|mate))?$/],
    roman: [/^(?:salam|salaam|assalam ?o ?alaikum|aoa|shukriya|shukria|shukrya|meherbani|theek hai|acha|achha|ok ji|jazakallah|allah hafiz|khuda hafiz)(?: (?:bhai|yaar|ji))?$/],
    ur: [/^(?:سلام|السلام علیکم|شکریہ|مہربانی|ٹھیک ہے|اچھا|خدا حافظ|اللہ حافظ|جزاک اللہ)$/u],
  },
  {
    name: "dismiss",
    whole: true,
    en: [/^(?:cancel|never ?mind|nvm|forget it|stop|leave it|no thanks|nothing)$/],
    roman: [/^(?:rehne do|chhoro|chodo|kuch nahi|koi baat nahi)$/],
    ur: [/^(?:رہنے دو|چھوڑو|کچھ نہیں)$/u],
  },
  {
    name: "also",
    whole: true,
    en: [/^(?:and|also|plus|same for|same with|and also) (?<target>.+?)(?: too| as well| also)?$/],
    roman: [/^(?:aur|or) (?<target>.+?)(?: bhi)$/],
    ur: [/^(?:اور) (?<target>.+?)(?: بھی)$/u],
  },
  {
    name: "shift",
    whole: true,
    en: [/^(?:postpone|push|delay|move|shift|bump|push back)(?: (?<target>.+?))? (?:by|for) (?<amount>\d+|an?|one|a couple of) (?<unit>minutes?|mins?|hours?|hrs?|days?|weeks?)(?: later)?$/],
  },
  {
    name: "undo",
    whole: true,
    en: [/^(?:undo|undo (?:that|it|this|please|the last (?:one|change))|revert(?: that| it)?|oops,? undo|take that back|undo last)$/],
    roman: [/^(?:undo|wapas|wapis) (?:kar do|karo|kardo|kr do|le lo|lo)$/],
    ur: [/^(?:واپس کرو|واپس کر دو|واپس لے لو|انڈو کر دو)$/u],
  },
  {
    name: "deleteAll",
    whole: true,
    en: [/^(?:delete|remove|clear|erase|wipe|trash)(?: out)? (?:everything|all(?: of)?(?: my)?(?: tasks| todos| to-dos)?|every task)$/],
    roman: [/^(?:sab|sab kuch|saare kaam|sare kaam|tamam kaam) (?:delete|khatam|mita|hata|clear) (?:kar do|karo|kardo|kr do|do)$/],
    ur: [/^(?:سب|سب کچھ|سارے کام|تمام کام) (?:حذف|ڈیلیٹ|مٹا|ختم) (?:کر دو|کرو|کریں|دو)$|^(?:سب|سب کچھ|سارے کام) مٹا دو$/u],
  },
  {
    name: "snooze",
    whole: true,
    en: [
      /^snooze(?: (?:it|that|this|the reminder|reminder))?(?: (?:for|by))?(?: (?<amount>\d+|an?|one|half an?) ?(?<unit>min|mins|minute|minutes|m|hour|hours|hr|hrs|h))?$/,
      /^(?:snooze(?: (?:it|that|this|the reminder|reminder))? (?:until|till|to|for|at|in) .+|remind me again(?: (?:in|at|until|tomorrow|tonight|later).*)?|ask me again .+)$/,
    ],
    roman: [/^(?:isko |ise )?(?<amount>\d+) ?(?<unit>minute|min|mins|ghante|ghanta) (?:baad|bad) (?:yaad dilana|dobara yaad dilana|phir yaad dilana)$/],
  },
  {
    name: "remindBefore",
    whole: true,
    en: [/^(?:also )?remind me (?<amount>\d+|an?|one|half an?) ?(?<unit>min|mins|minute|minutes|hour|hours|hr|hrs|day|days) (?:before|earlier|ahead)(?: (?:it|that|(?<target>.+)))?$/],
  },
  {
    name: "clearReminder",
    en: [
      /^(?:remove|clear|cancel|delete|turn off|drop|unset) (?:the |my )?reminders?(?: (?:for|of|on|from|about) (?<target>.+))?$/,
      /^(?:don't|do not|dont) remind me (?:about|of) (?<target>.+)$/,
    ],
    roman: [/^(?:(?<target>.+?) (?:ki|ka) )?(?:yaad dihani|reminder) (?:hata|band|khatam|cancel) (?:kar do|karo|do)$/],
  },
  {
    name: "stopRecurrence",
    en: [
      /^(?:stop|cancel|end) (?:repeating|recurring|the recurrence(?: of| for)?|recurrence(?: of| for)?|the repeat(?: of| for)?)(?: (?<target>.+))?$/,
      /^(?:stop|cancel) (?<target>.+?) (?:from )?(?:repeating|recurring)$/,
      /^(?:no longer|don'?t|do not|never) (?:repeat|recur) (?<target>.+)$/,
      /^make (?<target>.+?) (?:not recurring|non-recurring|not repeat(?:ing)?|one-off|a one-off|one time)$/,
      /^(?<target>.+?) should (?:no longer|not|stop) (?:repeat|recur)(?:ing)?$/,
      /^(?:remove|clear) (?:the )?(?:recurrence|repeat)(?: (?:of|from|for) (?<target>.+))?$/,
    ],
    roman: [/^(?:(?<target>.+?) (?:ko )?)?(?:dohrana|repeat) band (?:kar do|karo|do)$/],
  },
  {
    name: "rename",
    whole: true,
    en: [
      /^(?:rename|retitle) (?<target>.+?) (?:to|as) (?<title>.+)$/,
      /^change (?:the )?(?:title|name)(?: of (?<target>.+?))? to (?<title>.+)$/,
      /^(?:call|name) (?<target>it|that|this) (?<title>.+)$/,
    ],
    roman: [/^(?<target>.+?) ka naam (?<title>.+?) (?:rakh do|kar do|rakho)$/],
  },
  {
    name: "clearDue",
    en: [/^(?:remove|clear|drop) (?:the )?(?:due date|deadline) (?:of|from|for|on) (?<target>.+)$/],
  },
  {
    name: "tag",
    whole: true,
    en: [/^tag (?<target>.+?) (?:with|as) (?<tags>.+)$/, /^add (?:the )?tags? (?<tags>.+?) to (?<target>.+)$/],
  },
  {
    name: "list",
    en: [
      /^(?:display|view|give me|what are|which tasks|todo list|to do list|to-do list|what's left|whats left|what is left|what's next|whats next)\b/,
      // "show up at the party", "list items for the trip" are things to do
      /^(?:show|list)(?: me)?(?:$| (?:my|all|every|the (?:tasks|todos|list)|tasks|todos|to-dos|everything|pending|open|completed|done|finished|overdue|urgent|high|low|today|tomorrow|this|them|stuff|what|what's|whats|newest|oldest|latest|top|first|by|sorted)\b| [\p{L}\d_-]+ (?:tasks|stuff|items|todos|things)$)/u,
      /^what (?:did|have) i (?:finish|finished|complete|completed|do|done)\b/,
      /^(?:what|whats|what's|what is|what do|do i|do we|what should|what have|what will|is there|are there|anything|any|how many|how much)\b.*\b(?:i have|i got|have|got|anything|tasks?|todos?|to-dos?|due|on|plate|left|do|list|agenda|schedule|overdue|pending|open|done|completed|finished|urgent|planned|coming up|next|today|tomorrow)\b/,
      /^(?:anything|any tasks?|something|any(?:thing)? (?:else|due|left|pending|on))$/,
      /^(?:my )?(?:tasks|todos|to-dos|to do list|todo list|agenda|list|schedule|stuff)(?: (?:pls|please|plz|for|now))*$/,
    ],
    roman: [
      /\b(?:dikhao|dikha do|dikhaen|dikhayen|dikhayein|dikhana|batao|bata do|batayen)\b/,
      /\b(?:kya|kia) (?:kaam|karna|karne|hai|hain|kya hai|schedule)\b/,
      /^(?:ka|ke|ki|کا|کے|کی)? ?(?:schedule|kaam|plan|list|شیڈول|کام)(?: (?:kya|kia) hai| کیا ہے)?$/u,
      /\b(?:ke|ka|ki) (?:kaam|tasks|schedule)$/,
      /\b(?:baqi|baki|reh gaye|reh gae|pending) (?:hai|hain|he)\b/,
      /^(?:mere|meri|mera) (?:kaam|list|tasks|schedule)/,
    ],
    ur: [/(?:دکھاؤ|دکھائیں|دکھا دو|بتاؤ|بتائیں|فہرست)/u, /کیا (?:کام|کرنا|ہے)/u, /^(?:کا|کے|کی)? ?(?:شیڈول|کام|پلان)(?: کیا ہے)?$/u, /(?:کے|کا|کی) (?:کام|شیڈول)$/u, /(?:باقی|رہ گئے) (?:ہے|ہیں)/u],
  },
  {
    name: "reopen",
    en: [
      /^(?:reopen|re-open|unmark|uncomplete|restore|undo) (?<target>.+)$/,
      /^mark (?<target>.+?) (?:as )?(?:not done|undone|pending|incomplete|open|not complete)$/,
      /^(?<target>.+?) (?:is not|isn't|isnt|wasn't|was not|is not yet|isn't yet) (?:done|finished|complete|completed)(?: actually| yet)?$/,
    ],
    roman: [/^(?<target>.+?) (?:dobara|dubara|phir se|wapas) (?:khol|open|kholo)(?: do| dein)?$/, /^(?<target>.+?) abhi (?:nahi hua|baqi hai)$/],
    ur: [/^(?<target>.+?) (?:دوبارہ کھولو|واپس کھولو|دوبارہ کھولیں|نامکمل کرو)$/u],
  },
  {
    name: "complete",
    en: [
      /^(?:mark|set|check|tick)(?: (?:it|this|that))? (?:as )?(?:done|complete|completed|finished|off)$/,
      /^(?:it'?s|that'?s|thats|this is|it is|all) (?:done|finished|complete|completed)(?: now)?$/,
      /^(?:mark|set|check|tick) (?<target>.+?) (?:as )?(?:done|complete|completed|finished|off)$/,
      /^(?:complete|finish|finished|done with|check off|tick off|close|i'?ve done|i have done|i (?:finished|completed|did)|i'?m done with|completed|done) (?!(?:kar|kr|karo|kro|do|kardo|hai|ho)\b)(?<target>.+)$/,
      new RegExp(`^(?<target>.+?) (?:is |are |was )?(?:${DONE_EN})(?: now| already)?$`),
      /^(?:done|finished|completed|did it|all done)$/,
      /^(?:i )?(?:called|paid|bought|sent|wrote|booked|cleaned|fixed|submitted|emailed|picked up|returned|renewed|washed|watered|took|went to|filed|posted) (?<past>.+)$/,
    ],
    roman: [
      new RegExp(`^(?:(?<target>.+?) )?(?:${DONE_ROMAN})(?: hai| he)?$`),
      new RegExp(`^(?<target>.+?) (?:ko )?(?:mukammal|complete|done|khatam|poora|pura) ${DO}$`),
      new RegExp(`^(?:mukammal|complete|done) ${DO}$`),
    ],
    ur: [
      new RegExp(`^(?:(?<target>.+?) )?(?:${DONE_UR})(?: ہے)?$`, "u"),
      new RegExp(`^(?:(?<target>.+?) )?(?:کو )?(?:مکمل|پورا|ختم) ${DO_UR}$`, "u"),
    ],
  },
  {
    name: "delete",
    en: [/^(?:delete|remove|drop|cancel|trash|erase|get rid of|forget about|scrap|nuke|bin) (?!(?:kar|kr|karo|kro|do|kardo)\b)(?<target>.+)$/],
    roman: [new RegExp(`^(?:(?<target>.+?) (?:ko )?)?(?:delete|hata|hta|mita|cancel|remove|khatam|nikal) ${DO}$`)],
    ur: [new RegExp(`^(?:(?<target>.+?) (?:کو )?)?(?:حذف|ڈیلیٹ|کینسل|ختم) ${DO_UR}$`, "u"), /^(?:(?<target>.+?) (?:کو )?)?(?:مٹا|ہٹا|نکال) دو$/u],
  },
  {
    name: "details",
    en: [
      /^(?:details (?:of|for|about)|show (?:me )?(?:the )?details (?:of|for)|tell me about) (?<target>.+)$/,
      /^(?<target>(?:the )?(?:#?\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|last)(?: one)?)$/,
    ],
  },
  {
    name: "search",
    en: [/^(?:search|find|look for|look up)(?: for)? (?:tasks? )?(?:about |with |containing |matching )?(?<q>.+)$/],
    roman: [/^(?<q>.+?) (?:talash|dhoondo|dhundo|search) (?:karo|kar do|kro)$/],
    ur: [/^(?<q>.+?) (?:تلاش کرو|تلاش کریں|ڈھونڈو)$/u],
  },
  {
    name: "remindExisting",
    en: [/^(?:remind me|set (?:a |the )?reminder|ping me|alert me)(?: (?:about|of|for|on))? (?<target>.+)$/],
  },
  {
    name: "edit",
    en: [
      /^(?:actually|no|nah|wait|sorry|oops|hmm|instead|rather|change of plan)?[,!]?\s*(?:(?:make|change|set|move|push|shift|put|switch|bump|reschedule|postpone|delay) (?:it|that|this|them)|do (?:it|that))?(?: (?:to|for|as|back to|back))?(?: instead)?$/,
      /^(?:make|mark|set|change|switch|put|move|reschedule|postpone|push|shift|delay|bump|change (?:the )?(?:due date|date|time|priority) (?:of|for)|set (?:the )?(?:due date|priority) (?:of|for)|set (?:the )?priority (?:of|for|on)) (?<target>.+?)(?: (?:recur|repeat|recurring|repeating))?(?: (?:to|until|till|for|as|back to|back|into|on))?(?: instead)?$/,
      /^(?<target>.+?) (?:is (?:now )?due|should be due|should (?:repeat|recur)|is now|should be)$/,
      /^(?:move|push|shift|reschedule|postpone|delay|bump)(?: (?:it|that|this))?(?: (?:to|till|until|for|back to|back))?$/,
      /^(?:change|set|move|update) (?:the )?(?:time|date|due date|deadline|due time|day)(?: (?:of|for) (?<target>.+?))?(?: to)?$/,
    ],
    roman: [
      new RegExp(`^(?:nahi|nahin|nai|na)?,? ?(?:(?<target>.+?) )?(?:ko )?(?:pe |par |ko )?(?:shift|move|change|postpone|transfer|set)? ?${DO}$`),
      /^(?:nahi|nahin|nai|na|balke|balki)$/,
    ],
    ur: [new RegExp(`^(?:نہیں)?،? ?(?:(?<target>.+?) )?(?:کو )?(?:پر )?(?:شفٹ|منتقل|تبدیل|سیٹ)? ?${DO_UR}$`, "u"), /^(?:نہیں|بلکہ)$/u],
  },
  {
    name: "question",
    en: [
      /^(?:what|whats|what's|why|how|who|when|where|which|is|are|was|were|will|would|can|could|should|am|(?:do|does|did) (?:i|you|u|we|they|it|he|she))\b.*/,
      // a reference on its own says no action
      /^(?:both|them|all of them|it|that|this|those|these|the same)$/,
    ],
    roman: [/^(?:kya|kia|kaise|kese|kab|kahan|kyun|kaun|kon)\b/, /^(?:dono|donon|isko|ye|yeh|wo)$/],
    ur: [/^(?:کیا|کیسے|کب|کہاں|کیوں|کون)/u, /^(?:دونوں|اسے|یہ|وہ)$/u],
  },
];

/** Every pattern that matches, in table order, with what it captured: the planner takes the first that applies. */
export function* classify(whole: string, rest: string): Generator<{ intent: IntentName; groups: Record<string, string | undefined> }> {
  for (const intent of INTENTS) {
    const text = intent.whole ? whole : rest;
    for (const pattern of [...(intent.en ?? []), ...(intent.roman ?? []), ...(intent.ur ?? [])]) {
      const match = new RegExp(pattern.source, `${pattern.flags.replace("i", "")}i`).exec(text);
      if (match) yield { intent: intent.name, groups: { ...match.groups } };
    }
  }
}
