// Durations in config and scenario files: "500ms", "30s", "15m", "2h", and
// compounds of them from the largest unit to the smallest: "5m30s", "1h15m",
// "1m500ms". A bare number is refused on purpose: "15" could mean seconds or
// minutes, and guessing wrong on an RTO is how a DR plan silently breaks. For
// the same reason a compound is refused rather than guessed at when it reads
// two ways: a unit twice ("5m5m"), units out of order ("30s5m"), a part that
// overflows into the unit before it ("1h90m": 2h30m or 150m?), a fraction
// before the last part ("1.5m30s") or a sign inside ("1h-5m").

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const UNIT_NAME: Record<Unit, string> = { h: "an hour", m: "a minute", s: "a second", ms: "a millisecond" };
/** Largest first: the only order a compound may use. */
const UNIT_ORDER: readonly Unit[] = ["h", "m", "s", "ms"];
// "ms" before "m", or "500ms" would read as 500m and a stray "s".
const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;

export const DURATION_EXPECTED = 'a duration such as "500ms", "30s", "15m" or "2h"';

export class DurationParseError extends Error {
  constructor(
    readonly input: unknown,
    /** What is wrong with a compound, when more can be said than "not a duration". */
    readonly reason?: string,
  ) {
    super(`expected ${durationExpectation(input, reason)}`);
    this.name = "DurationParseError";
  }
}

/** `a duration such as ..., got "x"` (+ the reason): the tail of every duration error, in config and scenarios alike. */
export function durationExpectation(input: unknown, reason?: string): string {
  return `${DURATION_EXPECTED}, got ${JSON.stringify(input)}${reason ? ` (${reason})` : ""}`;
}

/** The issue text for a value `parseDurationMs` refused (keeps the reason of a bad compound). */
export function durationIssue(input: unknown, error: unknown): string {
  return durationExpectation(input, error instanceof DurationParseError ? error.reason : undefined);
}

/** Parses a duration into milliseconds. Signed values are allowed only with `allowNegative`. */
export function parseDurationMs(input: unknown, opts: { allowNegative?: boolean } = {}): number {
  if (typeof input !== "string") throw new DurationParseError(input);
  const text = input.trim();
  const negative = text.startsWith("-");
  if (negative && !opts.allowNegative) throw new DurationParseError(input);
  const body = negative ? text.slice(1) : text;

  const parts: { amount: string; unit: Unit }[] = [];
  PART.lastIndex = 0;
  while (PART.lastIndex < body.length) {
    const at = PART.lastIndex;
    const match = PART.exec(body);
    if (!match) {
      // Only worth a reason once one part was read: "10 minutes" is simply not a duration.
      const rest = body.slice(at);
      if (parts.length === 0) throw new DurationParseError(input);
      if (/^\s/.test(rest)) throw new DurationParseError(input, "no spaces inside a duration");
      if (/^[+-]/.test(rest)) throw new DurationParseError(input, "a sign may only lead the whole duration, as in \"-1m30s\"");
      throw new DurationParseError(input, `every number needs a unit (h, m, s or ms), at ${JSON.stringify(rest)}`);
    }
    parts.push({ amount: match[1] as string, unit: match[2] as Unit });
  }
  if (parts.length === 0) throw new DurationParseError(input);

  let ms = 0;
  parts.forEach(({ amount, unit }, i) => {
    const prev = parts[i - 1];
    if (prev) {
      if (prev.unit === unit) throw new DurationParseError(input, `${unit} given twice`);
      if (UNIT_ORDER.indexOf(prev.unit) > UNIT_ORDER.indexOf(unit)) {
        throw new DurationParseError(input, `units go from the largest to the smallest, as in "1h15m30s": ${unit} after ${prev.unit}`);
      }
      if (prev.amount.includes(".")) throw new DurationParseError(input, `only the last part may have a fraction: ${prev.amount}${prev.unit}`);
      const outer = UNIT_ORDER[UNIT_ORDER.indexOf(unit) - 1] as Unit;
      if (Number(amount) * UNIT_MS[unit] >= UNIT_MS[outer]) {
        const total = parts.reduce((sum, p) => sum + Number(p.amount) * UNIT_MS[p.unit], 0);
        throw new DurationParseError(input, `${amount}${unit} is ${UNIT_NAME[outer]} or more: write "${formatDurationMs(total)}"`);
      }
    }
    ms += Number(amount) * UNIT_MS[unit];
  });
  if (!Number.isFinite(ms)) throw new DurationParseError(input);
  return Math.round(negative ? -ms : ms);
}

/** Formats milliseconds for humans: 131000 -> "2m11s", 420 -> "420ms". */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(Math.round(ms));
  if (rest < 1_000) return `${sign}${rest}ms`;
  const parts: string[] = [];
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1_000);
  const msRest = rest - s * 1_000;
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (s || msRest) parts.push(msRest ? `${s}.${String(msRest).padStart(3, "0").replace(/0+$/, "")}s` : `${s}s`);
  return sign + parts.join("");
}
