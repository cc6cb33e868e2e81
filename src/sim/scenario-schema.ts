// The game-day scenario file (specs/gameday.md) as a zod schema. Unknown
// fields are refused everywhere, durations are strings ("500ms", "30s",
// "10m", "2h"), and each fault kind has exactly its own fields.

import { z } from "zod";
import { DURATION_EXPECTED, parseDurationMs } from "../core/index.js";
import { duration, regionSchema } from "../config/index.js";

/** A signed duration (clock skew). */
const signedDuration = z.string({ message: `${DURATION_EXPECTED}, optionally signed ("-30s")` }).transform((text, ctx) => {
  try {
    return parseDurationMs(text, { allowNegative: true });
  } catch {
    ctx.addIssue({ code: "custom", message: `${DURATION_EXPECTED}, optionally signed ("-30s"), got ${JSON.stringify(text)}` });
    return z.NEVER;
  }
});

const rate = z.number({ message: "a number from 0 to 1" }).min(0).max(1);
const lag = z.strictObject({ mean: duration({ min: 0 }), jitter: duration({ min: 0 }).optional() });
const count = z.union([
  z.number().int().min(0),
  z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }),
], { message: "a count, or { min: N, max: M }" });

const timing = { at: duration({ min: 0 }), until: duration({ min: 0 }).optional() };

export const OUTAGE_SERVICE_NAMES = ["app", "aurora", "dynamodb", "cloudwatch", "controller"] as const;
export const API_SERVICE_NAMES = ["route53", "rds", "dynamodb", "cloudwatch", "sfn"] as const;

export const FAULT_KINDS = [
  "region-outage",
  "app-degraded",
  "probe-noise",
  "replication-lag",
  "api-errors",
  "control-plane-outage",
  "partition",
  "controller-crash",
  "clock-skew",
  "aurora-failover-stuck",
] as const;

export const faultSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("region-outage"), ...timing, region: regionSchema, services: z.array(z.enum(OUTAGE_SERVICE_NAMES)).min(1).optional() }),
    z.strictObject({ kind: z.literal("app-degraded"), ...timing, region: regionSchema, errorRate: rate, latency: duration({ min: 0 }).optional() }),
    z.strictObject({ kind: z.literal("probe-noise"), ...timing, region: regionSchema, errorRate: rate }),
    z.strictObject({ kind: z.literal("replication-lag"), ...timing, service: z.enum(["aurora", "dynamodb"]), lag: duration({ min: 0 }) }),
    z.strictObject({
      kind: z.literal("api-errors"),
      ...timing,
      service: z.enum(API_SERVICE_NAMES),
      region: regionSchema.optional(),
      error: z.enum(["throttle", "5xx", "timeout"]),
      rate,
    }),
    z.strictObject({ kind: z.literal("control-plane-outage"), ...timing, service: z.literal("route53") }),
    z.strictObject({ kind: z.literal("partition"), ...timing, between: z.tuple([regionSchema, regionSchema]) }),
    z.strictObject({ kind: z.literal("controller-crash"), ...timing, region: regionSchema, restartAfter: duration({ min: 0 }).optional() }),
    z.strictObject({ kind: z.literal("clock-skew"), ...timing, region: regionSchema, skew: signedDuration }),
    z.strictObject({ kind: z.literal("aurora-failover-stuck"), ...timing, duration: duration({ min: 0 }) }),
  ],
  { error: `kind: one of ${FAULT_KINDS.map((k) => `"${k}"`).join(", ")}` },
);

export const worldSchema = z.strictObject({
  regions: z.array(regionSchema).min(2, { message: "at least two regions" }).optional(),
  witness: regionSchema.optional(),
  dnsTtl: duration({ min: 0, max: 172_800_000 }).optional(),
  clientsPerRegion: z.number().int().min(1).max(100_000).optional(),
  aurora: z
    .strictObject({
      replicationLag: lag.optional(),
      switchoverDuration: duration({ min: 0 }).optional(),
      failoverDuration: duration({ min: 0 }).optional(),
      /** Addition: how long a recovered, unfenced old primary still takes writes. */
      staleWriterWindow: duration({ min: 0 }).optional(),
      /** Addition: how long a re-added old primary stays pending-resync. */
      resync: duration({ min: 0 }).optional(),
    })
    .optional(),
  dynamodb: z.strictObject({ replicationLatency: lag.optional() }).optional(),
  route53: z
    .strictObject({
      changePropagation: duration({ min: 0 }).optional(),
      healthCheckInterval: z.enum(["10s", "30s"], { message: '"10s" or "30s" (Route 53 RequestInterval)' }).optional(),
      healthCheckFailureThreshold: z.number().int().min(1).max(10).optional(),
    })
    .optional(),
  api: z.strictObject({ latency: lag.optional(), timeout: duration({ min: 1 }).optional() }).optional(),
});

export const expectSchema = z.strictObject({
  rto: duration({ min: 0 }).optional(),
  rpo: duration({ min: 0 }).optional(),
  failovers: count.optional(),
  activeRegion: regionSchema.optional(),
  splitBrain: z.boolean().optional(),
  escalations: count.optional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).max(120),
  description: z.string().optional(),
  seed: z.number().int().min(0).max(4_294_967_295).optional(),
  duration: duration({ min: 1_000, max: 30 * 86_400_000 }),
  world: worldSchema.optional(),
  controller: z.record(z.string(), z.unknown(), { message: "a mapping of config keys (policy, health, ...)" }).optional(),
  faults: z.array(faultSchema).optional(),
  expect: expectSchema.optional(),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
