// Answers SDK commands from the world's state, as the AWS APIs would
// (shapes per the SDK models; behaviour per reference/aws-apis.md).

import { ConditionalCheckFailedException, ResourceNotFoundException, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { GlobalClusterNotFoundFault, InvalidGlobalClusterStateFault } from "@aws-sdk/client-rds";
import { InvalidChangeBatch, NoSuchChange } from "@aws-sdk/client-route-53";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { ROUTE53_CONTROL_REGION } from "../config/index.js";
import { cloneItem } from "./clone-item.js";
import { itemKey } from "./control-items.js";
import { applyUpdate, evaluateCondition } from "./ddb-expr.js";
import { replicaStatus } from "./replicas.js";
import { answerSns } from "./sns.js";
import { simArc } from "./arc.js";
import { checkControlReplica } from "./mrsc.js";
import type { World } from "./world.js";

type Input = Record<string, unknown>;
type Item = Record<string, AttributeValue>;
const META = { $metadata: {} };
const keyOf = (k: Item | undefined) => itemKey(k?.pk?.S, k?.sk?.S);
const clusterName = (arn: string) => arn.split(":").at(-1) ?? arn;
const regionInText = (w: World, text: string) => w.apps.find((r) => text.includes(r));

export function answer(w: World, service: string, region: string, command: string, input: Input): unknown {
  if (service === "sfn") {
    if (!w.sfn) throw new Error("this simulated world has no Step Functions attached");
    return w.sfn.answer(region, command, input);
  }
  if (service === "sns") return answerSns(w, region, command, input);
  if (service === "route53-recovery-cluster") return simArc(w).answer(region, command, input);
  switch (`${service}:${command}`) {
    // ---- RDS (Aurora global database) ----
    case "rds:DescribeGlobalClustersCommand": {
      if (input.GlobalClusterIdentifier !== w.config.aurora.globalCluster) throw new GlobalClusterNotFoundFault({ message: `${String(input.GlobalClusterIdentifier)} not found`, ...META });
      return { GlobalClusters: [globalCluster(w, region)] };
    }
    case "rds:FailoverGlobalClusterCommand":
    case "rds:SwitchoverGlobalClusterCommand": {
      const kind = command.startsWith("Failover") ? "failover" : "switchover";
      if (kind === "failover" && input.AllowDataLoss !== true) throw new InvalidGlobalClusterStateFault({ message: "the simulator models AllowDataLoss failovers only", ...META });
      const to = Object.entries(w.config.aurora.clusters).find(([, arn]) => arn === input.TargetDbClusterIdentifier)?.[0];
      if (!to) throw new InvalidGlobalClusterStateFault({ message: `${String(input.TargetDbClusterIdentifier)} is not a member`, ...META });
      if (kind === "failover" && region !== to) throw new InvalidGlobalClusterStateFault({ message: `FailoverGlobalCluster must be called in the target region ${to}`, ...META });
      const refused = w.aurora.start(kind, to, w.nowMs);
      if (refused) throw new InvalidGlobalClusterStateFault({ message: refused, ...META });
      return { GlobalCluster: globalCluster(w) };
    }
    case "rds:DescribeDBClustersCommand": {
      const r = regionInText(w, typeof input.DBClusterIdentifier === "string" ? input.DBClusterIdentifier : "");
      return { DBClusters: r ? [{ DBClusterArn: w.config.aurora.clusters[r], Status: w.aurora.op?.to === r ? "promoting" : "available" }] : [] };
    }
    // ---- Route 53 (control plane, us-east-1) ----
    case "route53:ChangeResourceRecordSetsCommand": {
      const batch = input.ChangeBatch as { Changes?: { ResourceRecordSet?: { ResourceRecords?: { Value?: string }[] } }[] } | undefined;
      const value = batch?.Changes?.[0]?.ResourceRecordSet?.ResourceRecords?.[0]?.Value ?? "";
      const target = regionInText(w, value);
      if (!target) throw new InvalidChangeBatch({ message: `no app region in ${value}`, ...META });
      const id = w.startChange(target);
      return { ChangeInfo: { Id: `/change/${id}`, Status: "PENDING", SubmittedAt: new Date(w.nowMs) } };
    }
    case "route53:GetChangeCommand": {
      const id = (typeof input.Id === "string" ? input.Id : "").replace(/^\/change\//, "");
      const c = w.changes.get(id);
      if (!c) throw new NoSuchChange({ message: `no change ${id}`, ...META });
      return { ChangeInfo: { Id: `/change/${id}`, Status: w.nowMs >= c.insyncAtMs ? "INSYNC" : "PENDING", SubmittedAt: new Date(0) } };
    }
    case "route53:ListResourceRecordSetsCommand":
      return { ResourceRecordSets: [], IsTruncated: false, MaxItems: "300" };
    // ---- DynamoDB ----
    case "dynamodb:DescribeTableCommand": {
      const name = String(input.TableName);
      if (name === w.config.coordination.table) return { Table: { TableName: name, TableStatus: "ACTIVE", Replicas: [] } };
      if (!w.config.dynamodb.tables.includes(name)) throw new ResourceNotFoundException({ message: `table ${name} not found`, ...META });
      return { Table: { TableName: name, TableStatus: "ACTIVE", Replicas: w.apps.map((r) => ({ RegionName: r, ReplicaStatus: replicaStatus(w, name, r) })) } };
    }
    case "dynamodb:GetItemCommand":
    case "dynamodb:PutItemCommand":
    case "dynamodb:UpdateItemCommand":
    case "dynamodb:QueryCommand":
      return controlTable(w, region, command, input);
    // ---- CloudWatch ----
    case "cloudwatch:GetMetricDataCommand":
      return { MetricDataResults: ((input.MetricDataQueries as MetricQuery[] | undefined) ?? []).map((q) => metric(w, region, q)) };
    case "cloudwatch:PutMetricDataCommand": {
      const ks = w.config.traffic.strategy === "health-check" ? w.config.traffic.killSwitch : undefined;
      for (const d of (input.MetricData as { MetricName?: string; Dimensions?: { Name: string; Value: string }[]; Value?: number }[] | undefined) ?? []) {
        const target = d.Dimensions?.find((x) => x.Name === "Region")?.Value;
        // Metrics are regional: a kill switch lands only in its own region's CloudWatch.
        if (ks && input.Namespace === ks.namespace && d.MetricName === ks.metricName && target === region) w.putKillSwitch(region, d.Value ?? 0);
      }
      return {};
    }
    case "cloudwatch:DescribeAlarmsCommand":
      return {
        MetricAlarms: ((input.AlarmNames as string[] | undefined) ?? []).flatMap((name) => {
          const r = regionInText(w, name);
          if (!r || r !== region) return [];
          const bad = !w.appUp(r) || w.faults.appErrorRate(r) > 0.05;
          return [{ AlarmName: name, StateValue: bad ? "ALARM" : "OK", StateUpdatedTimestamp: new Date(w.nowMs) }];
        }),
      };
    default:
      throw new Error(`the simulated world does not answer ${service}:${command}`);
  }
}

function globalCluster(w: World, askedIn?: string) {
  // A stale writer's own region still describes the world as it was before the promotion it
  // never heard of: itself the writer, nothing in progress (AWS is silent on what a region cut
  // off from the new writer answers; this is the worst case, and the one a controller must not
  // trust: writer-trust.ts). A promotion to it runs in its own region, which then knows of it.
  if (askedIn !== undefined && askedIn !== w.aurora.writer && w.aurora.believesWriter.has(askedIn) && w.aurora.op?.to !== askedIn) {
    return {
      GlobalClusterIdentifier: w.config.aurora.globalCluster,
      Status: "available",
      GlobalClusterMembers: w.apps.map((r) => ({ DBClusterArn: w.config.aurora.clusters[r], IsWriter: r === askedIn, SynchronizationStatus: "connected" })),
    };
  }
  const op = w.aurora.op;
  return {
    GlobalClusterIdentifier: w.config.aurora.globalCluster,
    Status: op ? (op.kind === "failover" ? "failing-over" : "switching-over") : "available",
    GlobalClusterMembers: w.apps.map((r) => ({ DBClusterArn: w.config.aurora.clusters[r], IsWriter: w.aurora.writer === r, SynchronizationStatus: w.aurora.syncStatus(r, w.nowMs) })),
    ...(op && {
      FailoverState: { Status: op.kind === "failover" ? "failing-over" : "switching-over", FromDbClusterArn: w.config.aurora.clusters[op.from], ToDbClusterArn: w.config.aurora.clusters[op.to], IsDataLossAllowed: op.kind === "failover" },
    }),
  };
}

function controlTable(w: World, region: string, command: string, input: Input): unknown {
  if (input.TableName !== w.config.coordination.table) {
    throw new ResourceNotFoundException({ message: `table ${String(input.TableName)} not found in ${region}`, ...META });
  }
  // Which regions hold the table, and (MRSC) whether this replica reaches a majority.
  checkControlReplica(w, region, command);
  const ctx = { names: (input.ExpressionAttributeNames as Record<string, string> | undefined) ?? {}, values: (input.ExpressionAttributeValues as Item | undefined) ?? {} };
  if (command === "QueryCommand") {
    const pk = ctx.values[":pk"]?.S;
    const items = w.control.partition(pk);
    return { Items: cloneItem(items), Count: items.length };
  }
  const key = command === "PutItemCommand" ? keyOf(input.Item as Item) : keyOf(input.Key as Item);
  const current = w.control.get(key);
  if (command === "GetItemCommand") return current ? { Item: cloneItem(current) } : {};
  if (!evaluateCondition(input.ConditionExpression as string | undefined, current, ctx)) {
    throw new ConditionalCheckFailedException({ message: "The conditional request failed", ...META });
  }
  if (command === "PutItemCommand") {
    w.control.set(key, cloneItem(input.Item as Item));
    return {};
  }
  const next = applyUpdate(String(input.UpdateExpression), current ?? { ...(input.Key as Item) }, ctx);
  w.control.set(key, next);
  if (next.activeRegion?.S && next.activeRegion.S !== current?.activeRegion?.S && current) {
    w.event("control.activeRegion", { region: next.activeRegion.S, epoch: unmarshall(next).epoch as number });
  }
  return { Attributes: cloneItem(next) };
}

interface MetricQuery {
  Id: string;
  MetricStat?: { Metric?: { Namespace?: string; MetricName?: string; Dimensions?: { Name: string; Value: string }[] } };
}

function metric(w: World, region: string, q: MetricQuery) {
  const m = q.MetricStat?.Metric;
  const dim = (n: string) => m?.Dimensions?.find((d) => d.Name === n)?.Value;
  const point = (value: number | undefined) => ({ Id: q.Id, Timestamps: value === undefined ? [] : [new Date(w.nowMs)], Values: value === undefined ? [] : [value], StatusCode: "Complete" });
  if (m?.Namespace === "AWS/RDS" && (m.MetricName === "AuroraGlobalDBRPOLag" || m.MetricName === "AuroraGlobalDBReplicationLag")) {
    // Published for the secondary cluster, in the secondary's region.
    const r = w.apps.find((x) => clusterName(w.config.aurora.clusters[x] ?? "") === dim("DBClusterIdentifier"));
    // Nothing is published for a member being rebuilt after an unplanned failover, nor for an
    // old primary that has not rejoined as a secondary (it still believes it is the writer:
    // it replicates from nobody, so it has no lag to report, only a gap nobody measures).
    const secondary = r !== undefined && r !== w.aurora.writer && !w.aurora.believesWriter.has(r) && !w.aurora.rebuilding(r, w.nowMs);
    return point(secondary && r === region ? w.aurora.lagMs[r] : undefined);
  }
  if (m?.Namespace === "AWS/DynamoDB" && m.MetricName === "ReplicationLatency") {
    const lat = w.scenario.world.dynamodb.replicationLatency;
    return point(region !== dim("ReceivingRegion") ? w.random.jittered(lat.mean, lat.jitter) + w.faults.extraLagMs("dynamodb") : undefined);
  }
  if (m?.Namespace === "AWS/Route53" && m.MetricName === "HealthCheckStatus" && region === ROUTE53_CONTROL_REGION) {
    const r = w.apps.find((x) => dim("HealthCheckId")?.includes(x));
    const healthy = r && (w.config.traffic.strategy === "routing-control" ? simArc(w).healthCheckHealthy(r, w.nowMs) : w.healthChecks.get(r)?.healthy);
    return point(r ? (healthy ? 1 : 0) : undefined);
  }
  return point(undefined);
}
