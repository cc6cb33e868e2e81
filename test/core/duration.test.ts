import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DurationParseError, formatDurationMs, parseDurationMs } from "../../src/core/index.js";

describe("parseDurationMs", () => {
  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["15m", 900_000],
    ["2h", 7_200_000],
    ["1.5s", 1_500],
  ])("parses %s", (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(["10 minutes", "15", "", "1d", "m5", "-5s", "5 s"])("refuses %j with the expected form", (text) => {
    expect(() => parseDurationMs(text)).toThrow(DurationParseError);
    expect(() => parseDurationMs(text)).toThrow(/"500ms", "30s", "15m" or "2h"/);
  });

  it("accepts a signed duration only when asked (clock skew)", () => {
    expect(parseDurationMs("-5s", { allowNegative: true })).toBe(-5_000);
  });

  it("refuses non-strings", () => {
    expect(() => parseDurationMs(900)).toThrow(DurationParseError);
  });

  it("round-trips whole milliseconds through formatDurationMs", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 48 * 3_600_000 }), (ms) => {
        const text = formatDurationMs(ms);
        const back = text
          .match(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)!
          .reduce((sum, part) => sum + parseDurationMs(part), 0);
        expect(back).toBe(ms);
      }),
    );
  });

  it("formats for humans", () => {
    expect(formatDurationMs(131_000)).toBe("2m11s");
    expect(formatDurationMs(420)).toBe("420ms");
    expect(formatDurationMs(972_000)).toBe("16m12s");
  });
});
