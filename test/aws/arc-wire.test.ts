// The ARC flip as it leaves the SDK from the client factory: addressed to the
// cluster's own endpoint URL (not the service's default regional endpoint),
// signed for that endpoint's region, one JSON request carrying both entries.
// No network: the request is captured after signing and answered in place.
import type { HttpRequest, MetadataBearer } from "@smithy/types";
import { describe, expect, it } from "vitest";
import { shuffledEndpoints } from "../../src/aws/arc.js";
import { createAwsAdapters, type DecoratableClient } from "../../src/aws/clients.js";
import { SeededRandom } from "../../src/core/index.js";
import { CREDENTIALS } from "./fixtures.js";

const ENDPOINTS = ["us-east-1", "us-west-2", "eu-west-1"].map((region) => ({ region, endpoint: `https://host-abc.${region}.arc.example.com/v1` }));
const ON = "arn:aws:route53-recovery-control::111122223333:controlpanel/p/routingcontrol/usw2";
const OFF = "arn:aws:route53-recovery-control::111122223333:controlpanel/p/routingcontrol/use1";

function capture(failRegions: readonly string[]) {
  const captured: { service: string; region: string; request: HttpRequest }[] = [];
  const decorate = (client: DecoratableClient, service: string, region: string) => {
    client.middlewareStack.add(
      () => (args) => {
        captured.push({ service, region, request: args.request as HttpRequest });
        if (failRegions.includes(region)) return Promise.reject(Object.assign(new Error("connect ETIMEDOUT"), { name: "TimeoutError" }));
        const output: MetadataBearer = { $metadata: { httpStatusCode: 200 } };
        return Promise.resolve({ response: { statusCode: 200, headers: {} }, output });
      },
      { step: "finalizeRequest", priority: "low", name: "captureRequest" },
    );
  };
  return { captured, aws: createAwsAdapters({ credentials: CREDENTIALS, decorate, env: {}, maxAttempts: 1, random: new SeededRandom(9) }) };
}

describe("ARC flip on the wire", () => {
  it("goes to the cluster endpoint's own host and path, signed for its region, both entries in one body", async () => {
    const { captured, aws } = capture([]);
    const out = await aws.routingControl!(ENDPOINTS).updateRoutingControlStates({ entries: [{ arn: ON, state: "On" }, { arn: OFF, state: "Off" }] });
    expect(captured).toHaveLength(1);
    const { service, region, request } = captured[0]!;
    expect(service).toBe("route53-recovery-cluster");
    expect(region).toBe(out.endpointRegion);
    expect(request.hostname).toBe(`host-abc.${region}.arc.example.com`);
    expect(request.path).toBe("/v1/");
    expect(request.headers["x-amz-target"]).toBe("ToggleCustomerAPI.UpdateRoutingControlStates");
    expect(request.headers.authorization).toMatch(new RegExp(`Credential=AKIDTEST/\\d{8}/${region}/route53-recovery-cluster/aws4_request`));
    expect(JSON.parse(String(request.body))).toEqual({
      UpdateRoutingControlStateEntries: [
        { RoutingControlArn: ON, RoutingControlState: "On" },
        { RoutingControlArn: OFF, RoutingControlState: "Off" },
      ],
    });
    aws.destroy();
  });

  it("after a timed-out endpoint, the next request goes to another endpoint's host", async () => {
    // The factory's first draw from SeededRandom(9) orders the endpoints as shuffledEndpoints does.
    const first = shuffledEndpoints(ENDPOINTS, new SeededRandom(9))[0]!.region;
    const { captured, aws } = capture([first]);
    await expect(aws.routingControl!(ENDPOINTS).updateRoutingControlStates({ entries: [{ arn: ON, state: "On" }] })).resolves.toMatchObject({ endpointRegion: expect.not.stringMatching(first) });
    expect(captured.map((c) => c.request.hostname)).toHaveLength(2);
    expect(captured[0]!.request.hostname).toBe(`host-abc.${first}.arc.example.com`);
    expect(captured[1]!.request.hostname).not.toBe(captured[0]!.request.hostname);
    aws.destroy();
  });
});
