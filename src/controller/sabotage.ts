// Deliberately broken controllers for the game-day instrument
// (`failover gameday --saboteur NAME`). Each removes exactly one safety from
// the real code path, so a game day that a saboteur passes is a game day
// that cannot tell that safety from its absence. Production never sets
// these: only the simulator's saboteur factories do.

import type { HealthParams } from "../health/index.js";
import type { PolicyParams } from "../policy/index.js";

export interface Sabotage {
  /** Acts on a single observer's DOWN (quorum of one). */
  noQuorum?: boolean;
  /** Acts without winning the lease (no epoch bump, no serialisation). */
  noLease?: boolean;
  /** The runbook's fence steps pass whatever the control record says, and a lost lease does not stop the runbook. */
  noFence?: boolean;
  /** Fails over whatever the replication lag. */
  ignoreRpo?: boolean;
  /** No hysteresis: one failed probe round makes a region DOWN, one good round brings it back. */
  eager?: boolean;
  /** Observes and publishes views, but never acts and never escalates. */
  neverAct?: boolean;
}

export function sabotagedPolicy(p: PolicyParams, s: Sabotage | undefined): PolicyParams {
  if (!s) return p;
  return {
    ...p,
    ...(s.noQuorum && { quorum: 1 }),
    ...(s.ignoreRpo && { rpoMs: Number.POSITIVE_INFINITY, onRpoBreach: "accept-data-loss" as const }),
  };
}

export function sabotagedHealth(h: HealthParams, s: Sabotage | undefined): HealthParams {
  return s?.eager ? { ...h, failureThreshold: 1, recoveryThreshold: 1 } : h;
}
