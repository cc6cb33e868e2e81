// Cross-field rules the schema cannot express field by field. Each problem
// names the exact path it is about. Errors make the config invalid (exit 2);
// warnings are printed but do not fail validation.

import type { ConfigErrorDetail } from "../core/index.js";
import type { Config } from "./schema.js";

export interface CheckResult {
  errors: Omit<ConfigErrorDetail, "file" | "line">[];
  warnings: string[];
}

const arnRegion = (arn: string): string | undefined => arn.split(":")[3];

/** Regions holding a copy of the control table: every observer of an MRSC table unless listed; else the one region. */
export function replicaRegions(config: Config): string[] {
  const c = config.coordination;
  if (c.consistency !== "strong") return [c.region];
  return c.replicas ?? [...new Set([...config.regions, ...(config.witness ? [config.witness] : [])])];
}

/**
 * The control-table region a controller in `region` talks to: with MRSC, its
 * own replica (a region without one, an MRSC witness, uses
 * coordination.region); otherwise the one table's region.
 */
export function controlRegionFor(config: Config, region: string): string {
  return replicaRegions(config).includes(region) ? region : config.coordination.region;
}

export function checkConfig(config: Config): CheckResult {
  const errors: CheckResult["errors"] = [];
  const warnings: string[] = [];
  const fail = (path: string, expected: string) => errors.push({ path, expected });
  const apps = config.regions;
  const observers = [...new Set(config.witness ? [...apps, config.witness] : apps)];

  apps.forEach((r, i) => {
    if (apps.indexOf(r) !== i) fail(`regions[${i}]`, `unique regions ("${r}" is listed twice)`);
  });
  if (config.witness && apps.includes(config.witness)) {
    fail("witness", `a region that is not an app region ("${config.witness}" is in regions; a witness holds no app or data)`);
  }

  // Aurora: exactly one member per app region, each ARN in its own region.
  for (const r of apps) {
    if (!(r in config.aurora.clusters)) fail(`aurora.clusters.${r}`, `the Aurora member cluster ARN of app region ${r}`);
  }
  for (const [r, arn] of Object.entries(config.aurora.clusters)) {
    if (!apps.includes(r)) fail(`aurora.clusters.${r}`, `a key that is an app region (${apps.join(", ")})`);
    else if (arnRegion(arn) !== r) fail(`aurora.clusters.${r}`, `a cluster ARN in ${r}, got one in ${arnRegion(arn) ?? "no region"}`);
  }

  if (config.traffic.strategy === "health-check") {
    for (const r of apps) {
      if (!(r in config.traffic.healthChecks)) fail(`traffic.healthChecks.${r}`, `the Route 53 health check id of app region ${r}`);
    }
    for (const r of Object.keys(config.traffic.healthChecks)) {
      if (!apps.includes(r)) fail(`traffic.healthChecks.${r}`, `a key that is an app region (${apps.join(", ")}): only app regions have a failover record`);
    }
  } else if (config.traffic.strategy === "routing-control") {
    checkRoutingControl(config, fail, warnings);
  } else if (!config.traffic.target.includes("{region}")) {
    fail("traffic.target", 'a template containing "{region}" so each region has its own target');
  }
  config.probes.forEach((p, i) => {
    if (p.kind === "route53-health-check") {
      for (const r of apps) if (!(r in p.healthChecks)) fail(`probes[${i}].healthChecks.${r}`, `a health check id for app region ${r}`);
      for (const r of Object.keys(p.healthChecks)) {
        if (!apps.includes(r)) fail(`probes[${i}].healthChecks.${r}`, `a key that is an app region (${apps.join(", ")})`);
      }
      // The traffic health checks follow the kill switch: probing them would
      // read the controllers' own decisions (a heartbeat that stops, a region
      // drained on purpose) back as failures of the region.
      const t = config.traffic;
      if (t.strategy === "health-check" || t.strategy === "routing-control") {
        const follows = t.strategy === "health-check" ? "the kill switch" : "the routing control";
        for (const [r, id] of Object.entries(p.healthChecks)) {
          if (Object.values(t.healthChecks).includes(id)) fail(`probes[${i}].healthChecks.${r}`, `an endpoint-only health check, not ${id} from traffic.healthChecks (it follows ${follows})`);
        }
      }
    }
    if (p.kind === "http" && !p.url.includes("{region}")) {
      fail(`probes[${i}].url`, 'a URL template containing "{region}" (each region is probed at its own endpoint)');
    }
    if (p.timeout >= p.interval) fail(`probes[${i}].timeout`, "a timeout shorter than the probe interval");
  });

  const { coordination, policy } = config;
  if (!observers.includes(coordination.region)) {
    fail("coordination.region", `an app region or the witness (${observers.join(", ")})`);
  }
  if (policy.mode === "automatic" && coordination.consistency === "eventual") {
    fail(
      "coordination.consistency",
      '"strong" or "single-region" for automatic mode: on an eventually consistent global table both sides of a partition can win the lease and promote two writers',
    );
  }
  if (coordination.consistency === "strong" && observers.length !== 3) {
    fail(
      "coordination.consistency",
      `exactly three regions (app regions + witness) for "strong": a multi-region strongly consistent (MRSC) table spans three regions; this config has ${observers.length} (use "single-region" in the witness otherwise)`,
    );
  }
  const replicas = coordination.replicas;
  if (replicas && coordination.consistency !== "strong") {
    fail("coordination.replicas", `no replicas list: only a "strong" (MRSC) table has replicas in several regions (consistency is "${coordination.consistency}")`);
  } else if (replicas && coordination.consistency === "strong") {
    replicas.forEach((r, i) => {
      if (!observers.includes(r)) fail(`coordination.replicas[${i}]`, `one of the regions of the config (${observers.join(", ")}), got "${r}"`);
      else if (replicas.indexOf(r) !== i) fail(`coordination.replicas[${i}]`, `unique regions ("${r}" is listed twice)`);
    });
    if (!replicas.includes(coordination.region)) {
      fail("coordination.region", `one of coordination.replicas (${replicas.join(", ")}): the region without a replica talks to it`);
    }
  }
  if (config.runbooks.engine === "step-functions") {
    // Step Functions' SDK integrations call the state machine's own region, so
    // the runbook's fences and control record must be writable from every
    // region a runbook can be started in (the failover target).
    const withReplica = coordination.consistency === "strong" ? replicaRegions(config) : [];
    const missing = apps.filter((r) => !withReplica.includes(r));
    if (missing.length > 0) {
      fail(
        coordination.consistency === "strong" ? "coordination.replicas" : "coordination.consistency",
        coordination.consistency === "strong"
          ? `a replica in every app region for runbooks.engine step-functions (missing: ${missing.join(", ")}): a Step Functions execution calls only its own region, so each fence must reach the control table there`
          : `"strong" with a replica in every app region for runbooks.engine step-functions: a Step Functions execution calls only its own region, so a fence on a table in ${coordination.region} cannot be written from the target region`,
      );
    }
  }
  if (coordination.consistency === "single-region" && apps.includes(coordination.region)) {
    warnings.push(
      `coordination.region ${coordination.region} is an app region: if it fails, the lease store fails with it and no automatic failover can happen; prefer the witness`,
    );
  }
  if (policy.quorum > observers.length) {
    fail("policy.quorum", `at most the number of observers (${observers.length}: ${observers.join(", ")})`);
  } else if (policy.mode === "automatic" && policy.quorum <= observers.length / 2) {
    fail("policy.quorum", `a majority of the ${observers.length} observers (at least ${Math.floor(observers.length / 2) + 1}) for automatic mode: a minority quorum lets one side of a partition declare the other down`);
  }
  if (config.runbooks.engine === "step-functions") {
    if (!config.runbooks.roleArn) fail("runbooks.roleArn", "the execution role ARN of the deployed state machines (engine step-functions)");
    if (!config.runbooks.stateMachinePrefix) fail("runbooks.stateMachinePrefix", "the state machine name prefix (engine step-functions)");
  }
  // automatic mode without a lag probe is refused by the budget (exit 1); in
  // manual mode a human still approves, but without the data-loss estimate.
  if (policy.mode === "manual" && !config.probes.some((p) => p.kind === "aurora")) {
    warnings.push("policy.mode is manual and no aurora probe reads replication lag: approvers will decide without a data-loss estimate");
  }
  if (policy.rpo > policy.rto) warnings.push("policy.rpo is larger than policy.rto: waiting for lag to drain can never use the full RPO");
  return { errors, warnings };
}

