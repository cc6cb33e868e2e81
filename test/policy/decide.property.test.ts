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

/**
 * Inputs shaped like the situations a controller meets (an active region
 * down or up, a recent failover, lag over the RPO, a target down too, a
 * failback due, the store gone), each observer's vote flipped at random and
 * some views stale. Uniform inputs above reach a failover in about 1 in
 * 3,000 draws and a failback never; these reach every decision kind often
 * enough for the properties to mean something (asserted below).
 */
const SITUATIONS = ["healthy", "cooling", "recovered", "down", "down-lag", "down-no-target", "failback", "store-gone"] as const;
const SITUATION_WEIGHT: Record<(typeof SITUATIONS)[number], number> = { healthy: 2, cooling: 5, recovered: 1, down: 8, "down-lag": 8, "down-no-target": 2, failback: 8, "store-gone": 2 };
const arbSituation: fc.Arbitrary<DecideInput> = fc.record({
  situation: fc.oneof(...SITUATIONS.map((x) => ({ arbitrary: fc.constant(x), weight: SITUATION_WEIGHT[x] }))),
  flips: fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 9, maxLength: 9 }),
  staleObserver: fc.option(fc.constantFrom(...OBSERVERS), { freq: 4 }),
  lagMs: fc.integer({ min: 0, max: 2_000 }),
  bigLagMs: fc.integer({ min: 900_001, max: 3_000_000 }),
  firstDownAgoMs: fc.integer({ min: 0, max: 900_000 }),
  primaryAnswers: fc.boolean(),
  onRpoBreach: fc.constantFrom("escalate" as const, "accept-data-loss" as const),
  mode: fc.constantFrom("automatic" as const, "automatic" as const, "automatic" as const, "automatic" as const, "manual" as const),
}).map((g) => {
  const active = g.situation === "failback" ? "us-west-2" : "us-east-1";
  const truth: Record<string, HealthState> = { "us-east-1": "UP", "us-west-2": "UP", "eu-west-1": "UP" };
  if (g.situation.startsWith("down")) truth[active] = "DOWN";
  if (g.situation === "down-no-target") truth["us-west-2"] = truth["eu-west-1"] = "DOWN";
  let n = 0;
  const views = OBSERVERS.map((o) =>
    view(o, NOW - (o === g.staleObserver ? 200_000 : 1_000), Object.fromEntries(REGIONS.map((r) => [r, (g.flips[n++] ?? 0) < 5 ? (truth[r] === "UP" ? "DOWN" : "UP") : truth[r]!]))),
  );
  // A failback waits for the lag to drain under failbackMaxLagMs (1 s).
  const lagMs = g.situation === "down-lag" ? g.bigLagMs : g.situation === "failback" ? g.lagMs % 900 : g.lagMs;
  return {
    state: {
      activeRegion: active,
      storeReachable: g.situation !== "store-gone",
      primaryAnswers: g.situation === "down-lag" ? false : g.primaryAnswers,
      ...(g.situation === "cooling" && { lastFailoverAtMs: NOW - 60_000 }),
      ...((g.situation === "recovered" || g.situation.startsWith("down")) && { incident: { id: "inc", state: "open" as const, firstDownAtMs: NOW - (g.situation === "down-lag" ? g.firstDownAgoMs % 500_000 : g.firstDownAgoMs) } }),
    },
    views,
    lag: { auroraLagMs: Object.fromEntries(REGIONS.map((r) => [r, lagMs])), dynamodbLagMs: {}, atMs: NOW },
    nowMs: NOW,
    params: { ...PARAMS, onRpoBreach: g.onRpoBreach, mode: g.mode, failback: "automatic" as const },
    regions: REGIONS,
  } satisfies DecideInput;
});
/** Both: the uniform one for breadth, the situations for depth. */
const arbAny = fc.oneof({ arbitrary: arbInput, weight: 1 }, { arbitrary: arbSituation, weight: 5 });

