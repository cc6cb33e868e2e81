// A scripted operator (`operator:` in a scenario): at its time, each action
// goes to a live controller the way a person's command would reach a
// daemon: force-failover calls the same FailoverController.failoverTo the
// CLI and the daemon's endpoint call, approve/reject answer the gate of the
// incident that waits. What happened (started, refused and why, answered) is
// written to the timeline.

import { FailoverController, ManualRefused } from "../controller/index.js";
import type { SimController } from "./controller-port.js";
import type { OperatorAction } from "./scenario.js";
import type { World } from "./world.js";

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class OperatorScript {
  private next = 0;
  private readonly actions: OperatorAction[];

  constructor(
    actions: readonly OperatorAction[],
    private readonly world: World,
    /** Live controllers, witness included, in the session's order. */
    private readonly live: () => (SimController | undefined)[],
  ) {
    this.actions = [...actions].sort((a, b) => a.at - b.at);
  }

  /** Runs the actions due at `t` (called once per simulated second). */
  step(t: number): void {
    for (; this.next < this.actions.length && this.actions[this.next]!.at <= t; this.next++) this.run(this.actions[this.next]!);
  }

  /** The controller a person's command would reach: the lease holder, else the first alive. */
  private target(): FailoverController | undefined {
    const alive = this.live().filter((c): c is FailoverController => c instanceof FailoverController);
    return alive.find((c) => c.status().lease.heldByMe) ?? alive[0];
  }

  private run(a: OperatorAction): void {
    const { world } = this;
    const c = this.target();
    const who = { action: a.action, ...(a.to && { to: a.to }), ...(a.reason && { reason: a.reason }) };
    if (!c) {
      world.event("operator.refused", { ...who, why: "no controller is running" });
      return;
    }
    const by = `game-day operator via ${c.status().region}`;
    if (a.action === "force-failover") {
      // Forced means the active region is lost to the quorum: unplanned, bounded by acceptDataLoss.
      world.event("operator.action", { ...who, by, acceptDataLoss: a.acceptDataLoss === true });
      void c.failoverTo(a.to!, "unplanned", { force: true, acceptDataLoss: a.acceptDataLoss === true, by, reason: a.reason ?? "scripted in the scenario" }).then(
        (r) => world.event("operator.result", { ...who, status: r.status, incident: r.incidentId }),
        (err: unknown) => world.event("operator.refused", { ...who, why: errorText(err), ...(err instanceof ManualRefused && err.manualSteps && { manualSteps: [...err.manualSteps] }) }),
      );
      return;
    }
    const waiting = this.live()
      .filter((x): x is FailoverController => x instanceof FailoverController)
      .map((x) => ({ x, incident: x.status().incident }))
      .find((w) => w.incident?.state === "awaiting-approval");
    // No gate waits: a person answers the last gate they were told about (the runbook.started
    // notification names the incident), and the controller says why it no longer waits.
    const paged = waiting ? undefined : this.world.timeline.findLast((e) => e.event === "runbook.started" && e.detail?.approvalRequired === true)?.detail?.incident;
    if (!waiting?.incident && typeof paged !== "string") {
      world.event("operator.refused", { ...who, why: "no incident waits for approval" });
      return;
    }
    const x = waiting?.x ?? c;
    const id = waiting?.incident?.id ?? String(paged);
    const answer = a.action === "approve" ? x.approve(id) : x.reject(id, a.reason ?? "rejected by the game-day operator");
    world.event("operator.action", { ...who, by, incident: id });
    answer.catch((err: unknown) => world.event("operator.refused", { ...who, why: errorText(err) }));
  }
}
