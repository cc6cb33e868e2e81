import type { Controller, ControllerStatus, CycleResult } from "../../src/controller/index.js";

export class FakeController implements Controller {
  approved: string[] = [];
  rejected: string[] = [];
  shutdowns = 0;
  ticks = 0;
  tickDelay?: Promise<void>;
  state: ControllerStatus = {
    application: "orders",
    region: "us-east-1",
    controllerId: "us-east-1/test",
    activeRegion: "us-east-1",
    writerRegion: "us-east-1",
    views: [
      { observer: "us-east-2", atMs: 1, regions: { "us-east-1": { region: "us-east-1", state: "UP", sinceMs: 0, errorRate: 0, consecutiveFailures: 0, consecutiveSuccesses: 3 }, "us-west-2": { region: "us-west-2", state: "UP", sinceMs: 0, errorRate: 0, consecutiveFailures: 0, consecutiveSuccesses: 3 } } },
    ],
    lag: { auroraLagMs: { "us-west-2": 420 }, dynamodbLagMs: {}, atMs: 1 },
    lease: { epoch: 3, heldByMe: true, holder: "us-east-1/test" },
    cycles: 0,
    ready: true,
    notes: [],
  };

  async tick(): Promise<CycleResult> {
    this.ticks++;
    await this.tickDelay;
    return { atMs: 0, decision: { action: "none", reason: "up" }, outcome: "nothing", errors: [], durationMs: 5 };
  }
  status(): ControllerStatus {
    return { ...this.state, cycles: this.ticks };
  }
  async approve(id: string): Promise<void> {
    if (id !== "inc-1") throw new Error("no gate");
    this.approved.push(id);
  }
  async reject(id: string): Promise<void> {
    if (id !== "inc-1") throw new Error("no gate");
    this.rejected.push(id);
  }
  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
}
