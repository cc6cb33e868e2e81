// Aurora global database adapter (RDS API). The calls that move the writer
// are the most dangerous ones this project makes, so the adapter refuses the
// mistakes it can detect locally before anything reaches AWS:
//   - FailoverGlobalCluster (unplanned) is documented as called in the target
//     (secondary) region. The adapter asserts the target ARN's region equals
//     its own: promoting through another region's endpoint is a bug we refuse
//     to make. It always sends AllowDataLoss: true; without it the call
//     behaves as a switchover, which would wait on a dead primary.
//   - SwitchoverGlobalCluster (planned) is documented as called in the current
//     primary's region. Which region is primary cannot be verified without a
//     DescribeGlobalClusters round trip, so the caller is trusted to pass the
//     primary's adapter; the adapter only refuses the one case it can see for
//     free: a target in its own region (the target is a secondary, and a
//     global cluster has at most one member per region, so this adapter cannot
//     be the primary's).

import {
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
  type GlobalCluster,
  type RDSClient,
} from "@aws-sdk/client-rds";
import { AwsCallError, type Region } from "../core/index.js";
import { regionOfArn } from "./arn.js";
import { awsCall, invalidResponse } from "./call.js";
import type { AuroraApi, GlobalClusterMember, GlobalClusterState } from "./ports.js";

const MAX_PAGES = 100;

export function createAuroraAdapter(client: RDSClient, region: Region): AuroraApi {
  const describe = async (globalClusterId: string): Promise<GlobalClusterState> => {
    const call = "rds:DescribeGlobalClusters";
    // Own loop rather than paginateDescribeGlobalClusters: the SDK paginator
    // reuses and mutates one input object (so recorded calls all show the last
    // Marker) and does not stop on a repeated Marker by default.
    const clusters: GlobalCluster[] = [];
    let marker: string | undefined;
    const seen = new Set<string>();
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) throw invalidResponse(call, region, `more than ${MAX_PAGES} pages of global clusters`);
      const out = await awsCall(call, region, () =>
        client.send(
          new DescribeGlobalClustersCommand({
            GlobalClusterIdentifier: globalClusterId,
            ...(marker !== undefined && { Marker: marker }),
          }),
        ),
      );
      clusters.push(...(out.GlobalClusters ?? []));
      if (!out.Marker) break;
      if (seen.has(out.Marker)) throw invalidResponse(call, region, `pagination repeats Marker ${out.Marker}`);
      seen.add(out.Marker);
      marker = out.Marker;
    }
    const found = clusters.find((c) => c.GlobalClusterIdentifier === globalClusterId);
    if (!found) {
      throw invalidResponse(call, region, `global cluster ${globalClusterId} is not in the response`, "GlobalClusterNotFoundFault");
    }
    return parseGlobalCluster(call, region, found, globalClusterId);
  };

  const targetRegion = (call: "rds:FailoverGlobalCluster" | "rds:SwitchoverGlobalCluster", targetClusterArn: string): Region => {
    const target = regionOfArn(targetClusterArn);
    if (target === undefined) {
      throw refused(call, region, `target ${JSON.stringify(targetClusterArn)} is not a regional cluster ARN`);
    }
    return target;
  };

  return {
    region,

    describeGlobalCluster: describe,

    async failoverGlobalCluster({ globalClusterId, targetClusterArn }) {
      const call = "rds:FailoverGlobalCluster";
      const target = targetRegion(call, targetClusterArn);
      if (target !== region) {
        throw refused(
          call,
          region,
          `target cluster ${targetClusterArn} is in ${target}: an unplanned failover must be sent to the target region's endpoint, not ${region}`,
        );
      }
      const out = await awsCall(call, region, () =>
        client.send(
          new FailoverGlobalClusterCommand({
            GlobalClusterIdentifier: globalClusterId,
            TargetDbClusterIdentifier: targetClusterArn,
            AllowDataLoss: true,
          }),
        ),
      );
      // The promotion was accepted: if the response omits the cluster, read
      // it rather than fail (a retry of the failover itself would be refused).
      return out.GlobalCluster ? parseGlobalCluster(call, region, out.GlobalCluster, globalClusterId) : describe(globalClusterId);
    },

    async switchoverGlobalCluster({ globalClusterId, targetClusterArn }) {
      const call = "rds:SwitchoverGlobalCluster";
      const target = targetRegion(call, targetClusterArn);
      if (target === region) {
        throw refused(
          call,
          region,
          `target cluster ${targetClusterArn} is in this adapter's region: a switchover is sent to the current primary's region`,
        );
      }
      const out = await awsCall(call, region, () =>
        client.send(
          new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: globalClusterId, TargetDbClusterIdentifier: targetClusterArn }),
        ),
      );
      return out.GlobalCluster ? parseGlobalCluster(call, region, out.GlobalCluster, globalClusterId) : describe(globalClusterId);
    },

    async describeDbClusterStatus(clusterArn) {
      const call = "rds:DescribeDBClusters";
      const out = await awsCall(call, region, () => client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterArn })));
      const cluster = out.DBClusters?.find((c) => c.DBClusterArn === clusterArn) ?? out.DBClusters?.[0];
      if (!cluster) throw invalidResponse(call, region, `cluster ${clusterArn} is not in the response`, "DBClusterNotFoundFault");
      return cluster.Status ?? "unknown";
    },
  };
}

function refused(call: "rds:FailoverGlobalCluster" | "rds:SwitchoverGlobalCluster", region: Region, why: string): AwsCallError {
  return new AwsCallError({ call, region, retryable: false, code: "WrongRegion", cause: new Error(`refused: ${why}`) });
}

type AuroraCall = "rds:DescribeGlobalClusters" | "rds:FailoverGlobalCluster" | "rds:SwitchoverGlobalCluster";

/**
 * Missing fields become "unknown"/absent; a member whose ARN is present but
 * carries no region is garbage the controller could promote, so it throws.
 */
export function parseGlobalCluster(call: AuroraCall, region: Region, sdk: GlobalCluster, requestedId: string): GlobalClusterState {
  const members: GlobalClusterMember[] = [];
  for (const m of sdk.GlobalClusterMembers ?? []) {
    if (!m.DBClusterArn) continue;
    const memberRegion = regionOfArn(m.DBClusterArn);
    if (memberRegion === undefined) {
      throw invalidResponse(call, region, `member DBClusterArn ${JSON.stringify(m.DBClusterArn)} has no region`);
    }
    members.push({
      clusterArn: m.DBClusterArn,
      region: memberRegion,
      isWriter: m.IsWriter === true,
      ...(m.SynchronizationStatus !== undefined && { synchronizationStatus: m.SynchronizationStatus }),
    });
  }
  const fs = sdk.FailoverState;
  return {
    id: sdk.GlobalClusterIdentifier ?? requestedId,
    status: sdk.Status ?? "unknown",
    members,
    ...(fs !== undefined && {
      failoverState: {
        // Present but without a status still means "something is in flight".
        status: fs.Status ?? "unknown",
        ...(fs.FromDbClusterArn !== undefined && { fromClusterArn: fs.FromDbClusterArn }),
        ...(fs.ToDbClusterArn !== undefined && { toClusterArn: fs.ToDbClusterArn }),
        ...(fs.IsDataLossAllowed !== undefined && { dataLossAllowed: fs.IsDataLossAllowed }),
      },
    }),
  };
}
