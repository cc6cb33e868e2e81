// The class of situation a scenario's faults make, and whether it lies in
// the one-failure envelope the controller promises to handle alone. Derived
// from the scenario (not from what happened), so a verdict can be judged
// against what a correct controller must do: fail over, or nothing, or
// (outside the envelope) tell a person.
//
// A failure is something that takes a region, its database or the network
// between two regions away: a region outage touching the app, Aurora or
// DynamoDB (or the controller and CloudWatch of the witness, which holds the
// quorum's third vote and the control table), a gray failure failing at
// least FAILING_ERROR_RATE of requests, a partition, replication lag over
// the RPO. Noise is everything else (probe noise, API errors, clock skew
// within the allowed skew, a controller crash, a slow promotion within the
// promotion timeout). Two failures of different things overlapping in time
// (the first's end extended by RECOVERY_MARGIN_MS, since recovering from one
// takes time) put the run outside the envelope.

import { ROUTE53_CONTROL_REGION, type Config } from "../config/index.js";
import type { Scenario, Fault } from "./scenario.js";
import { DEFAULT_ROUTING_CONTROL_DELAY_MS } from "./arc.js";
import { FAILING_ERROR_RATE } from "./world.js";

export type RunClass =
  | "no-failure"
  | "other-region"
  | "partition"
  | "clean-outage"
  | "lag-drained"
  | "slow-promotion"
  | "api-errors"
  | "outside-envelope";

export interface Classification {
  class: RunClass;
  envelope: "inside" | "outside";
  /** What a correct controller must do about the active region. */
  due: "failover" | "nothing" | "escalate";
  /** Why, in words (for the sweep's scenario description). */
  why: string;
  /** When a failover is due: when the active region's longest failure began. */
  failureAtMs?: number;
}

const RECOVERY_MARGIN_MS = 15 * 60_000;
/** An active-region failure at least this long must be failed over (waiting it out breaches a 15-minute RTO). */
export const DUE_FAILURE_MS = 15 * 60_000;

interface Failure {
  what: string;
  at: number;
  until: number;
}

const end = (f: Fault, durationMs: number) => f.until ?? durationMs;

function failures(s: Scenario, config: Config): Failure[] {
  const out: Failure[] = [];
  const slowMs = s.world.clients.slowRequest;
  for (const f of s.faults) {
    const span = { at: f.at, until: end(f, s.duration) };
    switch (f.kind) {
      case "region-outage": {
        const services = f.services ?? ["app", "aurora", "dynamodb", "cloudwatch", "controller"];
        const serving = services.some((x) => x === "app" || x === "aurora" || x === "dynamodb");
        if (serving || f.region === s.world.witness) out.push({ what: `region ${f.region}`, ...span });
        // The Route 53 control plane runs in us-east-1 (the world takes it down with that region's
        // app): under `records` it is the traffic move itself, so when us-east-1 is the active
        // region nothing can move its clients away.
        if (config.traffic.strategy === "records" && f.region === ROUTE53_CONTROL_REGION && f.region === config.regions[0] && services.includes("app")) out.push({ what: "route53", ...span });
        break;
      }
      case "app-degraded":
        if (f.errorRate >= FAILING_ERROR_RATE || (f.latency ?? 0) > slowMs) out.push({ what: `region ${f.region}`, ...span });
        break;
      case "partition":
        out.push({ what: `partition ${[...f.between].sort().join("|")}`, ...span });
        break;
      case "replication-lag":
        if (f.lag > config.policy.rpo) out.push({ what: `lag ${f.service}`, ...span });
        break;
      case "clock-skew":
        if (Math.abs(f.skew) > config.coordination.maxClockSkew) out.push({ what: `skew ${f.region}`, ...span });
        break;
      case "aurora-failover-stuck":
        if (f.duration > config.aurora.promotionTimeout) out.push({ what: "promotion", ...span });
        break;
      case "control-plane-outage":
        if (config.traffic.strategy === "records") out.push({ what: "route53", ...span });
        break;
      default:
        break;
    }
  }
  return out;
}

