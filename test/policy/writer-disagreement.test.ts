// Two regions' RDS APIs name different writers while the active region is
// up: an old primary Aurora could not fence. The policy pages once the
// dispute has lasted WRITER_DISAGREEMENT_GRACE_MS, names who says what, and
// never acts on the claim itself.
import { describe, expect, it } from "vitest";
import { decide, WRITER_DISAGREEMENT_GRACE_MS } from "../../src/policy/decide.js";
import type { PolicyState } from "../../src/policy/index.js";
import { input } from "./fixtures.js";

const UP = { "us-east-1": "UP", "us-west-2": "UP", "eu-west-1": "UP" } as const;
const claims = { "us-east-1": "us-east-1", "us-west-2": "us-west-2" };
const at = 10_000_000;
const policyInput = (state: Partial<PolicyState>) => input(UP, { nowMs: at, state: { activeRegion: "us-west-2", storeReachable: true, primaryAnswers: true, ...state } });

describe("writer disagreement", () => {
  it("pages once the dispute has lasted the grace, naming the region that still calls itself the writer", () => {
    const d = decide(policyInput({ writerRegion: "us-west-2", writerClaims: claims, writerDisputedSinceMs: at - WRITER_DISAGREEMENT_GRACE_MS }));
    expect(d).toMatchObject({ action: "escalate", reason: "writer-disagreement" });
    expect(d.action === "escalate" && d.detail).toContain("us-east-1 still calls itself the writer");
    expect(d.action === "escalate" && d.to).toBeUndefined();
  });

  it("when clients are sent to the old primary, says where to move them", () => {
    const d = decide(policyInput({ activeRegion: "us-east-1", writerRegion: "us-west-2", writerClaims: claims, writerDisputedSinceMs: at - WRITER_DISAGREEMENT_GRACE_MS }));
    expect(d).toMatchObject({ action: "escalate", reason: "writer-disagreement", to: "us-west-2" });
    expect(d.action === "escalate" && d.detail).toContain("failover --to us-west-2 --unplanned");
  });

  it("says nothing before the grace or without a dispute clock", () => {
    expect(decide(policyInput({ writerRegion: "us-west-2", writerClaims: claims, writerDisputedSinceMs: at - WRITER_DISAGREEMENT_GRACE_MS + 1 })).action).toBe("none");
    expect(decide(policyInput({ writerRegion: "us-west-2", writerClaims: claims })).action).toBe("none");
  });
});
