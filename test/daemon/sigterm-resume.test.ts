// SIGTERM mid-runbook, then restart: the daemon stops the runbook at a step
// boundary (the journal holds the step in flight), releases the lease and
// exits 0; the next controller resumes the same incident from the journal
// and does not repeat a step that already ran.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { createLogger, startDaemon, type Ticker } from "../../src/daemon/index.js";
import { sandboxWitness } from "../helpers/sandbox-session.js";

describe("SIGTERM mid-runbook, then restart", () => {
  it("exits 0 with the lease released, and the restarted controllers resume the incident without repeating the switchover", async () => {
    const { session, witness: c } = await sandboxWitness();

    const manual = c.failoverTo("us-west-2", "planned");
    manual.catch(() => undefined);
    const events = () => session.world.timeline.map((e) => e.event);
    expect(await session.stepUntil(() => events().includes("aurora.switchover.started"), 10 * 60_000)).toBe(true);
    const incident = c.status().incident?.id;
    expect(incident).toBeDefined();

    const signals = new EventEmitter();
    const ticker = () => ({ start: () => undefined, stop: async () => undefined, idle: async () => undefined }) as unknown as Ticker;
    let exited: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (exited = resolve));
    await startDaemon({ controllers: [c], application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: createLogger({ level: "silent" }), ticker, signals: signals as never, exit: exited });
    signals.emit("SIGTERM");
    expect(await session.drive(exit, session.world.nowMs + 10_000)).toBe(0);
    expect(c.status().lease.heldByMe).toBe(false);
    session.retire("us-east-2", 5_000);

    expect(await session.stepUntil(() => events().includes("failover.completed"), session.world.nowMs + 15 * 60_000)).toBe(true);
    const resumed = session.world.timeline.find((e) => e.event === "runbook.resumed");
    expect(resumed?.detail).toMatchObject({ incident, runbook: "switchover" });
    expect(session.world.timeline.find((e) => e.event === "failover.completed")?.detail).toMatchObject({ incident, to: "us-west-2" });
    expect(events().filter((e) => e === "aurora.switchover.started")).toHaveLength(1);
    expect(session.world.aurora.writer).toBe("us-west-2");
  });
});
