// Randomized scenarios from a seed: fault mixes, timings, lag and noise
// within the envelope the controller promises to handle (RTO/RPO <= 15 min,
// no split brain, no false failover). Each is a plain scenario object, so
// `--emit` writes it as a file that replays identically.

import { SeededRandom } from "../core/index.js";
import type { ScenarioInput } from "./scenario.js";

const APPS = ["us-east-1", "us-west-2"];
const ALL = [...APPS, "us-east-2"];
/** A single-unit duration the scenario format accepts ("90s", "-4s", "350ms"). */
const d = (ms: number) => (Math.abs(ms) < 1_000 ? `${Math.round(ms)}ms` : `${Math.round(ms / 1_000)}s`);

export function randomScenario(seed: number): ScenarioInput {
  const r = new SeededRandom(seed);
  const durationMs = 2 * 3_600_000;
  const faults: Record<string, unknown>[] = [];
  const count = r.int(1, 3);
  // The envelope is one region failure at a time: two regions down together
  // (both app regions, or the primary and the witness holding the lease
  // store) leave nothing to recover with and are scripted scenarios, not sweeps.
  // A severe gray failure (>= 90% errors) is a region failure too: the
  // controller rightly treats that region as DOWN (seeds 578 and 634 paired
  // one with an outage of the other app region; test/gameday keeps 634).
  const outages: [number, number][] = [];
  const overlapsOutage = (a: number, b: number) => outages.some(([x, y]) => a < y + 15 * 60_000 && x < b + 15 * 60_000);
  for (let i = 0; i < count; i++) {
    const at = r.int(5, 80) * 60_000;
    const len = r.int(5, 40) * 60_000;
    const win = { at: d(at), until: d(Math.min(durationMs - 60_000, at + len)) };
    const kind = r.pick(["region-outage", "region-outage", "app-degraded", "probe-noise", "replication-lag", "api-errors", "partition", "controller-crash", "clock-skew", "aurora-failover-stuck", "control-plane-outage"] as const);
    switch (kind) {
      case "region-outage":
        if (overlapsOutage(at, at + len)) break;
        outages.push([at, at + len]);
        faults.push({ kind, ...win, region: r.pick([...APPS, APPS[0]!, "us-east-2"]), ...(r.chance(0.3) && { services: r.pick([["app"], ["aurora"], ["app", "aurora"], ["controller"]]) }) });
        break;
      case "app-degraded": {
        // Severe gray failures must be handled; mild ones are short (nothing to fail over for).
        const severe = r.chance(0.5);
        const fault = severe ? { kind, ...win, region: r.pick(APPS), errorRate: 0.9 + r.next() * 0.1 } : { kind, at: win.at, until: d(at + r.int(1, 4) * 60_000), region: r.pick(APPS), errorRate: 0.05 + r.next() * 0.2 };
        if (severe) {
          if (overlapsOutage(at, at + len)) break;
          outages.push([at, at + len]);
        }
        faults.push(fault);
        break;
      }
      case "probe-noise":
        faults.push({ kind, ...win, region: r.pick(ALL), errorRate: r.next() * 0.4 });
        break;
      case "replication-lag":
        faults.push({ kind, ...win, service: r.pick(["aurora", "dynamodb"]), lag: d(r.int(1, 600) * 1_000) });
        break;
      case "api-errors":
        faults.push({ kind, ...win, service: r.pick(["route53", "rds", "dynamodb", "cloudwatch"]), error: r.pick(["throttle", "5xx", "timeout"]), rate: r.next() * 0.3 });
        break;
      case "partition":
        faults.push({ kind, ...win, between: r.pick([["us-east-1", "us-east-2"], ["us-east-1", "us-west-2"], ["us-west-2", "us-east-2"]]) });
        break;
      case "controller-crash":
        faults.push({ kind, at: win.at, region: r.pick(ALL), restartAfter: d(r.int(10, 300) * 1_000) });
        break;
      case "clock-skew":
        faults.push({ kind, ...win, region: r.pick(ALL), skew: d((r.next() * 8 - 4) * 1_000) });
        break;
      case "aurora-failover-stuck":
        faults.push({ kind, ...win, duration: d(r.int(2, 6) * 60_000) });
        break;
      case "control-plane-outage":
        faults.push({ kind, ...win, service: "route53" });
        break;
    }
  }
  return {
    name: `sweep-${seed}`,
    description: `randomized by --sweep, seed ${seed}`,
    seed,
    duration: d(durationMs),
    world: {
      regions: ALL,
      witness: "us-east-2",
      aurora: { replicationLag: { mean: d(r.int(100, 800)), jitter: "200ms" } },
    },
    faults: faults as ScenarioInput["faults"],
    expect: { rto: "15m", rpo: "15m", splitBrain: false },
  };
}
