// Every state in which the controller sees a problem but will not act has an
// escalation reason; each is notified exactly once per incident and reason
// however many cycles keep seeing it, and "resolved" follows once when it
// clears. The table is keyed by EscalationReason, so a new reason without a
// row here does not compile.
import { describe, expect, it } from "vitest";
import { EscalationLifecycle } from "../../src/controller/escalations.js";
import type { Decision, EscalationReason } from "../../src/core/index.js";
import { Notifier, type Notification } from "../../src/notify/index.js";

const escalate = (reason: EscalationReason): Decision => ({ action: "escalate", reason, detail: `${reason} seen` });
const failover: Decision = { action: "failover", from: "us-east-1", to: "us-west-2", mode: "unplanned", reason: "quorum back", expectedDataLossMs: 10 };
const none: Decision = { action: "none", reason: "us-east-1 is up" };

/** How each reason arises, and what clears it. */
const REASONS: Record<EscalationReason, { raisedBy: "decision" | "runbook"; clearedBy: Decision | "failover.completed" }> = {
  "no-quorum": { raisedBy: "decision", clearedBy: failover }, // the observers came back: the quorum decides again
  "no-healthy-target": { raisedBy: "decision", clearedBy: failover },
  "store-unreachable": { raisedBy: "decision", clearedBy: none },
  "rpo-breach": { raisedBy: "decision", clearedBy: failover }, // the lag drained
  "approval-required": { raisedBy: "decision", clearedBy: "failover.completed" },
  "stuck-promotion": { raisedBy: "runbook", clearedBy: none },
  "runbook-failed": { raisedBy: "runbook", clearedBy: "failover.completed" },
  // Seen now, so any decision that stops naming it clears it (a failover decision is not the end of an incident: only seen-now reasons clear on it).
  "writer-elsewhere": { raisedBy: "decision", clearedBy: failover },
  "writer-disagreement": { raisedBy: "decision", clearedBy: failover },
};

function harness() {
  const sent: Notification[] = [];
  const notifier = new Notifier({
    application: "orders", observer: "us-east-2", retries: 0, backoffMs: 1,
    clock: { now: () => 0, sleep: () => Promise.resolve() },
    destinations: [{ name: "test", send: (n) => (sent.push(n), Promise.resolve()) }],
  });
  const life = new EscalationLifecycle(notifier.onEvent, () => "orders-us-east-1-600000");
  return { sent, notifier, life };
}

describe("every escalation reason", () => {
  for (const [reason, how] of Object.entries(REASONS) as [EscalationReason, (typeof REASONS)[EscalationReason]][]) {
    it(`${reason}: notified once per incident across cycles, resolved once when it clears`, async () => {
      const { sent, notifier, life } = harness();
      for (let cycle = 0; cycle < 5; cycle++) {
        // Each cycle: the decision, then what the controller emits about it.
        life.settle(how.raisedBy === "decision" ? escalate(reason) : { action: "wait-for-lag", to: "us-west-2", lagMs: 1, deadlineMs: 2, reason: "" });
        if (how.raisedBy === "decision" || cycle === 0) life.emit("escalation", { reason, detail: "seen", ...(how.raisedBy === "runbook" && { incident: "orders-us-east-1-600000", runbook: "failover" }) });
      }
      if (how.clearedBy === "failover.completed") life.emit("failover.completed", { runbook: "failover", from: "us-east-1", to: "us-west-2", incident: "orders-us-east-1-600000" });
      else life.settle(how.clearedBy);
      life.settle(none);
      await notifier.idle();
      const about = sent.filter((n) => n.reason === reason).map((n) => `${n.kind}:${n.incident}`);
      expect(about).toEqual(["escalation:orders-us-east-1-600000", "resolved:orders-us-east-1-600000"]);
    });
  }

  it("writer-elsewhere is seen now: it clears as soon as a decision stops naming it, not only when an incident ends", async () => {
    const { sent, notifier, life } = harness();
    life.emit("escalation", { reason: "writer-elsewhere", detail: "x" });
    life.settle(escalate("writer-elsewhere"));
    life.settle(failover);
    await notifier.idle();
    expect(sent.map((n) => `${n.kind}:${n.reason}`)).toEqual(["escalation:writer-elsewhere", "resolved:writer-elsewhere"]);
  });

  it("keeps an escalation open while the decision still names it", async () => {
    const { sent, notifier, life } = harness();
    life.emit("escalation", { reason: "no-quorum", detail: "x" });
    life.settle(escalate("no-quorum"));
    life.settle({ action: "wait-for-lag", to: "us-west-2", lagMs: 1, deadlineMs: 2, reason: "" }); // no-quorum gone: resolved
    await notifier.idle();
    expect(sent.map((n) => n.kind)).toEqual(["escalation", "resolved"]);
    const { sent: sent2, notifier: n2, life: l2 } = harness();
    l2.emit("escalation", { reason: "stuck-promotion", incident: "i", detail: "x" });
    l2.settle(failover); // a retry decision does not clear a runbook's failure; only the incident's end does
    await n2.idle();
    expect(sent2.map((n) => n.kind)).toEqual(["escalation"]);
  });

  it("two incidents with the same reason open at once are each resolved (a page of the first would stay open for good)", async () => {
    const { sent, notifier, life } = harness();
    life.emit("escalation", { reason: "runbook-failed", runbook: "failover", incident: "orders-us-east-1-600000" });
    // Another controller's incident of the same outage, continued here after it died.
    life.emit("escalation.adopted", { reason: "runbook-failed", runbook: "failover", incident: "orders-us-east-1-650000" });
    expect(life.reasons).toEqual(["runbook-failed"]);
    life.emit("failover.completed", { to: "us-west-2", incident: "orders-us-east-1-650000" });
    await notifier.idle();
    // The adopted page was sent by the other controller: this process sends only its resolution.
    expect(sent.map((n) => `${n.kind}:${n.incident}`)).toEqual(["escalation:orders-us-east-1-600000", "failover-completed:orders-us-east-1-650000", "resolved:orders-us-east-1-600000", "resolved:orders-us-east-1-650000"]);
    expect(life.reasons).toEqual([]);
  });
});
