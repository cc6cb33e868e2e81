import { describe, expect, it } from "vitest";
import { awsCall, isRetryableAwsError } from "../../src/aws/call.js";
import { AwsCallError } from "../../src/core/index.js";
import { rejectsAwsCall, serviceError } from "./fixtures.js";

describe("awsCall error wrapping", () => {
  it("names the call, the region and the service code in the message", async () => {
    const err = await rejectsAwsCall(awsCall("rds:FailoverGlobalCluster", "us-west-2", () => Promise.reject(serviceError("InvalidDBClusterStateFault", { fault: "client", status: 400, message: "cluster busy" }))));
    expect(err).toMatchObject({ call: "rds:FailoverGlobalCluster", region: "us-west-2", code: "InvalidDBClusterStateFault", retryable: false });
    expect(err.message).toBe("rds:FailoverGlobalCluster in us-west-2 failed: InvalidDBClusterStateFault: cluster busy");
    expect(err.cause).toBeInstanceOf(Error);
  });

  it("classifies retryable failures", () => {
    const cases: [unknown, boolean][] = [
      [serviceError("Throttling", { status: 400 }), true],
      [serviceError("ThrottlingException"), true],
      [serviceError("PriorRequestNotComplete", { status: 400 }), true],
      [serviceError("TooManyRequestsException"), true],
      [serviceError("InternalFailure", { fault: "server" }), true],
      [serviceError("SomethingNew", { status: 503 }), true],
      [serviceError("SomethingElse", { status: 429 }), true],
      [Object.assign(serviceError("AnyName"), { $retryable: { throttling: false } }), true],
      [Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), true],
      [Object.assign(new Error("timed out"), { name: "TimeoutError" }), true],
      [serviceError("ValidationException", { fault: "client", status: 400 }), false],
      [serviceError("AccessDeniedException", { fault: "client", status: 403 }), false],
      [serviceError("ConditionalCheckFailedException", { fault: "client", status: 400 }), false],
      ["a string", false],
      [undefined, false],
    ];
    for (const [err, retryable] of cases) expect(isRetryableAwsError(err), String((err as Error)?.name ?? err)).toBe(retryable);
  });

  it("wraps non-Error throws without a code, and passes an AwsCallError through unchanged", async () => {
    const plain = await rejectsAwsCall(awsCall("dynamodb:GetItem", "us-east-2", () => Promise.reject(new Error("boom"))));
    expect(plain.code).toBeUndefined();
    const throwsString = async (): Promise<object> => {
      await Promise.resolve();
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- exactly the case under test
      throw "nope";
    };
    const str = await rejectsAwsCall(awsCall("dynamodb:GetItem", "us-east-2", throwsString));
    expect(str.message).toBe("dynamodb:GetItem in us-east-2 failed: nope");
    const inner = new AwsCallError({ call: "rds:DescribeDBClusters", region: "eu-west-1", retryable: true, cause: "x" });
    await expect(awsCall("dynamodb:GetItem", "us-east-2", () => Promise.reject(inner))).rejects.toBe(inner);
  });

  it("refuses a nullish SDK output", async () => {
    const err = await rejectsAwsCall(awsCall("states:StartExecution", "us-west-2", () => Promise.resolve(undefined as unknown as object)));
    expect(err).toMatchObject({ code: "InvalidResponse", retryable: false });
  });
});
