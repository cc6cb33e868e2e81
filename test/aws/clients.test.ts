import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { HttpRequest, MetadataBearer } from "@smithy/types";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAwsAdapters, endpointFromEnv, type AwsClientOptions, type AwsServiceName, type DecoratableClient } from "../../src/aws/clients.js";
import { CREDENTIALS, rejectsAwsCall } from "./fixtures.js";

interface Sent {
  service: AwsServiceName;
  region: string;
  url: string;
}

/** Adapters whose every request is captured after signing and answered from `outputs` (no network). */
function capturing(opts: AwsClientOptions = {}, outputs: Partial<Record<AwsServiceName, Record<string, unknown>>> = {}) {
  const sent: Sent[] = [];
  const decorated: { service: AwsServiceName; region: string; client: DecoratableClient }[] = [];
  const aws = createAwsAdapters({
    credentials: CREDENTIALS,
    ...opts,
    decorate: (client, service, region) => {
      decorated.push({ service, region, client });
      client.middlewareStack.add(
        () => (args) => {
          const r = args.request as HttpRequest;
          sent.push({ service, region, url: `${r.protocol}//${r.hostname}${r.port ? `:${r.port}` : ""}${r.path}` });
          const output: MetadataBearer = { $metadata: { httpStatusCode: 200 }, ...outputs[service] };
          return Promise.resolve({ response: { statusCode: 200, headers: {} }, output });
        },
        { step: "finalizeRequest", priority: "low", name: "capture" },
      );
    },
  });
  return { aws, sent, decorated };
}

const GET = { tableName: "t", key: { pk: { S: "k" } }, consistentRead: true };

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("client factory", () => {
  it("builds one decorated client per service and region, and Route 53 always in us-east-1", async () => {
    const { aws, sent, decorated } = capturing({ env: {} }, { route53: { ChangeInfo: { Id: "/change/C1", Status: "INSYNC", SubmittedAt: new Date(0) } } });
    expect(aws.route53.region).toBe("us-east-1");
    const west = aws.region("us-west-2");
    expect(aws.region("us-west-2")).toBe(west);
    aws.region("us-east-2");
    expect(decorated.map((d) => `${d.service}@${d.region}`).sort()).toEqual([
      "cloudwatch@us-east-2",
      "cloudwatch@us-west-2",
      "dynamodb@us-east-2",
      "dynamodb@us-west-2",
      "rds@us-east-2",
      "rds@us-west-2",
      "route53@us-east-1",
      "sfn@us-east-2",
      "sfn@us-west-2",
      "sns@us-east-2",
      "sns@us-west-2",
    ]);
    await aws.route53.getChange("C1");
    expect(sent).toEqual([{ service: "route53", region: "us-east-1", url: "https://route53.amazonaws.com/2013-04-01/change/C1" }]);
    aws.destroy();
  });

  it("passes retry attempts and mode to the clients", async () => {
    const { aws, decorated } = capturing({ env: {}, maxAttempts: 5, retryMode: "adaptive" });
    aws.region("us-west-2");
    const ddb = decorated.find((d) => d.service === "dynamodb")!.client as unknown as DynamoDBClient;
    await expect(ddb.config.maxAttempts()).resolves.toBe(5);
    const strategy = (await ddb.config.retryStrategy()) as { mode?: string };
    expect(strategy.mode).toBe("adaptive");
    aws.destroy();
  });

  it("lets the SDK retry a transient error up to maxAttempts, then reports it retryable", async () => {
    let attempts = 0;
    const aws = createAwsAdapters({
      credentials: CREDENTIALS,
      env: {},
      maxAttempts: 2,
      decorate: (client) =>
        client.middlewareStack.add(
          () => () => {
            attempts++;
            const err = Object.assign(new Error("try later"), { name: "ServiceUnavailable", $fault: "server", $metadata: { httpStatusCode: 503 } });
            return Promise.reject(err);
          },
          { step: "finalizeRequest", priority: "low", name: "unavailable" },
        ),
    });
    const err = await rejectsAwsCall(aws.region("us-west-2").dynamodb.getItem(GET));
    expect(attempts).toBe(2);
    expect(err).toMatchObject({ call: "dynamodb:GetItem", region: "us-west-2", retryable: true, code: "ServiceUnavailable" });
    aws.destroy();
  });
});

describe("endpoints from the environment", () => {
  it("the SDK itself honours AWS_ENDPOINT_URL_DYNAMODB from process.env (no env option)", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:4566");
    vi.stubEnv("AWS_ENDPOINT_URL", "");
    const { aws, sent } = capturing({}, { rds: { DBClusters: [{ Status: "available" }] } });
    const west = aws.region("us-west-2");
    await west.dynamodb.getItem(GET);
    await west.aurora.describeDbClusterStatus("arn:aws:rds:us-west-2:111122223333:cluster:c");
    expect(sent.map((s) => s.url)).toEqual(["http://127.0.0.1:4566/", "https://rds.us-west-2.amazonaws.com/"]);
    aws.destroy();
  });

  it("the SDK itself honours AWS_ENDPOINT_URL for every service, per-service variables first", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
    vi.stubEnv("AWS_ENDPOINT_URL_ROUTE_53", "http://127.0.0.1:5353");
    const { aws, sent } = capturing({}, { route53: { ChangeInfo: { Id: "C1", Status: "PENDING", SubmittedAt: new Date(0) } } });
    await aws.region("eu-west-1").dynamodb.getItem(GET);
    await aws.route53.getChange("C1");
    expect(sent.map((s) => s.url)).toEqual(["http://127.0.0.1:4566/", "http://127.0.0.1:5353/2013-04-01/change/C1"]);
    aws.destroy();
  });

  it("an injected env is the only source: process.env is ignored", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    const { aws, sent } = capturing({ env: { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:4567" } }, { rds: { DBClusters: [{ Status: "available" }] } });
    const west = aws.region("us-west-2");
    await west.dynamodb.getItem(GET);
    await west.aurora.describeDbClusterStatus("arn:aws:rds:us-west-2:111122223333:cluster:c");
    expect(sent.map((s) => s.url)).toEqual(["http://127.0.0.1:4567/", "https://rds.us-west-2.amazonaws.com/"]);
    aws.destroy();
  });

  it("derives variable names from the SDK's service ids", () => {
    const env = { AWS_ENDPOINT_URL_ROUTE_53: "http://r53", AWS_ENDPOINT_URL_SFN: "http://sfn", AWS_ENDPOINT_URL: "http://all" };
    expect(endpointFromEnv(env, "route53")).toBe("http://r53");
    expect(endpointFromEnv(env, "sfn")).toBe("http://sfn");
    expect(endpointFromEnv(env, "cloudwatch")).toBe("http://all");
    expect(endpointFromEnv({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }, "sfn")).toBeUndefined();
    expect(endpointFromEnv({}, "rds")).toBeUndefined();
  });
});

describe("request timeout", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("a silent endpoint fails the call as a retryable AwsCallError", async () => {
    // Accepts the connection and never answers.
    server = createServer(() => undefined);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const aws = createAwsAdapters({
      credentials: CREDENTIALS,
      env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` },
      maxAttempts: 1,
      requestTimeoutMs: 200,
    });
    const err = await rejectsAwsCall(aws.region("us-west-2").dynamodb.getItem(GET));
    expect(err).toMatchObject({ call: "dynamodb:GetItem", region: "us-west-2", retryable: true });
    expect(err.code).toMatch(/Timeout/);
    aws.destroy();
  });
});
