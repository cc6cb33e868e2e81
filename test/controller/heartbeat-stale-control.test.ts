// A heartbeat vouches (1) for the control record's active region. When this
// cycle's read of the record failed but the store answered within a lease,
// the table is flaky, not cut off: another controller's runbook may have
// moved the active region since the last read, and a heartbeat from that read
// would put the old region back in DNS (unseen sweep seed 470443: DynamoDB
// timing out 30 % of the time, two heartbeats of 1 for the old primary
// seconds after its switchover). Such a cycle skips its beat.
import { describe, expect, it } from "vitest";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";

// A slow primary (5 s requests) is switched over while a third of the control table's calls time out.
const FLAKY = parseScenario(
  `name: flaky-store-switchover
duration: 40m
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
faults:
  - { at: 5m, until: 35m, kind: app-degraded, region: us-east-1, errorRate: 0.02, latency: 5s }
  - { at: 5m, until: 25m, kind: api-errors, service: dynamodb, error: timeout, rate: 0.3 }
`,
  "flaky-store-switchover.yaml",
);

describe("heartbeats while the control table is flaky", () => {
  it("never vouch for a region from a control record this cycle could not read again (seeds 1-12; seed 11 wrote two stale heartbeats before)", async () => {
    const stale: string[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const session = new SimSession(FLAKY, { controller: realController, seed });
      for (let t = 0; t <= FLAKY.duration; t += 1_000) await session.stepTo(t);
      const v = session.finish();
      expect(v.measured.failovers).toBe(1);
      stale.push(...session.world.unleased.map((u) => `seed ${seed}: ${u.call} by ${u.caller}`));
    }
    expect(stale).toEqual([]);
  }, 120_000);
});
