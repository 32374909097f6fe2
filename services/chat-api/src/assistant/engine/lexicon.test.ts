import { describe, expect, test } from "bun:test";
import { toWorking } from "./lexicon.ts";
import { detectLanguage } from "./parse.ts";

describe("slot words in Roman Urdu and Urdu script are read as the English they mean", () => {
  test.each([
    ["kal shaam 5 baje doodh lena hai", "tomorrow evening at 5 doodh lena hai"],
    ["parson pe shift kar do", "the day after tomorrow shift kar do"],
    ["2 ghante baad khana garam karna", "in 2 hours khana garam karna"],
    ["har mahine ki pehli tareekh ko kiraya dena hai", "on the 1st of every month kiraya dena hai"],
    ["agle peer ko report", "next monday report"],
    ["aaj raat 10 baje dawai", "tonight at 10 dawai"],
    ["ye zaroori nahi hai", "ye not urgent"],
    ["کل صبح ۸ بجے دوا لینا یاد دلاؤ", "tomorrow morning at 8 دوا لینا یاد دلاؤ"],
    ["دو گھنٹے بعد کھانا گرم کرنا", "in 2 hours کھانا گرم کرنا"],
    ["ہر جمعہ مسجد جانا ہے", "every friday مسجد جانا ہے"],
    ["call mom tmrw @ 5", "call mom tomorrow at 5"],
    ["lunch thurs 1pm", "lunch thursday 1pm"],
  ])("%s -> %s", (message, english) => {
    expect(toWorking(message).text).toBe(english);
  });

  test("words that only contain a slot word stay as they are", () => {
    expect(toWorking("کلاس کی تیاری").text).toBe("کلاس کی تیاری");
    expect(toWorking("peer review tomorrow").text).toBe("peer review tomorrow");
    expect(toWorking("kalam khareedna").text).toBe("kalam khareedna");
  });

  test("a span of the rewritten text maps back to the words typed", () => {
    const working = toWorking("kal shaam 5 baje doodh lena hai");
    const start = working.text.indexOf("doodh");
    expect(working.original(0, start).trim()).toBe("kal shaam 5 baje");
    expect(working.original(start, working.text.length)).toBe("doodh lena hai");
  });
});

describe("the reply language follows the user's script", () => {
  test.each([
    ["show my tasks", "en"],
    ["tomorrow 5pm call mom", "en"],
    ["mere kaam dikhao", "ur-Latn"],
    ["kal doodh lena hai", "ur-Latn"],
    ["میرے کام دکھاؤ", "ur"],
  ])("%s -> %s", (message, language) => {
    expect(detectLanguage(message)).toBe(language as ReturnType<typeof detectLanguage>);
  });
});
