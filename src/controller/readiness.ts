// Readiness checks: can this config fail over right now? Run by a drill
// (`failover --drill`), by `failover status`, and by the daemon on its
// `readiness.schedule` (every 30 minutes by default, plus once at start).
// Each check reads, never writes. A check that cannot read (AccessDenied, a
// region that does not answer) fails and names the call and the region.

import { readFile } from "node:fs/promises";
import { computeBudget, type Config } from "../config/index.js";
import { formatDurationMs } from "../core/index.js";
import type { AwsAdapters } from "../aws/index.js";
import { quorumVerdict } from "../policy/index.js";
import { sameJson, stateMachineArn } from "../runbooks/index.js";
import type { FailoverController } from "./controller.js";
import { policyParams } from "./mapping.js";

const runbookFiles = (config: Config) => ({ failover: config.runbooks.failover, switchover: config.runbooks.switchover, failback: config.runbooks.failback });

export interface ReadinessCheck {
  name: "budget" | "coordination" | "writer" | "targets" | "health" | "lag" | "replicas" | "health-checks" | "routing-controls" | "runbooks" | "iam";
  ok: boolean;
  detail: string;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const DENIED = /AccessDenied|not authorized|UnauthorizedOperation/i;

export interface ReadinessOptions {
  /**
   * false: judge from the controller's last cycle instead of running a new
   * gather (the daemon, whose ticks already gather; a second gather
   * concurrent with a tick would race it).
   */
  assess?: boolean;
}

export async function readinessChecks(config: Config, c: FailoverController, adapters: AwsAdapters, opts: ReadinessOptions = {}): Promise<ReadinessCheck[]> {
  const checks: ReadinessCheck[] = [];
  const seen: string[] = [];
  const add = (name: ReadinessCheck["name"], ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const budget = computeBudget(config);
  add("budget", budget.fits && budget.problems.length === 0, budget.fits ? `worst case ${formatDurationMs(budget.totalMs)} + margin fits the RTO ${formatDurationMs(budget.rtoMs)}${budget.problems.length > 0 ? `; ${budget.problems.join("; ")}` : ""}` : `worst case ${formatDurationMs(budget.totalMs)} + margin ${formatDurationMs(budget.marginMs)} exceeds the RTO ${formatDurationMs(budget.rtoMs)}`);

  const { errors, storeReachable } = opts.assess === false ? fromLastCycle(c) : await c.assess();
  seen.push(...errors);
  const s = c.status();
  const incident = s.incident?.id;
  add("coordination", storeReachable && !incident, !storeReachable ? `the control table ${config.coordination.table} in ${config.coordination.region} does not answer` : incident ? `incident ${incident} is in progress` : `control table answers; active ${s.activeRegion ?? "?"}, lease ${s.lease.holder ?? "free"} (epoch ${s.lease.epoch})`);

  const active = s.activeRegion ?? config.regions[0]!;
  add("writer", s.writerRegion === active, s.writerRegion === active ? `the Aurora writer is in the active region ${active}` : `the Aurora writer is in ${s.writerRegion ?? "an unknown region"}, the control record says ${active} is active`);

  // Every possible target's cluster is `available` (a promotion needs it), read in its own region.
  const targetProblems: string[] = [];
  for (const r of config.regions.filter((x) => x !== active)) {
    const arn = config.aurora.clusters[r];
    if (!arn) continue;
    try {
      const status = await adapters.region(r).aurora.describeDbClusterStatus(arn);
      if (status !== "available") targetProblems.push(`${arn.split(":").at(-1) ?? arn} in ${r} is ${status}`);
    } catch (err) {
      seen.push(errorText(err));
      targetProblems.push(errorText(err));
    }
  }
  add("targets", targetProblems.length === 0, targetProblems.length === 0 ? `every target cluster is available (${config.regions.filter((x) => x !== active).join(", ")})` : targetProblems.join("; "));

  const params = policyParams(config);
  const notUp = config.regions.filter((r) => !quorumVerdict(s.views, r, params.quorum, c.nowMs(), params.maxViewAgeMs).up);
  add("health", notUp.length === 0, notUp.length === 0 ? `every app region is UP for a quorum of ${params.quorum} observers` : `not UP for a quorum of ${params.quorum}: ${notUp.join(", ")} (are the daemons running in every region?)`);

  const lagProblems: string[] = [];
  for (const r of config.regions.filter((x) => x !== active)) {
    const lag = s.lag?.auroraLagMs[r];
    if (lag === undefined) lagProblems.push(`Aurora lag into ${r} unknown`);
    else if (lag > config.policy.rpo) lagProblems.push(`Aurora lag into ${r} ${formatDurationMs(lag)} exceeds the RPO`);
  }
  for (const [r, lag] of Object.entries(s.lag?.dynamodbLagMs ?? {})) if (lag > config.policy.rpo) lagProblems.push(`DynamoDB replication into ${r} ${formatDurationMs(lag)} exceeds the RPO`);
  const lags = Object.entries(s.lag?.auroraLagMs ?? {}).map(([r, ms]) => `${r} ${Math.round(ms)}ms`).join(", ");
  add("lag", lagProblems.length === 0, lagProblems.length === 0 ? `replication within the RPO (Aurora: ${lags})` : lagProblems.join("; "));

  // DynamoDB global tables: every app region holds an ACTIVE replica (read in the active region).
  const replicaProblems: string[] = [];
  for (const table of config.dynamodb.tables) {
    try {
      const d = await adapters.region(active).dynamodb.describeTable(table);
      for (const r of config.regions) {
        const status = d.replicas.find((x) => x.region === r)?.status;
        if (status !== "ACTIVE") replicaProblems.push(`${table} in ${r}: ${status ?? "no replica"}`);
      }
    } catch (err) {
      seen.push(errorText(err));
      replicaProblems.push(errorText(err));
    }
  }
  add("replicas", replicaProblems.length === 0, replicaProblems.length === 0 ? `every table has an ACTIVE replica in every app region (${config.dynamodb.tables.join(", ") || "no tables"})` : replicaProblems.join("; "));

  if (config.traffic.strategy === "routing-control") add(...(await routingControlCheck(config, active, adapters, seen)));

  if (config.traffic.strategy === "health-check" || config.traffic.strategy === "routing-control") {
    const ids = config.traffic.healthChecks;
    const now = c.nowMs();
    try {
      const res = await adapters.region("us-east-1").cloudwatch.getMetricData({
        queries: Object.entries(ids).map(([, id], i) => ({ id: `hc${i}`, namespace: "AWS/Route53", metricName: "HealthCheckStatus", dimensions: { HealthCheckId: id }, periodSeconds: 60, stat: "Minimum" as const })),
        startMs: now - 5 * 60_000,
        endMs: now,
      });
      const missing = Object.entries(ids).filter((_, i) => (res.find((x) => x.id === `hc${i}`)?.values.length ?? 0) === 0).map(([r, id]) => `${id} (${r})`);
      add("health-checks", missing.length === 0, missing.length === 0 ? `every health check reports (${Object.values(ids).join(", ")})` : `no HealthCheckStatus data in the last 5 minutes for ${missing.join(", ")}`);
    } catch (err) {
      seen.push(errorText(err));
      add("health-checks", false, errorText(err));
    }
  }

  if (config.runbooks.engine === "step-functions") {
    const stale: string[] = [];
    const { accountId } = config;
    const prefix = config.runbooks.stateMachinePrefix ?? "";
    for (const [name, file] of Object.entries(runbookFiles(config))) {
      const want = await readFile(file, "utf8");
      for (const region of config.regions) {
        const arn = stateMachineArn({ accountId, prefix }, region, name);
        try {
          const got = await adapters.region(region).sfn.describeStateMachine(arn);
          if (!got) stale.push(`${name} is not deployed in ${region}`);
          else if (!sameJson(got.definition, want)) stale.push(`${name} in ${region} differs from ${file}`);
        } catch (err) {
          seen.push(errorText(err));
          stale.push(errorText(err));
        }
      }
    }
    add("runbooks", stale.length === 0, stale.length === 0 ? "every runbook is deployed as in runbooks/ in every app region" : `${stale.join("; ")} (run failover runbooks deploy)`);
  } else {
    add("runbooks", true, "local engine: the runbooks in runbooks/ lint clean and run in the controller process");
  }

  const denied = seen.filter((e) => DENIED.test(e));
  add("iam", denied.length === 0, denied.length === 0 ? "no call of the checks was denied" : `denied: ${denied.join("; ")} (compare with failover iam-policy)`);
  return checks;
}

/** What the last cycle saw: the store answered unless the decision or the cycle's errors say otherwise. */
function fromLastCycle(c: FailoverController): { errors: string[]; storeReachable: boolean } {
  const s = c.status();
  const d = s.lastDecision;
  const storeReachable = s.ready && !(d?.action === "escalate" && d.reason === "store-unreachable") && !(d?.action === "none" && /coordination store unreachable/.test(d.reason));
  return { errors: s.lastCycle?.errors ?? [], storeReachable };
}

/**
 * routing-control: every control readable on the cluster's endpoints (tried
 * in turn), exactly the active region's On. A control On elsewhere would
 * send traffic to a region that does not hold the writer; none On means
 * Route 53 answers as if all were healthy.
 */
async function routingControlCheck(config: Config, active: string, adapters: AwsAdapters, seen: string[]): Promise<[ReadinessCheck["name"], boolean, string]> {
  const t = config.traffic;
  if (t.strategy !== "routing-control") return ["routing-controls", true, "not a routing-control config"];
  const arc = adapters.routingControl?.(t.clusterEndpoints);
  if (!arc) return ["routing-controls", false, "these AWS adapters have no ARC client"];
  const states: string[] = [];
  const wrong: string[] = [];
  const answered = new Set<string>();
  for (const [region, arn] of Object.entries(t.routingControls)) {
    try {
      const { state, endpointRegion } = await arc.getRoutingControlState(arn);
      answered.add(endpointRegion);
      states.push(`${region} ${state}`);
      if ((state === "On") !== (region === active)) wrong.push(`${region} is ${state}`);
    } catch (err) {
      seen.push(errorText(err));
      return ["routing-controls", false, errorText(err)];
    }
  }
  const where = `(read on ${[...answered].join(", ")}; ${t.clusterEndpoints.length} endpoints configured)`;
  return wrong.length === 0
    ? ["routing-controls", true, `only the active region's control is On: ${states.join(", ")} ${where}`]
    : ["routing-controls", false, `routing controls disagree with the active region ${active}: ${wrong.join(", ")} ${where}`];
}
