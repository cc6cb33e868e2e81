// Health of every target region as one observer sees it. Pure: time comes
// from the observations, so the same inputs always give the same view.
//
// A "round" is what one observer learned about one target at one tick. It
// fails when any DOWN-capable probe of that round failed: the probes are
// independent symptoms (endpoint, alarm, Route 53 checker), and any one of
// them failing means clients are failing. Lag probes (aurora, dynamodb) do
// not vote UP/DOWN except an Aurora member that reports itself unavailable.

import type { HealthState, HealthView, Observation, Region, RegionHealth } from "../core/index.js";

export interface HealthParams {
  /** Consecutive failed rounds before DOWN. */
  failureThreshold: number;
  /** Consecutive good rounds before a DOWN region is UP again (hysteresis). */
  recoveryThreshold: number;
  /** Rounds in the sliding error-rate window. */
  window: number;
  /** Error rate at or above which a region that is not DOWN is DEGRADED. */
  degradedErrorRate: number;
  /** Error rate over a full window at or above which a region is DOWN. */
  downErrorRate: number;
}

const DOWN_CAPABLE = new Set(["http", "cloudwatch-alarm", "route53-health-check"]);

/** The outcome of one round, or undefined when no probe in it can vote. */
export function roundOk(observations: readonly Observation[]): boolean | undefined {
  const voters = observations.filter((o) => DOWN_CAPABLE.has(o.kind) || (o.kind === "aurora" && o.detail === "member-unavailable"));
  if (voters.length === 0) return undefined;
  return voters.every((o) => o.ok);
}

interface TargetState {
  samples: boolean[];
  state: HealthState;
  sinceMs: number;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  failingSinceMs?: number;
}

export class HealthTracker {
  private readonly targets = new Map<Region, TargetState>();
  private lastAtMs = 0;

  constructor(
    readonly observer: Region,
    targets: readonly Region[],
    private readonly params: HealthParams,
    startMs = 0,
  ) {
    for (const t of targets) {
      this.targets.set(t, { samples: [], state: "UNKNOWN", sinceMs: startMs, consecutiveFailures: 0, consecutiveSuccesses: 0 });
    }
    this.lastAtMs = startMs;
  }

  /** Feeds one tick's observations (any targets); each target's observations form one round. */
  observe(observations: readonly Observation[]): void {
    const byTarget = new Map<Region, Observation[]>();
    for (const o of observations) byTarget.set(o.target, [...(byTarget.get(o.target) ?? []), o]);
    for (const [target, obs] of byTarget) {
      const ok = roundOk(obs);
      const atMs = Math.max(...obs.map((o) => o.atMs));
      if (ok !== undefined) this.recordRound(target, ok, atMs);
      this.lastAtMs = Math.max(this.lastAtMs, atMs);
    }
  }

  recordRound(target: Region, ok: boolean, atMs: number): void {
    const t = this.targets.get(target);
    if (!t) return;
    const p = this.params;
    t.samples.push(ok);
    if (t.samples.length > p.window) t.samples.shift();
    t.consecutiveFailures = ok ? 0 : t.consecutiveFailures + 1;
    t.consecutiveSuccesses = ok ? t.consecutiveSuccesses + 1 : 0;
    const rate = errorRate(t.samples);
    const fullWindow = t.samples.length >= p.window;

    let next: HealthState;
    if (t.consecutiveFailures >= p.failureThreshold || (fullWindow && rate >= p.downErrorRate)) next = "DOWN";
    else if (t.state === "DOWN" && t.consecutiveSuccesses < p.recoveryThreshold) next = "DOWN";
    else if (t.samples.length >= Math.min(p.window, p.failureThreshold) && rate >= p.degradedErrorRate) next = "DEGRADED";
    else if (ok) next = "UP";
    else next = t.state === "UNKNOWN" ? "UNKNOWN" : t.state;
    if (t.state === "DOWN" && next !== "DOWN") {
      // Recovery: the region just proved `recoveryThreshold` straight good
      // rounds. The failures still in the window belong to the outage that
      // ended; judging the recovered region by them would keep it DEGRADED
      // for most of a window (about 2 min at 10 s probes) while the RTO
      // clock runs. The window restarts from the good rounds; a relapse
      // goes DOWN again after `failureThreshold` failures as usual.
      t.samples = t.samples.slice(-t.consecutiveSuccesses);
      next = "UP";
    }
    if (next !== t.state) {
      t.state = next;
      t.sinceMs = atMs;
    }
    if (!ok) t.failingSinceMs ??= atMs;
    else if (t.state === "UP") t.failingSinceMs = undefined;
    this.lastAtMs = Math.max(this.lastAtMs, atMs);
  }

  view(atMs = this.lastAtMs): HealthView {
    const regions: Record<Region, RegionHealth> = {};
    for (const [region, t] of this.targets) {
      regions[region] = {
        region,
        state: t.state,
        sinceMs: t.sinceMs,
        errorRate: errorRate(t.samples),
        consecutiveFailures: t.consecutiveFailures,
        consecutiveSuccesses: t.consecutiveSuccesses,
        ...(t.failingSinceMs !== undefined && { failingSinceMs: t.failingSinceMs }),
      };
    }
    return { observer: this.observer, atMs, regions };
  }
}

function errorRate(samples: readonly boolean[]): number {
  if (samples.length === 0) return 0;
  return samples.filter((s) => !s).length / samples.length;
}
