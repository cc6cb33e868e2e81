// An incident's failed attempts, kept so one outage stays one incident
// however often the lease changes hands: each failed run records its
// attempt count, when the next may start and what was paged, in the
// incident record; the next holder of the lease continues from there
// (controller.ts adoptRetry) instead of opening an incident of its own,
// ignoring the backoff and paging the same failure again.

import type { Incident, Region } from "../core/index.js";

/** Backoff between two attempts of one incident's runbook: 20 s, 40 s, 80 s, ... at most 5 min. */
const RETRY_BASE_BACKOFF_MS = 20_000;
const RETRY_MAX_BACKOFF_MS = 5 * 60_000;

export interface Retry {
  incidentId: string;
  attempts: number;
  notBeforeMs: number;
  /** Failures already paged, as `reason:error`: a repeat is visible, not paged. */
  escalated: Set<string>;
  /** The failed attempt's record: the next attempt continues it (same opening, timeline, trigger). */
  incident: Incident;
  /** Continued from another controller's run, and this one has not run it yet (its pages become ours when it does). */
  adopted?: boolean;
}

/**
 * Whether a failed run's incident belongs to the outage of `active` a
 * controller sees: its last run ended after that controller first saw the
 * region down (the same outage by its own evidence; a later outage of the
 * same region is a new incident).
 */
export function sameOutage(incident: Incident, active: Region, firstDownAtMs: number | undefined): boolean {
  return incident.from === active && firstDownAtMs !== undefined && incident.endedAtMs !== undefined && incident.endedAtMs >= firstDownAtMs;
}

/**
 * Counts a run of `incident` that ended without success: the next attempt's
 * backoff, and whether this failure is news (to page) or a repeat. The
 * record gets the same figures, so they are durable with it.
 */
export function failedAttempt(previous: Retry | undefined, incident: Incident, nowMs: number, signature: string, switchoverFailed: boolean): { retry: Retry; paged: boolean } {
  const retry = previous?.incidentId === incident.id ? previous : { incidentId: incident.id, attempts: incident.attempts ?? 0, notBeforeMs: 0, escalated: new Set<string>(incident.paged ?? []), incident };
  retry.attempts++;
  retry.notBeforeMs = nowMs + Math.min(RETRY_MAX_BACKOFF_MS, RETRY_BASE_BACKOFF_MS * 2 ** (retry.attempts - 1));
  retry.incident = incident;
  const paged = !retry.escalated.has(signature);
  retry.escalated.add(signature);
  Object.assign(incident, { attempts: retry.attempts, nextAttemptAtMs: retry.notBeforeMs, paged: [...retry.escalated] });
  if (switchoverFailed) incident.switchoverFailures = (incident.switchoverFailures ?? 0) + 1;
  return { retry, paged };
}

/** Another controller's failed incident, to continue from its record. */
export function adoptedRetry(incident: Incident): Retry {
  return { incidentId: incident.id, attempts: incident.attempts ?? 1, notBeforeMs: incident.nextAttemptAtMs ?? incident.endedAtMs ?? 0, escalated: new Set(incident.paged ?? []), incident, adopted: true };
}

/** Our own incident, tried again since by another holder: its count and backoff are the record's now. False when nothing was new. */
export function caughtUp(mine: Retry, incident: Incident): boolean {
  if ((incident.attempts ?? 0) <= mine.attempts) return false;
  Object.assign(mine, { attempts: incident.attempts, notBeforeMs: incident.nextAttemptAtMs ?? mine.notBeforeMs, incident });
  for (const p of incident.paged ?? []) mine.escalated.add(p);
  return true;
}

/** The record of an incident's failed attempt, made ready for the next one: no end yet, and this run's own drain order and estimate. */
export function continuedRecord(previous: Incident, estimate: { expectedDataLossMs?: number }): Incident {
  const { endedAtMs: _ended, clientDrainFirst: _drain, expectedDataLossMs: _estimate, approvedBy: _approved, ...rest } = previous;
  return { ...rest, timeline: [...previous.timeline], ...estimate };
}

/** The reason part of a paged failure's signature. */
export const pagedReason = (signature: string): string => signature.slice(0, signature.indexOf(":"));
