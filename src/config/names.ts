// The names of the AWS resources a config implies, derived in one place so
// `failover validate` can print them and the CDK app in infra/ can create
// them: the controller, the runbooks and the templates can never disagree
// on a name. Everything is derived from fields of the config (application,
// coordination.table, traffic.record, runbooks.stateMachinePrefix); nothing
// here is chosen per deployment.

import type { Config } from "./schema.js";

export type RunbookKey = "failover" | "switchover" | "failback";
export const RUNBOOK_KEYS: readonly RunbookKey[] = ["failover", "switchover", "failback"];

export interface FailoverRecordName {
  region: string;
  /** Route 53 record name, as in traffic.record. */
  name: string;
  setIdentifier: string;
  /** Route 53 failover routing has exactly two roles: the first app region is PRIMARY. */
  failover: "PRIMARY" | "SECONDARY";
}

export interface ResourceNames {
  controlTable: { name: string; regions: string[] };
  /** Kill-switch alarm per app region (health-check strategy only). */
  killSwitchAlarms: Record<string, string>;
  /** Name tag of the CLOUDWATCH_METRIC health check per app region (health-check strategy only). */
  healthChecks: Record<string, string>;
  /** The failover records (health-check strategy only: with `records` the controller owns them). */
  records: FailoverRecordName[];
  /** Deployed state machine names per app region; empty without runbooks.stateMachinePrefix. */
  stateMachines: Record<string, string[]>;
  controllerRole: string;
  /** SSM parameter that delivers this config to the controller containers. */
  configParameter: string;
  /** ECS cluster and service name in every controller region. */
  service: string;
}

/** The regions that run a controller: app regions, then the witness. */
export function controllerRegions(config: Config): string[] {
  return [...new Set([...config.regions, ...(config.witness ? [config.witness] : [])])];
}

/** Regions holding the control table: one for single-region, every controller region otherwise. */
export function controlTableRegions(config: Config): string[] {
  const { coordination } = config;
  if (coordination.consistency === "single-region") return [coordination.region];
  return [...new Set([coordination.region, ...controllerRegions(config)])];
}

export function resourceNames(config: Config): ResourceNames {
  const app = config.application;
  const t = config.traffic;
  const healthCheck = t.strategy === "health-check";
  const perApp = (f: (region: string) => string): Record<string, string> =>
    healthCheck ? Object.fromEntries(config.regions.map((r) => [r, f(r)])) : {};
  const prefix = config.runbooks.stateMachinePrefix;
  return {
    controlTable: { name: config.coordination.table, regions: controlTableRegions(config) },
    killSwitchAlarms: perApp((r) => `${app}-kill-switch-${r}`),
    healthChecks: perApp((r) => `${app}-kill-switch-${r}`),
    records: healthCheck
      ? config.regions.slice(0, 2).map((region, i) => ({
          region,
          name: t.record,
          setIdentifier: `${app}-${region}`,
          failover: i === 0 ? ("PRIMARY" as const) : ("SECONDARY" as const),
        }))
      : [],
    stateMachines: Object.fromEntries(
      config.regions.map((r) => [r, prefix === undefined ? [] : RUNBOOK_KEYS.map((k) => `${prefix}-${k}`)]),
    ),
    controllerRole: `${app}-failover-controller`,
    configParameter: `/failover/${app}/config`,
    service: `${app}-failover`,
  };
}
