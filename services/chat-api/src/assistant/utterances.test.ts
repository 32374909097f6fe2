import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabases } from "@todo/testkit/databases";
import { createHarness, manualClock, type Harness } from "../tasks/api.fixture.ts";
import { describeResults, planTurn } from "./intent-engine.ts";
import type { ConversationMemory, PlannedCall, TaskSummary, ToolResult, TurnContext } from "./types.ts";

/**
 * The utterance table: what a user says (one message, or several turns) and
 * the exact tool calls the deterministic engine must plan (tool and the input
 * fields that matter), or that it must plan none and answer by itself.
 * Clock: Tuesday 2026-03-10 17:00 in Asia/Karachi (UTC+5), so "tomorrow at
 * 5pm" is 2026-03-11T12:00Z and a bare day means 09:00 local (04:00Z).
 */
const NOW = new Date("2026-03-10T12:00:00Z");
const ZONE = "Asia/Karachi";
const TASKS: TaskSummary[] = [
  { id: "milk", title: "Buy milk", status: "pending", tags: ["home"] },
  { id: "mom", title: "Call mom", status: "pending", dueAt: "2026-03-11T12:00:00.000Z" },
  { id: "rent", title: "Pay rent", status: "pending", tags: ["finance"], recurrence: "FREQ=MONTHLY;BYMONTHDAY=1", dueAt: "2026-04-01T04:00:00.000Z" },
  { id: "report", title: "Write report", status: "pending" },
  { id: "blog", title: "Write blog post", status: "pending" },
  { id: "dentist", title: "Book dentist", status: "completed" },
  { id: "doodh", title: "دودھ خریدنا", status: "pending" },
];
/** As if the previous turn listed milk, mom, report and then touched report. */
const AFTER_LIST: ConversationMemory = { listed: ["milk", "mom", "report"], touched: ["report"] };

interface Row {
  say: string;
  memory?: ConversationMemory;
  calls?: { tool: PlannedCall["tool"]; input: Record<string, unknown> }[];
  /** No calls; the reply matches. */
  reply?: RegExp;
}

const TOMORROW_5PM = "2026-03-11T12:00:00.000Z";
const TOMORROW_9AM = "2026-03-11T04:00:00.000Z";
const WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
const add = (input: Record<string, unknown>) => [{ tool: "add_task" as const, input }];
const on = (tool: PlannedCall["tool"], id: string, input: Record<string, unknown> = {}) => [{ tool, input: { id, ...input } }];
const list = (input: Record<string, unknown> = {}) => [{ tool: "list_tasks" as const, input }];

