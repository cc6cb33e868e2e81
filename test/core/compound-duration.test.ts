// Compound durations ("5m30s", "1h15m", "1m500ms") through the one parser,
// and through the two places that read durations from files: the config
// schema and the game-day scenario schema. Bad compounds are refused with
// the usual "expected a duration such as ..., got X" plus what is wrong.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { ConfigError, DurationParseError, formatDurationMs, parseDurationMs } from "../../src/core/index.js";
import { parseScenario } from "../../src/sim/scenario.js";
import { cli, tempFile } from "../helpers/cli.js";
import { lineOf, problemsOf } from "../config/helpers.js";

const SANDBOX = readFileSync("config/sandbox.yaml", "utf8");
const SCENARIO = readFileSync("test/gameday/region-outage.yaml", "utf8");
const EXPECTED = 'a duration such as "500ms", "30s", "15m" or "2h"';

describe("parseDurationMs: compounds", () => {
  it.each([
    ["5m30s", 330_000],
    ["1h15m", 4_500_000],
    ["1m500ms", 60_500],
    ["1h0m5s", 3_605_000],
    ["2h59m59s999ms", 3 * 3_600_000 - 1],
    ["2m11.5s", 131_500],
    ["  1h30m ", 5_400_000],
  ])("parses %j as %d ms", (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it("takes a leading sign for the whole compound, only when signed values are allowed", () => {
    expect(parseDurationMs("-1m30s", { allowNegative: true })).toBe(-90_000);
    expect(() => parseDurationMs("-1m30s")).toThrow(DurationParseError);
  });

  it.each([
    ["5m5m", "m given twice"],
    ["30s5m", 'units go from the largest to the smallest, as in "1h15m30s": m after s'],
    ["500ms1s", "units go from the largest to the smallest, as in \"1h15m30s\": s after ms"],
    ["1h-5m", 'a sign may only lead the whole duration, as in "-1m30s"'],
    ["5m30", 'every number needs a unit (h, m, s or ms), at "30"'],
    ["5m 30s", "no spaces inside a duration"],
    ["1.5m30s", "only the last part may have a fraction: 1.5m"],
    ["1h90m", 'is an hour or more: write "2h30m"'],
    ["1m60s", 'is a minute or more: write "2m"'],
    ["1s1000ms", 'is a second or more: write "2s"'],
  ])("refuses %j: %s", (text, reason) => {
    let error: unknown;
    try {
      parseDurationMs(text, { allowNegative: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DurationParseError);
    expect((error as Error).message).toBe(`expected ${EXPECTED}, got ${JSON.stringify(text)} (${(error as DurationParseError).reason})`);
    expect((error as DurationParseError).reason).toContain(reason);
  });

  it.each(["", "-", "  ", "m", "ms5", "+5s", "5m-", "1d2h"])("refuses %j", (text) => {
    expect(() => parseDurationMs(text, { allowNegative: true })).toThrow(new RegExp(`^expected ${EXPECTED.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, got `));
  });

  it("reads back everything formatDurationMs writes, so a printed budget can be pasted into a config", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 48 * 3_600_000 }), (ms) => {
        expect(parseDurationMs(formatDurationMs(ms))).toBe(ms);
      }),
    );
  });

  it("sums any in-order compound of in-range parts", () => {
    const part = (unit: string, max: number, ms: number) => fc.option(fc.integer({ min: 0, max }).map((n) => ({ text: `${n}${unit}`, ms: n * ms })), { nil: undefined });
    fc.assert(
      fc.property(part("h", 100, 3_600_000), part("m", 59, 60_000), part("s", 59, 1_000), part("ms", 999, 1), (...parts) => {
        const present = parts.filter((p) => p !== undefined);
        fc.pre(present.length > 0);
        const text = present.map((p) => p.text).join("");
        expect(parseDurationMs(text)).toBe(present.reduce((sum, p) => sum + p.ms, 0));
      }),
    );
  });
});

describe("compound durations in a config file", () => {
  it("loads policy.rto: 5m30s and coordination.leaseDuration: 1m30s as milliseconds", () => {
    const text = SANDBOX.replace("rto: 15m", "rto: 5m30s").replace(/leaseDuration: \S+/, "leaseDuration: 1m30s");
    expect(text).toContain("leaseDuration: 1m30s");
    const { config } = parseConfigText(text, "c.yaml");
    expect(config.policy.rto).toBe(330_000);
    expect(config.coordination.leaseDuration).toBe(90_000);
  });

  it("still applies the field's bounds to a compound (rto at most 15m)", () => {
    expect(problemsOf(SANDBOX.replace("rto: 15m", "rto: 14m60s")).expected).toBe(`${EXPECTED}, got "14m60s" (60s is a minute or more: write "15m")`);
    expect(problemsOf(SANDBOX.replace("rto: 15m", "rto: 15m0.5s")).expected).toBe('a duration of at most 15m, got "15m0.5s"');
  });

  it("names file, line, field path and what is wrong with a bad compound (validate exits 2)", async () => {
    const file = tempFile(SANDBOX.replace("rto: 15m", "rto: 30s5m"));
    const r = await cli(["validate", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`failover: ${file}:${lineOf(SANDBOX, "rto: 15m")}: policy.rto: expected ${EXPECTED}, got "30s5m" (units go from the largest to the smallest, as in "1h15m30s": m after s)\n`);
  });
});

describe("compound durations in a game-day scenario", () => {
  it("reads faults[0].at: 10m30s and until: 1h5m", () => {
    const text = SCENARIO.replace("  - at: 10m", "  - at: 10m30s").replace("until: 50m", "until: 1h5m");
    const s = parseScenario(text, "s.yaml");
    expect(s.faults[0]).toMatchObject({ at: 630_000, until: 3_900_000 });
  });

  it("names the scenario file and the field path of a bad compound", () => {
    let error: unknown;
    try {
      parseScenario(SCENARIO.replace("until: 50m", "until: 5m5m"), "s.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]).toMatchObject({ file: "s.yaml", path: "faults[0].until", expected: `${EXPECTED}, got "5m5m" (m given twice)` });
  });
});
