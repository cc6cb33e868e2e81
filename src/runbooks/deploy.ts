// `failover runbooks deploy`: create or update the runbooks as Standard
// Step Functions state machines in every app region (state machines are
// regional and SDK tasks call their own region, so each region that can
// become the target needs its own copy). Idempotent: describe, compare
// definition and role, then create, update or leave alone.

import type { AwsAdapters } from "../aws/index.js";

export interface DeployTarget {
  regions: string[];
  accountId: string;
  prefix: string;
  roleArn: string;
  partition?: string;
  /** Runbook name -> definition text, exactly as in runbooks/ (deployed verbatim). */
  definitions: Record<string, string>;
}

export interface DeployChange {
  region: string;
  name: string;
  arn: string;
  action: "created" | "updated" | "unchanged";
}

export const stateMachineArn = (t: { partition?: string; accountId: string; prefix: string }, region: string, runbook: string) =>
  `arn:${t.partition ?? "aws"}:states:${region}:${t.accountId}:stateMachine:${t.prefix}-${runbook}`;

/** Definitions compare as JSON so whitespace differences do not cause updates. */
export const sameJson = (a: string, b: string) => {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
};

export async function deployRunbooks(adapters: AwsAdapters, target: DeployTarget): Promise<DeployChange[]> {
  const changes: DeployChange[] = [];
  for (const region of target.regions) {
    const sfn = adapters.region(region).sfn;
    for (const [runbook, definition] of Object.entries(target.definitions).sort(([a], [b]) => a.localeCompare(b))) {
      const name = `${target.prefix}-${runbook}`;
      const arn = stateMachineArn(target, region, runbook);
      const current = await sfn.describeStateMachine(arn);
      if (!current) {
        const created = await sfn.createStateMachine({ name, definition, roleArn: target.roleArn });
        changes.push({ region, name, arn: created.arn, action: "created" });
      } else if (!sameJson(current.definition, definition) || current.roleArn !== target.roleArn) {
        await sfn.updateStateMachine({ arn, definition, roleArn: target.roleArn });
        changes.push({ region, name, arn, action: "updated" });
      } else {
        changes.push({ region, name, arn, action: "unchanged" });
      }
    }
  }
  return changes;
}
