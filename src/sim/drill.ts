// A drill's rehearsal in the simulated twin: the active region goes dark,
// the real controllers detect it, decide and run the failover runbook; then,
// once the region is back and a quorum sees it UP, the failback. RTO and RPO
// of each phase are measured from the simulated clients, as in a game day.

import { FailoverController, ManualRefused } from "../controller/index.js";
import type { Config } from "../config/index.js";
import type { Region } from "../core/index.js";
import { realController } from "./real-controller.js";
import { SimSession } from "./runner.js";
import { parseScenario } from "./scenario.js";
import { twinScenario } from "./twin.js";

export interface DrillPhase {
  name: "failover" | "switchover" | "failback";
  runbook: string;
  from: Region;
  to?: Region;
  /** succeeded, or why not (a runbook status, "refused", "timed-out"). */
  status: string;
  detail?: string;
  startedAtMs: number;
  endedAtMs: number;
  /** Client-visible downtime of the phase; null when not measured. */
  rtoMs: number | null;
  /** Writes lost in the phase (ms of commits); null when not measured. */
  rpoMs: number | null;
}

const OUTAGE_AT_MS = 60_000;
const OUTAGE_MS = 20 * 60_000;
const SETTLE_MS = 60_000;

function completed(session: SimSession, sinceMs: number, runbooks: readonly string[]) {
  return session.world.timeline.find((e) => e.atMs >= sinceMs && e.event === "failover.completed" && runbooks.includes(String(e.detail?.runbook)));
}
function escalated(session: SimSession, sinceMs: number) {
  return session.world.timeline.find((e) => e.atMs >= sinceMs && e.event === "escalation");
}

/** The unplanned failover phase and, unless `failback` is false, the failback. */
export async function rehearseInTwin(config: Config, opts: { failback: boolean; seed?: number }): Promise<DrillPhase[]> {
  const text = twinScenario(config, { name: "drill", description: "drill rehearsal: the active region goes dark", duration: "6h", outageAtS: OUTAGE_AT_MS / 1000, outageS: OUTAGE_MS / 1000 });
  const session = new SimSession(parseScenario(text, "drill"), { controller: realController, ...(opts.seed !== undefined && { seed: opts.seed }) });
  const home = config.regions[0]!;
  const phases: DrillPhase[] = [];

  // Phase 1: detection, decision and the failover runbook, all automatic.
  const deadline = OUTAGE_AT_MS + config.policy.rto + 5 * 60_000;
  await session.stepUntil(() => completed(session, OUTAGE_AT_MS, ["failover", "switchover"]) !== undefined || escalated(session, OUTAGE_AT_MS) !== undefined, deadline);
  const done = completed(session, OUTAGE_AT_MS, ["failover", "switchover"]);
  const esc = escalated(session, OUTAGE_AT_MS);
  if (done) await session.stepUntil(() => false, done.atMs + config.traffic.ttl + SETTLE_MS);
  const end1 = session.world.nowMs;
  const m1 = session.measure(OUTAGE_AT_MS, end1);
  const to = done ? String(done.detail?.to) : undefined;
  phases.push({
    name: "failover",
    runbook: done ? String(done.detail?.runbook) : "failover",
    from: home,
    ...(to && { to }),
    status: done ? "succeeded" : esc ? "escalated" : "timed-out",
    ...(!done && { detail: esc ? `escalated: ${String(esc.detail?.reason)}` : `no failover completed within ${Math.round((deadline - OUTAGE_AT_MS) / 60_000)} min of the outage` }),
    startedAtMs: OUTAGE_AT_MS,
    endedAtMs: end1,
    rtoMs: m1.rtoMs,
    rpoMs: m1.rpoMs,
  });
  if (!done || !to || !opts.failback) return phases;

  // Phase 2: the home region comes back; fail back once a quorum sees it UP.
  const backMs = OUTAGE_AT_MS + OUTAGE_MS;
  await session.stepUntil(() => false, backMs);
  const startedMs = session.world.nowMs;
  // Aurora rebuilds the old primary after an unplanned failover ("a few minutes to several
  // hours"): the failback waits for it, in virtual time.
  const fallbackDeadline = backMs + 3 * 3_600_000;
  let result: DrillPhase;
  if (config.policy.failback === "automatic") {
    await session.stepUntil(() => completed(session, backMs, ["failback"]) !== undefined, fallbackDeadline);
    const fb = completed(session, backMs, ["failback"]);
    result = { name: "failback", runbook: "failback", from: to, to: home, status: fb ? "succeeded" : "timed-out", startedAtMs: startedMs, endedAtMs: session.world.nowMs, rtoMs: null, rpoMs: null };
  } else {
    result = await manualFailback(session, config, to, home, fallbackDeadline);
  }
  if (result.status === "succeeded") await session.stepUntil(() => false, session.world.nowMs + config.traffic.ttl + SETTLE_MS);
  const m2 = session.measure(result.startedAtMs, session.world.nowMs);
  phases.push({ ...result, endedAtMs: session.world.nowMs, rtoMs: m2.rtoMs, rpoMs: m2.rpoMs });
  return phases;
}

/** The operator's failback (policy.failback manual): retried while the home region is not yet UP by quorum. */
async function manualFailback(session: SimSession, config: Config, from: Region, home: Region, deadlineMs: number): Promise<DrillPhase> {
  const observer = config.witness ?? from;
  let refusal = "";
  while (session.world.nowMs < deadlineMs) {
    const c = session.controllerIn(observer);
    if (c instanceof FailoverController) {
      const startedAtMs = session.world.nowMs;
      try {
        const r = await session.drive(c.failoverTo(home, "planned"), deadlineMs);
        return { name: "failback", runbook: r.runbook, from, to: home, status: r.status, startedAtMs, endedAtMs: session.world.nowMs, rtoMs: null, rpoMs: null };
      } catch (err) {
        if (!(err instanceof ManualRefused)) throw err;
        refusal = err.message;
      }
    }
    await session.stepUntil(() => false, session.world.nowMs + 30_000);
  }
  return { name: "failback", runbook: "failback", from, to: home, status: "refused", detail: refusal, startedAtMs: deadlineMs, endedAtMs: deadlineMs, rtoMs: null, rpoMs: null };
}
