/** Every sentence the engine says, in English and Urdu. */
export const REPLIES = {
  help: {
    en: 'I can manage your tasks. Try: "add buy milk tomorrow at 5pm #home", "show my tasks", "mark the second one done", "move it to Friday", "remind me about it at 9am", "make it repeat every weekday at 9", "delete both".',
    ur: 'میں آپ کے کام سنبھال سکتا ہوں۔ مثلاً: "کل شام 5 بجے دودھ خریدنا یاد دلانا"، "میرے کام دکھاؤ"، "پہلا والا مکمل کرو"، "دوسرا حذف کرو"۔',
  },
  empty: { en: "Say what you would like to do with your tasks, or type help.", ur: "بتائیں آپ اپنے کاموں کے ساتھ کیا کرنا چاہتے ہیں، یا مدد لکھیں۔" },
  tooLong: {
    en: "That message is too long (over 4000 characters). Please send a shorter one.",
    ur: "یہ پیغام بہت لمبا ہے (4000 حروف سے زیادہ)۔ براہ کرم مختصر پیغام بھیجیں۔",
  },
  notUnderstood: {
    en: 'Sorry, I did not understand that. Type help to see what I can do, e.g. "add call mom tomorrow" or "show my tasks".',
    ur: 'معاف کیجیے، میں سمجھ نہیں سکا۔ مدد لکھیں، مثلاً "میرے کام دکھاؤ"۔',
  },
  nothingToSnooze: { en: "No reminder has gone off to snooze. Say which task, e.g. “snooze Stretch for an hour”.", ur: "کوئی یاد دہانی ابھی نہیں بجی۔ بتائیں کون سا کام، مثلاً “snooze Stretch for an hour”۔" },
  notFound: { en: (phrase: string) => `I could not find a task matching "${phrase}".`, ur: (phrase: string) => `"${phrase}" سے ملتا کوئی کام نہیں ملا۔` },
  which: { en: "Which task do you mean?", ur: "آپ کون سا کام کہہ رہے ہیں؟" },
  confirmDeleteAll: {
    en: (count: number) => `This will delete all ${count} of your tasks. Reply "yes" to confirm or "no" to cancel.`,
    ur: (count: number) => `اس سے آپ کے تمام ${count} کام حذف ہو جائیں گے۔ تصدیق کے لیے "ہاں" یا منسوخ کرنے کے لیے "نہیں" لکھیں۔`,
  },
  nothingToDelete: { en: "You have no tasks to delete.", ur: "حذف کرنے کے لیے کوئی کام نہیں ہے۔" },
  cancelled: { en: "OK, I changed nothing.", ur: "ٹھیک ہے، کچھ نہیں بدلا۔" },
  noTitle: { en: "What should the task be called?", ur: "کام کا نام کیا ہو؟" },
  noDate: { en: "When? I could not read a date or time in that.", ur: "کب؟ مجھے اس میں کوئی تاریخ یا وقت نہیں ملا۔" },
  added: { en: (title: string) => `Added "${title}"`, ur: (title: string) => `کام شامل کر دیا: "${title}"` },
  due: { en: (when: string) => `, due ${when}`, ur: (when: string) => `، مقررہ وقت ${when}` },
  reminder: { en: (when: string) => `, reminder at ${when}`, ur: (when: string) => `، یاد دہانی ${when}` },
  repeats: { en: (rule: string) => `, repeating (${rule})`, ur: (rule: string) => `، دہرایا جائے گا (${rule})` },
  listEmpty: { en: "No tasks found.", ur: "کوئی کام نہیں ملا۔" },
  listHeader: { en: (count: number) => `You have ${count} task${count === 1 ? "" : "s"}:`, ur: (count: number) => `آپ کے ${count} کام:` },
  completed: { en: (title: string) => `Marked "${title}" as done.`, ur: (title: string) => `"${title}" مکمل کر دیا۔` },
  reopened: { en: (title: string) => `Reopened "${title}".`, ur: (title: string) => `"${title}" دوبارہ کھول دیا۔` },
  deleted: { en: (title: string) => `Deleted "${title}".`, ur: (title: string) => `"${title}" حذف کر دیا۔` },
  updated: { en: (title: string) => `Updated "${title}"`, ur: (title: string) => `"${title}" اپ ڈیٹ کر دیا` },
  reminderSet: { en: (title: string, when: string) => `I will remind you about "${title}" at ${when}.`, ur: (title: string, when: string) => `"${title}" کی یاد دہانی ${when} پر ہوگی۔` },
  reminderCleared: { en: (title: string) => `Removed the reminder of "${title}".`, ur: (title: string) => `"${title}" کی یاد دہانی ہٹا دی۔` },
  recurrenceSet: { en: (title: string, rule: string) => `"${title}" now repeats (${rule}).`, ur: (title: string, rule: string) => `"${title}" اب دہرایا جائے گا (${rule})۔` },
  recurrenceCleared: { en: (title: string) => `"${title}" no longer repeats.`, ur: (title: string) => `"${title}" اب نہیں دہرایا جائے گا۔` },
  failed: { en: (message: string) => `I could not do that: ${message}`, ur: (message: string) => `یہ نہیں ہو سکا: ${message}` },
} as const;

