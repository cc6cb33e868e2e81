// Binds each allowed Task resource to an aws/ adapter call: SDK-shaped
// parameters in (PascalCase, as Step Functions passes them), SDK-shaped
// results out (so ResultSelector paths work the same locally and on AWS).

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { AwsAdapters, GlobalClusterState, Item } from "../aws/index.js";
import type { Clock } from "../core/index.js";
import type { RunbookInput } from "./input.js";

type Params = Record<string, unknown>;
/** `input` is the run's input, for calls whose target is not a region (the ARC cluster's endpoints). */
export type Invoke = (region: string, params: Params, input?: RunbookInput) => Promise<unknown>;

const str = (v: unknown, name: string): string => {
  if (typeof v !== "string" || v === "") throw new TypeError(`parameter ${name} must be a non-empty string`);
  return v;
};

export function globalClusterToSdk(g: GlobalClusterState): unknown {
  return {
    GlobalClusters: [
      {
        GlobalClusterIdentifier: g.id,
        Status: g.status,
        GlobalClusterMembers: g.members.map((m) => ({ DBClusterArn: m.clusterArn, IsWriter: m.isWriter, ...(m.synchronizationStatus && { SynchronizationStatus: m.synchronizationStatus }) })),
        ...(g.failoverState && {
          FailoverState: {
            Status: g.failoverState.status,
            ...(g.failoverState.fromClusterArn && { FromDbClusterArn: g.failoverState.fromClusterArn }),
            ...(g.failoverState.toClusterArn && { ToDbClusterArn: g.failoverState.toClusterArn }),
          },
        }),
      },
    ],
  };
}

