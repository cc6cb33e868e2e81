// Least-privilege IAM policy documents for the two roles, derived from the
// call registry (calls.ts): every action the adapters can make is granted,
// nothing else, and no action contains a wildcard. Resources are the exact
// ARNs of the config. Where IAM offers nothing finer than "*" the statement
// says so in `notes`:
//   - cloudwatch:GetMetricData and cloudwatch:PutMetricData support no
//     resource-level permissions; PutMetricData is narrowed by the
//     cloudwatch:namespace condition instead.
//   - states:SendTaskSuccess/SendTaskFailure have no resource type: the task
//     token, not an ARN, identifies the task.
//   - route53:GetChange needs arn:aws:route53:::change/*: change ids exist
//     only once a change is submitted.
// The input is a plain description of the resources; the CLI maps the config
// onto it (aws/ may not import config/).

import type { Region } from "../core/index.js";
import { partitionOf } from "./arn.js";
import { AWS_CALLS, type CallResource, type CallSpec } from "./calls.js";

export interface IamPolicyInput {
  accountId: string;
  /** App regions: Aurora members, app tables, alarms and state machines live there. */
  regions: Region[];
  route53: {
    hostedZoneId: string;
    /** Names the runbook may change (the traffic record); condition route53:ChangeResourceRecordSetsNormalizedRecordNames. */
    recordNames: string[];
  };
  aurora: { globalClusterId: string; memberClusterArns: string[] };
  dynamodb: {
    /** App tables, replicated in every app region. */
    appTables: string[];
    controlTable: { name: string; regions: Region[] };
  };
  cloudwatch: {
    /** Alarms of the alarm probes, per region (already templated). */
    alarms: { region: Region; name: string }[];
    /** Namespaces the controller publishes its own metrics to. */
    controllerNamespaces: string[];
    /** Namespaces the runbook writes (the kill-switch metric). */
    runbookNamespaces: string[];
  };
  /** Absent when no runbook is deployed to Step Functions: the states:* statements are left out. */
  stepFunctions?: {
    /** Deployed state machines are named `<prefix>-<runbook>`. */
    stateMachinePrefix: string;
    /** The runbook role the state machines run as; without it deploy permissions are left out. */
    runbookRoleArn?: string | undefined;
  };
  /** SNS topics notifications publish to (exact ARNs); absent or empty: sns:Publish is left out. */
  sns?: { topicArns: string[] };
  /**
   * local: the controller runs the runbook in-process with its own
   * credentials, so it needs the runbook's actions too.
   */
  runbookEngine: "local" | "step-functions";
  /**
   * traffic.strategy routing-control: the ARC routing control ARNs. Absent
   * or empty: no route53-recovery-cluster action is granted at all.
   */
  routingControls?: string[];
}

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export interface IamPolicies {
  controller: PolicyDocument;
  runbook: PolicyDocument;
  /** Actions IAM cannot scope, statements left out and why. */
  notes: string[];
}

type Role = "controller" | "runbook";

interface Scope {
  sid: string;
  resources: string[];
  condition?: Record<string, Record<string, string[]>>;
  /** Why the resource is "*" or a pattern, when it is. */
  note?: string;
}

const unique = (items: Iterable<string>): string[] => [...new Set(items)].sort();

/** Whether `role`'s credentials make `spec`'s call. */
function madeBy(spec: CallSpec, role: Role, engine: IamPolicyInput["runbookEngine"]): boolean {
  if (spec.role === "both" || spec.role === role) return true;
  return role === "controller" && spec.role === "runbook" && engine === "local";
}

export function buildIamPolicies(input: IamPolicyInput): IamPolicies {
  const notes = new Set<string>();
  const scopes = resolveScopes(input);
  const build = (role: Role): PolicyDocument => {
    const byScope = new Map<CallResource, CallSpec[]>();
    for (const spec of AWS_CALLS) {
      // Only a routing-control config touches ARC: other strategies get no statement and no note.
      if (spec.resource === "routing-controls" && (input.routingControls ?? []).length === 0) continue;
      if (madeBy(spec, role, input.runbookEngine)) byScope.set(spec.resource, [...(byScope.get(spec.resource) ?? []), spec]);
    }
    const statements: PolicyStatement[] = [];
    const passRole: string[] = [];
    for (const [resource, specs] of byScope) {
      const actions = unique(specs.map((s) => s.action));
      const scope = scopes(resource, role);
      if (scope.resources.length === 0) {
        notes.add(`${role}: ${actions.join(", ")} left out: ${scope.note ?? "no matching resource in the config"}`);
        continue;
      }
      if (scope.note) notes.add(`${actions.join(", ")}: ${scope.note}`);
      statements.push({
        Sid: scope.sid,
        Effect: "Allow",
        Action: actions,
        Resource: scope.resources,
        ...(scope.condition && { Condition: scope.condition }),
      });
      // Permissions IAM checks on top (iam:PassRole for deploys), only for granted actions.
      for (const spec of specs) for (const extra of spec.requires ?? []) passRole.push(extra.action);
    }
    if (passRole.length > 0) {
      const roleArn = input.stepFunctions?.runbookRoleArn;
      if (roleArn) {
        statements.push({
          Sid: "PassRunbookRoleToStepFunctions",
          Effect: "Allow",
          Action: unique(passRole),
          Resource: [roleArn],
          Condition: { StringEquals: { "iam:PassedToService": ["states.amazonaws.com"] } },
        });
      } else {
        notes.add(`${role}: iam:PassRole left out: no runbook role ARN in the config (runbooks.roleArn), so runbooks cannot be deployed`);
      }
    }
    return { Version: "2012-10-17", Statement: statements };
  };
  const controller = build("controller");
  const runbook = build("runbook");
  notes.add(
    "no Route 53 health-check API is called: health checks are read through the AWS/Route53 HealthCheckStatus metric (cloudwatch:GetMetricData), so no health-check permission is granted",
  );
  if (input.runbookEngine === "local") {
    notes.add("runbooks.engine is local: the controller runs the runbooks with its own credentials, so its policy includes the runbook's actions");
  }
  return { controller, runbook, notes: [...notes] };
}

