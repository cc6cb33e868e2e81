// The outage's start goes with the lease (control record `outage`): a holder
// restarted, or taking over, mid-outage continues its RTO clock
// (lease-holder-restart-during-lag-wait.yaml shows the RTO it saves). The
// other side of that rule: an outage that ended is not continued by the next
// one. Its record stays in the control record (nobody clears it), so the
// views must show the region down without a break since the holder last
// wrote it, or a second outage would start with the first one's deadline
// long past and fail over at once with its data loss accepted.
import { describe, expect, it } from "vitest";
import { controlKey } from "../../src/coordination/index.js";
import { itemKey } from "../../src/sim/control-items.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";

const TWO_OUTAGES = `name: two-outages
duration: 1h10m
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
controller:
  policy: { onRpoBreach: accept-data-loss }
faults:
  - { at: 0s, kind: replication-lag, service: aurora, lag: 40m }
  - { at: 19m, until: 27m, kind: region-outage, region: us-west-2 }
  - { at: 20m, until: 25m, kind: region-outage, region: us-east-1 }
  - { at: 40m, until: 1h5m, kind: region-outage, region: us-east-1 }
`;

describe("the outage's start in the control record", () => {
  it("is written by the holder while it handles an outage, and not continued by a later outage of the same region", async () => {
    const session = new SimSession(parseScenario(TWO_OUTAGES, "two-outages.yaml"), { controller: realController });
    const lease = controlKey(session.config.application);
    const record = () => session.world.control.get(itemKey(lease.pk, lease.sk));
    await session.stepUntil(() => false, 24 * 60_000);
    const first = record();
    expect(first?.outageRegion?.S).toBe("us-east-1");
    const firstSince = Number(first?.outageSinceMs?.N);
    expect(firstSince).toBeGreaterThanOrEqual(20 * 60_000);
    expect(firstSince).toBeLessThan(22 * 60_000);
    await session.stepUntil(() => false, 70 * 60_000);
    const v = session.finish();
    // The first outage had no healthy target (us-west-2 was down too) and ended: no failover then.
    const started = v.timeline.filter((e) => e.event === "runbook.started");
    expect(started).toHaveLength(1);
    // The second one waits out its own deadline (15 min from 40m, less the margin, promotion and
    // flip), not the first one's: continued, it would have failed over within a cycle of 40m.
    expect(started[0]!.atMs).toBeGreaterThan(45 * 60_000);
    expect(String(started[0]!.detail?.incident)).not.toContain(String(firstSince));
    expect(v.measured).toMatchObject({ failovers: 1, splitBrainMs: 0, activeRegion: "us-west-2" });
  }, 60_000);
});
