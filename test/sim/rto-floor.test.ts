// The RTO floor of a run (classify.ts rtoFloorMs) is the run's own: the
// quorum's probes as they ran and answered, the promotion as long as the
// world drew it. Each term is checked against hand-made run facts, so a
// floor that ignored them (the config's best case for every run) fails here.
import { describe, expect, it } from "vitest";
import { classify, rtoFloorMs, type RunFacts } from "../../src/sim/classify.js";
import { parseScenario } from "../../src/sim/scenario.js";
import { scenarioConfig } from "../../src/sim/sim-config.js";

// Sandbox config: http probe every 10 s, failureThreshold 3, quorum 2; routing controls flip in 10 s; TTL 60 s.
const s = parseScenario(
  `name: floor
duration: 1h
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2, dnsTtl: 60s, aurora: { failoverDuration: { mean: 2m, jitter: 1m } }, route53: { routingControlDelay: 10s } }
controller: { traffic: { strategy: routing-control } }
faults:
  - { at: 10m, until: 40m, kind: region-outage, region: us-east-1 }
`,
  "floor.yaml",
);
const config = scenarioConfig(s, "floor.yaml");
const c = classify(s, config);
const AT = 600_000;

/** Probe rounds of one observer every 10 s from `firstMs`, failing except the rounds listed as ok. */
function rounds(firstMs: number, count: number, okRounds: number[] = []): [number, boolean][] {
  const out: [number, boolean][] = [];
  for (let i = 0; i < count; i++) {
    const at = firstMs + i * 10_000;
    // Three tries a round, 2 s apart, as the http probe confirms a failure.
    for (let t = 0; t < 3; t++) out.push([at + t * 2_000, okRounds.includes(i)]);
  }
  return out;
}

function facts(probes: Record<string, [number, boolean][]>, promotion?: { startedAtMs: number; atMs: number }): RunFacts {
  return { healthProbes: new Map(Object.entries(probes)), writerChanges: promotion ? [promotion] : [] };
}

describe("a run's own RTO floor", () => {
  it("is the quorum's detection plus the longer of the drawn promotion and the flip with the client cache", () => {
    expect(c.due).toBe("failover");
    expect(c.failureAtMs).toBe(AT);
    // Observers probe 3 s and 7 s after the failure: the second of the two (quorum 2) fails its third round at 7 + 20 s.
    const run = facts({ "us-west-2>us-east-1": rounds(AT + 3_000, 6), "us-east-2>us-east-1": rounds(AT + 7_000, 6) }, { startedAtMs: AT + 30_000, atMs: AT + 30_000 + 150_000 });
    expect(rtoFloorMs(s, config, c, run)).toBe(27_000 + 150_000);
    // A short promotion: the flip (10 s) and the TTL (60 s) bound it instead.
    const quick = facts({ "us-west-2>us-east-1": rounds(AT + 3_000, 6), "us-east-2>us-east-1": rounds(AT + 7_000, 6) }, { startedAtMs: AT + 30_000, atMs: AT + 30_000 + 61_000 });
    expect(rtoFloorMs(s, config, c, quick)).toBe(27_000 + 70_000);
  });

  it("restarts an observer's count when a probe round answers, and takes the quorum-th observer", () => {
    // us-west-2's second round answered: its streak of three ends at its fifth round (3 + 40 s).
    const lucky = facts({ "us-west-2>us-east-1": rounds(AT + 3_000, 8, [1]), "us-east-2>us-east-1": rounds(AT + 7_000, 8) }, { startedAtMs: AT, atMs: AT + 150_000 });
    expect(rtoFloorMs(s, config, c, lucky)).toBe(43_000 + 150_000);
    // Probes before the failure do not count towards the streak.
    const early = facts({ "us-west-2>us-east-1": rounds(AT - 17_000, 8), "us-east-2>us-east-1": rounds(AT + 7_000, 8) }, { startedAtMs: AT, atMs: AT + 150_000 });
    expect(rtoFloorMs(s, config, c, early)).toBe(27_000 + 150_000);
  });

  it("falls back to the best case without run facts: best phase, the shortest promotion the world can draw", () => {
    // (3 - 1) x 10 s, then max(1 min, 10 s + 60 s).
    expect(rtoFloorMs(s, config, c)).toBe(20_000 + 70_000);
    // One observer only: no quorum from the probes, so the best-case detection stands.
    const alone = facts({ "us-west-2>us-east-1": rounds(AT + 3_000, 6) }, { startedAtMs: AT, atMs: AT + 150_000 });
    expect(rtoFloorMs(s, config, c, alone)).toBe(20_000 + 150_000);
  });
});
