// Field types shared by every section of the config schema: regions and
// durations (strings in YAML, milliseconds after parsing).

import { z } from "zod";
import { DURATION_EXPECTED, durationIssue, formatDurationMs, parseDurationMs } from "../core/index.js";

const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export const regionSchema = z.string().regex(REGION_PATTERN, { message: 'an AWS region name such as "us-east-1"' });

/** A duration string turned into milliseconds; `min`/`max` in ms. */
export function duration(opts: { min?: number; max?: number } = {}) {
  return z
    .string({ message: DURATION_EXPECTED })
    .transform((text, ctx) => {
      let ms: number;
      try {
        ms = parseDurationMs(text);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: durationIssue(text, e) });
        return z.NEVER;
      }
      if (opts.min !== undefined && ms < opts.min) {
        ctx.addIssue({ code: "custom", message: `a duration of at least ${formatDurationMs(opts.min)}, got ${JSON.stringify(text)}` });
        return z.NEVER;
      }
      if (opts.max !== undefined && ms > opts.max) {
        ctx.addIssue({ code: "custom", message: `a duration of at most ${formatDurationMs(opts.max)}, got ${JSON.stringify(text)}` });
        return z.NEVER;
      }
      return ms;
    });
}