const ROWS: Row[] = [
  // add, with dates
  { say: "add buy eggs", calls: add({ title: "buy eggs" }) },
  { say: "Add buy eggs tomorrow at 5pm", calls: add({ title: "buy eggs", dueAt: TOMORROW_5PM }) },
  { say: "add buy eggs tomorrow at 5pm #home", calls: add({ title: "buy eggs", dueAt: TOMORROW_5PM, tags: ["home"] }) },
  { say: "create a task to renew passport next Friday", calls: add({ title: "renew passport", dueAt: "2026-03-20T04:00:00.000Z" }) },
  { say: "add call the bank in 2 hours", calls: add({ title: "call the bank", dueAt: "2026-03-10T14:00:00.000Z" }) },
  { say: "add submit taxes tomorrow", calls: add({ title: "submit taxes", dueAt: TOMORROW_9AM }) },
  { say: "new task: water the plants tomorrow at 8am", calls: add({ title: "water the plants", dueAt: "2026-03-11T03:00:00.000Z" }) },
  { say: "todo: email Sara", calls: add({ title: "email Sara" }) },
  { say: "I need to fix the bike", calls: add({ title: "fix the bike" }) },
  { say: "remember to buy stamps", calls: add({ title: "buy stamps" }) },
  { say: "add pick up parcel on March 20 at 3pm", calls: add({ title: "pick up parcel", dueAt: "2026-03-20T10:00:00.000Z" }) },
  { say: "add dinner with Ali today at 9pm", calls: add({ title: "dinner with Ali", dueAt: "2026-03-10T16:00:00.000Z" }) },
  { say: "add \"read chapter 3\"", calls: add({ title: "read chapter 3" }) },
  { say: "schedule dentist appointment next Monday at 10am", calls: add({ title: "dentist appointment", dueAt: "2026-03-16T05:00:00.000Z" }) },
  { say: "please add clean the garage", calls: add({ title: "clean the garage" }) },
  { say: "add buy milk to my list", calls: add({ title: "buy milk" }) },
  { say: "add a task called prepare slides", calls: add({ title: "prepare slides" }) },
  { say: "add book flights in 3 days", calls: add({ title: "book flights", dueAt: "2026-03-13T04:00:00.000Z" }) },
  // priorities and tags
  { say: "add urgent fix the sink", calls: add({ title: "fix the sink", priority: "high" }) },
  { say: "add fix the sink !high", calls: add({ title: "fix the sink", priority: "high" }) },
  { say: "add fix the sink high priority", calls: add({ title: "fix the sink", priority: "high" }) },
  { say: "add sort photos low priority", calls: add({ title: "sort photos", priority: "low" }) },
  { say: "add sort photos !low", calls: add({ title: "sort photos", priority: "low" }) },
  { say: "add pay rent tomorrow 9am #home !high", calls: add({ title: "pay rent", dueAt: TOMORROW_9AM, tags: ["home"], priority: "high" }) },
  { say: "add call the bank !urgent #finance", calls: add({ title: "call the bank", priority: "high", tags: ["finance"] }) },
  { say: "add plan trip with medium priority", calls: add({ title: "plan trip", priority: "medium" }) },
  { say: "add prepare demo #work", calls: add({ title: "prepare demo", tags: ["work"] }) },
  { say: "add prepare demo #work #urgent-ish", calls: add({ title: "prepare demo", tags: ["work", "urgent-ish"] }) },
  { say: "add mow the lawn tagged home", calls: add({ title: "mow the lawn", tags: ["home"] }) },
  { say: "add buy paint tagged home and errands", calls: add({ title: "buy paint", tags: ["home", "errands"] }) },
  { say: "add important call the lawyer tomorrow at 5pm #legal", calls: add({ title: "call the lawyer", priority: "high", dueAt: TOMORROW_5PM, tags: ["legal"] }) },
  { say: "add urgent fix the sink in 2 hours tagged home and errands", calls: add({ title: "fix the sink", priority: "high", tags: ["home", "errands"], dueAt: "2026-03-10T14:00:00.000Z" }) },
  // recurrence phrases
  { say: "add standup every weekday at 9", calls: add({ title: "standup", recurrence: WEEKDAYS, dueAt: TOMORROW_9AM }) },
  { say: "add gym every 2 weeks on Monday", calls: add({ title: "gym", recurrence: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", dueAt: "2026-03-16T04:00:00.000Z" }) },
  { say: "add take pills daily for 10 days", calls: add({ title: "take pills", recurrence: "FREQ=DAILY;COUNT=10", dueAt: TOMORROW_9AM }) },
  { say: "add water plants monthly until June", calls: add({ title: "water plants", recurrence: "FREQ=MONTHLY;UNTIL=20260630T185900Z" }) },
  { say: "add pay rent on the 1st of every month", calls: add({ title: "pay rent", recurrence: "FREQ=MONTHLY;BYMONTHDAY=1", dueAt: "2026-04-01T04:00:00.000Z" }) },
  { say: "add team lunch every Friday", calls: add({ title: "team lunch", recurrence: "FREQ=WEEKLY;BYDAY=FR", dueAt: "2026-03-13T04:00:00.000Z" }) },
  { say: "add yoga every Monday and Wednesday at 7am", calls: add({ title: "yoga", recurrence: "FREQ=WEEKLY;BYDAY=MO,WE", dueAt: "2026-03-11T02:00:00.000Z" }) },
  { say: "add review budget every month", calls: add({ title: "review budget", recurrence: "FREQ=MONTHLY" }) },
  { say: "add backup laptop weekly", calls: add({ title: "backup laptop", recurrence: "FREQ=WEEKLY" }) },
  { say: "add renew domain yearly", calls: add({ title: "renew domain", recurrence: "FREQ=YEARLY" }) },
  { say: "add stretch every day at 7am", calls: add({ title: "stretch", recurrence: "FREQ=DAILY", dueAt: "2026-03-11T02:00:00.000Z" }) },
  { say: "add clean fridge every other week", calls: add({ title: "clean fridge", recurrence: "FREQ=WEEKLY;INTERVAL=2" }) },
  { say: "add check smoke alarm every 3 months", calls: add({ title: "check smoke alarm", recurrence: "FREQ=MONTHLY;INTERVAL=3" }) },
  { say: "add laundry every weekend", calls: add({ title: "laundry", recurrence: "FREQ=WEEKLY;BYDAY=SA,SU", dueAt: "2026-03-14T04:00:00.000Z" }) },
  { say: "add water cactus every week for 4 weeks", calls: add({ title: "water cactus", recurrence: "FREQ=WEEKLY;COUNT=4" }) },
  { say: "add invoice clients on the 15th of every month", calls: add({ title: "invoice clients", recurrence: "FREQ=MONTHLY;BYMONTHDAY=15", dueAt: "2026-03-15T04:00:00.000Z" }) },
  // remind me to (add with a reminder)
  { say: "remind me to call dad next Friday", calls: add({ title: "call dad", dueAt: "2026-03-20T04:00:00.000Z", remindAt: "2026-03-20T04:00:00.000Z" }) },
  { say: "remind me to take out the trash tomorrow at 5pm", calls: add({ title: "take out the trash", dueAt: TOMORROW_5PM, remindAt: TOMORROW_5PM }) },
  { say: "remind me to stretch in 2 hours", calls: add({ title: "stretch", remindAt: "2026-03-10T14:00:00.000Z" }) },
  { say: "please remind me to feed the cat", calls: add({ title: "feed the cat" }) },
  // list, search, filters
  { say: "show my tasks", calls: list({}) },
  { say: "list my tasks", calls: list({}) },
  { say: "what are my tasks?", calls: list({}) },
  { say: "my todos", calls: list({}) },
  { say: "what do i have", calls: list({}) },
  { say: "show completed tasks", calls: list({ status: "completed" }) },
  { say: "show all my tasks", calls: list({ status: "all" }) },
  { say: "show high priority tasks", calls: list({ priority: "high" }) },
  { say: "show urgent tasks", calls: list({ priority: "high" }) },
  { say: "list tasks tagged work", calls: list({ tag: ["work"] }) },
  { say: "show #home tasks", calls: list({ tag: ["home"] }) },
  { say: "show overdue tasks", calls: list({ overdue: true }) },
  { say: "what is due today", calls: list({ dueAfter: "2026-03-09T19:00:00.000Z", dueBefore: "2026-03-10T19:00:00.000Z" }) },
  { say: "show tasks due tomorrow", calls: list({ dueAfter: "2026-03-10T19:00:00.000Z", dueBefore: "2026-03-11T19:00:00.000Z" }) },
  { say: "show tasks due this week", calls: list({ dueAfter: "2026-03-09T19:00:00.000Z", dueBefore: "2026-03-15T19:00:00.000Z" }) },
  { say: "list tasks sorted by due date", calls: list({ sort: "due" }) },
  { say: "list tasks by priority", calls: list({ sort: "priority" }) },
  { say: "list tasks by title descending", calls: list({ sort: "title", order: "desc" }) },
  { say: "show newest first", calls: list({ sort: "created", order: "desc" }) },
  { say: "show my top 5 tasks", calls: list({ limit: 5 }) },
  { say: "show tasks about taxes", calls: list({ q: "taxes" }) },
  { say: "show high priority tasks tagged work due today sorted by due", calls: list({ priority: "high", tag: ["work"], sort: "due", dueBefore: "2026-03-10T19:00:00.000Z" }) },
  { say: "search milk", calls: list({ q: "milk" }) },
  { say: "search for dentist", calls: list({ q: "dentist" }) },
  { say: "find tasks about report", calls: list({ q: "report" }) },
  { say: "look for \"blog\"", calls: list({ q: "blog" }) },
  // complete
  { say: "mark buy milk as done", calls: on("complete_task", "milk") },
  { say: "mark buy milk done", calls: on("complete_task", "milk") },
  { say: "complete call mom", calls: on("complete_task", "mom") },
  { say: "I finished the report", calls: on("complete_task", "report") },
  { say: "finish pay rent", calls: on("complete_task", "rent") },
  { say: "check off milk", calls: on("complete_task", "milk") },
  { say: "blog post is done", calls: on("complete_task", "blog") },
  { say: "done with call mom", calls: on("complete_task", "mom") },
  { say: "mark it done", memory: AFTER_LIST, calls: on("complete_task", "report") },
  { say: "complete the second one", memory: AFTER_LIST, calls: on("complete_task", "mom") },
  { say: "mark the first one as complete", memory: AFTER_LIST, calls: on("complete_task", "milk") },
  { say: "complete #3", memory: AFTER_LIST, calls: on("complete_task", "report") },
  { say: "complete number 2", memory: AFTER_LIST, calls: on("complete_task", "mom") },
  { say: "complete the last one", memory: AFTER_LIST, calls: on("complete_task", "report") },
  { say: "complete all of them", memory: AFTER_LIST, calls: [...on("complete_task", "milk"), ...on("complete_task", "mom"), ...on("complete_task", "report")] },
  { say: "mark both done", memory: { listed: ["milk", "mom"] }, calls: [...on("complete_task", "milk"), ...on("complete_task", "mom")] },
  // reopen
  { say: "reopen book dentist", calls: on("reopen_task", "dentist") },
  { say: "reopen dentist", calls: on("reopen_task", "dentist") },
  { say: "mark book dentist as not done", calls: on("reopen_task", "dentist") },
  { say: "undo it", memory: { touched: ["dentist"] }, calls: on("reopen_task", "dentist") },
  // update: rename, reschedule, priority, tags
  { say: "rename buy milk to buy oat milk", calls: on("update_task", "milk", { title: "buy oat milk" }) },
  { say: "change the title of call mom to call mom and dad", calls: on("update_task", "mom", { title: "call mom and dad" }) },
  { say: "call it quarterly report", memory: AFTER_LIST, calls: on("update_task", "report", { title: "quarterly report" }) },
  { say: "rename the second one to ring mom", memory: AFTER_LIST, calls: on("update_task", "mom", { title: "ring mom" }) },
  { say: "move call mom to friday at 3pm", calls: on("update_task", "mom", { dueAt: "2026-03-13T10:00:00.000Z" }) },
  { say: "reschedule buy milk to tomorrow at 5pm", calls: on("update_task", "milk", { dueAt: TOMORROW_5PM }) },
  { say: "postpone it to next Monday", memory: AFTER_LIST, calls: on("update_task", "report", { dueAt: "2026-03-16T04:00:00.000Z" }) },
  { say: "push the first one to tomorrow", memory: AFTER_LIST, calls: on("update_task", "milk", { dueAt: TOMORROW_9AM }) },
  { say: "move it tomorrow at 5pm", memory: AFTER_LIST, calls: on("update_task", "report", { dueAt: TOMORROW_5PM }) },
  { say: "write report is due tomorrow at 5pm", calls: on("update_task", "report", { dueAt: TOMORROW_5PM }) },
  { say: "remove the due date from call mom", calls: on("update_task", "mom", { dueAt: null }) },
  { say: "make buy milk urgent", calls: on("update_task", "milk", { priority: "high" }) },
  { say: "set the priority of pay rent to low", calls: on("update_task", "rent", { priority: "low" }) },
  { say: "mark it as high priority", memory: AFTER_LIST, calls: on("update_task", "report", { priority: "high" }) },
  { say: "make call mom low priority", calls: on("update_task", "mom", { priority: "low" }) },
  { say: "tag buy milk with groceries", calls: on("update_task", "milk", { tags: ["home", "groceries"] }) },
  { say: "add tag work to write report", calls: on("update_task", "report", { tags: ["work"] }) },
  // reminders on existing tasks
  { say: "remind me about buy milk tomorrow at 8am", calls: on("set_reminder", "milk", { remindAt: "2026-03-11T03:00:00.000Z" }) },
  { say: "remind me about it in 2 hours", memory: AFTER_LIST, calls: on("set_reminder", "report", { remindAt: "2026-03-10T14:00:00.000Z" }) },
  { say: "set a reminder for call mom tomorrow at 5pm", calls: on("set_reminder", "mom", { remindAt: TOMORROW_5PM }) },
  { say: "clear the reminder for call mom", calls: on("set_reminder", "mom", { remindAt: null }) },
  { say: "remove the reminder", memory: AFTER_LIST, calls: on("set_reminder", "report", { remindAt: null }) },
  { say: "don't remind me about pay rent", calls: on("set_reminder", "rent", { remindAt: null }) },
  // recurrence on existing tasks
  { say: "make it repeat every weekday at 9", memory: AFTER_LIST, calls: on("set_recurrence", "report", { recurrence: WEEKDAYS, dueAt: TOMORROW_9AM }) },
  { say: "make call mom recur weekly", calls: on("set_recurrence", "mom", { recurrence: "FREQ=WEEKLY" }) },
  { say: "make buy milk repeat every 2 weeks on Monday", calls: on("set_recurrence", "milk", { recurrence: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", dueAt: "2026-03-16T04:00:00.000Z" }) },
  { say: "buy milk should repeat daily for 10 days", calls: on("set_recurrence", "milk", { recurrence: "FREQ=DAILY;COUNT=10", dueAt: TOMORROW_9AM }) },
  { say: "stop repeating pay rent", calls: on("set_recurrence", "rent", { recurrence: null }) },
  { say: "make pay rent a one-off", calls: on("set_recurrence", "rent", { recurrence: null }) },
  { say: "stop recurring", memory: { touched: ["rent"] }, calls: on("set_recurrence", "rent", { recurrence: null }) },
  // delete and get
  { say: "delete buy milk", calls: on("delete_task", "milk") },
  { say: "remove the second one", memory: AFTER_LIST, calls: on("delete_task", "mom") },
  { say: "delete it", memory: AFTER_LIST, calls: on("delete_task", "report") },
  { say: "delete both", memory: { listed: ["milk", "mom"], touched: ["milk", "mom"] }, calls: [...on("delete_task", "milk"), ...on("delete_task", "mom")] },
  { say: "get rid of blog post", calls: on("delete_task", "blog") },
  { say: "details of call mom", calls: on("get_task", "mom") },
  { say: "tell me about the first one", memory: AFTER_LIST, calls: on("get_task", "milk") },
  // ambiguity, confirmation, bad input, help
  { say: "complete write", reply: /Which task[\s\S]*Write report[\s\S]*Write blog post/ },
  { say: "delete both", memory: AFTER_LIST, reply: /Which task/ },
  { say: "mark it done", memory: { listed: ["milk", "mom"] }, reply: /Which task[\s\S]*Buy milk[\s\S]*Call mom/ },
  { say: "complete walk the dog", reply: /could not find/ },
  { say: "mark it done", reply: /could not find/ },
  { say: "delete everything", reply: /delete all 7 of your tasks[\s\S]*yes/ },
  { say: "delete all my tasks", reply: /delete all 7/ },
  { say: "", reply: /help/ },
  { say: "   ", reply: /help/ },
  { say: "x".repeat(4001), reply: /too long/ },
  // Issue 16: a message that is not a question or a command is a new task.
  { say: "asdfgh qwerty", calls: add({ title: "asdfgh qwerty" }) },
  { say: "write", calls: add({ title: "write" }) },
  { say: "why is the sky blue?", reply: /did not understand/ },
  { say: "help", reply: /show my tasks/ },
  { say: "what can you do?", reply: /add buy milk/ },
  { say: "move call mom to someday", reply: /When\?/ },
  // Urdu
  { say: "کل شام 5 بجے دودھ خریدنا یاد دلانا", calls: add({ title: "دودھ خریدنا", dueAt: TOMORROW_5PM, remindAt: TOMORROW_5PM }) },
  { say: "کل صبح 8 بجے ڈاکٹر کو فون کرنا یاد دلاؤ", calls: add({ title: "ڈاکٹر کو فون کرنا", dueAt: "2026-03-11T03:00:00.000Z" }) },
  { say: "آج رات 9 بجے امی کو فون کرنا یاد دلانا", calls: add({ title: "امی کو فون کرنا", dueAt: "2026-03-10T16:00:00.000Z" }) },
  { say: "اگلے پیر بل جمع کرانا شامل کرو", calls: add({ title: "بل جمع کرانا", dueAt: "2026-03-16T04:00:00.000Z" }) },
  { say: "پرسوں کتاب واپس کرنا شامل کرو", calls: add({ title: "کتاب واپس کرنا", dueAt: "2026-03-12T04:00:00.000Z" }) },
  { say: "ضروری رپورٹ لکھنا شامل کرو", calls: add({ title: "رپورٹ لکھنا", priority: "high" }) },
  { say: "ہر روز ورزش کرنا شامل کرو", calls: add({ title: "ورزش کرنا", recurrence: "FREQ=DAILY" }) },
  { say: "ہر جمعہ نماز کی تیاری شامل کرو", calls: add({ title: "نماز کی تیاری", recurrence: "FREQ=WEEKLY;BYDAY=FR", dueAt: "2026-03-13T04:00:00.000Z" }) },
  { say: "میرے کام دکھاؤ", calls: list({}) },
  { say: "میرے مکمل کام دکھاؤ", calls: list({ status: "completed" }) },
  { say: "آج کے کام دکھاؤ", calls: list({ dueAfter: "2026-03-09T19:00:00.000Z", dueBefore: "2026-03-10T19:00:00.000Z" }) },
  { say: "اہم کام دکھاؤ", calls: list({ priority: "high" }) },
  { say: "دودھ تلاش کرو", calls: list({ q: "دودھ" }) },
  { say: "پہلا والا مکمل کرو", memory: AFTER_LIST, calls: on("complete_task", "milk") },
  { say: "دوسرا مکمل کرو", memory: AFTER_LIST, calls: on("complete_task", "mom") },
  { say: "اسے مکمل کرو", memory: AFTER_LIST, calls: on("complete_task", "report") },
  { say: "دودھ خریدنا مکمل کرو", calls: on("complete_task", "doodh") },
  { say: "دوسرے والے کو حذف کرو", memory: AFTER_LIST, calls: on("delete_task", "mom") },
  { say: "دونوں حذف کرو", memory: { listed: ["milk", "mom"] }, calls: [...on("delete_task", "milk"), ...on("delete_task", "mom")] },
  { say: "آخری والا دوبارہ کھولو", memory: { listed: ["milk", "dentist"] }, calls: on("reopen_task", "dentist") },
  { say: "سب حذف کرو", reply: /تمام 7 کام[\s\S]*ہاں/ },
  { say: "مدد", reply: /میرے کام دکھاؤ/ },
  { say: "بلا بلا", calls: add({ title: "بلا بلا" }) },
  { say: "کیا آج بارش ہوگی؟", reply: /سمجھ نہیں/ },
  { say: "کل صبح 9 بجے گاڑی دھونا شامل کرو", calls: add({ title: "گاڑی دھونا", dueAt: TOMORROW_9AM }) },
  // more everyday phrasings
  { say: "add renew car insurance next Tuesday at 11am", calls: add({ title: "renew car insurance", dueAt: "2026-03-17T06:00:00.000Z" }) },
  { say: "add buy a birthday gift for Sam on Saturday", calls: add({ title: "buy a birthday gift for Sam", dueAt: "2026-03-14T04:00:00.000Z" }) },
  { say: "add call plumber tomorrow morning", calls: add({ title: "call plumber", dueAt: TOMORROW_9AM }) },
  { say: "add pay credit card on the 15th of every month", calls: add({ title: "pay credit card", recurrence: "FREQ=MONTHLY;BYMONTHDAY=15", dueAt: "2026-03-15T04:00:00.000Z" }) },
  { say: "what's overdue?", calls: list({ overdue: true }) },
  { say: "show my high priority tasks", calls: list({ priority: "high" }) },
  { say: "show tasks tagged home", calls: list({ tag: ["home"] }) },
  { say: "I finished calling mom", calls: on("complete_task", "mom") },
  { say: "call mom is done", calls: on("complete_task", "mom") },
  { say: "delete the blog post task", calls: on("delete_task", "blog") },
  { say: "move pay rent to next Friday", calls: on("update_task", "rent", { dueAt: "2026-03-20T04:00:00.000Z" }) },
  { say: "remind me about call mom tomorrow at 9am", calls: on("set_reminder", "mom", { remindAt: TOMORROW_9AM }) },
];

const context = (memory: ConversationMemory = {}): TurnContext => ({ now: NOW, timeZone: ZONE, tasks: TASKS, memory });

describe("utterance table: one message -> the exact tool calls", () => {
  test("has at least 150 rows, and at least 150 that also run through POST /api/chat", () => {
    expect(ROWS.length + CONVERSATIONS.length).toBeGreaterThanOrEqual(150);
    expect(ROWS.filter((row) => !row.memory).length).toBeGreaterThanOrEqual(150);
  });
  for (const row of ROWS) {
    const label = row.say.length > 60 ? `${row.say.slice(0, 40)}… (${row.say.length} chars)` : JSON.stringify(row.say);
    test(label, () => {
      const plan = planTurn(row.say, context(row.memory));
      if (row.calls) {
        expect(plan.calls.map((call) => call.tool)).toEqual(row.calls.map((call) => call.tool));
        row.calls.forEach((call, index) => expect(plan.calls[index]!.input).toMatchObject(call.input));
      } else {
        expect(plan.calls).toEqual([]);
        expect(plan.reply).toMatch(row.reply!);
      }
    });
  }
});

/**
 * Multi-turn: each turn is planned, its calls run against an in-memory task
 * list standing in for the tools, and describeResults carries the memory to
 * the next turn exactly as the agent does.
 */
interface Turn {
  say: string;
  calls?: { tool: PlannedCall["tool"]; input: Record<string, unknown> }[];
  reply?: RegExp;
}

function runConversation(turns: Turn[]): { tasks: TaskSummary[] } {
  let tasks = TASKS.map((task) => ({ ...task }));
  let memory: ConversationMemory = {};
  let created = 0;
  for (const turn of turns) {
    const ctx: TurnContext = { now: NOW, timeZone: ZONE, tasks, memory };
    const plan = planTurn(turn.say, ctx);
    if (turn.calls) {
      expect(plan.calls.map((call) => call.tool)).toEqual(turn.calls.map((call) => call.tool));
      turn.calls.forEach((call, index) => expect(plan.calls[index]!.input).toMatchObject(call.input));
    }
    const results: ToolResult[] = plan.calls.map((call) => {
      const input = call.input as Record<string, unknown> & { id?: string };
      if (call.tool === "list_tasks") {
        const status = (input.status as string | undefined) ?? "pending";
        return { tool: call.tool, input, result: { items: tasks.filter((task) => status === "all" || task.status === status), nextCursor: null } };
      }
      if (call.tool === "add_task") {
        const task = { id: `new-${++created}`, status: "pending" as const, ...input } as TaskSummary;
        tasks = [...tasks, task];
        return { tool: call.tool, input, result: task };
      }
      const task = tasks.find((candidate) => candidate.id === input.id);
      if (!task) return { tool: call.tool, input, error: { status: 404, message: "task not found" } };
      if (call.tool === "delete_task") {
        tasks = tasks.filter((candidate) => candidate !== task);
        return { tool: call.tool, input, result: { deleted: true, id: task.id } };
      }
      const { id: _id, ...changes } = input;
      Object.assign(task, changes);
      if (call.tool === "complete_task") task.status = "completed";
      if (call.tool === "reopen_task") task.status = "pending";
      return { tool: call.tool, input, result: { ...task } };
    });
    const described = describeResults(plan, results, ctx);
    if (turn.reply) expect(described.reply).toMatch(turn.reply);
    memory = JSON.parse(JSON.stringify(described.memory)) as ConversationMemory;
  }
  return { tasks };
}

const CONVERSATIONS: { name: string; turns: Turn[]; then?: (tasks: TaskSummary[]) => void }[] = [
  {
    name: "list, then complete the second one, then reopen it",
    turns: [
      { say: "show my tasks", calls: list({}), reply: /You have 6 tasks[\s\S]*2\. Call mom/ },
      { say: "complete the second one", calls: on("complete_task", "mom"), reply: /Marked "Call mom" as done/ },
      { say: "reopen it", calls: on("reopen_task", "mom"), reply: /Reopened "Call mom"/ },
    ],
    then: (tasks) => expect(tasks.find((task) => task.id === "mom")?.status).toBe("pending"),
  },
  {
    name: "add a task, then act on it",
    turns: [
      { say: "add buy bread tomorrow at 5pm #home", calls: add({ title: "buy bread" }), reply: /Added "buy bread"/ },
      { say: "make it urgent", calls: on("update_task", "new-1", { priority: "high" }) },
      { say: "remind me about it in 2 hours", calls: on("set_reminder", "new-1", { remindAt: "2026-03-10T14:00:00.000Z" }) },
      { say: "mark it done", calls: on("complete_task", "new-1") },
    ],
    then: (tasks) => expect(tasks.find((task) => task.id === "new-1")).toMatchObject({ status: "completed", priority: "high", tags: ["home"] }),
  },
  {
    name: "an ambiguous reference asks which task and acts on the answer",
    turns: [
      { say: "complete write", calls: [], reply: /Which task[\s\S]*1\. Write report[\s\S]*2\. Write blog post/ },
      { say: "the second one", calls: on("complete_task", "blog"), reply: /Marked "Write blog post" as done/ },
    ],
    then: (tasks) => {
      expect(tasks.find((task) => task.id === "blog")?.status).toBe("completed");
      expect(tasks.find((task) => task.id === "report")?.status).toBe("pending");
    },
  },
  {
    name: "a clarification can be answered by title",
    turns: [
      { say: "delete write", calls: [] },
      { say: "report", calls: on("delete_task", "report") },
    ],
    then: (tasks) => expect(tasks.some((task) => task.id === "report")).toBe(false),
  },
  {
    name: "delete everything waits for yes",
    turns: [
      { say: "delete everything", calls: [], reply: /yes/ },
      { say: "yes", calls: TASKS.map((task) => ({ tool: "delete_task" as const, input: { id: task.id } })) },
    ],
    then: (tasks) => expect(tasks).toEqual([]),
  },
  {
    name: "delete everything, then no, changes nothing",
    turns: [
      { say: "delete everything", calls: [] },
      { say: "no", calls: [], reply: /changed nothing/ },
      { say: "yes", calls: [] },
    ],
    then: (tasks) => expect(tasks).toHaveLength(TASKS.length),
  },
  {
    name: "a confirmation is dropped when the user talks about something else",
    turns: [
      { say: "delete everything", calls: [] },
      { say: "show my tasks", calls: list({}) },
      { say: "yes", calls: [] },
    ],
    then: (tasks) => expect(tasks).toHaveLength(TASKS.length),
  },
  {
    name: "list two, then delete both",
    turns: [
      { say: "search write", calls: list({ q: "write" }) },
      { say: "delete both", calls: [] },
    ],
  },
  {
    name: "Urdu: list, complete the first, reply in Urdu",
    turns: [
      { say: "میرے کام دکھاؤ", calls: list({}), reply: /آپ کے 6 کام/ },
      { say: "پہلا والا مکمل کرو", calls: on("complete_task", "milk"), reply: /مکمل کر دیا/ },
    ],
    then: (tasks) => expect(tasks.find((task) => task.id === "milk")?.status).toBe("completed"),
  },
  {
    name: "Urdu: delete everything asks first, ہاں confirms",
    turns: [
      { say: "سب حذف کرو", calls: [], reply: /ہاں/ },
      { say: "ہاں", calls: TASKS.map((task) => ({ tool: "delete_task" as const, input: { id: task.id } })), reply: /حذف کر دیا/ },
    ],
    then: (tasks) => expect(tasks).toEqual([]),
  },
  {
    name: "Urdu reminder then English follow-up on it",
    turns: [
      { say: "کل شام 5 بجے دودھ خریدنا یاد دلانا", calls: add({ title: "دودھ خریدنا", remindAt: TOMORROW_5PM }), reply: /کام شامل کر دیا/ },
      { say: "move it to friday at 3pm", calls: on("update_task", "new-1", { dueAt: "2026-03-13T10:00:00.000Z" }) },
    ],
  },
  {
    name: "make a listed task recurring, then stop it",
    turns: [
      { say: "show my tasks" },
      { say: "make the first one repeat every weekday at 9", calls: on("set_recurrence", "milk", { recurrence: WEEKDAYS, dueAt: TOMORROW_9AM }), reply: /now repeats/ },
      { say: "stop repeating it", calls: on("set_recurrence", "milk", { recurrence: null }), reply: /no longer repeats/ },
    ],
    then: (tasks) => expect(tasks.find((task) => task.id === "milk")?.recurrence).toBeNull(),
  },
];

describe("multi-turn conversations", () => {
  for (const conversation of CONVERSATIONS) {
    test(conversation.name, () => {
      const { tasks } = runConversation(conversation.turns);
      conversation.then?.(tasks);
    });
  }
});

/**
 * The same table through POST /api/chat on the real app (default agent): each
 * row gets its own user with the table's tasks, the clock and time zone of the
 * table, and checks the actions taken and the stored task state afterwards.
 * Rows that need an earlier turn's memory are covered by the conversations
 * above and by chat-routes.test.ts.
 */
describe.each(testDatabases())("utterance table through POST /api/chat on $name", ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(open, { clock: manualClock(NOW.toISOString()) });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  async function seededUser(): Promise<{ token: string; ids: Map<string, string> }> {
    const { token } = await h.signup("utterer");
    const zone = await h.call("PATCH", "/api/me", { token, body: { timeZone: ZONE } });
    expect(zone.status).toBe(200);
    const ids = new Map<string, string>();
    for (const task of TASKS) {
      const body: Record<string, unknown> = { title: task.title };
      for (const field of ["tags", "dueAt", "recurrence"] as const) if (task[field]) body[field] = task[field];
      const created = await h.createTask(token, body);
      ids.set(task.id, created.id);
      if (task.status === "completed") expect((await h.call("POST", `/api/tasks/${created.id}/complete`, { token })).status).toBe(200);
    }
    return { token, ids };
  }

  const sameInstant = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && Date.parse(a) === Date.parse(b);

  for (const row of ROWS.filter((candidate) => !candidate.memory)) {
    const label = row.say.length > 60 ? `${row.say.slice(0, 40)}… (${row.say.length} chars)` : JSON.stringify(row.say);
    test(label, async () => {
      const { token, ids } = await seededUser();
      const before = await h.call<{ items: any[] }>("GET", "/api/tasks?status=all&limit=100", { token });
      const reply = await h.call<{ reply: string; actions: { tool: string; input: any; result: any }[] }>("POST", "/api/chat", {
        token,
        body: { message: row.say },
      });
      expect(reply.status).toBe(200);
      const after = await h.call<{ items: any[] }>("GET", "/api/tasks?status=all&limit=100", { token });
      if (!row.calls) {
        expect(reply.body.actions).toEqual([]);
        expect(reply.body.reply).toMatch(row.reply!);
        expect(after.body.items).toEqual(before.body.items);
        return;
      }
      expect(reply.body.actions.map((action) => action.tool)).toEqual(row.calls.map((call) => call.tool));
      row.calls.forEach((call, index) => {
        const action = reply.body.actions[index]!;
        const { id, ...fields } = call.input as { id?: string } & Record<string, unknown>;
        if (id) expect(action.input.id).toBe(ids.get(id)!);
        for (const [field, value] of Object.entries(fields)) {
          if (sameInstant(action.input[field], value)) continue;
          expect(action.input[field]).toEqual(value);
        }
        // The resulting state: what the tool changed is what is stored now.
        const stored = after.body.items.find((task) => task.id === (action.result?.id ?? action.input.id));
        if (call.tool === "delete_task") return expect(stored).toBeUndefined();
        if (call.tool === "complete_task") return expect(stored.status).toBe("completed");
        if (call.tool === "reopen_task") return expect(stored.status).toBe("pending");
        if (call.tool === "list_tasks" || call.tool === "get_task") return;
        for (const [field, value] of Object.entries(fields)) {
          if (field === "recurrence" || field === "tags") continue; // stored canonical / merged; checked on the input above
          if (sameInstant(stored[field], value)) continue;
          expect(stored[field]).toEqual(value);
        }
      });
    });
  }
});
