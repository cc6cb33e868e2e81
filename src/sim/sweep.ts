// Randomized scenarios from a seed. Each run is built to discriminate: about
// 60 % fail the active region for long enough that a failover is due (a
// controller that does nothing fails them), the rest hold only failures
// that call for nothing (a controller that acts fails those), and about one
// in seven adds a second, independent failure that puts the run outside the
// one-failure envelope (there, only safety is expected). The expectations
// are written into the scenario from classify(), so an emitted file replays
// with the same verdict, and its description says what a correct
// controller must do.

import { stringify } from "yaml";
import { SeededRandom, parseDurationMs } from "../core/index.js";
import { classify } from "./classify.js";
import { parseScenario, type ScenarioInput } from "./scenario.js";
import { scenarioConfig } from "./sim-config.js";

const PRIMARY = "us-east-1";
const DR = "us-west-2";
const WITNESS = "us-east-2";
const ALL = [PRIMARY, DR, WITNESS];
const MIN = 60_000;
const DURATION_MS = 2 * 3_600_000;
/** A duration the scenario format accepts ("90s", "-4s", "350ms"). */
const d = (ms: number) => (Math.abs(ms) < 1_000 ? `${Math.round(ms)}ms` : `${Math.round(ms / 1_000)}s`);
type FaultInput = Record<string, unknown>;

function primaryFailure(r: SeededRandom, at: number, until: number): FaultInput {
  const win = { at: d(at), until: d(until) };
  switch (r.int(0, 5)) {
    case 0:
    case 1:
      return { kind: "region-outage", ...win, region: PRIMARY };
    case 2:
      return { kind: "region-outage", ...win, region: PRIMARY, services: r.pick([["app"], ["aurora"], ["app", "aurora"], ["dynamodb"]]) };
    case 3:
      return { kind: "app-degraded", ...win, region: PRIMARY, errorRate: 0.9 + r.next() * 0.1 };
    case 4:
      return { kind: "app-degraded", ...win, region: PRIMARY, errorRate: 0.02, latency: d(r.int(4, 10) * 1_000) };
    default:
      return { kind: "region-outage", ...win, region: PRIMARY, services: ["app", "aurora", "dynamodb"] };
  }
}

/** Something that happens during the failure and makes recovering from it harder (one class each). */
function flavour(r: SeededRandom, at: number, until: number): FaultInput[] {
  const during = { at: d(at + r.int(0, 3) * MIN), until: d(Math.min(until, at + r.int(8, 25) * MIN)) };
  switch (r.pick(["clean", "clean", "lag", "stuck", "api", "crash", "skew", "takeover"] as const)) {
    case "takeover":
      // Outside the envelope: a clock jumps past maxClockSkew while the failover runs, so
      // the lease changes hands mid-runbook (what fencing exists for).
      return [{ kind: "clock-skew", at: d(at + r.int(20, 90) * 1_000), region: r.pick([DR, WITNESS]), skew: d(r.int(35, 60) * 1_000) }];
    case "lag":
      return [{ kind: "replication-lag", at: d(Math.max(0, at - r.int(0, 5) * MIN)), until: during.until, service: r.pick(["aurora", "dynamodb"]), lag: d(r.int(60, 600) * 1_000) }];
    case "stuck":
      return [{ kind: "aurora-failover-stuck", at: d(at), until: d(until), duration: d(r.int(2, 6) * MIN) }];
    case "api":
      return [{ kind: "api-errors", ...during, service: r.pick(["route53", "rds", "dynamodb", "cloudwatch"]), error: r.pick(["throttle", "5xx", "timeout"]), rate: r.next() * 0.3 }];
    case "crash":
      return [{ kind: "controller-crash", at: d(at + r.int(1, 6) * MIN), region: r.pick([DR, WITNESS]), restartAfter: d(r.int(10, 300) * 1_000) }];
    case "skew":
      return [{ kind: "clock-skew", ...during, region: r.pick(ALL), skew: d((r.next() * 8 - 4) * 1_000) }];
    default:
      return [];
  }
}

/** A failure or noise that calls for no failover of the active region. */
function harmless(r: SeededRandom, at: number, until: number): FaultInput {
  const win = { at: d(at), until: d(until) };
  switch (r.pick([0, 1, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9])) {
    case 0:
      return { kind: "region-outage", ...win, region: DR };
    case 1:
      return { kind: "region-outage", ...win, region: WITNESS };
    case 2:
      return { kind: "partition", ...win, between: r.pick([[PRIMARY, WITNESS], [PRIMARY, DR], [DR, WITNESS]]) };
    case 3:
      // As strong as the committed probe-noise game day, mostly on the primary: a controller
      // without hysteresis fails over on it, the real one must not.
      return { kind: "probe-noise", ...win, region: r.pick([PRIMARY, PRIMARY, DR, WITNESS]), errorRate: 0.3 + r.next() * 0.15 };
    case 4:
      return { kind: "app-degraded", at: win.at, until: d(at + r.int(1, 4) * MIN), region: PRIMARY, errorRate: 0.05 + r.next() * 0.2 };
    case 5:
      return { kind: "api-errors", ...win, service: r.pick(["route53", "rds", "dynamodb", "cloudwatch"]), error: r.pick(["throttle", "5xx", "timeout"]), rate: r.next() * 0.3 };
    case 6:
      return { kind: "replication-lag", ...win, service: r.pick(["aurora", "dynamodb"]), lag: d(r.int(1, 600) * 1_000) };
    case 7:
      return { kind: "controller-crash", at: win.at, region: r.pick(ALL), restartAfter: d(r.int(10, 300) * 1_000) };
    case 8:
      return { kind: "control-plane-outage", ...win, service: "route53" };
    default:
      return { kind: "clock-skew", ...win, region: r.pick(ALL), skew: d((r.next() * 8 - 4) * 1_000) };
  }
}

