// Randomized game days: N scenarios from one seed, each with its own seed
// (printed, so any one can be replayed), mixing fault kinds, timings,
// replication lag and noise. Each is generated as a scenario *document*
// (the YAML file format, every world setting explicit) and goes through
// the same loader as a file, so `--emit` writes files that replay the run
// exactly, whatever the defaults become later.

import { stringify } from "yaml";
import { SeededRandom, type Region } from "../core/index.js";
import { exactDuration, type BaseConfig } from "./config-derive.js";
import { FAULT_KINDS, API_SERVICE_NAMES, OUTAGE_SERVICE_NAMES } from "./scenario-schema.js";
import { parseScenarioValue } from "./scenario.js";
import { hashUnit } from "./scheduler.js";
import type { Scenario } from "./types.js";

const EXTRA_REGIONS: Region[] = ["eu-west-1", "ap-southeast-1", "us-west-1"];
const MINUTE = 60_000;

/** The seed of the i-th scenario of a sweep (stable: adding scenarios never changes earlier ones). */
export function sweepScenarioSeed(sweepSeed: number, index: number): number {
  return 1 + Math.floor(hashUnit(sweepSeed, index, 0x5eed) * 2_147_483_646);
}

type Doc = Record<string, unknown>;

/** A random scenario document: what `--emit` writes. */
export function generateScenarioDoc(seed: number, base: BaseConfig): Doc {
  const rnd = new SeededRandom(seed);
  const baseApps = base.config.regions;
  const witness = base.config.witness ?? "us-east-2";
  const apps = rnd.chance(0.3) ? [...baseApps, ...EXTRA_REGIONS.filter((r) => !baseApps.includes(r) && r !== witness).slice(0, 1)] : [...baseApps];
  const all = [...apps, witness];
  const durationMs = rnd.pick([60, 90, 120]) * MINUTE;
  const lagMean = rnd.int(50, 1_000);
  const ddbMean = rnd.int(200, 1_500);
  const world: Doc = {
    regions: all,
    witness,
    dnsTtl: exactDuration(rnd.pick([30_000, 60_000, 60_000, 120_000])),
    clientsPerRegion: rnd.pick([50, 100, 200]),
    aurora: {
      replicationLag: { mean: exactDuration(lagMean), jitter: exactDuration(rnd.int(0, Math.floor(lagMean / 2))) },
      switchoverDuration: exactDuration(rnd.int(60, 180) * 1000),
      failoverDuration: exactDuration(rnd.int(45, 120) * 1000),
    },
    dynamodb: { replicationLatency: { mean: exactDuration(ddbMean), jitter: exactDuration(rnd.int(0, Math.floor(ddbMean / 2))) } },
    route53: { changePropagation: exactDuration(rnd.int(20, 60) * 1000), healthCheckInterval: rnd.pick(["10s", "30s"]), healthCheckFailureThreshold: rnd.int(2, 4) },
    api: { latency: { mean: exactDuration(rnd.int(40, 150)), jitter: exactDuration(rnd.int(0, 40)) } },
  };
  const faults: Doc[] = [];
  const n = rnd.int(1, 4);
  for (let i = 0; i < n; i++) faults.push(randomFault(rnd, apps, all, durationMs));
  faults.sort((a, b) => (a.at as number) - (b.at as number));
  return {
    name: `sweep-${seed}`,
    description: `randomized scenario (seed ${seed}): ${faults.map((f) => String(f.kind)).join(", ")}`,
    seed,
    duration: exactDuration(durationMs),
    world,
    faults: faults.map((f) => ({ ...f, at: exactDuration(f.at as number), ...(f.until !== undefined && { until: exactDuration(f.until as number) }) })),
    // The project's claims: recovery and data loss within 15 minutes, never two writers.
    expect: { rto: "15m", rpo: "15m", splitBrain: false },
  };
}

function randomFault(rnd: SeededRandom, apps: Region[], all: Region[], durationMs: number): Doc {
  const kind = rnd.pick(FAULT_KINDS);
  const at = rnd.int(5, Math.max(6, durationMs / MINUTE - 20)) * MINUTE + rnd.int(0, 59) * 1000;
  const until = rnd.chance(0.1) ? undefined : Math.min(durationMs, at + rnd.int(2, 40) * MINUTE);
  const t = { at, ...(until !== undefined && until > at && { until }) };
  // The initial active region is where most real disasters matter.
  const appRegion = () => (rnd.chance(0.6) ? apps[0]! : rnd.pick(apps));
  switch (kind) {
    case "region-outage": {
      const services = rnd.chance(0.7) ? undefined : OUTAGE_SERVICE_NAMES.filter(() => rnd.chance(0.5));
      return { kind, ...t, region: appRegion(), ...(services && services.length > 0 && { services }) };
    }
    case "app-degraded":
      return { kind, ...t, region: appRegion(), errorRate: rnd.pick([0.05, 0.2, 0.5, 0.9]), ...(rnd.chance(0.3) && { latency: exactDuration(rnd.pick([500, 2_000, 5_000])) }) };
    case "probe-noise":
      return { kind, ...t, region: rnd.pick(apps), errorRate: rnd.pick([0.1, 0.3, 0.5]) };
    case "replication-lag":
      return { kind, ...t, service: rnd.pick(["aurora", "dynamodb"]), lag: exactDuration(rnd.pick([5_000, 30_000, 2 * MINUTE, 20 * MINUTE])) };
    case "api-errors":
      return {
        kind,
        ...t,
        service: rnd.pick(API_SERVICE_NAMES),
        ...(rnd.chance(0.5) && { region: rnd.pick(all) }),
        error: rnd.pick(["throttle", "5xx", "timeout"]),
        rate: rnd.pick([0.1, 0.3, 0.5]),
      };
    case "control-plane-outage":
      return { kind, ...t, service: "route53" };
    case "partition": {
      const a = rnd.pick(all);
      const b = rnd.pick(all.filter((r) => r !== a));
      return { kind, ...t, between: [a, b] };
    }
    case "controller-crash":
      return { kind, ...t, region: rnd.pick(all), ...(rnd.chance(0.7) && { restartAfter: exactDuration(rnd.pick([30_000, 2 * MINUTE, 10 * MINUTE])) }) };
    case "clock-skew":
      return { kind, ...t, region: rnd.pick(all), skew: exactDuration(rnd.pick([-2 * MINUTE, -30_000, 10_000, 2 * MINUTE])) };
    case "aurora-failover-stuck":
      return { kind, ...t, duration: exactDuration(rnd.pick([5 * MINUTE, 12 * MINUTE])) };
  }
}

export interface SweepScenario {
  scenario: Scenario;
  doc: Doc;
  yaml: string;
}

export function generateScenario(seed: number, base: BaseConfig): SweepScenario {
  const doc = generateScenarioDoc(seed, base);
  return { scenario: parseScenarioValue(doc, `sweep-${seed}.yaml`, base), doc, yaml: stringify(doc) };
}

export function generateSweep(count: number, sweepSeed: number, base: BaseConfig): SweepScenario[] {
  return Array.from({ length: count }, (_, i) => generateScenario(sweepScenarioSeed(sweepSeed, i), base));
}
