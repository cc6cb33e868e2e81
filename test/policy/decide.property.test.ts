import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HealthState } from "../../src/core/index.js";
import { decide, quorumVerdict, type DecideInput } from "../../src/policy/index.js";
import { OBSERVERS, PARAMS, REGIONS, view } from "./fixtures.js";

const NOW = 50_000_000;
const state = fc.constantFrom<HealthState>("UP", "DOWN", "DEGRADED", "UNKNOWN");
const arbInput: fc.Arbitrary<DecideInput> = fc.record({
  views: fc.array(
    fc.record({
      observer: fc.constantFrom(...OBSERVERS),
      ageMs: fc.integer({ min: 0, max: 120_000 }),
      states: fc.tuple(state, state, state),
    }),
    { maxLength: 5 },
  ),
  active: fc.constantFrom(...REGIONS),
  lag: fc.option(fc.tuple(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 2_000_000 }))),
  storeReachable: fc.boolean(),
  primaryAnswers: fc.boolean(),
  lastFailoverAgoMs: fc.option(fc.integer({ min: 0, max: 4_000_000 })),
  firstDownAgoMs: fc.option(fc.integer({ min: 0, max: 1_000_000 })),
  rpoMs: fc.integer({ min: 0, max: 900_000 }),
  onRpoBreach: fc.constantFrom("escalate" as const, "accept-data-loss" as const),
  mode: fc.constantFrom("automatic" as const, "manual" as const),
  failback: fc.constantFrom("automatic" as const, "manual" as const),
}).map((g) => ({
  state: {
    activeRegion: g.active,
    storeReachable: g.storeReachable,
    primaryAnswers: g.primaryAnswers,
    ...(g.lastFailoverAgoMs !== null ? { lastFailoverAtMs: NOW - g.lastFailoverAgoMs } : {}),
    ...(g.firstDownAgoMs !== null ? { incident: { id: "inc", state: "open" as const, firstDownAtMs: NOW - g.firstDownAgoMs } } : {}),
  },
  views: g.views.map((v) => view(v.observer, NOW - v.ageMs, Object.fromEntries(REGIONS.map((r, i) => [r, v.states[i]!])))),
  ...(g.lag ? { lag: { auroraLagMs: Object.fromEntries(REGIONS.map((r, i) => [r, g.lag![i]!])), dynamodbLagMs: {}, atMs: NOW } } : {}),
  nowMs: NOW,
  params: { ...PARAMS, rpoMs: g.rpoMs, onRpoBreach: g.onRpoBreach, mode: g.mode, failback: g.failback },
  regions: REGIONS,
}));

const verdict = (i: DecideInput, r: string) => quorumVerdict(i.views, r, i.params.quorum, i.nowMs, i.params.maxViewAgeMs);

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object") {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}

describe("decide() properties", () => {
  it("never fails over without a quorum saying the active region is down", () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const d = decide(i);
        if (d.action === "failover") expect(verdict(i, i.state.activeRegion).down).toBe(true);
        if (d.action === "failback") expect(verdict(i, d.to).up && verdict(i, d.from).up).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it("only moves to a region that is up by quorum and is not the active one", () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const d = decide(i);
        if (d.action === "failover" || d.action === "failback") {
          expect(d.to).not.toBe(i.state.activeRegion);
          expect(verdict(i, d.to).up).toBe(true);
          expect(i.state.storeReachable).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("never exceeds the RPO without an escalation unless the policy accepts data loss", () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const d = decide(i);
        if (d.action === "failover" && d.expectedDataLossMs > i.params.rpoMs) expect(i.params.onRpoBreach).toBe("accept-data-loss");
        if (d.action === "failover" && d.mode === "planned") expect(d.expectedDataLossMs).toBe(0);
      }),
      { numRuns: 2_000 },
    );
  });

  it("escalates no-quorum exactly when every fresh voter sees the active region DOWN and they are fewer than the quorum", () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const d = decide(i);
        const v = verdict(i, i.state.activeRegion);
        const lost = i.state.storeReachable && v.agreeingDown.length > 0 && v.agreeingDown.length === v.voters.length && !v.down;
        expect(d.action === "escalate" && d.reason === "no-quorum").toBe(lost);
      }),
      { numRuns: 2_000 },
    );
  });

  it("is idempotent, does not mutate its input, and ignores view order", () => {
    fc.assert(
      fc.property(arbInput, fc.integer(), (i, seed) => {
        const frozen = deepFreeze(structuredClone(i));
        const first = decide(frozen);
        expect(decide(frozen)).toEqual(first);
        const shuffled = { ...i, views: [...i.views].sort(() => ((seed = (seed * 1103515245 + 12345) | 0) & 1 ? 1 : -1)) };
        expect(decide(shuffled)).toEqual(first);
      }),
      { numRuns: 1_000 },
    );
  });
});
