import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createCloudWatchAdapter } from "../../src/aws/cloudwatch.js";
import type { MetricQuery } from "../../src/aws/ports.js";
import { CREDENTIALS, rejectsAwsCall } from "./fixtures.js";

const mock = mockClient(CloudWatchClient);
const adapter = createCloudWatchAdapter(new CloudWatchClient({ region: "us-west-2", credentials: CREDENTIALS }), "us-west-2");

const lagQuery: MetricQuery = {
  id: "lag_usw2",
  namespace: "AWS/RDS",
  metricName: "AuroraGlobalDBRPOLag",
  dimensions: { DBClusterIdentifier: "orders-usw2" },
  periodSeconds: 60,
  stat: "Maximum",
};

beforeEach(() => mock.reset());

describe("CloudWatch adapter", () => {
  it("batches a cycle's queries in one GetMetricData and merges pages", async () => {
    mock
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [{ Id: "lag_usw2", Timestamps: [new Date(120_000)], Values: [800], StatusCode: "PartialData" }],
        NextToken: "t1",
      })
      .resolvesOnce({ MetricDataResults: [{ Id: "lag_usw2", Timestamps: [new Date(60_000)], Values: [400], StatusCode: "Complete" }] });
    const other: MetricQuery = { ...lagQuery, id: "other", dimensions: {} };
    const results = await adapter.getMetricData({ queries: [lagQuery, other], startMs: 0, endMs: 180_000 });
    expect(results).toEqual([
      { id: "lag_usw2", timestampsMs: [120_000, 60_000], values: [800, 400], status: "Complete" },
      { id: "other", timestampsMs: [], values: [], status: "Missing" },
    ]);
    const inputs = mock.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    const queries = [
      {
        Id: "lag_usw2",
        MetricStat: {
          Metric: { Namespace: "AWS/RDS", MetricName: "AuroraGlobalDBRPOLag", Dimensions: [{ Name: "DBClusterIdentifier", Value: "orders-usw2" }] },
          Period: 60,
          Stat: "Maximum",
        },
        ReturnData: true,
      },
      { Id: "other", MetricStat: { Metric: { Namespace: "AWS/RDS", MetricName: "AuroraGlobalDBRPOLag", Dimensions: [] }, Period: 60, Stat: "Maximum" }, ReturnData: true },
    ];
    const base = { MetricDataQueries: queries, StartTime: new Date(0), EndTime: new Date(180_000), ScanBy: "TimestampDescending" };
    expect(inputs).toStrictEqual([base, { ...base, NextToken: "t1" }]);
  });

  it("makes no call for no queries, and refuses values without matching timestamps", async () => {
    await expect(adapter.getMetricData({ queries: [], startMs: 0, endMs: 1 })).resolves.toEqual([]);
    expect(mock.calls()).toHaveLength(0);
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "lag_usw2", Values: [1, 2] }] });
    const err = await rejectsAwsCall(adapter.getMetricData({ queries: [lagQuery], startMs: 0, endMs: 1 }));
    expect(err).toMatchObject({ call: "cloudwatch:GetMetricData", region: "us-west-2", retryable: false });
    expect(err.message).toMatch(/0 timestamps but 2 values/);
  });

  it("treats missing result fields as empty", async () => {
    mock.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "lag_usw2" }, {}] });
    await expect(adapter.getMetricData({ queries: [lagQuery], startMs: 0, endMs: 1 })).resolves.toEqual([
      { id: "lag_usw2", timestampsMs: [], values: [], status: "Unknown" },
    ]);
  });

  it("describes alarms by name, 100 names per call, unknown state as INSUFFICIENT_DATA", async () => {
    mock
      .on(DescribeAlarmsCommand)
      .resolvesOnce({
        MetricAlarms: [
          { AlarmName: "orders-5xx-us-west-2", StateValue: "ALARM", StateUpdatedTimestamp: new Date(5_000) },
          { AlarmName: "orders-x" },
          {},
        ],
        CompositeAlarms: [{ AlarmName: "orders-composite", StateValue: "OK" }],
      })
      .resolvesOnce({});
    const names = Array.from({ length: 101 }, (_, i) => `a${i}`);
    await expect(adapter.describeAlarms(names)).resolves.toEqual([
      { name: "orders-5xx-us-west-2", state: "ALARM", updatedMs: 5_000 },
      { name: "orders-x", state: "INSUFFICIENT_DATA" },
      { name: "orders-composite", state: "OK" },
    ]);
    expect(mock.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input)).toStrictEqual([
      { AlarmNames: names.slice(0, 100), AlarmTypes: ["MetricAlarm", "CompositeAlarm"] },
      { AlarmNames: ["a100"], AlarmTypes: ["MetricAlarm", "CompositeAlarm"] },
    ]);
  });

  it("publishes metric data with the exact shape", async () => {
    mock.on(PutMetricDataCommand).resolves({});
    await adapter.putMetricData({
      namespace: "Failover/orders",
      data: [{ metricName: "RegionInService", dimensions: { Region: "us-east-1" }, value: 0, timestampMs: 42_000, unit: "None" }],
    });
    expect(mock.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toStrictEqual({
      Namespace: "Failover/orders",
      MetricData: [{ MetricName: "RegionInService", Dimensions: [{ Name: "Region", Value: "us-east-1" }], Value: 0, Timestamp: new Date(42_000), Unit: "None" }],
    });
  });
});
