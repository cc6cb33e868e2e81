// The bodies a webhook receives: `json` (our documented Notification),
// `slack` (an incoming-webhook message: `text`, mrkdwn) and `pagerduty`
// (Events API v2: trigger on an escalation or a red check, resolve with the
// same dedup_key when it clears, so the page closes itself).

import type { Notification } from "./message.js";

export type WebhookFormat = "json" | "slack" | "pagerduty";

const TITLE: Record<Notification["kind"], string> = {
  escalation: "ESCALATION",
  resolved: "RESOLVED",
  "failover-started": "FAILOVER STARTED",
  "failover-completed": "FAILOVER COMPLETED",
  "readiness-red": "READINESS FAILED",
  "readiness-green": "READINESS OK",
};

/** Slack reads &, < and > as markup (links, mentions): our text must arrive as text. */
const slackEscape = (t: string) => t.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

export function slackBody(n: Notification): { text: string } {
  const lines = [`*${TITLE[n.kind]}* ${slackEscape(n.application)} \`${slackEscape(n.reason)}\` (incident ${slackEscape(n.incident)}, seen from ${n.observer} at ${n.at})`, slackEscape(n.summary)];
  return { text: lines.join("\n") };
}

export interface PagerDutyEvent {
  routing_key: string;
  event_action: "trigger" | "resolve";
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: "critical" | "error" | "warning" | "info";
    timestamp: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
}

/** The same dedup_key for an escalation and its resolution, a red check and its recovery. */
export function pagerDutyDedupKey(n: Notification): string {
  if (n.kind === "readiness-red" || n.kind === "readiness-green") return `${n.application}/readiness/${n.reason}`;
  if (n.kind === "failover-started" || n.kind === "failover-completed") return `${n.application}/${n.incident}/failover`;
  return `${n.application}/${n.incident}/${n.reason}`;
}

export function pagerDutyBody(n: Notification, routingKey: string): PagerDutyEvent {
  const dedup_key = pagerDutyDedupKey(n);
  if (n.kind === "resolved" || n.kind === "readiness-green" || n.kind === "failover-completed") {
    return { routing_key: routingKey, event_action: "resolve", dedup_key };
  }
  const severity = n.kind === "escalation" ? "critical" : n.kind === "readiness-red" ? "warning" : "info";
  return {
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key,
    payload: {
      // PagerDuty truncates summaries at 1024 characters; do it ourselves so the end is marked.
      summary: n.summary.length > 1024 ? `${n.summary.slice(0, 1021)}...` : n.summary,
      source: n.observer,
      severity,
      timestamp: n.at,
      component: n.application,
      group: "failover",
      class: n.kind,
      custom_details: { reason: n.reason, incident: n.incident, ...n.detail },
    },
  };
}

export function webhookBody(n: Notification, format: WebhookFormat, routingKey = ""): unknown {
  switch (format) {
    case "json":
      return n;
    case "slack":
      return slackBody(n);
    case "pagerduty":
      return pagerDutyBody(n, routingKey);
  }
}

/**
 * A webhook URL for logs and errors: scheme and host only. Slack, PagerDuty
 * and most chat webhooks carry their secret in the path or the query.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…(redacted)`;
  } catch {
    return "(an unparsable URL, redacted)";
  }
}
