// Durations in config and scenario files: "500ms", "30s", "15m", "2h".
// A bare number is refused on purpose: "15" could mean seconds or minutes,
// and guessing wrong on an RTO is how a DR plan silently breaks.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const PATTERN = /^(-)?(\d+(?:\.\d+)?)(ms|s|m|h)$/;

export const DURATION_EXPECTED = 'a duration such as "500ms", "30s", "15m" or "2h"';

export class DurationParseError extends Error {
  constructor(readonly input: unknown) {
    super(`expected ${DURATION_EXPECTED}, got ${JSON.stringify(input)}`);
    this.name = "DurationParseError";
  }
}

/** Parses a duration into milliseconds. Signed values are allowed only with `allowNegative`. */
export function parseDurationMs(input: unknown, opts: { allowNegative?: boolean } = {}): number {
  if (typeof input !== "string") throw new DurationParseError(input);
  const match = PATTERN.exec(input.trim());
  if (!match) throw new DurationParseError(input);
  const [, sign, amount, unit] = match;
  if (sign && !opts.allowNegative) throw new DurationParseError(input);
  const ms = Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  if (!Number.isFinite(ms) || !Number.isInteger(Math.round(ms))) throw new DurationParseError(input);
  return Math.round(sign ? -ms : ms);
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
