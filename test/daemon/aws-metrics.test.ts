// The SDK hook behind failover_aws_call_*: a real SDK v3 client whose
// transport is replaced by a finalizeRequest middleware (no network).
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { RDSClient, FailoverGlobalClusterCommand } from "@aws-sdk/client-rds";
import type { FinalizeRequestMiddleware, MetadataBearer } from "@smithy/types";
import { afterEach, describe, expect, it } from "vitest";
import { DaemonMetrics, awsCallMetricsDecorator, awsErrorCode, composeDecorators, observeAwsCall, setAwsCallMetrics } from "../../src/daemon/index.js";

const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "not-a-secret" };

function answering(result: () => object): FinalizeRequestMiddleware<object, MetadataBearer> {
  return () => async () => ({ output: { $metadata: {}, ...result() }, response: { statusCode: 200, headers: {} } });
}

afterEach(() => {
  setAwsCallMetrics(undefined);
});

describe("awsCallMetricsDecorator", () => {
  it("records each call's duration under its IAM action and region, and failures with their code", async () => {
    const seen: [string, string, number, string | undefined][] = [];
    let clock = 0;
    const decorate = awsCallMetricsDecorator((call, region, ms, code) => seen.push([call, region, ms, code]), () => (clock += 25));

    const ddb = new DynamoDBClient({ region: "us-east-2", credentials, maxAttempts: 1 });
    decorate(ddb, "dynamodb", "us-east-2");
    ddb.middlewareStack.add(answering(() => ({ Item: {} })), { step: "finalizeRequest", name: "fakeTransport" });
    await ddb.send(new GetItemCommand({ TableName: "failover-control", Key: { pk: { S: "x" } } }));

    const rds = new RDSClient({ region: "us-west-2", credentials, maxAttempts: 1 });
    decorate(rds, "rds", "us-west-2");
    rds.middlewareStack.add(answering(() => {
      throw Object.assign(new Error("slow down"), { name: "ThrottlingException", $metadata: {} });
    }), { step: "finalizeRequest", name: "fakeTransport" });
    await expect(rds.send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: "g", TargetDbClusterIdentifier: "c" }))).rejects.toThrow("slow down");

    expect(seen).toEqual([
      ["dynamodb:GetItem", "us-east-2", 25, undefined],
      ["rds:FailoverGlobalCluster", "us-west-2", 25, "ThrottlingException"],
    ]);
  });

  it("feeds the daemon's metrics through observeAwsCall by default, and composes with other decorators", async () => {
    const metrics = new DaemonMetrics({ defaultMetrics: false });
    setAwsCallMetrics(metrics);
    const ddb = new DynamoDBClient({ region: "eu-west-1", credentials, maxAttempts: 1 });
    let other = 0;
    composeDecorators(awsCallMetricsDecorator(), () => void other++, undefined)(ddb, "dynamodb", "eu-west-1");
    ddb.middlewareStack.add(answering(() => ({})), { step: "finalizeRequest", name: "fakeTransport" });
    await ddb.send(new GetItemCommand({ TableName: "t", Key: { pk: { S: "x" } } }));
    expect(other).toBe(1);
    const text = await metrics.registry.metrics();
    expect(text).toContain('failover_aws_call_duration_seconds_count{call="dynamodb:GetItem",region="eu-west-1"} 1\n');

    setAwsCallMetrics(undefined);
    observeAwsCall("dynamodb:GetItem", "eu-west-1", 5, "X"); // no sink: a no-op
    expect(await metrics.registry.metrics()).not.toContain("failover_aws_call_errors_total{");
  });

  it("names error codes from the SDK's error name, else the socket code", () => {
    expect(awsErrorCode(Object.assign(new Error("x"), { name: "ResourceNotFoundException" }))).toBe("ResourceNotFoundException");
    expect(awsErrorCode(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe("ECONNRESET");
    expect(awsErrorCode("weird")).toBe("Unknown");
  });
});
