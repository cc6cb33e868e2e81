// Aurora's writer and the active region disagree while the active region is
// up: a failover that promoted and could not move traffic, or a promotion
// made by hand. Saying nothing would read as "all clear" while clients
// write to a reader or to an unfenced old writer; the policy pages a person
// once the mismatch has lasted WRITER_ELSEWHERE_GRACE_MS.
import { describe, expect, it } from "vitest";
import { decide, WRITER_ELSEWHERE_GRACE_MS } from "../../src/policy/decide.js";
import type { PolicyState } from "../../src/policy/index.js";
import { input } from "./fixtures.js";

const UP = { "us-east-1": "UP", "us-west-2": "UP", "eu-west-1": "UP" } as const;
const policyInput = (o: { nowMs: number; state: Partial<PolicyState> }) => input(UP, { nowMs: o.nowMs, state: { activeRegion: "us-east-1", storeReachable: true, primaryAnswers: true, ...o.state } });

describe("writer elsewhere", () => {
  const at = 10_000_000;
  it("escalates writer-elsewhere once the mismatch has lasted the grace, and names the writer", () => {
    const d = decide(policyInput({ nowMs: at, state: { writerRegion: "us-west-2", writerElsewhereSinceMs: at - WRITER_ELSEWHERE_GRACE_MS } }));
    expect(d).toMatchObject({ action: "escalate", reason: "writer-elsewhere", to: "us-west-2" });
  });

  it("says nothing before the grace, when the writer is the active region, or with no mismatch clock", () => {
    expect(decide(policyInput({ nowMs: at, state: { writerRegion: "us-west-2", writerElsewhereSinceMs: at - WRITER_ELSEWHERE_GRACE_MS + 1 } })).action).toBe("none");
    expect(decide(policyInput({ nowMs: at, state: { writerRegion: "us-east-1", writerElsewhereSinceMs: at - WRITER_ELSEWHERE_GRACE_MS } })).action).toBe("none");
    expect(decide(policyInput({ nowMs: at, state: { writerRegion: "us-west-2" } })).action).toBe("none");
  });
});
