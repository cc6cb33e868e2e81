// The two global IAM roles, deployed before the regional stacks that use
// them. Their permissions are the documents `failover iam-policy` prints,
// inlined verbatim (one generator: src/aws/iam-policy.ts), so a change to
// the adapters' call registry reaches the deployed roles on the next synth
// without an edit here.

import { Stack, type StackProps } from "aws-cdk-lib";
import { CfnRole } from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import { buildIamPolicies, type IamPolicies } from "../../src/aws/index.js";
import { iamPolicyInputFromConfig } from "../../src/cli/commands/iam-policy.js";
import { resourceNames, type Config } from "../../src/config/index.js";
import { roleFromArn } from "../checks.js";
import { acknowledge, wildcardAcknowledgements } from "../nag.js";

export interface IamStackProps extends StackProps {
  config: Config;
  partition: string;
}

export class IamStack extends Stack {
  readonly policies: IamPolicies;
  readonly controllerRole: CfnRole;
  readonly runbookRole: CfnRole;

  constructor(scope: Construct, id: string, props: IamStackProps) {
    super(scope, id, props);
    const { config, partition } = props;
    const account = config.accountId;
    this.policies = buildIamPolicies(iamPolicyInputFromConfig(config));
    const { controller, runbook, notes } = this.policies;

    // Only ECS tasks of this account may wear the controller role.
    this.controllerRole = new CfnRole(this, "ControllerRole", {
      roleName: resourceNames(config).controllerRole,
      description: `failover controller of ${config.application}: exactly what \`failover iam-policy\` prints for the controller`,
      assumeRolePolicyDocument: trust("ecs-tasks.amazonaws.com", account, `arn:${partition}:ecs:*:${account}:*`),
      policies: [{ policyName: "failover-controller", policyDocument: controller }],
      maxSessionDuration: 3600,
    });
    acknowledge(this.controllerRole, ...wildcardAcknowledgements(controller, notes));

    // Only this config's state machines may wear the runbook role.
    const { path, name } = roleFromArn(config.runbooks.roleArn ?? "");
    const prefix = config.runbooks.stateMachinePrefix ?? "";
    this.runbookRole = new CfnRole(this, "RunbookRole", {
      roleName: name,
      path,
      description: `failover runbooks of ${config.application}: exactly what \`failover iam-policy\` prints for the runbook`,
      assumeRolePolicyDocument: trust("states.amazonaws.com", account, `arn:${partition}:states:*:${account}:stateMachine:${prefix}-*`),
      policies: [{ policyName: "failover-runbook", policyDocument: runbook }],
      maxSessionDuration: 3600,
    });
    acknowledge(this.runbookRole, ...wildcardAcknowledgements(runbook, notes));
  }
}

/**
 * A service trust policy narrowed to this account's resources (the
 * confused-deputy guard AWS recommends for service roles).
 */
function trust(service: string, account: string, sourceArnPattern: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": account },
          ArnLike: { "aws:SourceArn": sourceArnPattern },
        },
      },
    ],
  };
}
