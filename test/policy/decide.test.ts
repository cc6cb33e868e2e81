import { describe, expect, it } from "vitest";
import { decide, SWITCHOVER_ATTEMPTS } from "../../src/policy/index.js";
import { input, lag, OBSERVERS, PARAMS, view } from "./fixtures.js";

const ALL_UP = { "us-east-1": "UP", "us-west-2": "UP", "eu-west-1": "UP" } as const;
const PRIMARY_DOWN = { ...ALL_UP, "us-east-1": "DOWN" } as const;

describe("decide()", () => {
  it("does nothing while the active region is up", () => {
    expect(decide(input(ALL_UP)).action).toBe("none");
  });

  it("fails over, unplanned, to the healthy region with the lowest lag", () => {
    expect(decide(input(PRIMARY_DOWN))).toMatchObject({ action: "failover", from: "us-east-1", to: "us-west-2", mode: "unplanned", expectedDataLossMs: 400 });
  });

  it("prefers a planned switchover when the old primary's database still answers", () => {
    const d = decide(input(PRIMARY_DOWN, { state: { activeRegion: "us-east-1", storeReachable: true, primaryAnswers: true } }));
    expect(d).toMatchObject({ action: "failover", mode: "planned", expectedDataLossMs: 0 });
  });

  it("switches over while the old primary's database answers even when its lag leaves no room in the RTO: an unplanned failover would leave two writers", () => {
    // 10 minutes of lag: inside the RPO (an unplanned failover is allowed to lose it), but
    // the switchover, which waits for it, no longer fits the budget.
    const d = decide(input(PRIMARY_DOWN, { lag: lag({ "us-west-2": 10 * 60_000, "eu-west-1": 11 * 60_000 }), state: { activeRegion: "us-east-1", storeReachable: true, primaryAnswers: true } }));
    expect(d).toMatchObject({ action: "failover", mode: "planned", expectedDataLossMs: 0 });
    expect(d.action === "failover" && d.reason).toMatch(/RTO is at risk/);
  });

  it("fails over (unplanned) once the incident's switchover has failed SWITCHOVER_ATTEMPTS times, although the old primary's database answers", () => {
    const state = (switchoverFailures: number) => ({ state: { activeRegion: "us-east-1", storeReachable: true, primaryAnswers: true, switchoverFailures } });
    expect(decide(input(PRIMARY_DOWN, state(SWITCHOVER_ATTEMPTS - 1)))).toMatchObject({ action: "failover", mode: "planned" });
    const d = decide(input(PRIMARY_DOWN, state(SWITCHOVER_ATTEMPTS)));
    expect(d).toMatchObject({ action: "failover", mode: "unplanned", to: "us-west-2", expectedDataLossMs: 400 });
    expect(d.action === "failover" && d.reason).toMatch(/its database still answers, but the switchover failed 2 times/);
    // Over the RPO it is the same choice as any unplanned failover: wait for the lag while the RTO allows.
    const over = decide(input(PRIMARY_DOWN, { ...state(SWITCHOVER_ATTEMPTS), lag: lag({ "us-west-2": 20 * 60_000, "eu-west-1": 21 * 60_000 }) }));
    expect(over.action).toBe("wait-for-lag");
  });

  it("does not act when only one observer (a partition) sees the primary down", () => {
    const i = input(ALL_UP);
    i.views[2] = view(OBSERVERS[2]!, i.nowMs, PRIMARY_DOWN);
    expect(decide(i).action).toBe("none");
  });

  it("counts one vote per observer even if its view appears twice", () => {
    const i = input(ALL_UP);
    const down = view(OBSERVERS[2]!, i.nowMs, PRIMARY_DOWN);
    i.views = [i.views[0]!, down, { ...down, atMs: i.nowMs - 10 }];
    expect(decide(i).action).toBe("none");
  });

  it("ignores stale views: two stale DOWN views make no quorum (the one fresh voter escalates no-quorum, never fails over)", () => {
    const i = input(PRIMARY_DOWN);
    i.views = i.views.map((v, n) => (n < 2 ? { ...v, atMs: i.nowMs - PARAMS.maxViewAgeMs - 1 } : v));
    expect(decide(i)).toMatchObject({ action: "escalate", reason: "no-quorum" });
  });

  it("waits for lag over the RPO while the RTO budget allows, then escalates", () => {
    const params = { ...PARAMS, rpoMs: 5_000 };
    const firstDownAtMs = 10_000_000;
    const state = { activeRegion: "us-east-1", storeReachable: true, primaryAnswers: false, incident: { id: "i1", state: "open" as const, firstDownAtMs } };
    const over = { params, state, lag: lag({ "us-west-2": 60_000, "eu-west-1": 90_000 }) };
    const waiting = decide(input(PRIMARY_DOWN, { ...over, nowMs: firstDownAtMs + 10_000 }));
    expect(waiting).toMatchObject({ action: "wait-for-lag", to: "us-west-2", deadlineMs: firstDownAtMs + 900_000 - 60_000 - 120_000 - 150_000 });
    const late = decide(input(PRIMARY_DOWN, { ...over, nowMs: firstDownAtMs + 600_000 }));
    expect(late).toMatchObject({ action: "escalate", reason: "rpo-breach", to: "us-west-2" });
    const accepted = decide(input(PRIMARY_DOWN, { ...over, params: { ...params, onRpoBreach: "accept-data-loss" }, nowMs: firstDownAtMs + 600_000 }));
    expect(accepted).toMatchObject({ action: "failover", expectedDataLossMs: 60_000 });
  });

  it("escalates when no other region is healthy", () => {
    expect(decide(input({ "us-east-1": "DOWN", "us-west-2": "DOWN", "eu-west-1": "DEGRADED" }))).toMatchObject({ action: "escalate", reason: "no-healthy-target" });
  });

  it("escalates instead of acting when the store is unreachable", () => {
    const d = decide(input(PRIMARY_DOWN, { state: { activeRegion: "us-east-1", storeReachable: false, primaryAnswers: false } }));
    expect(d).toMatchObject({ action: "escalate", reason: "store-unreachable" });
  });

  it("asks for approval in manual mode", () => {
    expect(decide(input(PRIMARY_DOWN, { params: { ...PARAMS, mode: "manual" } }))).toMatchObject({ action: "escalate", reason: "approval-required", to: "us-west-2" });
  });

  it("escalates a second outage during the cooldown instead of flapping", () => {
    const state = { activeRegion: "us-east-1", storeReachable: true, primaryAnswers: false, lastFailoverAtMs: 10_000_000 - 60_000 };
    expect(decide(input(PRIMARY_DOWN, { state }))).toMatchObject({ action: "escalate", reason: "approval-required" });
    expect(decide(input(ALL_UP, { state }))).toMatchObject({ action: "cooldown", untilMs: 10_000_000 - 60_000 + PARAMS.cooldownMs });
  });

  it("aborts an open incident whose primary recovered before acting", () => {
    const state = { activeRegion: "us-east-1", storeReachable: true, primaryAnswers: false, incident: { id: "i1", state: "open" as const, firstDownAtMs: 0 } };
    expect(decide(input(ALL_UP, { state })).action).toBe("abort");
  });

  it("holds an open incident, not aborts it, while its primary is not down by quorum only because an observer has no verdict yet (none sees it UP)", () => {
    const nowMs = 10_000_000;
    const open = (lastDownAtMs: number) => ({ activeRegion: "us-east-1", storeReachable: true, primaryAnswers: false, incident: { id: "i1", state: "open" as const, firstDownAtMs: 0, lastDownAtMs } });
    const state = open(nowMs - 10_000);
    // us-west-2's controller restarted: its fresh view has no verdict on us-east-1 yet.
    const restarted = [view("us-east-2", nowMs - 1_000, PRIMARY_DOWN), view("us-west-2", nowMs - 1_000, { ...PRIMARY_DOWN, "us-east-1": "UNKNOWN" })];
    expect(decide(input(PRIMARY_DOWN, { state, views: restarted }))).toMatchObject({ action: "hold", downByQuorum: false, reason: expect.stringMatching(/no observer sees it UP: incident i1 stays open/) });
    // One observer seeing it UP again is the start of a recovery: the incident closes as before.
    const back = [view("us-east-2", nowMs - 1_000, PRIMARY_DOWN), view("us-west-2", nowMs - 1_000, ALL_UP)];
    expect(decide(input(PRIMARY_DOWN, { state, views: back })).action).toBe("abort");
    // Held two view lifetimes at most after the last cycle down by quorum: then it closes.
    expect(decide(input(PRIMARY_DOWN, { state: open(nowMs - 2 * PARAMS.maxViewAgeMs), views: restarted })).action).toBe("hold");
    expect(decide(input(PRIMARY_DOWN, { state: open(nowMs - 2 * PARAMS.maxViewAgeMs - 1), views: restarted })).action).toBe("abort");
    // Without an open incident there is nothing to hold.
    expect(decide(input(PRIMARY_DOWN, { views: restarted })).action).not.toBe("hold");
  });

  it("moves nothing away from a primary that answers again: DOWN by quorum, but the last round of a quorum of those observers succeeded", () => {
    const nowMs = 10_000_000;
    const state = { activeRegion: "us-east-1", storeReachable: true, primaryAnswers: true, incident: { id: "i1", state: "open" as const, firstDownAtMs: nowMs - 300_000, lastDownAtMs: nowMs - 10_000 } };
    const recovering = (successes: [number, number]) =>
      (["us-east-2", "us-west-2"] as const).map((o, i) => {
        const v = view(o, nowMs - 1_000, PRIMARY_DOWN);
        v.regions["us-east-1"]!.consecutiveSuccesses = successes[i]!;
        return v;
      });
    expect(decide(input(PRIMARY_DOWN, { state, views: recovering([2, 1]) }))).toMatchObject({ action: "hold", reason: expect.stringMatching(/answers again \(last round good from us-east-2, us-west-2\)/) });
    expect(decide(input(PRIMARY_DOWN, { state, views: recovering([2, 1]) }))).toMatchObject({ downByQuorum: true });
    // Fewer than a quorum answered: the planned switchover it would have been.
    expect(decide(input(PRIMARY_DOWN, { state, views: recovering([2, 0]) }))).toMatchObject({ action: "failover", mode: "planned" });
    // No incident yet: held too (the controller opens one, its clock running).
    expect(decide(input(PRIMARY_DOWN, { state: { ...state, incident: undefined }, views: recovering([2, 1]) }))).toMatchObject({ action: "hold", downByQuorum: true });
    // Held answeringHoldMs in all since the incident's first such cycle: a region that answers some
    // rounds but never gets UP (a shallow endpoint over a dead database) is then moved away from.
    const since = (answeringSinceMs: number) => ({ ...state, incident: { ...state.incident, answeringSinceMs } });
    expect(decide(input(PRIMARY_DOWN, { state: since(nowMs - PARAMS.answeringHoldMs + 1), views: recovering([2, 1]) })).action).toBe("hold");
    expect(decide(input(PRIMARY_DOWN, { state: since(nowMs - PARAMS.answeringHoldMs), views: recovering([2, 1]) }))).toMatchObject({ action: "failover", mode: "planned" });
  });

  it("fails back only as its own planned decision when automatic, healthy and drained", () => {
    const state = { activeRegion: "us-west-2", storeReachable: true, primaryAnswers: true };
    const ready = { state, lag: lag({ "us-east-1": 300 }) };
    expect(decide(input(ALL_UP, ready))).toMatchObject({ action: "none", reason: expect.stringMatching(/failback .* is ready/) });
    expect(decide(input(ALL_UP, { ...ready, params: { ...PARAMS, failback: "automatic" } }))).toMatchObject({ action: "failback", to: "us-east-1" });
    expect(decide(input(ALL_UP, { ...ready, lag: lag({ "us-east-1": 5_000 }), params: { ...PARAMS, failback: "automatic" } })).action).toBe("none");
  });

  it("treats unknown lag as unbounded data loss", () => {
    const d = decide(input(PRIMARY_DOWN, { lag: undefined, params: { ...PARAMS, rpoMs: 60_000 } }));
    expect(d.action).toBe("wait-for-lag");
  });
});
