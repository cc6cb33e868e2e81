// What /status and its companions (/status/history, /status/incidents)
// answer beyond each controller's own status: the policy figures the page
// needs to judge freshness (maxViewAgeMs) and the RTO budget's terms, the
// incident history from the coordination store, and an incident's runbook
// journal reduced to what a person reads (no AWS inputs or outputs).

import { computeBudget, type Config } from "../config/index.js";
import type { Controller } from "../controller/index.js";
import { policyParams } from "../controller/index.js";
import type { Incident, JournalEntry } from "../core/index.js";

export interface StatusPolicy {
  /** A view older than this is stale: the policy does not count it. */
  maxViewAgeMs: number;
  rtoMs: number;
  rpoMs: number;
  /** The control cycle interval. */
  intervalMs: number;
  mode: string;
}

export interface StatusBudget {
  /** Worst case per term; null when the config can never complete it (JSON has no Infinity). */
  terms: { name: string; ms: number | null; formula: string }[];
  totalMs: number | null;
  rtoMs: number;
  marginMs: number;
  fits: boolean;
  /** What `failover validate` reports as problems (exit 1): the plan is unsafe or cannot keep the RTO. */
  problems: string[];
}

export interface StatusContext {
  policy: StatusPolicy;
  budget: StatusBudget;
}

const finite = (ms: number): number | null => (Number.isFinite(ms) ? ms : null);

export function statusContext(config: Config): StatusContext {
  const p = policyParams(config);
  const b = computeBudget(config);
  return {
    policy: { maxViewAgeMs: p.maxViewAgeMs, rtoMs: p.rtoMs, rpoMs: p.rpoMs, intervalMs: config.controller.interval, mode: p.mode },
    budget: { terms: b.terms.map((t) => ({ name: t.name, ms: finite(t.ms), formula: t.formula })), totalMs: finite(b.totalMs), rtoMs: b.rtoMs, marginMs: b.marginMs, fits: b.fits, problems: b.problems },
  };
}

export interface IncidentSummary extends Omit<Incident, "timeline"> {
  /** First DOWN to the runbook's end, when it resolved. */
  rtoMs?: number;
  timeline: Incident["timeline"];
}

export function summarizeIncident(i: Incident): IncidentSummary {
  return { ...i, ...(i.state === "resolved" && i.endedAtMs !== undefined && { rtoMs: i.endedAtMs - i.openedAtMs }) };
}

export interface JournalLine {
  seq: number;
  atMs: number;
  epoch: number;
  runbook: string;
  state: string;
  phase: JournalEntry["phase"];
  error?: string;
}

/** The journal as a timeline: inputs and outputs stay out (AWS payloads are no reading for a page). */
export function journalLines(entries: readonly JournalEntry[]): JournalLine[] {
  return entries.map((e) => ({
    seq: e.seq, atMs: e.atMs, epoch: e.epoch, runbook: e.runbook, state: e.state, phase: e.phase,
    ...(e.error && { error: `${e.error.name}: ${e.error.message}` }),
  }));
}

const CACHE_MS = 5_000;
/** A controller whose store does not answer in this long is skipped for the next one. */
export const INCIDENT_READ_TIMEOUT_MS = 3_000;

/**
 * Reads incidents through the first controller whose store answers (a
 * crashed region's controller may not), with a short cache so several open
 * pages do not multiply queries on the control table.
 */
export class IncidentReader {
  private cached?: { atMs: number; limit: number; incidents: IncidentSummary[]; signature: string };

  constructor(
    private readonly controllers: readonly Controller[],
    private readonly now: () => number = Date.now,
  ) {}

  async list(limit: number): Promise<IncidentSummary[]> {
    const c = this.cached;
    // An incident that starts, changes state or ends here is read at once, cache or not.
    const signature = this.controllers.map((ctl) => `${ctl.status().incident?.id ?? ""}:${ctl.status().incident?.state ?? ""}`).join(",");
    if (c && c.limit >= limit && c.signature === signature && this.now() - c.atMs < CACHE_MS) return c.incidents.slice(0, limit);
    const incidents = (await this.first((ctl) => ctl.listIncidents?.(limit))).map(summarizeIncident);
    this.cached = { atMs: this.now(), limit, incidents, signature };
    return incidents;
  }

  async detail(id: string): Promise<{ incident: IncidentSummary; journal: JournalLine[] } | undefined> {
    const d = await this.first((ctl) => ctl.incidentDetail?.(id));
    return d && { incident: summarizeIncident(d.incident), journal: journalLines(d.journal) };
  }

  private async first<T>(read: (c: Controller) => Promise<T> | undefined): Promise<T> {
    const errors: string[] = [];
    // The controller that cycled last first: a crashed one (its region down) may never answer.
    const lastCycle = (c: Controller) => c.status().lastCycle?.atMs ?? -1;
    for (const c of [...this.controllers].sort((a, b) => lastCycle(b) - lastCycle(a))) {
      const pending = read(c);
      if (!pending) continue;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from the store within ${INCIDENT_READ_TIMEOUT_MS / 1000} s`)), INCIDENT_READ_TIMEOUT_MS);
        timer.unref();
      });
      try {
        return await Promise.race([pending, timeout]);
      } catch (err) {
        errors.push(`${c.status().controllerId}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        clearTimeout(timer);
      }
    }
    throw new Error(errors.length > 0 ? `no controller could read the incidents: ${errors.join("; ")}` : "no controller here reads incidents");
  }
}
