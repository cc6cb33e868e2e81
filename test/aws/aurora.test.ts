import {
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  InvalidGlobalClusterStateFault,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createAuroraAdapter } from "../../src/aws/aurora.js";
import { CREDENTIALS, USE1_ARN, USW2_ARN, rejectsAwsCall, serviceError } from "./fixtures.js";

const mock = mockClient(RDSClient);
const clientIn = (region: string) => new RDSClient({ region, credentials: CREDENTIALS });
const use1 = createAuroraAdapter(clientIn("us-east-1"), "us-east-1");
const usw2 = createAuroraAdapter(clientIn("us-west-2"), "us-west-2");
const GLOBAL = "orders-global";

const healthy = {
  GlobalClusterIdentifier: GLOBAL,
  Status: "available",
  GlobalClusterMembers: [
    { DBClusterArn: USE1_ARN, IsWriter: true, Readers: [USW2_ARN] },
    { DBClusterArn: USW2_ARN, IsWriter: false, SynchronizationStatus: "connected" as const },
  ],
};

beforeEach(() => mock.reset());

describe("Aurora adapter: reading the global cluster", () => {
  it("parses members, their regions from the ARNs, and the writer", async () => {
    mock.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [healthy] });
    await expect(use1.describeGlobalCluster(GLOBAL)).resolves.toEqual({
      id: GLOBAL,
      status: "available",
      members: [
        { clusterArn: USE1_ARN, region: "us-east-1", isWriter: true },
        { clusterArn: USW2_ARN, region: "us-west-2", isWriter: false, synchronizationStatus: "connected" },
      ],
    });
    expect(mock.commandCalls(DescribeGlobalClustersCommand)[0]!.args[0].input).toStrictEqual({ GlobalClusterIdentifier: GLOBAL });
  });

  it("follows Marker pagination", async () => {
    mock
      .on(DescribeGlobalClustersCommand)
      .resolvesOnce({ GlobalClusters: [], Marker: "m1" })
      .resolvesOnce({ GlobalClusters: [{ ...healthy, FailoverState: { Status: "failing-over", FromDbClusterArn: USE1_ARN, ToDbClusterArn: USW2_ARN, IsDataLossAllowed: true } }] });
    const state = await use1.describeGlobalCluster(GLOBAL);
    expect(state.failoverState).toEqual({ status: "failing-over", fromClusterArn: USE1_ARN, toClusterArn: USW2_ARN, dataLossAllowed: true });
    expect(mock.commandCalls(DescribeGlobalClustersCommand).map((c) => c.args[0].input)).toStrictEqual([
      { GlobalClusterIdentifier: GLOBAL },
      { GlobalClusterIdentifier: GLOBAL, Marker: "m1" },
    ]);
  });

  it("reports an empty answer as GlobalClusterNotFoundFault, not a TypeError", async () => {
    mock.on(DescribeGlobalClustersCommand).resolves({});
    const err = await rejectsAwsCall(use1.describeGlobalCluster(GLOBAL));
    expect(err).toMatchObject({ call: "rds:DescribeGlobalClusters", region: "us-east-1", retryable: false, code: "GlobalClusterNotFoundFault" });
  });

  it("treats missing member fields as unknown, and a member ARN without a region as an error", async () => {
    mock.on(DescribeGlobalClustersCommand).resolvesOnce({
      GlobalClusters: [{ GlobalClusterIdentifier: GLOBAL, GlobalClusterMembers: [{}, { DBClusterArn: USW2_ARN }], FailoverState: {} }],
    });
    await expect(use1.describeGlobalCluster(GLOBAL)).resolves.toEqual({
      id: GLOBAL,
      status: "unknown",
      members: [{ clusterArn: USW2_ARN, region: "us-west-2", isWriter: false }],
      failoverState: { status: "unknown" },
    });
    mock.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [{ GlobalClusterIdentifier: GLOBAL, GlobalClusterMembers: [{ DBClusterArn: "orders-usw2" }] }] });
    expect((await rejectsAwsCall(use1.describeGlobalCluster(GLOBAL))).message).toMatch(/has no region/);
  });

  it("reads a member cluster's status", async () => {
    mock.on(DescribeDBClustersCommand).resolvesOnce({ DBClusters: [{ DBClusterArn: USW2_ARN, Status: "promoting" }] }).resolvesOnce({ DBClusters: [{}] }).resolvesOnce({});
    await expect(usw2.describeDbClusterStatus(USW2_ARN)).resolves.toBe("promoting");
    expect(mock.commandCalls(DescribeDBClustersCommand)[0]!.args[0].input).toStrictEqual({ DBClusterIdentifier: USW2_ARN });
    await expect(usw2.describeDbClusterStatus(USW2_ARN)).resolves.toBe("unknown");
    expect(await rejectsAwsCall(usw2.describeDbClusterStatus(USW2_ARN))).toMatchObject({ code: "DBClusterNotFoundFault", retryable: false });
  });
});

