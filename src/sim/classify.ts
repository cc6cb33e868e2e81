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

import type { Config } from "../config/index.js";
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
  if (outside) {
    const names = [...new Set(all.map((f) => f.what))].join(", ");
    return { class: "outside-envelope", envelope: "outside", due: "escalate", why: `independent failures overlap (${names}): a person decides` };
  }
  if (activeFailures.length === 0) {
    if (all.some((f) => f.what.startsWith("partition"))) return { class: "partition", envelope: "inside", due: "nothing", why: "a partition between two regions; every region serves" };
    if (all.length > 0) return { class: "other-region", envelope: "inside", due: "nothing", why: `${all.map((f) => f.what).join(", ")} fails; the active region serves` };
    return { class: "no-failure", envelope: "inside", due: "nothing", why: "noise only: nothing to fail over for" };
  }
  const during = (f: Fault) => activeFailures.some((a) => overlaps(a, { at: f.at, until: end(f, s.duration) }, RECOVERY_MARGIN_MS));
  const why = due === "failover" ? `${active} fails for ${Math.round(longest / 60_000)} min: fail over` : `${active} fails for under ${DUE_FAILURE_MS / 60_000} min: failing over is optional`;
  if (s.faults.some((f) => f.kind === "aurora-failover-stuck" && during(f))) return { class: "slow-promotion", envelope: "inside", due, why: `${why}; the promotion is slow` };
  if (s.faults.some((f) => f.kind === "replication-lag" && during(f) && f.lag > 60_000)) return { class: "lag-drained", envelope: "inside", due, why: `${why}; replication lags` };
  if (s.faults.some((f) => f.kind === "api-errors" && during(f))) return { class: "api-errors", envelope: "inside", due, why: `${why}; AWS APIs fail` };
  return { class: "clean-outage", envelope: "inside", due, why };
}

/**
 * The fastest any controller could restore clients in this world when a
 * failover is due: the quickest detection the probes allow ((failureThreshold
 * - 1) rounds after the first failed one), then the promotion and the traffic
 * flip overlapped (a controller may start both at once), with the world's
 * own shortest timings (not the config's estimates) and the longest DNS
 * cache a client keeps. 0 when no failover is due.
 */
export function rtoFloorMs(s: Scenario, config: Config, c: Classification): number {
  if (c.due !== "failover") return 0;
  const w = s.world;
  const rounds = config.health.failureThreshold - 1;
  const detectionMs = Math.min(...config.probes.filter((p) => p.kind === "http" || p.kind === "cloudwatch-alarm" || p.kind === "route53-health-check").map((p) => p.interval * rounds));
  const least = (v: number | { mean: number; jitter: number }) => (typeof v === "number" ? v : Math.max(0, v.mean - v.jitter));
  const stuck = s.faults.filter((f) => f.kind === "aurora-failover-stuck").map((f) => f.duration);
  const promotionMs = c.class === "slow-promotion" && stuck.length > 0 ? Math.min(...stuck) : least(w.aurora.failoverDuration);
  const t = config.traffic;
  const flipMs =
    t.strategy === "health-check" ? t.killSwitch.alarmDelay + w.route53.healthCheckInterval * w.route53.healthCheckFailureThreshold
    : t.strategy === "records" ? w.route53.changePropagation
    : (w.route53.routingControlDelay ?? DEFAULT_ROUTING_CONTROL_DELAY_MS);
  const cacheMs = w.dnsTtl + (w.clients.dnsCacheOverrun.share > 0 ? w.clients.dnsCacheOverrun.extra : 0);
  return (Number.isFinite(detectionMs) ? detectionMs : 0) + Math.max(promotionMs, flipMs + cacheMs);
}
