// Loading scenario files: YAML with line numbers, the zod schema, then the
// rules that span fields (fault times within the duration, `until` after
// `at`, every region known to the world). Every problem is reported at
// once as a ConfigError naming file, line, field path (`faults[2].until`)
// and what was expected. A folder is all-or-nothing: one bad file and no
// scenario runs.

import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseYaml, zodIssuesToDetails, type PathSegment } from "../config/index.js";
import { ConfigError, formatDurationMs, type ConfigErrorDetail, type Region } from "../core/index.js";
import { baseRegions, deriveConfig, type BaseConfig } from "./config-derive.js";
import { scenarioSchema, type ParsedScenario } from "./scenario-schema.js";
import type { CountRange, Fault, OutageService, Scenario, WorldSettings } from "./types.js";
import { OUTAGE_SERVICES } from "./types.js";

export const WORLD_DEFAULTS = {
  dnsTtlMs: 60_000,
  clientsPerRegion: 100,
  aurora: { replicationLag: { meanMs: 300, jitterMs: 200 }, switchoverDurationMs: 90_000, failoverDurationMs: 60_000, staleWriterWindowMs: 0, resyncMs: 300_000 },
  dynamodb: { replicationLatency: { meanMs: 800, jitterMs: 400 } },
  route53: { changePropagationMs: 40_000, healthCheckIntervalMs: 10_000, healthCheckFailureThreshold: 3 },
  api: { latency: { meanMs: 80, jitterMs: 40 }, timeoutMs: 10_000 },
} as const;

type Issue = Omit<ConfigErrorDetail, "file" | "line"> & { at: PathSegment[] };

function worldSettings(p: ParsedScenario, defaults: { regions: Region[]; witness?: Region | undefined }): WorldSettings {
  const w = p.world ?? {};
  const witness = w.regions || w.witness !== undefined ? w.witness : defaults.witness;
  const listed = w.regions ?? defaults.regions;
  const lagOf = (l: { mean: number; jitter?: number | undefined } | undefined, d: { meanMs: number; jitterMs: number }) =>
    l ? { meanMs: l.mean, jitterMs: l.jitter ?? 0 } : { ...d };
  const D = WORLD_DEFAULTS;
  return {
    appRegions: listed.filter((r) => r !== witness),
    witness,
    dnsTtlMs: w.dnsTtl ?? D.dnsTtlMs,
    clientsPerRegion: w.clientsPerRegion ?? D.clientsPerRegion,
    aurora: {
      replicationLag: lagOf(w.aurora?.replicationLag, D.aurora.replicationLag),
      switchoverDurationMs: w.aurora?.switchoverDuration ?? D.aurora.switchoverDurationMs,
      failoverDurationMs: w.aurora?.failoverDuration ?? D.aurora.failoverDurationMs,
      staleWriterWindowMs: w.aurora?.staleWriterWindow ?? D.aurora.staleWriterWindowMs,
      resyncMs: w.aurora?.resync ?? D.aurora.resyncMs,
    },
    dynamodb: { replicationLatency: lagOf(w.dynamodb?.replicationLatency, D.dynamodb.replicationLatency) },
    route53: {
      changePropagationMs: w.route53?.changePropagation ?? D.route53.changePropagationMs,
      healthCheckIntervalMs: w.route53?.healthCheckInterval === "30s" ? 30_000 : D.route53.healthCheckIntervalMs,
      healthCheckFailureThreshold: w.route53?.healthCheckFailureThreshold ?? D.route53.healthCheckFailureThreshold,
    },
    api: { latency: lagOf(w.api?.latency, D.api.latency), timeoutMs: w.api?.timeout ?? D.api.timeoutMs },
  };
}

function toFault(f: NonNullable<ParsedScenario["faults"]>[number], index: number): Fault {
  const t = { atMs: f.at, untilMs: f.until, index };
  switch (f.kind) {
    case "region-outage":
      return { ...t, kind: f.kind, region: f.region, services: f.services ?? [...OUTAGE_SERVICES], allServices: f.services === undefined };
    case "app-degraded":
      return { ...t, kind: f.kind, region: f.region, errorRate: f.errorRate, latencyMs: f.latency };
    case "probe-noise":
      return { ...t, kind: f.kind, region: f.region, errorRate: f.errorRate };
    case "replication-lag":
      return { ...t, kind: f.kind, service: f.service, lagMs: f.lag };
    case "api-errors":
      return { ...t, kind: f.kind, service: f.service, region: f.region, error: f.error, rate: f.rate };
    case "control-plane-outage":
      return { ...t, kind: f.kind, service: f.service };
    case "partition":
      return { ...t, kind: f.kind, between: [f.between[0], f.between[1]] };
    case "controller-crash":
      return { ...t, kind: f.kind, region: f.region, restartAfterMs: f.restartAfter };
    case "clock-skew":
      return { ...t, kind: f.kind, region: f.region, skewMs: f.skew };
    case "aurora-failover-stuck":
      return { ...t, kind: f.kind, durationMs: f.duration };
  }
}

