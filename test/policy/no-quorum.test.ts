// No quorum is not silence: observers lost (stale or never heard) while
// every observer still reporting sees the active region DOWN escalates
// `no-quorum`, naming who voted what and who is silent; observers that
// disagree (a partition) do not.
import { describe, expect, it } from "vitest";
import { decide, type DecideInput } from "../../src/policy/index.js";
import { PARAMS, lag, view } from "./fixtures.js";

const NOW = 10_000_000;
const APPS = ["us-east-1", "us-west-2", "eu-west-1"];
const OBSERVERS = [...APPS, "us-east-2"];
const DOWN2 = { "us-east-1": "DOWN", "us-west-2": "DOWN", "eu-west-1": "UP" } as const;

/** Four observers, quorum 3: us-east-1 and us-west-2 dark (their views stale), eu-west-1 and the witness alive. */
function fourRegions(over: Partial<DecideInput> = {}): DecideInput {
  return {
    state: { activeRegion: "us-east-1", storeReachable: true, primaryAnswers: false },
    views: [
      view("us-east-1", NOW - 120_000, { "us-east-1": "UP", "us-west-2": "UP", "eu-west-1": "UP" }),
      view("us-west-2", NOW - 90_000, { "us-east-1": "DOWN", "us-west-2": "UP", "eu-west-1": "UP" }),
      view("eu-west-1", NOW - 1_000, DOWN2),
      view("us-east-2", NOW - 2_000, DOWN2),
    ],
    lag: lag({ "us-west-2": 400, "eu-west-1": 900 }),
    nowMs: NOW,
    params: { ...PARAMS, quorum: 3 },
    regions: APPS,
    observers: OBSERVERS,
    ...over,
  };
}

describe("no-quorum escalation", () => {
  it("names the voters, the quorum, the silent observers and the survivor", () => {
    const d = decide(fourRegions());
    expect(d).toMatchObject({ action: "escalate", reason: "no-quorum" });
    if (d.action !== "escalate") return;
    expect(d.detail).toContain("(eu-west-1, us-east-2)");
    expect(d.detail).toContain("2 of the 3 the quorum needs");
    expect(d.detail).toContain("silent: us-east-1, us-west-2");
    expect(d.detail).toContain("failover --to eu-west-1 --force");
    expect(d.to).toBeUndefined(); // nothing is started on its own
  });

  it("names an observer that never published as silent", () => {
    const i = fourRegions();
    i.views = i.views.filter((v) => v.observer !== "us-west-2");
    const d = decide(i);
    expect(d.action === "escalate" && d.detail).toContain("silent: us-east-1, us-west-2");
  });

  it("does not fire when a fresh observer disagrees (a partition, not lost observers)", () => {
    const i = fourRegions();
    i.views.push(view("us-west-2", NOW - 1_000, { "us-east-1": "UP", "us-west-2": "UP", "eu-west-1": "UP" }));
    expect(decide(i).action).toBe("none");
  });

  it("gives way to the normal path when the quorum is there", () => {
    expect(decide(fourRegions({ params: { ...PARAMS, quorum: 2 } }))).toMatchObject({ action: "failover", to: "eu-west-1" });
  });

  it("leaves the store-unreachable escalation first: without the store nothing can act", () => {
    expect(decide(fourRegions({ state: { activeRegion: "us-east-1", storeReachable: false, primaryAnswers: false } }))).toMatchObject({ reason: "store-unreachable" });
  });
});
