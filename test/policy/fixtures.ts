import type { HealthState, HealthView, LagReading } from "../../src/core/index.js";
import type { DecideInput, PolicyParams } from "../../src/policy/index.js";

export const REGIONS = ["us-east-1", "us-west-2", "eu-west-1"];
export const OBSERVERS = ["us-east-1", "us-west-2", "us-east-2"];

export const PARAMS: PolicyParams = {
  rtoMs: 900_000, rpoMs: 900_000, mode: "automatic", cooldownMs: 1_800_000, quorum: 2,
  onRpoBreach: "escalate", marginMs: 60_000, promotionMs: 120_000, switchoverMs: 300_000,
  trafficMs: 150_000, maxViewAgeMs: 60_000, answeringHoldMs: 80_000, failbackMaxLagMs: 1_000, failback: "manual",
};

export function view(observer: string, atMs: number, states: Record<string, HealthState>): HealthView {
  const regions: HealthView["regions"] = {};
  for (const [region, state] of Object.entries(states)) {
    regions[region] = { region, state, sinceMs: 0, errorRate: state === "DOWN" ? 1 : 0, consecutiveFailures: 0, consecutiveSuccesses: 0 };
  }
  return { observer, atMs, regions };
}

export const lag = (ms: Record<string, number>, atMs = 0): LagReading => ({ auroraLagMs: ms, dynamodbLagMs: {}, atMs });

/** Every observer agrees on these states. */
export function input(states: Record<string, HealthState>, over: Partial<DecideInput> = {}): DecideInput {
  const nowMs = over.nowMs ?? 10_000_000;
  return {
    state: { activeRegion: "us-east-1", storeReachable: true, primaryAnswers: false },
    views: OBSERVERS.map((o) => view(o, nowMs - 1_000, states)),
    lag: lag({ "us-west-2": 400, "eu-west-1": 900 }),
    nowMs,
    params: PARAMS,
    regions: REGIONS,
    ...over,
  };
}
