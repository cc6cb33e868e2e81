// The Route 53 side (global, deployed last because each health check
// follows an alarm the regional stacks create): per app region a
// CLOUDWATCH_METRIC health check on the kill-switch alarm, and the two
// failover records in the user's hosted zone (referenced, never created).
// Only for the health-check strategy: with `records`, the controller owns
// the records (UPSERT), and a stack holding them would undo a failover on
// its next deploy.

import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import { CfnHealthCheck, CfnRecordSet } from "aws-cdk-lib/aws-route53";
import type { Construct } from "constructs";
import { forRegion, resourceNames, type Config } from "../../src/config/index.js";

export interface DnsStackProps extends StackProps {
  config: Config;
}

export class DnsStack extends Stack {
  constructor(scope: Construct, id: string, props: DnsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const t = config.traffic;
    if (t.strategy !== "health-check") return;
    const names = resourceNames(config);
    const ttlSeconds = Math.round(t.ttl / 1000);
    for (const record of names.records) {
      const { region } = record;
      const healthCheck = new CfnHealthCheck(this, `HealthCheck-${region}`, {
        healthCheckConfig: {
          type: "CLOUDWATCH_METRIC",
          alarmIdentifier: { name: names.killSwitchAlarms[region] ?? "", region },
          // A heartbeat nobody sends is already ALARM (missing data is breaching). INSUFFICIENT_DATA
          // means CloudWatch itself cannot evaluate (a regional CloudWatch outage): keep the last
          // status then. Unhealthy would drop an active DR region from DNS, Route 53 would answer
          // the PRIMARY record, and clients would land on a demoted writer (the simulator models
          // this setting: world.route53.insufficientDataHealthStatus).
          insufficientDataHealthStatus: "LastKnownStatus",
        },
        healthCheckTags: [{ key: "Name", value: names.healthChecks[region] ?? "" }],
      });
      new CfnRecordSet(this, `Record-${region}`, {
        hostedZoneId: t.hostedZoneId,
        name: record.name,
        type: "CNAME",
        ttl: String(ttlSeconds),
        setIdentifier: record.setIdentifier,
        failover: record.failover,
        healthCheckId: healthCheck.attrHealthCheckId,
        resourceRecords: [forRegion(config.deploy?.recordTarget ?? "", region)],
      });
      // traffic.healthChecks must name these ids (the drill reads their status).
      new CfnOutput(this, `HealthCheckId-${region}`, {
        value: healthCheck.attrHealthCheckId,
        description: `traffic.healthChecks.${region} (copy it into the config)`,
      });
    }
  }
}
