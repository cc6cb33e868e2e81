// What an incident records for the status page's history, end to end in
// the sandbox's simulated world with the real controllers: a manual-mode
// policy escalates, an operator approves at the runbook's gate, the runbook
// finishes, and the store's incident says who started it, who approved it,
// the data loss it accepted and when it ended.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { FailoverController } from "../../src/controller/index.js";
import { summarizeIncident } from "../../src/daemon/index.js";
import { sandboxScenario } from "../../src/daemon/sandbox.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";

describe("incident record (sandbox, manual mode)", () => {
  it("keeps trigger, approver, accepted data loss and end time, and lists the incident newest first", async () => {
    const { config } = await loadConfig("config/sandbox.yaml");
    const manual = { ...config, policy: { ...config.policy, mode: "manual" as const } };
    const session = new SimSession(parseScenario(sandboxScenario(manual, 60), "sandbox"), { controller: realController });
    const controllers = () => session.live.filter((c): c is FailoverController => c instanceof FailoverController);
    const waiting = () => controllers().find((c) => c.status().incident?.state === "awaiting-approval");
    expect(await session.stepUntil(() => waiting() !== undefined, 20 * 60_000)).toBe(true);
    const holder = waiting()!;
    const id = holder.status().incident!.id;
    expect(holder.status().runbookProgress?.steps.some((s) => s.status === "running")).toBe(true);

    // The gate opens once the runbook reaches it: answer as soon as it waits.
    let approved = false;
    await session.stepUntil(() => {
      if (!approved) holder.approve(id).then(() => (approved = true), () => undefined);
      return approved;
    }, session.world.nowMs + 10 * 60_000);
    expect(approved).toBe(true);
    expect(holder.status().incident).toMatchObject({ state: "acting", approvedBy: expect.stringMatching(/operator/) as unknown });
    expect(holder.status().notes.join()).not.toMatch(/waits for approval/);
    expect(await session.stepUntil(() => session.world.timeline.some((e) => e.event === "failover.completed"), session.world.nowMs + 30 * 60_000)).toBe(true);
    // The controller writes the ended incident after the completion event (lease released first): let it land.
    await session.stepUntil(() => false, session.world.nowMs + 30_000);

    const listed = await session.drive(holder.listIncidents(5), session.world.nowMs + 60_000);
    expect(listed.map((i) => i.id)).toEqual([id]);
    const record = summarizeIncident(listed[0]!);
    expect(record).toMatchObject({ state: "resolved", trigger: "policy", from: "us-east-1", to: "us-west-2", mode: "unplanned", approvalRequired: true });
    expect(record.approvedBy).toMatch(/operator/);
    expect(record.timeline.map((e) => e.event)).toEqual(["approval.approved", "runbook.succeeded"]);
    // The data loss it accepted is the lag into the target at the start: a real reading, not a placeholder.
    expect(record.expectedDataLossMs).toBeGreaterThan(0);
    expect(record.endedAtMs).toBeGreaterThan(record.openedAtMs);
    expect(record.rtoMs).toBe(record.endedAtMs! - record.openedAtMs);

    const detail = await session.drive(holder.incidentDetail(id), session.world.nowMs + 60_000);
    expect(detail?.journal.some((e) => e.phase === "after" && e.state === "PromoteTarget")).toBe(true);
  }, 60_000);
});
