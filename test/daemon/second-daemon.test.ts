// A second daemon for the same region: it cannot win the lease, so it does
// not act, and its /status says who holds the lease.
import { describe, expect, it } from "vitest";
import { FailoverController } from "../../src/controller/index.js";
import { shippedRunbooks } from "../../src/sim/real-controller.js";
import { sandboxWitness } from "../helpers/sandbox-session.js";

describe("a second daemon for the same region", () => {
  it("does not act while the first holds the lease, and says so in its status", async () => {
    const { session, witness: first, adapters } = await sandboxWitness();
    const manual = first.failoverTo("us-west-2", "planned");
    manual.catch(() => undefined);
    await session.stepUntil(() => session.world.timeline.some((e) => e.event === "runbook.started"), 120_000);

    const unreachable = { get: () => Promise.reject(new Error("no network in this test")) };
    const second = new FailoverController({ config: session.config, region: "us-east-2", instanceId: "second", adapters, http: unreachable, clock: session.clock, runbooks: shippedRunbooks() });
    const cycle = await session.drive(second.tick(), session.world.nowMs + 30_000);
    expect(cycle.outcome).toBe("lost-lease");
    expect(second.status().lease.heldByMe).toBe(false);
    expect(second.status().notes).toContain(`another controller holds the lease (${first.id}, epoch 1)`);
    await expect(session.drive(second.failoverTo("us-west-2", "planned"), session.world.nowMs + 30_000)).rejects.toThrow(/is in progress/);

    expect((await session.drive(manual, session.world.nowMs + 30 * 60_000)).status).toBe("succeeded");
  });
});
