import { describe, expect, test } from "bun:test";
import { parseGoDuration } from "./go-duration.ts";

describe("parseGoDuration (Go's time.ParseDuration)", () => {
  test.each([
    ["30s", 30_000],
    ["1h30m", 5_400_000],
    ["500ms", 500],
    ["1.5h", 5_400_000],
    [".5s", 500],
    ["1.s", 1_000],
    ["2h45m10.5s", 9_910_500],
    ["1000us", 1],
    ["1000\u00b5s", 1],
    ["1000\u03bcs", 1],
    ["1500000ns", 1.5],
    ["0", 0],
    ["-1m", -60_000],
    ["+2s", 2_000],
  ])("%s is %d ms", (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  test.each(["", "1", "10", "s", "1d", "1 h", "1h 30m", "1.2.3s", ".s", "h1", "1hh", "P1D", "-", "3000000h"])(
    "rejects %p",
    (text) => {
      expect(parseGoDuration(text)).toBeUndefined();
    },
  );
});
