// The Aurora failover request as it leaves the SDK: serialized, signed,
// addressed. No network: the request is captured at finalizeRequest (after
// signing) or by a request handler, and a canned answer is returned.
import { RDSClient } from "@aws-sdk/client-rds";
import type { HttpRequest, MetadataBearer } from "@smithy/types";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createAuroraAdapter } from "../../src/aws/aurora.js";
import { createAwsAdapters, type DecoratableClient } from "../../src/aws/clients.js";
import { CREDENTIALS, USE1_ARN, USW2_ARN, rejectsAwsCall } from "./fixtures.js";

const GLOBAL = "orders-global";

function bodyParams(req: HttpRequest): URLSearchParams {
  const body = req.body as unknown;
  const text = typeof body === "string" ? body : body instanceof Uint8Array ? Buffer.from(body).toString("utf8") : "";
  return new URLSearchParams(text);
}

describe("Aurora failover on the wire", () => {
  it("is a signed POST to rds.<target-region>.amazonaws.com with AllowDataLoss=true and the target ARN (finalizeRequest capture)", async () => {
    const captured: { service: string; region: string; request: HttpRequest }[] = [];
    const decorate = (client: DecoratableClient, service: string, region: string) => {
      client.middlewareStack.add(
        () => (args) => {
          captured.push({ service, region, request: args.request as HttpRequest });
          const output: MetadataBearer & Record<string, unknown> = {
            $metadata: { httpStatusCode: 200 },
            GlobalCluster: { GlobalClusterIdentifier: GLOBAL, Status: "failing-over", GlobalClusterMembers: [{ DBClusterArn: USW2_ARN, IsWriter: false }] },
          };
          return Promise.resolve({ response: { statusCode: 200, headers: {} }, output });
        },
        { step: "finalizeRequest", priority: "low", name: "captureRequest" },
      );
    };
    const aws = createAwsAdapters({ credentials: CREDENTIALS, decorate, env: {} });
    const state = await aws.region("us-west-2").aurora.failoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2_ARN });
    expect(state.status).toBe("failing-over");

    expect(captured).toHaveLength(1);
    const { region, request } = captured[0]!;
    expect(region).toBe("us-west-2");
    expect(request.method).toBe("POST");
    expect(request.protocol).toBe("https:");
    expect(request.hostname).toBe("rds.us-west-2.amazonaws.com");
    expect(request.headers.authorization).toMatch(/Credential=AKIDTEST\/\d{8}\/us-west-2\/rds\/aws4_request/);
    const params = bodyParams(request);
    expect(params.get("Action")).toBe("FailoverGlobalCluster");
    expect(params.get("AllowDataLoss")).toBe("true");
    expect(params.get("TargetDbClusterIdentifier")).toBe(USW2_ARN);
    expect(params.get("GlobalClusterIdentifier")).toBe(GLOBAL);
    expect(params.has("Switchover")).toBe(false);

    // The same call on the primary's adapter never reaches the wire.
    await rejectsAwsCall(aws.region("us-east-1").aurora.failoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2_ARN }));
    expect(captured).toHaveLength(1);
    aws.destroy();
  });

  it("round-trips through the SDK's serializer and XML deserializer (custom request handler)", async () => {
    let captured: HttpRequest | undefined;
    const xml = `<FailoverGlobalClusterResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><FailoverGlobalClusterResult><GlobalCluster>
      <GlobalClusterIdentifier>${GLOBAL}</GlobalClusterIdentifier><Status>failing-over</Status>
      <GlobalClusterMembers>
        <GlobalClusterMember><DBClusterArn>${USE1_ARN}</DBClusterArn><IsWriter>true</IsWriter></GlobalClusterMember>
        <GlobalClusterMember><DBClusterArn>${USW2_ARN}</DBClusterArn><IsWriter>false</IsWriter><SynchronizationStatus>connected</SynchronizationStatus></GlobalClusterMember>
      </GlobalClusterMembers>
      <FailoverState><Status>failing-over</Status><FromDbClusterArn>${USE1_ARN}</FromDbClusterArn><ToDbClusterArn>${USW2_ARN}</ToDbClusterArn><IsDataLossAllowed>true</IsDataLossAllowed></FailoverState>
      </GlobalCluster></FailoverGlobalClusterResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></FailoverGlobalClusterResponse>`;
    const requestHandler = {
      handle: (request: HttpRequest) => {
        captured = request;
        return Promise.resolve({ response: { statusCode: 200, headers: { "content-type": "text/xml" }, body: Readable.from([Buffer.from(xml)]) } });
      },
    };
    const client = new RDSClient({ region: "us-west-2", credentials: CREDENTIALS, requestHandler });
    const state = await createAuroraAdapter(client, "us-west-2").failoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2_ARN });

    expect(captured?.hostname).toBe("rds.us-west-2.amazonaws.com");
    expect(captured?.method).toBe("POST");
    expect(Object.fromEntries(bodyParams(captured!))).toEqual({
      Action: "FailoverGlobalCluster",
      Version: "2014-10-31",
      GlobalClusterIdentifier: GLOBAL,
      TargetDbClusterIdentifier: USW2_ARN,
      AllowDataLoss: "true",
    });
    expect(state).toEqual({
      id: GLOBAL,
      status: "failing-over",
      members: [
        { clusterArn: USE1_ARN, region: "us-east-1", isWriter: true },
        { clusterArn: USW2_ARN, region: "us-west-2", isWriter: false, synchronizationStatus: "connected" },
      ],
      failoverState: { status: "failing-over", fromClusterArn: USE1_ARN, toClusterArn: USW2_ARN, dataLossAllowed: true },
    });
    client.destroy();
  });
});