const overlaps = (a: { at: number; until: number }, b: { at: number; until: number }, marginMs = 0) => a.at < b.until + marginMs && b.at < a.until + marginMs;

export function classify(s: Scenario, config: Config): Classification {
  const active = config.regions[0]!;
  const all = failures(s, config);
  const outside = all.some((a, i) => all.some((b, j) => j > i && a.what !== b.what && overlaps(a, b, RECOVERY_MARGIN_MS)));
  const activeFailures = all.filter((f) => f.what === `region ${active}`);
  const longest = Math.max(0, ...activeFailures.map((f) => f.until - f.at));
  const due = longest >= DUE_FAILURE_MS ? "failover" : "nothing";
  const failureAtMs = due === "failover" ? activeFailures.find((f) => f.until - f.at === longest)?.at : undefined;
  if (outside) {
    const names = [...new Set(all.map((f) => f.what))];
    const why =
      names.length === 2 && names.includes("route53") && names.includes(`region ${ROUTE53_CONTROL_REGION}`)
        ? `${ROUTE53_CONTROL_REGION} fails and takes the Route 53 control plane the records strategy moves traffic with: a person decides`
        : `independent failures overlap (${names.join(", ")}): a person decides`;
    return { class: "outside-envelope", envelope: "outside", due: "escalate", why };
  }
  if (activeFailures.length === 0) {
    if (all.some((f) => f.what.startsWith("partition"))) return { class: "partition", envelope: "inside", due: "nothing", why: "a partition between two regions; every region serves" };
    if (all.length > 0) return { class: "other-region", envelope: "inside", due: "nothing", why: `${all.map((f) => f.what).join(", ")} fails; the active region serves` };
    return { class: "no-failure", envelope: "inside", due: "nothing", why: "noise only: nothing to fail over for" };
  }
  const during = (f: Fault) => activeFailures.some((a) => overlaps(a, { at: f.at, until: end(f, s.duration) }, RECOVERY_MARGIN_MS));
  const why = due === "failover" ? `${active} fails for ${Math.round(longest / 60_000)} min: fail over` : `${active} fails for under ${DUE_FAILURE_MS / 60_000} min: failing over is optional`;
  const at = failureAtMs === undefined ? {} : { failureAtMs };
  if (s.faults.some((f) => f.kind === "aurora-failover-stuck" && during(f))) return { class: "slow-promotion", envelope: "inside", due, why: `${why}; the promotion is slow`, ...at };
  if (s.faults.some((f) => f.kind === "replication-lag" && during(f) && f.lag > 60_000)) return { class: "lag-drained", envelope: "inside", due, why: `${why}; replication lags`, ...at };
  if (s.faults.some((f) => f.kind === "api-errors" && during(f))) return { class: "api-errors", envelope: "inside", due, why: `${why}; AWS APIs fail`, ...at };
  return { class: "clean-outage", envelope: "inside", due, why, ...at };
}

/** What the world did in a run that no controller decides: when the probes ran, how long promotions took. */
export interface RunFacts {
  /** Health probe requests per `from>to`: [sentAtMs, ok] (world.healthProbes). */
  healthProbes: ReadonlyMap<string, readonly (readonly [number, boolean])[]>;
  /** Completed promotions (world.writerChanges). */
  writerChanges: readonly { atMs: number; startedAtMs: number }[];
}

/**
 * The fastest any controller with this config could restore clients in this
 * run when a failover is due (0 otherwise): detection, then the promotion and
 * the traffic flip overlapped (a controller may start both at once), then the
 * longest DNS cache a client keeps. It is the run's own bound, so a hard seed
 * raises it and only the controller's own latency shows above it:
 * - detection: when each observer's health probes of the failed region first
 *   failed failureThreshold rounds in a row from the failure on (a round: the
 *   tries of one probe, failed when none answered 200), and the quorum-th
 *   earliest of those. The schedule is the config's interval at a phase the
 *   failure's time decides, and under a gray failure a lucky probe restarts
 *   the count: the seed's doing, not the controller's;
 * - promotion: as long as the world's first promotion begun after the failure
 *   took (a stuck one included);
 * - flip: the strategy's delay in the world's own timings, not the config's
 *   estimates, then the longest DNS cache a client keeps (as validate's
 *   dns-ttl term: a run whose clients happen to refresh early, on their own
 *   phases, can finish a little under it; an exact per-client bound would turn
 *   a second of controller latency into a whole cache period for the client
 *   that just missed the change, and hide the controller in that noise).
 * Without `run` (or a probe or promotion in it) a term falls back to its
 * least possible value: the best phase, the shortest promotion the world can draw.
 */