describe("Aurora adapter: promotions", () => {
  it("sends FailoverGlobalCluster with AllowDataLoss: true and the target ARN, in the target region", async () => {
    mock.on(FailoverGlobalClusterCommand).resolves({ GlobalCluster: { ...healthy, Status: "failing-over" } });
    const state = await usw2.failoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2_ARN });
    expect(state.status).toBe("failing-over");
    const calls = mock.commandCalls(FailoverGlobalClusterCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toStrictEqual({ GlobalClusterIdentifier: GLOBAL, TargetDbClusterIdentifier: USW2_ARN, AllowDataLoss: true });
    expect(await (calls[0]!.thisValue as RDSClient).config.region()).toBe("us-west-2");
  });

  it("refuses an unplanned failover sent through another region's adapter, before any request", async () => {
    const err = await rejectsAwsCall(use1.failoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2_ARN }));
    expect(err).toMatchObject({ call: "rds:FailoverGlobalCluster", region: "us-east-1", retryable: false, code: "WrongRegion" });
    expect(err.message).toMatch(/is in us-west-2: an unplanned failover must be sent to the target region's endpoint, not us-east-1/);
    const notArn = await rejectsAwsCall(usw2.failoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: "orders-usw2" }));
    expect(notArn.message).toMatch(/not a regional cluster ARN/);
    expect(mock.calls()).toHaveLength(0);
  });

  it("reads the cluster when the failover response omits it", async () => {
    mock.on(FailoverGlobalClusterCommand).resolves({});
    mock.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [healthy] });
    await expect(usw2.failoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2_ARN })).resolves.toMatchObject({ id: GLOBAL });
    expect(mock.commandCalls(DescribeGlobalClustersCommand)).toHaveLength(1);
  });

  it("sends SwitchoverGlobalCluster (no data-loss flag) through the primary's adapter", async () => {
    mock.on(SwitchoverGlobalClusterCommand).resolves({ GlobalCluster: { ...healthy, Status: "switching-over" } });
    await expect(use1.switchoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2_ARN })).resolves.toMatchObject({ status: "switching-over" });
    expect(mock.commandCalls(SwitchoverGlobalClusterCommand)[0]!.args[0].input).toStrictEqual({
      GlobalClusterIdentifier: GLOBAL,
      TargetDbClusterIdentifier: USW2_ARN,
    });
  });

  it("refuses a switchover sent through the target's own region", async () => {
    const err = await rejectsAwsCall(usw2.switchoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2_ARN }));
    expect(err).toMatchObject({ call: "rds:SwitchoverGlobalCluster", region: "us-west-2", code: "WrongRegion", retryable: false });
    expect(mock.calls()).toHaveLength(0);
  });

  it("wraps service faults with their code; a 5xx is retryable", async () => {
    mock.on(FailoverGlobalClusterCommand).rejectsOnce(
      new InvalidGlobalClusterStateFault({ message: "is not in a valid state", $metadata: { httpStatusCode: 400 } }),
    );
    const invalid = await rejectsAwsCall(usw2.failoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2_ARN }));
    expect(invalid).toMatchObject({ call: "rds:FailoverGlobalCluster", region: "us-west-2", retryable: false, code: "InvalidGlobalClusterStateFault" });

    mock.on(DescribeGlobalClustersCommand).rejects(serviceError("InternalFailure", { fault: "server", status: 500 }));
    const internal = await rejectsAwsCall(usw2.describeGlobalCluster(GLOBAL));
    expect(internal).toMatchObject({ call: "rds:DescribeGlobalClusters", region: "us-west-2", retryable: true, code: "InternalFailure" });
  });
});
