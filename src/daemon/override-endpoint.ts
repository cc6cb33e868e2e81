// POST /failover: the operator's move through the daemon that holds the
// lease (`failover --to R [--force] --url ...`). Token-gated like approve:
// it changes where writes go. Answers 202 once the runbook has started (a
// failover takes minutes: follow it on /status), 409 with why when refused
// (nothing changed; the manual steps when the store does not answer).

import { ManualRefused, type Controller } from "../controller/index.js";
import type { Logger } from "./logger.js";

export interface OverrideRequest {
  to: string;
  mode: "planned" | "unplanned";
  force: boolean;
  acceptDataLoss: boolean;
  reason: string;
  by: string;
}

/** The request body, checked field by field; a string names what is wrong. */
export function parseOverride(body: string): OverrideRequest | string {
  let raw: unknown;
  try {
    raw = JSON.parse(body || "{}");
  } catch {
    return "body must be JSON";
  }
  if (!raw || typeof raw !== "object") return "body must be a JSON object";
  const o = raw as Record<string, unknown>;
  if (typeof o.to !== "string" || o.to === "") return 'to: the region to fail over to, e.g. {"to": "us-west-2"}';
  if (o.mode !== undefined && o.mode !== "planned" && o.mode !== "unplanned") return "mode: planned or unplanned";
  for (const k of ["force", "acceptDataLoss"] as const) if (o[k] !== undefined && typeof o[k] !== "boolean") return `${k}: true or false`;
  for (const k of ["reason", "by"] as const) if (o[k] !== undefined && typeof o[k] !== "string") return `${k}: a string`;
  const force = o.force === true;
  return {
    to: o.to,
    mode: (o.mode) ?? (force ? "unplanned" : "planned"),
    force,
    acceptDataLoss: o.acceptDataLoss === true,
    reason: typeof o.reason === "string" ? o.reason.slice(0, 500) : "",
    by: typeof o.by === "string" && o.by !== "" ? o.by.slice(0, 100) : "an operator (daemon API)",
  };
}

/** Starts the move on the first controller able to; resolves with the HTTP answer. */
export function runOverride(controllers: readonly Controller[], r: OverrideRequest, logger: Logger): Promise<{ status: number; body: Record<string, unknown> }> {
  const c = controllers.find((x) => typeof x.failoverTo === "function");
  if (!c?.failoverTo) return Promise.resolve({ status: 501, body: { error: "no controller in this daemon can run a failover" } });
  return new Promise((resolve) => {
    let answered = false;
    const answer = (status: number, body: Record<string, unknown>) => {
      if (answered) return;
      answered = true;
      resolve({ status, body });
    };
    logger.warn({ to: r.to, force: r.force, acceptDataLoss: r.acceptDataLoss, by: r.by, reason: r.reason }, "operator failover requested");
    c.failoverTo!(r.to, r.mode, {
      force: r.force,
      acceptDataLoss: r.acceptDataLoss,
      by: r.by,
      reason: r.reason,
      onStarted: (incident) => answer(202, { started: true, incident, to: r.to, follow: "/status" }),
    }).then(
      (result) => {
        logger.info({ ...result }, "operator failover ended");
        answer(200, { started: true, ...result });
      },
      (err: unknown) => {
        if (err instanceof ManualRefused) {
          logger.warn({ to: r.to, why: err.message }, "operator failover refused, nothing changed");
          answer(409, { refused: true, error: err.message, ...(err.manualSteps && { manualSteps: err.manualSteps }) });
          return;
        }
        const message = err instanceof Error ? err.message : String(err);
        logger.error({ to: r.to, err: message }, "operator failover failed");
        answer(500, { error: message });
      },
    );
  });
}