export function rtoFloorMs(s: Scenario, config: Config, c: Classification, run?: RunFacts): number {
  if (c.due !== "failover") return 0;
  const w = s.world;
  const rounds = config.health.failureThreshold - 1;
  const detectionMs = Math.min(...config.probes.filter((p) => p.kind === "http" || p.kind === "cloudwatch-alarm" || p.kind === "route53-health-check").map((p) => p.interval * rounds));
  const least = (v: number | { mean: number; jitter: number }) => (typeof v === "number" ? v : Math.max(0, v.mean - v.jitter));
  const stuck = s.faults.filter((f) => f.kind === "aurora-failover-stuck").map((f) => f.duration);
  const leastPromotionMs = c.class === "slow-promotion" && stuck.length > 0 ? Math.min(...stuck) : least(w.aurora.failoverDuration);
  const at = c.failureAtMs;
  const promoted = at === undefined ? undefined : run?.writerChanges.find((p) => p.startedAtMs >= at);
  const promotionMs = promoted ? promoted.atMs - promoted.startedAtMs : leastPromotionMs;
  const t = config.traffic;
  const flipMs =
    t.strategy === "health-check" ? t.killSwitch.alarmDelay + w.route53.healthCheckInterval * w.route53.healthCheckFailureThreshold
    : t.strategy === "records" ? w.route53.changePropagation
    : (w.route53.routingControlDelay ?? DEFAULT_ROUTING_CONTROL_DELAY_MS);
  const cacheMs = w.dnsTtl + (w.clients.dnsCacheOverrun.share > 0 ? w.clients.dnsCacheOverrun.extra : 0);
  const seenMs = at === undefined || !run ? undefined : probedDownMs(config, run, at);
  const detected = seenMs ?? (Number.isFinite(detectionMs) ? detectionMs : 0);
  return detected + Math.max(promotionMs, flipMs + cacheMs);
}

/**
 * How long after `atMs` the quorum's health probes had first failed
 * failureThreshold rounds in a row, counted from the round that completed the
 * streak being sent; undefined without an http probe or enough observers.
 */
function probedDownMs(config: Config, run: RunFacts, atMs: number): number | undefined {
  const http = config.probes.find((p) => p.kind === "http");
  if (!http) return undefined;
  const active = config.regions[0]!;
  const down: number[] = [];
  for (const [key, probes] of run.healthProbes) {
    if (!key.endsWith(`>${active}`)) continue;
    const at = downAt(probes, atMs, config.health.failureThreshold, http.interval);
    if (at !== undefined) down.push(at - atMs);
  }
  down.sort((a, b) => a - b);
  return down[config.policy.quorum - 1];
}

/** When a streak of `threshold` failed rounds from `fromMs` on began its last round; tries less than half an interval apart are one round. */
function downAt(probes: readonly (readonly [number, boolean])[], fromMs: number, threshold: number, intervalMs: number): number | undefined {
  let streak = 0;
  let roundAt: number | undefined;
  let roundOk = false;
  const close = (): number | undefined => {
    if (roundAt === undefined) return undefined;
    streak = roundOk ? 0 : streak + 1;
    return streak >= threshold ? roundAt : undefined;
  };
  for (const [sentAtMs, ok] of probes) {
    if (sentAtMs < fromMs) continue;
    if (roundAt === undefined || sentAtMs - roundAt >= intervalMs / 2) {
      const done = close();
      if (done !== undefined) return done;
      roundAt = sentAtMs;
      roundOk = false;
    }
    roundOk ||= ok;
  }
  return close();
}
