// `failover iam-policy --config F`: the least-privilege policy documents of
// the controller role and the runbook role, as JSON (a policy is JSON by
// nature, so the output is JSON with or without --json). The actions come
// from the adapters' call registry; this file only maps the config's
// resources onto the builder's input.

import { buildIamPolicies, type IamPolicyInput } from "../../aws/index.js";
import { forRegion, loadConfig, snsTopics, type Config } from "../../config/index.js";
import { EXIT } from "../exit.js";
import type { Registrar } from "../program.js";

/** The resources of a config, as the IAM policy builder needs them. */
export function iamPolicyInputFromConfig(config: Config): IamPolicyInput {
  const { coordination, traffic, runbooks } = config;
  const observers = [...config.regions, ...(config.witness ? [config.witness] : [])];
  // A single-region table lives in one region. A strong (MRSC) or eventual
  // global table has replicas the config does not list: grant every
  // controller region, where a controller may reach it.
  const controlTableRegions =
    coordination.consistency === "single-region" ? [coordination.region] : [...new Set([coordination.region, ...observers])];
  const alarms = config.probes.flatMap((p) =>
    p.kind === "cloudwatch-alarm" ? config.regions.map((region) => ({ region, name: forRegion(p.alarm, region) })) : [],
  );
  return {
    accountId: config.accountId,
    regions: config.regions,
    route53: { hostedZoneId: traffic.hostedZoneId, recordNames: [traffic.record] },
    aurora: { globalClusterId: config.aurora.globalCluster, memberClusterArns: Object.values(config.aurora.clusters) },
    dynamodb: {
      appTables: config.dynamodb.tables,
      controlTable: { name: coordination.table, regions: controlTableRegions },
    },
    cloudwatch: {
      alarms,
      controllerNamespaces: [config.controller.metricsNamespace],
      runbookNamespaces: traffic.strategy === "health-check" ? [traffic.killSwitch.namespace] : [],
    },
    ...(runbooks.stateMachinePrefix !== undefined && {
      stepFunctions: { stateMachinePrefix: runbooks.stateMachinePrefix, runbookRoleArn: runbooks.roleArn },
    }),
    ...(config.notifications.sns && { sns: { topicArns: snsTopics(config.notifications, config).map((t) => t.topicArn) } }),
    runbookEngine: runbooks.engine,
    ...(traffic.strategy === "routing-control" && { routingControls: Object.values(traffic.routingControls) }),
  };
}

export const iamPolicyCommand: Registrar = (program, io, run) => {
  program
    .command("iam-policy")
    .description("print least-privilege IAM policy documents (controller role, runbook role) as JSON")
    .requiredOption("--config <file>", "config file (YAML)")
    .action((opts: { config: string }) =>
      run(async () => {
        const { config } = await loadConfig(opts.config);
        const { controller, runbook, notes } = buildIamPolicies(iamPolicyInputFromConfig(config));
        io.stdout(`${JSON.stringify({ controller, runbook, notes }, null, 2)}\n`);
        return EXIT.ok;
      }),
    );
};
