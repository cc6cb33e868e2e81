// Error shapes (reference/aws-apis.md "SDK v3 behaviour": "Exception name is
// the modeled error code. The standard retry mode makes 3 attempts and
// treats Throttling, ThrottlingException, PriorRequestNotComplete, ... as
// retryable"). The simulated world's errors are compared with what each
// client's own deserializer builds from a real HTTP error response.
import { Readable } from "node:stream";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeGlobalClustersCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetChangeCommand, Route53Client } from "@aws-sdk/client-route-53";
import { DescribeExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isRetryableAwsError } from "../../src/aws/index.js";
import { serverError, throttlingError } from "../../src/sim/errors.js";
import { SIM_CREDENTIALS, simDecorator } from "../../src/sim/middleware.js";
import type { ApiService } from "../../src/sim/types.js";
import { rdsClient, worldFrom } from "./helpers.js";

interface Wire {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function wireClient<C>(Ctor: new (cfg: object) => C, region: string, wire: Wire): C {
  return new Ctor({
    region,
    credentials: SIM_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({ response: { statusCode: wire.status, headers: { "x-amzn-requestid": "req-1", ...wire.headers }, body: Readable.from([Buffer.from(wire.body)]) } }),
    },
  });
}

const xml = (code: string, status: number): Wire => ({
  status,
  headers: { "content-type": "text/xml" },
  body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>Rate exceeded</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
});
const json = (type: string, status: number, queryCompat?: string): Wire => ({
  status,
  headers: { "content-type": "application/x-amz-json-1.0", ...(queryCompat && { "x-amzn-query-error": queryCompat }) },
  body: JSON.stringify({ __type: type, message: "Rate exceeded" }),
});

async function wireError(service: ApiService, wire: Wire): Promise<Error> {
  const call = (): Promise<unknown> => {
    switch (service) {
      case "rds":
        return wireClient(RDSClient, "us-east-1", wire).send(new DescribeGlobalClustersCommand({}));
      case "route53":
        return wireClient(Route53Client, "us-east-1", wire).send(new GetChangeCommand({ Id: "C1" }));
      case "dynamodb":
        return wireClient(DynamoDBClient, "us-east-1", wire).send(new DescribeTableCommand({ TableName: "t" }));
      case "cloudwatch":
        return wireClient(CloudWatchClient, "us-east-1", wire).send(new DescribeAlarmsCommand({}));
      case "sfn":
        return wireClient(SFNClient, "us-east-1", wire).send(new DescribeExecutionCommand({ executionArn: "arn:aws:states:us-east-1:1:execution:a:b" }));
    }
  };
  try {
    await call();
  } catch (err) {
    return err as Error;
  }
  throw new Error("the wire call did not fail");
}

const shape = (e: Error) => {
  const x = e as Error & { $fault?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  return { ctor: Object.getPrototypeOf(e) as object, name: x.name, fault: x.$fault, retryable: x.$retryable, status: x.$metadata?.httpStatusCode };
};

const THROTTLE_WIRE: Record<ApiService, Wire> = {
  rds: xml("Throttling", 400),
  route53: xml("Throttling", 400),
  dynamodb: json("com.amazonaws.dynamodb.v20120810#ThrottlingException", 400),
  cloudwatch: json("Throttling", 400, "Throttling;Sender"),
  sfn: json("ThrottlingException", 400),
};
const SERVER_WIRE: Record<ApiService, Wire> = {
  rds: xml("InternalFailure", 500),
  route53: xml("ServiceUnavailable", 503),
  dynamodb: json("com.amazonaws.dynamodb.v20120810#InternalServerError", 500),
  cloudwatch: json("InternalServiceFault", 500, "InternalServiceError;Receiver"),
  sfn: json("ServiceUnavailable", 503),
};

describe("error shapes match the SDK's deserializer (aws-apis.md: SDK v3 behaviour)", () => {
  afterEach(() => vi.useRealTimers());

  it.each(["rds", "route53", "dynamodb", "cloudwatch", "sfn"] as const)("%s throttling: same class, name, $fault, $retryable and status as off the wire; retryable for the adapters", async (service) => {
    const fromWire = await wireError(service, THROTTLE_WIRE[service]);
    const fromSim = throttlingError(service, "req-1");
    expect(shape(fromSim)).toEqual(shape(fromWire));
    expect(isRetryableAwsError(fromSim)).toBe(true);
  });

  it.each(["rds", "route53", "dynamodb", "sfn"] as const)("%s 5xx: same shape as off the wire, $fault server", async (service) => {
    const fromWire = await wireError(service, SERVER_WIRE[service]);
    const fromSim = serverError(service, "req-1");
    expect(shape(fromSim)).toEqual(shape(fromWire));
    expect(shape(fromSim).fault).toBe("server");
  });

  it('"The standard retry mode makes 3 attempts and treats Throttling ... as retryable": answered at finalizeRequest, the SDK retries a throttled call', async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const t = await worldFrom();
    t.world.core.startFault({ kind: "api-errors", service: "rds", error: "throttle", rate: 1, atMs: 0, index: 0 });
    const client = new RDSClient({ region: "us-west-2", credentials: SIM_CREDENTIALS, maxAttempts: 3 });
    simDecorator(t.world, "us-west-2", { answerAt: "finalizeRequest" })(client, "rds", "us-west-2");
    let error: unknown;
    let done = false;
    client.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: "orders-global" })).then(
      () => (done = true),
      (e: unknown) => ((error = e), (done = true)),
    );
    for (let i = 0; i < 100 && !done; i++) {
      await t.sched.runUntil(t.sched.now() + 1_000);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(error).toMatchObject({ name: "Throttling", $metadata: { attempts: 3 } });
    expect(t.world.core.awsCalls).toBe(3);
  });

  it("answered at initialize (the default), the SDK's retries do not run: one attempt, the caller decides", async () => {
    const t = await worldFrom();
    t.world.core.startFault({ kind: "api-errors", service: "rds", error: "throttle", rate: 1, atMs: 0, index: 0 });
    const client = rdsClient(t.world, "us-west-2");
    const p = client.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: "orders-global" })).catch((e: unknown) => e);
    await t.sched.runUntil(t.sched.now() + 1_000);
    expect(await p).toMatchObject({ name: "Throttling", $fault: "client" });
    expect(t.world.core.awsCalls).toBe(1);
  });
});
