import { describe, expect, test } from "bun:test";
import { canonicalTimeZone, isPrintableText, normaliseEmail, normaliseName } from "./account-rules.ts";

describe("account rules", () => {
  test("an email is trimmed, kept as typed, and keyed case-insensitively", () => {
    expect(normaliseEmail("  Ada.Lovelace+todo@Example.co.uk ")).toEqual({
      email: "Ada.Lovelace+todo@Example.co.uk",
      emailKey: "ada.lovelace+todo@example.co.uk",
    });
  });

  test.each(["", "@example.com", "ada@", "ada@example", "ada@@example.com", "ada@exa mple.com", "ada@example..com", "ada\u0000@example.com"])(
    "%p is not an email",
    (raw) => expect(normaliseEmail(raw)).toBeUndefined(),
  );

  test("time zones resolve to their canonical IANA spelling", () => {
    expect(canonicalTimeZone("europe/london")).toBe("Europe/London");
    expect(canonicalTimeZone(" America/New_York ")).toBe("America/New_York");
    expect(canonicalTimeZone("UTC")).toBe("UTC");
  });

  test.each(["", "Nowhere/City", "+05:00", "-0800", "x".repeat(65)])("%p is not a time zone", (raw) => {
    expect(canonicalTimeZone(raw)).toBeUndefined();
  });

  test("printable text has no control characters and no lone surrogates", () => {
    expect(isPrintableText("Ada Lovelace – 👩‍💻 آدا")).toBe(true);
    for (const bad of ["a\u0000", "tab\there", "new\nline", "\u007f", "\ud800", "x\udc00"]) expect(isPrintableText(bad)).toBe(false);
  });

  test("a blank name is no name", () => {
    expect(normaliseName("  Ada ")).toBe("Ada");
    expect(normaliseName("   ")).toBeNull();
    expect(normaliseName(null)).toBeNull();
    expect(normaliseName(undefined)).toBeNull();
  });
});
