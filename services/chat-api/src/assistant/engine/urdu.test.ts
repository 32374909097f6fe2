import { describe, expect, test } from "bun:test";
import { isUrdu, urduToEnglish } from "./urdu.ts";

describe("Urdu messages become the English command they mean", () => {
  test.each([
    ["کل شام 5 بجے دودھ خریدنا یاد دلانا", "remind me to دودھ خریدنا tomorrow at 5pm"],
    ["کل صبح ۸ بجے دوا لینا یاد دلاؤ", "remind me to دوا لینا tomorrow at 8am"],
    ["اگلے جمعہ بل جمع کرانا شامل کرو", "add بل جمع کرانا next friday"],
    ["ہر پیر ورزش شامل کرو", "add ورزش every monday"],
    ["میرے کام دکھاؤ", "show my tasks"],
    ["میرے مکمل کام دکھاؤ", "show my completed tasks"],
    ["پہلا والا مکمل کرو", "complete the first one"],
    ["دوسرے کو حذف کرو", "delete the second one"],
    ["دونوں حذف کرو", "delete both"],
    ["اسے دوبارہ کھولو", "reopen it"],
    ["سب حذف کرو", "delete everything"],
    ["ہاں", "yes"],
    ["نہیں", "no"],
    ["مدد", "help"],
  ])("%s -> %s", (urdu, english) => {
    expect(urduToEnglish(urdu)).toBe(english);
  });

  test("kal inside another word is not a date", () => {
    expect(urduToEnglish("کلاس کی تیاری شامل کرو")).toBe("add کلاس کی تیاری");
  });

  test("only Urdu script counts as Urdu", () => {
    expect(isUrdu("میرے کام")).toBe(true);
    expect(isUrdu("show my tasks")).toBe(false);
  });
});