const verdict = (i: DecideInput, r: string) => quorumVerdict(i.views, r, i.params.quorum, i.nowMs, i.params.maxViewAgeMs);

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object") {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}

describe("decide() properties", () => {
  it("the generators reach every decision kind in at least 10 % of runs", () => {
    const runs = 6_000;
    const counts = new Map<string, number>();
    // A fixed seed: the distribution is a property of the generators, not of one draw.
    for (const i of fc.sample(arbAny, { numRuns: runs, seed: 20261201 })) {
      const action = decide(i).action;
      counts.set(action, (counts.get(action) ?? 0) + 1);
    }
    const share = Object.fromEntries([...counts].map(([k, v]) => [k, Math.round((v / runs) * 1000) / 10]));
    console.log(`decide() kinds over ${runs} generated inputs (%): ${JSON.stringify(share)}`);
    for (const kind of ["none", "cooldown", "abort", "failover", "failback", "wait-for-lag", "escalate"]) {
      expect(counts.get(kind) ?? 0, `${kind} in ${JSON.stringify(share)}`).toBeGreaterThanOrEqual(runs * 0.1);
    }
  });

  it("never fails over without a quorum saying the active region is down", () => {
    fc.assert(
      fc.property(arbAny, (i) => {
        const d = decide(i);
        if (d.action === "failover") expect(verdict(i, i.state.activeRegion).down).toBe(true);
        if (d.action === "failback") expect(verdict(i, d.to).up && verdict(i, d.from).up).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it("only moves to a region that is up by quorum and is not the active one", () => {
    fc.assert(
      fc.property(arbAny, (i) => {
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
      fc.property(arbAny, (i) => {
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

  it("never moves away from an active region a quorum of its DOWN voters finds answering again, and past answeringHoldMs that evidence changes nothing", () => {
    const arbAnswering = fc.record({
      successes: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
      heldAgoMs: fc.option(fc.integer({ min: 0, max: 3 * PARAMS.answeringHoldMs })),
      incident: fc.boolean(),
      primaryAnswers: fc.boolean(),
      lagMs: fc.integer({ min: 0, max: 2_000_000 }),
      onRpoBreach: fc.constantFrom("escalate" as const, "accept-data-loss" as const),
    });
    fc.assert(
      fc.property(arbAnswering, (g) => {
        const views = (successes: readonly number[]) =>
          OBSERVERS.map((o, n) => {
            const v = view(o, NOW - 1_000, { "us-east-1": "DOWN", "us-west-2": "UP", "eu-west-1": "UP" });
            v.regions["us-east-1"]!.consecutiveSuccesses = successes[n]!;
            return v;
          });
        const input = (successes: readonly number[]): DecideInput => ({
          state: {
            activeRegion: "us-east-1", storeReachable: true, primaryAnswers: g.primaryAnswers,
            ...(g.incident && { incident: { id: "inc", state: "open" as const, firstDownAtMs: NOW - 300_000, ...(g.heldAgoMs !== null && { answeringSinceMs: NOW - g.heldAgoMs }) } }),
          },
          views: views(successes),
          lag: { auroraLagMs: { "us-west-2": g.lagMs, "eu-west-1": g.lagMs }, dynamodbLagMs: {}, atMs: NOW },
          nowMs: NOW,
          params: { ...PARAMS, onRpoBreach: g.onRpoBreach },
          regions: REGIONS,
        });
        const d = decide(input(g.successes));
        const answering = g.successes.filter((n) => n > 0).length >= PARAMS.quorum;
        const expired = g.incident && g.heldAgoMs !== null && g.heldAgoMs >= PARAMS.answeringHoldMs;
        if (answering && !expired) expect(d).toMatchObject({ action: "hold", downByQuorum: true });
        else expect(d).toEqual(decide(input([0, 0, 0])));
      }),
      { numRuns: 1_000 },
    );
  });

  it("is idempotent, does not mutate its input, and ignores view order", () => {
    fc.assert(
      fc.property(arbAny, fc.integer(), (i, seed) => {
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
