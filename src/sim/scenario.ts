// The game-day scenario format (specs/gameday.md: a fixed contract).
// Unknown fields are refused; every problem names the file, the line, the
// field path (`faults[2].until`) and what was expected.

import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { ConfigError, parseDurationMs, DURATION_EXPECTED, durationIssue, type ConfigErrorDetail } from "../core/index.js";
import { parseYamlWith } from "../config/index.js";

const dur = (opts: { signed?: boolean } = {}) =>
  z.string({ message: DURATION_EXPECTED }).transform((text, ctx) => {
    try {
      return parseDurationMs(text, { allowNegative: opts.signed === true });
    } catch (e) {
      ctx.addIssue({ code: "custom", message: durationIssue(text, e) });
      return z.NEVER;
    }
  });
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: 'an AWS region name such as "us-east-1"' });
const rate = z.number().min(0).max(1);
const spread = z.strictObject({ mean: dur(), jitter: dur().prefault("0ms") });
/** A fixed duration ("60s") or a distribution ({ mean: 2m, jitter: 1m }: uniform mean ± jitter). */
const durOrSpread = z.union([dur(), spread]);
const share = z.union([z.number().min(0).max(1), z.string().regex(/^\d+(\.\d+)?%$/, { message: 'a share such as "5%" or 0.05' }).transform((t) => Number(t.slice(0, -1)) / 100)]).pipe(z.number().min(0).max(1));
const window = { at: dur(), until: dur().optional() };

export const SERVICES = ["app", "aurora", "dynamodb", "cloudwatch", "controller"] as const;

export const faultSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("region-outage"), ...window, region, services: z.array(z.enum(SERVICES)).min(1).optional() }),
    z.strictObject({ kind: z.literal("app-degraded"), ...window, region, errorRate: rate, latency: dur().optional() }),
    z.strictObject({ kind: z.literal("probe-noise"), ...window, region, errorRate: rate }),
    z.strictObject({ kind: z.literal("replication-lag"), ...window, service: z.enum(["aurora", "dynamodb"]), lag: dur() }),
    z.strictObject({ kind: z.literal("api-errors"), ...window, service: z.enum(["route53", "rds", "dynamodb", "cloudwatch", "sfn", "route53-recovery-cluster"]), region: region.optional(), error: z.enum(["throttle", "5xx", "timeout"]), rate }),
    z.strictObject({ kind: z.literal("control-plane-outage"), ...window, service: z.literal("route53") }),
    z.strictObject({ kind: z.literal("partition"), ...window, between: z.tuple([region, region]) }),
    z.strictObject({ kind: z.literal("controller-crash"), ...window, region, restartAfter: dur().optional() }),
    z.strictObject({ kind: z.literal("clock-skew"), ...window, region, skew: dur({ signed: true }) }),
    z.strictObject({ kind: z.literal("aurora-failover-stuck"), ...window, duration: dur() }),
  ],
  { error: "kind: one of region-outage, app-degraded, probe-noise, replication-lag, api-errors, control-plane-outage, partition, controller-crash, clock-skew, aurora-failover-stuck" },
);
export type Fault = z.output<typeof faultSchema>;

/** Scripted operator actions (specs/gameday.md "Additions"), in virtual time. */
export const operatorActionSchema = z.strictObject({
  at: dur(),
  action: z.enum(["force-failover", "approve", "reject"]),
  /** force-failover: the region to move to. */
  to: region.optional(),
  /** force-failover: accept a data-loss estimate over the RPO, or unknown. */
  acceptDataLoss: z.boolean().optional(),
  /** Kept in the incident (who/why). */
  reason: z.string().optional(),
});
export type OperatorAction = z.output<typeof operatorActionSchema>;

const count = z.union([z.number().int().min(0), z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })]);

