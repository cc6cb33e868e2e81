// The kill switch of one app region: an alarm on the metric the controller
// heartbeats (1 while the region is the active one) and the runbooks flip.
// Missing data is breaching, so a region nobody vouches for drops out of
// DNS: a dead controller or a drained region both read as "not in service".

import { CfnAlarm } from "aws-cdk-lib/aws-cloudwatch";
import type { Construct } from "constructs";
import type { Config } from "../../src/config/index.js";

/** Route 53 CLOUDWATCH_METRIC health checks need standard-resolution alarms. */
export const KILL_SWITCH_PERIOD_SECONDS = 60;

export function addKillSwitchAlarm(scope: Construct, config: Config, region: string, alarmName: string): CfnAlarm | undefined {
  const t = config.traffic;
  if (t.strategy !== "health-check") return undefined;
  // alarmDelay is what the RTO budget assumes between a PutMetricData and
  // the alarm flipping: that many one-minute periods, all of them needed.
  const periods = Math.max(1, Math.round(t.killSwitch.alarmDelay / (KILL_SWITCH_PERIOD_SECONDS * 1000)));
  return new CfnAlarm(scope, "KillSwitchAlarm", {
    alarmName,
    alarmDescription: `failover kill switch of ${config.application} in ${region}: OK = in service. Route 53 health check input; no actions.`,
    namespace: t.killSwitch.namespace,
    metricName: t.killSwitch.metricName,
    dimensions: [{ name: "Region", value: region }],
    // Minimum, as the controller and the simulator assume: one 0 in a period breaches, so a
    // controller cut off from the store that withdraws its region (0) is not cancelled by
    // another controller's 1 (controller.ts heartbeat, docs/failure-modes.md).
    statistic: "Minimum",
    period: KILL_SWITCH_PERIOD_SECONDS,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    threshold: 1,
    comparisonOperator: "LessThanThreshold",
    treatMissingData: "breaching",
    actionsEnabled: false,
  });
}
