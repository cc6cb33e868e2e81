// The control record's incident marker silences every heartbeat while an
// incident runs. If the write that clears it after a finished runbook fails
// (sweep seed 271: DynamoDB throttling), the marker outlives its incident:
// nobody vouches for the new active region, its kill switch goes stale and
// Route 53 sends clients back to the old primary. The controllers clear a
// marker whose incident has ended, under the lease.
import { describe, expect, it } from "vitest";
import { controlKey } from "../../src/coordination/index.js";
import { itemKey } from "../../src/sim/control-items.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { loadScenarios, parseScenario } from "../../src/sim/scenario.js";

const OUTAGE = `name: marker
duration: 1h
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
faults:
  - { at: 5m, until: 50m, kind: region-outage, region: us-east-1 }
`;

/**
 * Lets the ended incident's record land, then puts the marker back as a failed clearing write
 * leaves it; returns the control record before that and how to read the marker now.
 */
async function plantMarker(session: SimSession, incident: string) {
  await session.stepUntil(() => false, session.world.nowMs + 30_000);
  const lease = controlKey(session.config.application);
  const key = itemKey(lease.pk, lease.sk);
  const record = session.world.control.get(key)!;
  session.world.control.set(key, { ...record, incidentId: { S: incident } });
  return { record, marker: () => session.world.control.get(key)?.incidentId?.S ?? "" };
}

describe("a stranded incident marker", () => {
  it("is cleared once its incident has ended, and the heartbeats vouch for the active region again", async () => {
    const session = new SimSession(parseScenario(OUTAGE, "marker.yaml"), { controller: realController });
    const completed = () => session.world.timeline.find((e) => e.event === "failover.completed");
    expect(await session.stepUntil(() => completed() !== undefined, 25 * 60_000)).toBe(true);
    const incident = String(completed()?.detail?.incident);
    const { record, marker } = await plantMarker(session, incident);
    expect(record.activeRegion?.S).toBe("us-west-2");
    const plantedAtMs = session.world.nowMs;

    await session.stepUntil(() => false, plantedAtMs + 6 * 60_000);
    expect(marker()).toBe("");
    expect(session.world.timeline.some((e) => e.event === "incident.marker-cleared" && e.detail?.incident === incident)).toBe(true);
    const vouched = (session.world.killSwitch.get("us-west-2") ?? []).filter(([t, v]) => t > plantedAtMs && v === 1);
    expect(vouched.length).toBeGreaterThan(10);
    expect(session.world.dnsAnswer()).toBe("us-west-2");
  }, 60_000);

  it("is cleared when its incident ended with its approval gate withdrawn (aborted)", async () => {
    const [loaded] = await loadScenarios("test/gameday/late-approval-after-recovery.yaml");
    const session = new SimSession(loaded!.scenario, { controller: realController, file: loaded!.file });
    const withdrawn = () => session.world.timeline.find((e) => e.event === "approval.withdrawn");
    expect(await session.stepUntil(() => withdrawn() !== undefined, 60 * 60_000)).toBe(true);
    const incident = String(withdrawn()?.detail?.incident);
    // The withdrawal cleared it; planted again, the marker names the aborted incident.
    const { record, marker } = await plantMarker(session, incident);
    expect(record.incidentId?.S ?? "").toBe("");
    await session.stepUntil(() => false, session.world.nowMs + 6 * 60_000);
    expect(marker()).toBe("");
    expect(session.world.timeline.find((e) => e.event === "incident.marker-cleared" && e.detail?.incident === incident)?.detail).toMatchObject({ state: "aborted" });
  }, 60_000);
});