/** Turns a registry scope into the ARNs (and condition) of this input. */
function resolveScopes(input: IamPolicyInput): (resource: CallResource, role: Role) => Scope {
  const partition = partitionOf(input.regions[0] ?? input.dynamodb.controlTable.regions[0] ?? "us-east-1");
  const account = input.accountId;
  const zone = `arn:${partition}:route53:::hostedzone/${input.route53.hostedZoneId}`;
  const globalCluster = `arn:${partition}:rds::${account}:global-cluster:${input.aurora.globalClusterId}`;
  const members = unique(input.aurora.memberClusterArns);
  const table = (region: Region, name: string) => `arn:${partition}:dynamodb:${region}:${account}:table/${name}`;
  const controlTable = unique(input.dynamodb.controlTable.regions.map((r) => table(r, input.dynamodb.controlTable.name)));
  const appTables = unique(input.regions.flatMap((r) => input.dynamodb.appTables.map((t) => table(r, t))));
  const prefix = input.stepFunctions?.stateMachinePrefix;
  const noStateMachines = "no Step Functions state machines in the config (runbooks.stateMachinePrefix)";

  return (resource, role): Scope => {
    switch (resource) {
      case "hosted-zone":
        return { sid: "Route53ReadRecords", resources: [zone] };
      case "hosted-zone-records":
        return {
          sid: "Route53ChangeTrafficRecords",
          resources: [zone],
          condition: {
            "ForAllValues:StringEquals": {
              "route53:ChangeResourceRecordSetsNormalizedRecordNames": unique(
                input.route53.recordNames.map((n) => n.toLowerCase().replace(/\.$/, "")),
              ),
            },
          },
        };
      case "route53-change":
        return {
          sid: "Route53FollowChanges",
          resources: [`arn:${partition}:route53:::change/*`],
          note: "change ids are only known once a change is submitted, so IAM can only scope GetChange to change/*",
        };
      case "global-cluster":
        return { sid: "AuroraDescribeGlobalCluster", resources: [globalCluster] };
      case "global-cluster+member-clusters":
        return { sid: "AuroraPromote", resources: [globalCluster, ...members] };
      case "member-clusters":
        return { sid: "AuroraDescribeMemberClusters", resources: members };
      case "all-tables":
        return { sid: "DynamoDbDescribeTables", resources: unique([...appTables, ...controlTable]) };
      case "control-table":
        return { sid: "DynamoDbControlTable", resources: controlTable };
      case "metrics-read":
        return {
          sid: "CloudWatchReadMetrics",
          resources: ["*"],
          note: 'IAM supports no resource-level permissions for this action: Resource must be "*"',
        };
      case "alarms": {
        const arns = unique(input.cloudwatch.alarms.map((a) => `arn:${partition}:cloudwatch:${a.region}:${account}:alarm:${a.name}`));
        return { sid: "CloudWatchReadAlarms", resources: arns, note: arns.length === 0 ? "the config has no alarm probes" : undefined };
      }
      case "metric-namespaces": {
        const namespaces = unique(
          role === "runbook"
            ? input.cloudwatch.runbookNamespaces
            : [
                ...input.cloudwatch.controllerNamespaces,
                ...(input.runbookEngine === "local" ? input.cloudwatch.runbookNamespaces : []),
              ],
        );
        if (namespaces.length === 0) return { sid: "CloudWatchPublishMetrics", resources: [], note: "no metric namespace to publish to" };
        return {
          sid: "CloudWatchPublishMetrics",
          resources: ["*"],
          condition: { StringEquals: { "cloudwatch:namespace": namespaces } },
          note: `IAM supports no resource-level permissions for PutMetricData: Resource is "*", narrowed by the cloudwatch:namespace condition to ${namespaces.join(", ")}`,
        };
      }
      case "state-machines":
        if (prefix === undefined) return { sid: "StepFunctionsRunbooks", resources: [], note: noStateMachines };
        return {
          sid: "StepFunctionsRunbooks",
          resources: unique(input.regions.map((r) => `arn:${partition}:states:${r}:${account}:stateMachine:${prefix}-*`)),
        };
      case "executions":
        if (prefix === undefined) return { sid: "StepFunctionsRunbookExecutions", resources: [], note: noStateMachines };
        return {
          sid: "StepFunctionsRunbookExecutions",
          resources: unique(input.regions.map((r) => `arn:${partition}:states:${r}:${account}:execution:${prefix}-*:*`)),
        };
      case "sns-topics": {
        const topics = unique(input.sns?.topicArns ?? []);
        return { sid: "SnsPublishNotifications", resources: topics, note: topics.length === 0 ? "no notifications.sns topic in the config" : undefined };
      }
      case "task-tokens":
        if (prefix === undefined) return { sid: "StepFunctionsApprovals", resources: [], note: noStateMachines };
        return {
          sid: "StepFunctionsApprovals",
          resources: ["*"],
          note: 'IAM defines no resource type for these actions (the task token identifies the task): Resource must be "*"',
        };
      case "routing-controls":
        return { sid: "ArcRoutingControls", resources: unique(input.routingControls ?? []) };
    }
  };
}