export function bindings(adapters: AwsAdapters, clock: Clock): Readonly<Record<string, Invoke>> {
  const SDK = "arn:aws:states:::aws-sdk:";
  return {
    [`${SDK}rds:failoverGlobalCluster`]: async (region, p) => {
      if (p.AllowDataLoss !== true) throw new TypeError("failoverGlobalCluster must carry AllowDataLoss: true (without it, it behaves as a switchover)");
      const g = await adapters.region(region).aurora.failoverGlobalCluster({ globalClusterId: str(p.GlobalClusterIdentifier, "GlobalClusterIdentifier"), targetClusterArn: str(p.TargetDbClusterIdentifier, "TargetDbClusterIdentifier") });
      return { GlobalCluster: (globalClusterToSdk(g) as { GlobalClusters: unknown[] }).GlobalClusters[0] };
    },
    [`${SDK}rds:switchoverGlobalCluster`]: async (region, p) => {
      const g = await adapters.region(region).aurora.switchoverGlobalCluster({ globalClusterId: str(p.GlobalClusterIdentifier, "GlobalClusterIdentifier"), targetClusterArn: str(p.TargetDbClusterIdentifier, "TargetDbClusterIdentifier") });
      return { GlobalCluster: (globalClusterToSdk(g) as { GlobalClusters: unknown[] }).GlobalClusters[0] };
    },
    [`${SDK}rds:describeGlobalClusters`]: async (region, p) =>
      globalClusterToSdk(await adapters.region(region).aurora.describeGlobalCluster(str(p.GlobalClusterIdentifier, "GlobalClusterIdentifier"))),
    [`${SDK}route53:changeResourceRecordSets`]: async (_region, p) => {
      const batch = p.ChangeBatch as { Comment?: string; Changes?: { Action: string; ResourceRecordSet: Params }[] } | undefined;
      const changes = (batch?.Changes ?? []).map((c) => {
        const rr = c.ResourceRecordSet;
        const ttl = rr.Ttl ?? rr.TTL;
        return {
          action: c.Action as "UPSERT" | "CREATE" | "DELETE",
          record: {
            name: str(rr.Name, "Name"),
            type: str(rr.Type, "Type") as "CNAME" | "A" | "AAAA" | "TXT",
            ...(typeof ttl === "number" && { ttlSeconds: ttl }),
            values: ((rr.ResourceRecords as { Value: string }[] | undefined) ?? []).map((r) => r.Value),
            ...(typeof rr.SetIdentifier === "string" && { setIdentifier: rr.SetIdentifier }),
          },
        };
      });
      const out = await adapters.route53.changeResourceRecordSets({ hostedZoneId: str(p.HostedZoneId, "HostedZoneId"), changes, ...(batch?.Comment && { comment: batch.Comment }) });
      return { ChangeInfo: { Id: out.changeId, Status: out.status } };
    },
    [`${SDK}route53:listResourceRecordSets`]: async (_region, p) => {
      const sets = await adapters.route53.listResourceRecordSets(str(p.HostedZoneId, "HostedZoneId"), str(p.StartRecordName, "StartRecordName"));
      const type = typeof p.StartRecordType === "string" ? p.StartRecordType : undefined;
      const max = Number(p.MaxItems ?? 300);
      // Route 53 lists from (StartRecordName, StartRecordType) on, names with the trailing dot.
      const listed = sets.filter((r) => type === undefined || r.type === type).slice(0, Number.isFinite(max) && max > 0 ? max : 300);
      return {
        ResourceRecordSets: listed.map((r) => ({
          Name: r.name.endsWith(".") ? r.name : `${r.name}.`,
          Type: r.type,
          ...(r.ttlSeconds !== undefined && { TTL: r.ttlSeconds }),
          ...(r.setIdentifier !== undefined && { SetIdentifier: r.setIdentifier }),
          ResourceRecords: (r.values ?? []).map((Value) => ({ Value })),
        })),
        IsTruncated: false,
        MaxItems: String(max),
      };
    },
    [`${SDK}route53:getChange`]: async (_region, p) => {
      const id = str(p.Id, "Id");
      return { ChangeInfo: { Id: id, Status: await adapters.route53.getChange(id) } };
    },
    [`${SDK}dynamodb:updateItem`]: async (region, p) => {
      const attrs = await adapters.region(region).dynamodb.updateItem({
        tableName: str(p.TableName, "TableName"),
        key: p.Key as Item,
        updateExpression: str(p.UpdateExpression, "UpdateExpression"),
        ...(typeof p.ConditionExpression === "string" && { conditionExpression: p.ConditionExpression }),
        ...(p.ExpressionAttributeNames !== undefined && { names: p.ExpressionAttributeNames as Record<string, string> }),
        ...(p.ExpressionAttributeValues !== undefined && { values: p.ExpressionAttributeValues as Record<string, AttributeValue> }),
      });
      return { Attributes: attrs };
    },
    [`${SDK}dynamodb:describeTable`]: async (region, p) => {
      const t = await adapters.region(region).dynamodb.describeTable(str(p.TableName, "TableName"));
      return { Table: { TableName: t.name, TableStatus: t.status, Replicas: t.replicas.map((r) => ({ RegionName: r.region, ReplicaStatus: r.status })) } };
    },
    [`${SDK}dynamodb:putItem.waitForTaskToken`]: async (region, p) => {
      await adapters.region(region).dynamodb.putItem({ tableName: str(p.TableName, "TableName"), item: p.Item as Item });
      return {};
    },
    [`${SDK}route53recoverycluster:updateRoutingControlStates`]: async (_region, p, input) => {
      const endpoints = input?.traffic.clusterEndpoints ?? [];
      if (endpoints.length === 0) throw new TypeError("updateRoutingControlStates needs traffic.clusterEndpoints in the runbook input");
      const arc = adapters.routingControl?.(endpoints);
      if (!arc) throw new TypeError("these AWS adapters have no ARC routing-control client");
      const entries = ((p.UpdateRoutingControlStateEntries as Params[] | undefined) ?? []).map((e): { arn: string; state: "On" | "Off" } => {
        const state = e.RoutingControlState;
        if (state !== "On" && state !== "Off") throw new TypeError(`RoutingControlState must be On or Off, got ${JSON.stringify(state)}`);
        return { arn: str(e.RoutingControlArn, "RoutingControlArn"), state };
      });
      const overrides = Array.isArray(p.SafetyRulesToOverride) ? p.SafetyRulesToOverride.map((r) => str(r, "SafetyRulesToOverride[]")) : [];
      await arc.updateRoutingControlStates({ entries, ...(overrides.length > 0 && { safetyRulesToOverride: overrides }) });
      return {};
    },
    [`${SDK}cloudwatch:putMetricData`]: async (region, p) => {
      const data = (p.MetricData as { MetricName: string; Dimensions?: { Name: string; Value: string }[]; Value: number; Unit?: string }[]).map((d) => ({
        metricName: d.MetricName,
        dimensions: Object.fromEntries((d.Dimensions ?? []).map((x) => [x.Name, x.Value])),
        value: d.Value,
        timestampMs: clock.now(),
        ...(d.Unit === "Count" && { unit: "Count" as const }),
      }));
      await adapters.region(region).cloudwatch.putMetricData({ namespace: str(p.Namespace, "Namespace"), data });
      return {};
    },
  };
}
