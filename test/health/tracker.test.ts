import { describe, expect, it } from "vitest";
import type { Observation } from "../../src/core/index.js";
import { HealthTracker, roundOk, type HealthParams } from "../../src/health/index.js";

const P: HealthParams = { failureThreshold: 3, recoveryThreshold: 5, window: 10, degradedErrorRate: 0.3, downErrorRate: 0.8 };
const obs = (ok: boolean, atMs: number, kind: Observation["kind"] = "http"): Observation => ({
  probe: `${kind}#0`, kind, observer: "us-east-2", target: "us-east-1", atMs, ok,
});

function feed(t: HealthTracker, pattern: string): void {
  [...pattern].forEach((c, i) => t.observe([obs(c === "+", (t.view().atMs || 0) + (i + 1) * 10_000)]));
}

describe("HealthTracker", () => {
  it("is UNKNOWN before any round and UP after a good one", () => {
    const t = new HealthTracker("us-east-2", ["us-east-1"], P);
    expect(t.view().regions["us-east-1"]!.state).toBe("UNKNOWN");
    feed(t, "+");
    expect(t.view().regions["us-east-1"]!.state).toBe("UP");
  });

  it("keeps when a failing region's first failed round was taken, through good rounds while it is not UP, and forgets it once UP with a good round", () => {
    const t = new HealthTracker("us-east-2", ["us-east-1"], P);
    const at = (ok: boolean, ms: number) => t.observe([obs(ok, ms)]);
    for (let i = 1; i <= 9; i++) at(true, i * 1_000);
    expect(t.view().regions["us-east-1"]!.failingSinceMs).toBeUndefined();
    at(false, 20_000); // a blip while UP
    expect(t.view().regions["us-east-1"]!.failingSinceMs).toBe(20_000);
    at(true, 30_000);
    expect(t.view().regions["us-east-1"]!.state).toBe("UP");
    expect(t.view().regions["us-east-1"]!.failingSinceMs).toBeUndefined();
    // A degraded region: DOWN, with the odd good round (one in ten answers)
    for (const [i, ok] of [false, false, false, true, false, false].entries()) at(ok, 40_000 + i * 10_000);
    expect(t.view().regions["us-east-1"]!.state).toBe("DOWN");
    expect(t.view().regions["us-east-1"]!.failingSinceMs).toBe(40_000);
    for (let i = 0; i < P.recoveryThreshold; i++) at(true, 100_000 + i * 10_000);
    expect(t.view().regions["us-east-1"]!.state).toBe("UP");
    expect(t.view().regions["us-east-1"]!.failingSinceMs).toBeUndefined();
  });

  it("goes DOWN at exactly failureThreshold consecutive failures, not one fewer", () => {
    const t = new HealthTracker("us-east-2", ["us-east-1"], P);
    feed(t, "+++++--");
    expect(t.view().regions["us-east-1"]!.state).not.toBe("DOWN");
    feed(t, "-");
    expect(t.view().regions["us-east-1"]!.state).toBe("DOWN");
  });

  it("needs recoveryThreshold good rounds to leave DOWN (hysteresis against flapping)", () => {
    const t = new HealthTracker("us-east-2", ["us-east-1"], P);
    feed(t, "+---+-+-++++");
    expect(t.view().regions["us-east-1"]!.state).toBe("DOWN");
    feed(t, "+");
    expect(t.view().regions["us-east-1"]!.state).not.toBe("DOWN");
  });

  it("is UP as soon as it recovers from a long outage: the outage's failures leave the window", () => {
    const t = new HealthTracker("us-east-2", ["us-east-1"], P);
    feed(t, "++++++++++----------");
    feed(t, "++++");
    expect(t.view().regions["us-east-1"]!.state).toBe("DOWN");
    feed(t, "+");
    const h = t.view().regions["us-east-1"]!;
    expect(h.state).toBe("UP");
    expect(h.errorRate).toBe(0);
    // A relapse is judged as usual.
    feed(t, "--");
    expect(t.view().regions["us-east-1"]!.state).not.toBe("DOWN");
    feed(t, "-");
    expect(t.view().regions["us-east-1"]!.state).toBe("DOWN");
  });

  it("reports a gray failure as DEGRADED, not DOWN", () => {
    const t = new HealthTracker("us-east-2", ["us-east-1"], P);
    feed(t, "+-++-++-++");
    const h = t.view().regions["us-east-1"]!;
    expect(h.state).toBe("DEGRADED");
    expect(h.errorRate).toBeCloseTo(0.3);
  });

  it("counts a region failing most requests as DOWN even with interleaved successes", () => {
    const t = new HealthTracker("us-east-2", ["us-east-1"], P);
    feed(t, "--+--+----");
    expect(t.view().regions["us-east-1"]!.state).toBe("DOWN");
  });

  it("lets lag probes carry values without voting, except an unavailable Aurora member", () => {
    expect(roundOk([obs(false, 1, "aurora")])).toBeUndefined();
    expect(roundOk([{ ...obs(false, 1, "aurora"), detail: "member-unavailable" }])).toBe(false);
    expect(roundOk([obs(true, 1), obs(false, 1, "cloudwatch-alarm")])).toBe(false);
  });
});
