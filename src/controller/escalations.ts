// The life of an escalation: raised once (with the incident it belongs to),
// resolved once when the condition clears. The controller's events pass
// through here so the notifier can send a "resolved" for every escalation
// it announced, whatever path raised it (a decision, or a runbook's end).

import type { Decision } from "../core/index.js";

type EventSink = (event: string, detail: Record<string, unknown>) => void;

/**
 * Reasons the policy derives from what it sees now: each clears as soon as a
 * cycle's decision stops naming it. The others (runbook-failed,
 * stuck-promotion) are about something that happened: they clear when the
 * incident ends (the active region is healthy again, or a failover completes).
 */
const SEEN_NOW: ReadonlySet<string> = new Set(["no-quorum", "no-healthy-target", "store-unreachable", "rpo-breach", "approval-required", "writer-elsewhere", "writer-disagreement"]);
const INCIDENT_OVER: ReadonlySet<Decision["action"]> = new Set(["none", "cooldown", "abort", "failback"]);

export class EscalationLifecycle {
  /**
   * Open escalations, by incident and reason (two incidents of one outage can
   * each have one open: a "resolved" for each, or a page stays open for good),
   * and whether only the incident's end clears it.
   */
  private readonly open = new Map<string, { reason: string; incident: string; sticky: boolean }>();

  constructor(
    private readonly sink: EventSink,
    /** The incident an escalation without one belongs to (the controller's current incident id). */
    private readonly currentIncident: () => string,
  ) {}

  /** The controller's event sink: escalations carry their incident; a completed failover resolves what is open. */
  readonly emit: EventSink = (event, detail) => {
    if (event === "escalation") {
      const reason = String(detail.reason);
      const incident = typeof detail.incident === "string" ? detail.incident : (this.latest(reason)?.incident ?? this.currentIncident());
      // Raised by a runbook's end (it names the runbook): about something that happened, so sticky.
      const sticky = !SEEN_NOW.has(reason) || typeof detail.runbook === "string";
      const before = this.open.get(`${incident}|${reason}`);
      this.open.set(`${incident}|${reason}`, { reason, incident, sticky: sticky || before?.sticky === true });
      this.sink(event, { ...detail, incident });
      return;
    }
    // Paged by the controller that held the lease before us for the incident we now continue:
    // open here from now on, so this process resolves it when the incident ends.
    // A page the policy raised (no runbook named) clears as the policy's own would; a runbook's stays until the incident ends.
    if (event === "escalation.adopted") {
      const reason = String(detail.reason);
      this.open.set(`${String(detail.incident)}|${reason}`, { reason, incident: String(detail.incident), sticky: !SEEN_NOW.has(reason) || typeof detail.runbook === "string" });
    }
    this.sink(event, detail);
    if (event === "failover.completed") this.resolve(() => true, `failover completed: ${String(detail.to)} is active`);
  };

  /** The incident is over (another region is active): everything open is resolved, saying why. */
  resolveAll(why: string): void {
    this.resolve(() => true, why);
  }

  /** After each cycle's decision: resolves what that decision no longer sees (`keepHeld`: not the pages held until the incident ends). */
  settle(decision: Decision, keepHeld = false): void {
    // The incident stays open and nothing it was paged for is known to have cleared.
    if (decision.action === "hold") return;
    if (INCIDENT_OVER.has(decision.action)) {
      this.resolve((_, sticky) => !(keepHeld && sticky), decision.action === "escalate" ? decision.detail : decision.reason);
      return;
    }
    const still = decision.action === "escalate" ? decision.reason : undefined;
    this.resolve((reason, sticky) => !sticky && reason !== still, `the controller now decides ${decision.action}`);
  }

  /** Reasons currently open (for status). */
  get reasons(): string[] {
    return [...new Set([...this.open.values()].map((e) => e.reason))];
  }

  /** Escalations open for `incident`, and whether only its end clears each. */
  openFor(incident: string): { reason: string; sticky: boolean }[] {
    return [...this.open.values()].filter((e) => e.incident === incident).map(({ reason, sticky }) => ({ reason, sticky }));
  }

  /** The latest open escalation for `reason` (of whichever incident). */
  private latest(reason: string): { incident: string } | undefined {
    return [...this.open.values()].filter((e) => e.reason === reason).at(-1);
  }

  private resolve(which: (reason: string, sticky: boolean) => boolean, why: string): void {
    for (const [key, { reason, incident, sticky }] of [...this.open]) {
      if (!which(reason, sticky)) continue;
      this.open.delete(key);
      this.sink("escalation.resolved", { reason, incident, why });
    }
  }
}
