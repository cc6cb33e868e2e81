// One stack per controller region (app regions and the witness): the
// controller service everywhere; the control table where the config puts
// it; in app regions the kill-switch alarm and the runbook state machines.

import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import { CfnStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import { RUNBOOK_KEYS, resourceNames, type Config } from "../../src/config/index.js";
import { acknowledge } from "../nag.js";
import { addControlTable } from "./control-table.js";
import { addControllerService } from "./controller-service.js";
import { addKillSwitchAlarm } from "./kill-switch.js";

export interface RegionStackProps extends StackProps {
  config: Config;
  region: string;
  partition: string;
  configJson: string;
  /** Runbook name -> the file's text, deployed byte for byte. */
  definitions: Record<string, string>;
}

export class RegionStack extends Stack {
  constructor(scope: Construct, id: string, props: RegionStackProps) {
    super(scope, id, props);
    const { config, region, partition } = props;
    const names = resourceNames(config);
    const isApp = config.regions.includes(region);

    if (config.coordination.region === region) addControlTable(this, config);

    if (isApp) {
      const alarmName = names.killSwitchAlarms[region];
      if (alarmName !== undefined) addKillSwitchAlarm(this, config, region, alarmName);
      for (const [i, runbook] of RUNBOOK_KEYS.entries()) {
        const stateMachineName = names.stateMachines[region]?.[i];
        const definitionString = props.definitions[runbook];
        if (stateMachineName === undefined || definitionString === undefined) continue;
        const machine = new CfnStateMachine(this, `Runbook-${runbook}`, {
          stateMachineName,
          stateMachineType: "STANDARD",
          // Verbatim: the same bytes the local engine runs and `runbooks deploy` uploads.
          definitionString,
          roleArn: config.runbooks.roleArn ?? "",
        });
        acknowledge(
          machine,
          {
            id: "AwsSolutions-SF1",
            reason:
              "Standard workflows keep every execution's full event history for 90 days, and the controller journals each step in the control table; CloudWatch Logs delivery would need logs:*LogDelivery on \"*\" in the runbook role, beyond `failover iam-policy`",
          },
          {
            id: "AwsSolutions-SF2",
            reason: "X-Ray tracing would need xray:PutTraceSegments on \"*\" in the runbook role, beyond `failover iam-policy`; the execution history already times every step",
          },
        );
      }
    }

    const controllerRoleArn = `arn:${partition}:iam::${config.accountId}:role/${names.controllerRole}`;
    const service = addControllerService(this, { config, region, partition, configJson: props.configJson, controllerRoleArn });
    new CfnOutput(this, "ControllerService", { value: service.attrName, description: `ECS service of the failover controller in ${region}` });
  }
}