type Fail = (path: string, expected: string) => void;

/** routing-control: one control and one health check per app region, the cluster's endpoints, and an engine that can reach them. */
function checkRoutingControl(config: Config, fail: Fail, warnings: string[]): void {
  const t = config.traffic;
  if (t.strategy !== "routing-control") return;
  const apps = config.regions;
  for (const key of ["routingControls", "healthChecks"] as const) {
    const what = key === "routingControls" ? "the routing control ARN" : "the RECOVERY_CONTROL health check id";
    for (const r of apps) if (!(r in t[key])) fail(`traffic.${key}.${r}`, `${what} of app region ${r}`);
    for (const r of Object.keys(t[key])) {
      if (!apps.includes(r)) fail(`traffic.${key}.${r}`, `a key that is an app region (${apps.join(", ")}): only app regions have a failover record`);
    }
  }
  const arns = Object.values(t.routingControls);
  Object.entries(t.routingControls).forEach(([r, arn]) => {
    if (arns.indexOf(arn) !== arns.lastIndexOf(arn)) fail(`traffic.routingControls.${r}`, `a routing control of its own (${arn} is used by two regions)`);
  });
  const seen = new Set<string>();
  t.clusterEndpoints.forEach((e, i) => {
    if (seen.has(e.region)) fail(`traffic.clusterEndpoints[${i}].region`, `one endpoint per region (${e.region} is listed twice): a cluster has one endpoint in each of its five regions`);
    seen.add(e.region);
  });
  if (t.clusterEndpoints.length < 5) {
    warnings.push(
      `traffic.clusterEndpoints lists ${t.clusterEndpoints.length} of the cluster's 5 endpoints: ARC keeps at least 3 of the 5 reachable, not any given one; list all five (DescribeCluster)`,
    );
  }
  // A deployed state machine's SDK task calls its own region's default
  // endpoint and takes no endpoint URL, while a cluster answers only on its
  // own regional endpoints: the flip could never reach the cluster.
  if (config.runbooks.engine === "step-functions") {
    fail(
      "runbooks.engine",
      '"local" with traffic.strategy routing-control: a Step Functions SDK task cannot be pointed at the ARC cluster\'s endpoints (it calls its own region\'s default endpoint), so only the local engine, which tries the cluster endpoints in turn, can flip routing controls',
    );
  }
}