export const worldSchema = z.strictObject({
  regions: z.array(region).min(2).prefault(["us-east-1", "us-west-2", "us-east-2"]),
  witness: region.optional(),
  dnsTtl: dur().prefault("60s"),
  clientsPerRegion: z.number().int().min(1).max(100_000).default(100),
  aurora: z.strictObject({
    replicationLag: spread.prefault({ mean: "300ms", jitter: "200ms" }),
    // "Typically within a few minutes" (unplanned) and "a few minutes, longer with lag" (switchover).
    switchoverDuration: durOrSpread.prefault({ mean: "2m", jitter: "1m" }),
    failoverDuration: durOrSpread.prefault({ mean: "2m", jitter: "1m" }),
    // Best-effort fencing: a reachable old writer may "momentarily" accept writes.
    fencingWindow: durOrSpread.prefault({ mean: "10s", jitter: "10s" }),
    // Secondaries rebuilt after an unplanned failover: "a few minutes to several hours".
    rebuildDuration: durOrSpread.prefault({ mean: "30m", jitter: "25m" }),
  }).prefault({}),
  dynamodb: z.strictObject({ replicationLatency: spread.prefault({ mean: "800ms", jitter: "400ms" }) }).prefault({}),
  route53: z.strictObject({
    /** routing-control: how long a RECOVERY_CONTROL health check takes to follow its control (default 10s, src/sim/arc.ts). */
    routingControlDelay: dur().optional(),
    changePropagation: dur().prefault("40s"),
    healthCheckInterval: dur().prefault("10s"),
    healthCheckFailureThreshold: z.number().int().min(1).max(10).default(3),
    // CLOUDWATCH_METRIC checks whose alarm has no data (its region's CloudWatch down) report this.
    insufficientDataHealthStatus: z.enum(["Healthy", "Unhealthy", "LastKnownStatus"]).default("LastKnownStatus"),
  }).prefault({}),
  api: z.strictObject({ latency: spread.prefault({ mean: "80ms", jitter: "40ms" }) }).prefault({}),
  clients: z.strictObject({
    // Resolvers and connection pools that keep an answer past its TTL.
    dnsCacheOverrun: z.strictObject({ share, extra: dur() }).prefault({ share: 0, extra: "0ms" }),
    // A request slower than this counts as failed.
    slowRequest: dur().prefault("2s"),
  }).prefault({}),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  seed: z.number().int().min(0).default(1),
  duration: dur(),
  world: worldSchema.prefault({}),
  controller: z.record(z.string(), z.unknown()).optional(),
  faults: z.array(faultSchema).default([]),
  operator: z.array(operatorActionSchema).default([]),
  expect: z.strictObject({
    rto: dur().optional(),
    rpo: dur().optional(),
    failovers: count.optional(),
    activeRegion: region.optional(),
    splitBrain: z.boolean().optional(),
    escalations: count.optional(),
    // Default 0: a false failover fails the scenario unless it says how many, and why, in its description.
    falseFailovers: count.optional(),
    // Default 0: promotions and record changes by a controller that did not hold the lease.
    unleasedMutations: count.optional(),
    /** Escalation reasons that must have been notified (published to SNS in the simulated world). */
    notified: z.array(z.string().min(1)).optional(),
  }).prefault({}),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** Cross-field rules: times within the scenario, regions known to the world. */
function checkScenario(s: Scenario): { path: string; expected: string }[] {
  const issues: { path: string; expected: string }[] = [];
  const known = new Set(s.world.regions);
  if (s.world.witness && !known.has(s.world.witness)) issues.push({ path: "world.witness", expected: `one of world.regions (${s.world.regions.join(", ")})` });
  const apps = s.world.regions.filter((r) => r !== s.world.witness);
  if (apps.length < 2) issues.push({ path: "world.regions", expected: "at least two app regions besides the witness" });
  s.faults.forEach((f, i) => {
    if (f.at > s.duration) issues.push({ path: `faults[${i}].at`, expected: `a time within the scenario's duration (${s.duration}ms)` });
    if (f.until !== undefined && f.until <= f.at) issues.push({ path: `faults[${i}].until`, expected: "a time after `at`" });
    if (f.until !== undefined && f.until > s.duration) issues.push({ path: `faults[${i}].until`, expected: `a time within the scenario's duration (${s.duration}ms)` });
    // An ARC cluster endpoint may sit in any region (a cluster has five), not only the world's.
    const arcEndpoint = f.kind === "api-errors" && f.service === "route53-recovery-cluster";
    const regions = "region" in f && f.region && !arcEndpoint ? [["region", f.region] as const] : f.kind === "partition" ? f.between.map((r, j) => [`between[${j}]`, r] as const) : [];
    for (const [key, r] of regions) if (!known.has(r)) issues.push({ path: `faults[${i}].${key}`, expected: `a region of world.regions (${s.world.regions.join(", ")}), got "${r}"` });
  });
  s.operator.forEach((o, i) => {
    if (o.at > s.duration) issues.push({ path: `operator[${i}].at`, expected: `a time within the scenario's duration (${s.duration}ms)` });
    if (o.action === "force-failover" && !o.to) issues.push({ path: `operator[${i}].to`, expected: `the app region to fail over to (${apps.join(", ")})` });
    if (o.to !== undefined && !apps.includes(o.to)) issues.push({ path: `operator[${i}].to`, expected: `an app region (${apps.join(", ")}), got "${o.to}"` });
  });
  if (s.expect.activeRegion && !apps.includes(s.expect.activeRegion)) issues.push({ path: "expect.activeRegion", expected: `an app region (${apps.join(", ")})` });
  return issues;
}

export function parseScenario(text: string, file: string): Scenario {
  const { data, lineOf } = parseYamlWith(scenarioSchema, text, file);
  const issues = checkScenario(data);
  if (issues.length > 0) {
    throw new ConfigError(issues.map((i): ConfigErrorDetail => ({ ...i, file, line: lineOf(i.path.split(/[.[\]]/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p))) })));
  }
  return data;
}

/** One file, or every *.yaml in a folder; any invalid file fails the whole load (nothing runs). */
export async function loadScenarios(path: string): Promise<{ file: string; scenario: Scenario }[]> {
  let files: string[];
  try {
    const entries = await readdir(path);
    files = entries.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(path, n));
    if (files.length === 0) throw new ConfigError({ file: path, path: "", expected: "a folder with at least one *.yaml scenario" });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    files = [path];
  }
  const out: { file: string; scenario: Scenario }[] = [];
  const problems: ConfigErrorDetail[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      problems.push({ file, path: "", expected: `a readable scenario file (${(err as Error).message})` });
      continue;
    }
    try {
      out.push({ file, scenario: parseScenario(text, file) });
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.issues);
      else throw err;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const names = new Map<string, string>();
  for (const { file, scenario } of out) {
    const seen = names.get(scenario.name);
    if (seen) throw new ConfigError({ file, path: "name", expected: `a name unique in its folder ("${scenario.name}" is also in ${seen})` });
    names.set(scenario.name, file);
  }
  return out;
}