function crossCheck(p: ParsedScenario, world: WorldSettings): Issue[] {
  const issues: Issue[] = [];
  const fail = (at: PathSegment[], expected: string) => issues.push({ at, path: "", expected });
  const listed = p.world?.regions;
  const all = world.witness ? [...world.appRegions, world.witness] : world.appRegions;
  const known = `one of the world's regions (${all.join(", ")})`;
  const apps = `one of the world's app regions (${world.appRegions.join(", ")})`;
  listed?.forEach((r, i) => {
    if (listed.indexOf(r) !== i) fail(["world", "regions", i], `unique regions ("${r}" is listed twice)`);
  });
  if (world.appRegions.length < 2) fail(["world", "regions"], "at least two app regions besides the witness");
  const d = formatDurationMs(p.duration);
  (p.faults ?? []).forEach((f, i) => {
    const at = ["faults", i];
    if (f.at > p.duration) fail([...at, "at"], `a time within the scenario's duration (${d}), got ${formatDurationMs(f.at)}`);
    if (f.until !== undefined && f.until <= f.at) fail([...at, "until"], `a time after at (${formatDurationMs(f.at)}), got ${formatDurationMs(f.until)}`);
    else if (f.until !== undefined && f.until > p.duration) fail([...at, "until"], `a time within the scenario's duration (${d}), got ${formatDurationMs(f.until)}`);
    const region = "region" in f ? f.region : undefined;
    if (region !== undefined) {
      const appOnly = f.kind === "app-degraded" || f.kind === "probe-noise";
      if (!(appOnly ? world.appRegions : all).includes(region)) fail([...at, "region"], appOnly ? apps : known);
    }
    if (f.kind === "region-outage" && f.services) {
      f.services.forEach((s: OutageService, j) => {
        if (f.services!.indexOf(s) !== j) fail([...at, "services", j], `unique services ("${s}" is listed twice)`);
      });
    }
    if (f.kind === "partition") {
      f.between.forEach((r, j) => {
        if (!all.includes(r)) fail([...at, "between", j], known);
      });
      if (f.between[0] === f.between[1]) fail([...at, "between"], "two different regions");
    }
  });
  const e = p.expect;
  if (e?.activeRegion !== undefined && !world.appRegions.includes(e.activeRegion)) fail(["expect", "activeRegion"], apps);
  for (const key of ["failovers", "escalations"] as const) {
    const v = e?.[key];
    if (typeof v === "object" && v.min !== undefined && v.max !== undefined && v.min > v.max) fail(["expect", key], "min <= max");
  }
  return issues;
}

/** Parses scenario text; `file` is only used in messages. */
export function parseScenarioText(text: string, file: string, base: BaseConfig): Scenario {
  const { value, lineOf } = parseYaml(text, file);
  return parseScenarioValue(value, file, base, lineOf);
}

/** Validates an already-parsed document (YAML or generated by the sweep). */
export function parseScenarioValue(
  value: unknown,
  file: string,
  base: BaseConfig,
  lineOf: (path: readonly PathSegment[]) => number | undefined = () => undefined,
): Scenario {
  const result = scenarioSchema.safeParse(value, { reportInput: true });
  if (!result.success) throw new ConfigError(zodIssuesToDetails(result.error, file, lineOf));
  const p = result.data;
  const world = worldSettings(p, baseRegions(base));
  const issues = crossCheck(p, world);
  if (issues.length > 0) {
    throw new ConfigError(issues.map((i) => ({ file, line: lineOf(i.at), path: formatAt(i.at), expected: i.expected })));
  }
  const config = deriveConfig(base, world, p.controller ?? {}, { file, lineOf });
  return {
    name: p.name,
    description: p.description,
    seed: p.seed ?? 1,
    durationMs: p.duration,
    world,
    controller: p.controller ?? {},
    faults: (p.faults ?? []).map(toFault),
    expect: {
      rtoMs: p.expect?.rto,
      rpoMs: p.expect?.rpo,
      failovers: p.expect?.failovers as number | CountRange | undefined,
      activeRegion: p.expect?.activeRegion,
      splitBrain: p.expect?.splitBrain,
      escalations: p.expect?.escalations as number | CountRange | undefined,
    },
    config,
    file,
  };
}

function formatAt(at: PathSegment[]): string {
  return at.reduce<string>((s, seg) => (typeof seg === "number" ? `${s}[${seg}]` : s === "" ? seg : `${s}.${seg}`), "");
}

export async function loadScenarioFile(file: string, base: BaseConfig): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist" : (err as Error).message;
    throw new ConfigError({ file, path: "", expected: `a readable scenario file (${reason})` });
  }
  return parseScenarioText(text, file, base);
}

/** A file, or every *.yaml / *.yml in a folder (sorted). All problems of all files are reported together. */
export async function loadScenarios(path: string, base: BaseConfig): Promise<Scenario[]> {
  let isDir = false;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new ConfigError({ file: path, path: "", expected: "a scenario file or a folder of *.yaml scenarios (not found)" });
  }
  if (!isDir) return [await loadScenarioFile(path, base)];
  const files = (await readdir(path)).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(path, f));
  if (files.length === 0) throw new ConfigError({ file: path, path: "", expected: "a folder holding at least one *.yaml scenario" });
  const scenarios: Scenario[] = [];
  const problems: ConfigErrorDetail[] = [];
  for (const file of files) {
    try {
      scenarios.push(await loadScenarioFile(file, base));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.issues);
    }
  }
  const seen = new Map<string, string>();
  for (const s of scenarios) {
    const other = seen.get(s.name);
    if (other !== undefined) problems.push({ file: s.file ?? path, path: "name", expected: `a name unique in the folder ("${s.name}" is also used by ${other})` });
    seen.set(s.name, s.file ?? path);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return scenarios;
}
