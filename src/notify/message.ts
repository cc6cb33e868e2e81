// What a person is told, as data: one Notification per escalation raised or
// resolved, failover started or finished, readiness check turning red or
// green. Built from the controller's events (the same events the journal,
// the logs and the game-day timeline see), so notifications can never tell
// a different story from the record.

import type { Region } from "../core/index.js";

export type NotificationKind =
  | "escalation"
  | "resolved"
  | "failover-started"
  | "failover-completed"
  | "readiness-red"
  | "readiness-green";

/** The documented body (README "Notifications"): `format: json` sends exactly this. */
export interface Notification {
  version: 1;
  application: string;
  kind: NotificationKind;
  /** Escalation reason (no-quorum, rpo-breach, ...), readiness check name, or the runbook. */
  reason: string;
  /** Incident id (also the runbook execution name); `readiness` for readiness checks. */
  incident: string;
  /** The region whose controller saw it. */
  observer: Region;
  atMs: number;
  /** ISO 8601 of atMs. */
  at: string;
  /** One line a person can act on. */
  summary: string;
  detail: Record<string, unknown>;
}

const text = (v: unknown) => (typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v));

export interface NotificationContext {
  application: string;
  observer: Region;
  atMs: number;
}

function build(ctx: NotificationContext, kind: NotificationKind, reason: string, incident: string, summary: string, detail: Record<string, unknown>): Notification {
  return { version: 1, application: ctx.application, kind, reason, incident, observer: ctx.observer, atMs: ctx.atMs, at: new Date(ctx.atMs).toISOString(), summary, detail };
}

/**
 * The notification a controller event calls for, or undefined for events a
 * person need not hear about (views, decisions to wait, lease renewals).
 */
export function fromEvent(ctx: NotificationContext, event: string, detail: Record<string, unknown>): Notification | undefined {
  const app = ctx.application;
  const incident = text(detail.incident) || "unknown";
  switch (event) {
    case "escalation": {
      const reason = text(detail.reason) || "unknown";
      const why = text(detail.detail) || [text(detail.error), text(detail.cause)].filter(Boolean).join(": ") || "see failover status";
      return build(ctx, "escalation", reason, incident, `[${app}] needs a human: ${reason}: ${why}`, detail);
    }
    case "escalation.resolved": {
      const reason = text(detail.reason) || "unknown";
      return build(ctx, "resolved", reason, incident, `[${app}] resolved: ${reason} (${text(detail.why) || "the condition cleared"})`, detail);
    }
    case "runbook.started":
      return build(
        ctx,
        "failover-started",
        text(detail.runbook),
        incident,
        `[${app}] ${text(detail.runbook)} started: ${text(detail.from)} -> ${text(detail.to)} (lease epoch ${text(detail.epoch)})` +
          (detail.forcedBy ? `, forced by ${text(detail.forcedBy)}${detail.forcedReason ? ` (${text(detail.forcedReason)})` : ""}` : "") +
          (detail.approvalRequired === true ? `; it waits at its approval gate: failover approve ${incident} (or reject)` : ""),
        detail,
      );
    case "failover.completed":
      return build(ctx, "failover-completed", text(detail.runbook), incident, `[${app}] ${text(detail.runbook)} completed: ${text(detail.to)} is active (from ${text(detail.from)}, ${text(detail.mode)})`, detail);
    case "readiness.red":
      return build(ctx, "readiness-red", text(detail.check), "readiness", `[${app}] readiness check ${text(detail.check)} failed: ${text(detail.detail)}`, detail);
    case "readiness.green":
      return build(ctx, "readiness-green", text(detail.check), "readiness", `[${app}] readiness check ${text(detail.check)} passes again: ${text(detail.detail)}`, detail);
    default:
      return undefined;
  }
}

/** De-duplication key: one escalation per incident and reason; one message per readiness change. */
export function dedupKey(n: Notification): string {
  switch (n.kind) {
    case "escalation":
    case "resolved":
      return `escalation|${n.incident}|${n.reason}`;
    case "readiness-red":
    case "readiness-green":
      return `readiness|${n.reason}`;
    case "failover-started":
    case "failover-completed":
      return `${n.kind}|${n.incident}`;
  }
}