/** A second, independent failure overlapping the first: outside the envelope. */
function second(r: SeededRandom, at: number, until: number): FaultInput {
  const startMs = at + r.int(0, 5) * MIN;
  // At least a minute long: a first failure of 5 minutes, a start 5 minutes in and no extension
  // made an empty window, which the scenario format refuses (sweep seed 950042 stopped a sweep).
  const win = { at: d(startMs), until: d(Math.max(startMs + MIN, Math.min(DURATION_MS - MIN, until + r.int(0, 10) * MIN))) };
  switch (r.int(0, 6)) {
    case 0:
      return { kind: "partition", ...win, between: [DR, WITNESS] };
    case 6:
      // A clock jumping past maxClockSkew mid-run: a lease taken over in the middle of a runbook.
      return { kind: "clock-skew", at: d(at + r.int(0, 3) * MIN), region: r.pick([DR, WITNESS]), skew: d(r.int(30, 60) * 1_000) };
    case 1:
      return { kind: "region-outage", ...win, region: WITNESS };
    case 2:
      return { kind: "partition", ...win, between: [PRIMARY, DR] };
    case 3:
      // A clock far past maxClockSkew: leases expire early in that controller's eyes.
      return { kind: "clock-skew", at: d(0), region: r.pick([DR, WITNESS]), skew: d(r.int(30, 60) * 1_000) };
    case 4:
      // Replication far behind the RPO when the primary fails: only a person may accept that loss.
      // (from the start: the gap grows with time, so it is past the RPO by the time the primary fails)
      return { kind: "replication-lag", at: d(0), until: d(Math.min(DURATION_MS - MIN, until)), service: "aurora", lag: d(r.int(40, 60) * MIN) };
    default:
      return { kind: "region-outage", ...win, region: DR };
  }
}

export function randomScenario(seed: number): ScenarioInput {
  const r = new SeededRandom(seed);
  const faults: FaultInput[] = [];
  const actionDue = r.chance(0.68);
  const at = r.int(5, 40) * MIN;
  const until = Math.min(DURATION_MS - MIN, at + (actionDue ? r.int(20, 50) : r.int(5, 40)) * MIN);
  if (actionDue) faults.push(primaryFailure(r, at, until), ...flavour(r, at, until));
  else faults.push(harmless(r, at, until));
  if (r.chance(0.15)) faults.push(second(r, at, until));
  if (r.chance(0.4)) {
    // Background noise somewhere else in the run.
    const at2 = r.int(5, 100) * MIN;
    faults.push(r.pick([
      { kind: "probe-noise", at: d(at2), until: d(Math.min(DURATION_MS - MIN, at2 + r.int(5, 30) * MIN)), region: r.pick(ALL), errorRate: r.next() * 0.3 },
      { kind: "controller-crash", at: d(at2), region: r.pick(ALL), restartAfter: d(r.int(10, 300) * 1_000) },
      { kind: "clock-skew", at: d(at2), until: d(Math.min(DURATION_MS - MIN, at2 + r.int(5, 30) * MIN)), region: r.pick(ALL), skew: d((r.next() * 8 - 4) * 1_000) },
    ]));
  }
  const overrun = r.chance(0.3) ? { share: `${r.int(2, 10)}%`, extra: d(r.int(1, 3) * MIN) } : undefined;
  const input: ScenarioInput = {
    name: `sweep-${seed}`,
    description: `randomized by --sweep, seed ${seed}`,
    seed,
    duration: d(DURATION_MS),
    world: {
      regions: ALL,
      witness: WITNESS,
      aurora: { replicationLag: { mean: d(r.int(100, 800)), jitter: "200ms" } },
      ...(overrun && { clients: { dnsCacheOverrun: overrun } }),
    },
    faults: faults as ScenarioInput["faults"],
    expect: { splitBrain: false },
  };
  setExpectations(input);
  return input;
}

/**
 * Writes what a correct controller must do into a generated scenario (its
 * description and `expect`), from the scenario itself and the config it runs
 * with (a `controller:` block included: under `records`, losing us-east-1
 * also loses the Route 53 control plane, classify.ts).
 */
export function setExpectations(input: ScenarioInput): void {
  const file = `${input.name}.yaml`;
  const parsed = parseScenario(stringify(input), file);
  const config = scenarioConfig(parsed, file);
  const c = classify(parsed, config);
  input.description = `randomized by --sweep, seed ${parsed.seed}: ${c.class} (${c.envelope} the one-failure envelope); ${c.why}`;
  // Outside the envelope the RTO cannot be promised, but data safety can: no split brain, no loss past the RPO.
  // A clock past maxClockSkew voids the lease's promise: one guarded call may land in the
  // window between its fence and itself after another controller took over (docs/failure-modes.md).
  const skewed = (input.faults as { kind: string; skew?: string }[]).some((f) => f.kind === "clock-skew" && Math.abs(parseDurationMs(String(f.skew), { allowNegative: true })) > config.coordination.maxClockSkew);
  if (c.envelope === "outside") input.expect = { rpo: "15m", splitBrain: false, falseFailovers: {}, ...(skewed && { unleasedMutations: { max: 1 } }) };
  else if (c.due === "failover") input.expect = { rto: "15m", rpo: "15m", failovers: { min: 1 }, splitBrain: false };
  else input.expect = { rto: "15m", rpo: "15m", failovers: 0, splitBrain: false };
}
