// The ARC routing-control adapter: one UpdateRoutingControlStates call for
// the whole flip, SafetyRulesToOverride only when asked, and the cluster's
// endpoints tried in turn in a seeded random order, moving on only when
// another endpoint could answer differently.
import {
  ConflictException,
  EndpointTemporarilyUnavailableException,
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
} from "@aws-sdk/client-route53-recovery-cluster";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createRoutingControlAdapter, shuffledEndpoints } from "../../src/aws/arc.js";
import type { ArcEndpoint } from "../../src/aws/index.js";
import { SeededRandom } from "../../src/core/index.js";
import { CREDENTIALS, rejectsAwsCall, serviceError } from "./fixtures.js";

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-2"];
const ENDPOINTS: ArcEndpoint[] = REGIONS.map((region) => ({ region, endpoint: `https://host-a.${region}.example.com/v1` }));
const ON = "arn:aws:route53-recovery-control::111122223333:controlpanel/p/routingcontrol/usw2";
const OFF = "arn:aws:route53-recovery-control::111122223333:controlpanel/p/routingcontrol/use1";
const META = { $metadata: {} };

/** One client (and one stub) per endpoint, so a test sees which endpoint got which call. */
const clients = new Map(ENDPOINTS.map((e) => [e.region, new Route53RecoveryClusterClient({ region: e.region, endpoint: e.endpoint, credentials: CREDENTIALS })]));
const stubs = new Map<string, AwsClientStub<Route53RecoveryClusterClient>>([...clients].map(([r, c]) => [r, mockClient(c)]));
const stub = (region: string) => stubs.get(region)!;
const adapter = (seed = 1) => createRoutingControlAdapter(ENDPOINTS, (e) => clients.get(e.region)!, new SeededRandom(seed));
/** Regions whose endpoint received a call. */
const called = () => [...stubs].filter(([, s]) => s.calls().length > 0).map(([r]) => r);

beforeEach(() => {
  for (const s of stubs.values()) {
    s.reset();
    s.on(UpdateRoutingControlStatesCommand).resolves({});
    s.on(GetRoutingControlStateCommand).resolves({ RoutingControlArn: ON, RoutingControlState: "On" });
  }
});

describe("ARC routing-control adapter", () => {
  it("flips target On and old Off in ONE call, without SafetyRulesToOverride unless asked", async () => {
    const out = await adapter().updateRoutingControlStates({ entries: [{ arn: ON, state: "On" }, { arn: OFF, state: "Off" }] });
    const calls = [...stubs.values()].flatMap((s) => s.commandCalls(UpdateRoutingControlStatesCommand));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toStrictEqual({
      UpdateRoutingControlStateEntries: [
        { RoutingControlArn: ON, RoutingControlState: "On" },
        { RoutingControlArn: OFF, RoutingControlState: "Off" },
      ],
    });
    expect(REGIONS).toContain(out.endpointRegion);
  });

  it("sends SafetyRulesToOverride exactly as given when an operator overrides", async () => {
    const rule = "arn:aws:route53-recovery-control::111122223333:controlpanel/p/safetyrule/one-on";
    await adapter().updateRoutingControlStates({ entries: [{ arn: OFF, state: "Off" }], safetyRulesToOverride: [rule] });
    const input = [...stubs.values()].flatMap((s) => s.commandCalls(UpdateRoutingControlStatesCommand))[0]!.args[0].input;
    expect(input.SafetyRulesToOverride).toEqual([rule]);
  });

  it("starts at the endpoint the seeded random order puts first, and the order spreads over all five", async () => {
    const firsts = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      for (const s of stubs.values()) s.resetHistory();
      const want = shuffledEndpoints(ENDPOINTS, new SeededRandom(seed))[0]!.region;
      const out = await adapter(seed).getRoutingControlState(ON);
      expect(out.endpointRegion).toBe(want);
      expect(called()).toEqual([want]);
      firsts.add(want);
    }
    // A fixed order (no shuffle) would always start at us-east-1.
    expect(firsts.size).toBe(5);
  });

  it("moves to the next endpoint when one times out or is temporarily unavailable, and names the one that answered", async () => {
    const order = shuffledEndpoints(ENDPOINTS, new SeededRandom(7)).map((e) => e.region);
    const timeout = Object.assign(new Error("socket timed out"), { name: "TimeoutError" });
    stub(order[0]!).on(UpdateRoutingControlStatesCommand).rejects(timeout);
    stub(order[1]!).on(UpdateRoutingControlStatesCommand).rejects(new EndpointTemporarilyUnavailableException({ message: "try another", ...META }));
    const out = await adapter(7).updateRoutingControlStates({ entries: [{ arn: ON, state: "On" }, { arn: OFF, state: "Off" }] });
    expect(out.endpointRegion).toBe(order[2]);
    for (const r of order.slice(0, 3)) expect(stub(r).commandCalls(UpdateRoutingControlStatesCommand), r).toHaveLength(1);
    for (const r of order.slice(3)) expect(stub(r).commandCalls(UpdateRoutingControlStatesCommand), r).toHaveLength(0);
  });

  it("does not try another endpoint when the cluster refuses the change (safety rule: ConflictException)", async () => {
    const order = shuffledEndpoints(ENDPOINTS, new SeededRandom(3)).map((e) => e.region);
    stub(order[0]!).on(UpdateRoutingControlStatesCommand).rejects(new ConflictException({ message: "violates safety rule", resourceId: "r", resourceType: "SafetyRule", ...META }));
    const err = await rejectsAwsCall(adapter(3).updateRoutingControlStates({ entries: [{ arn: OFF, state: "Off" }] }));
    expect(err).toMatchObject({ call: "route53-recovery-cluster:UpdateRoutingControlStates", region: order[0], code: "ConflictException", retryable: false });
    const total = [...stubs.values()].reduce((n, s) => n + s.commandCalls(UpdateRoutingControlStatesCommand).length, 0);
    expect(total).toBe(1);
  });

  it("when no endpoint answers: one retryable error naming the call and every endpoint region, each tried once", async () => {
    for (const s of stubs.values()) s.on(UpdateRoutingControlStatesCommand).rejects(serviceError("InternalServerException", { fault: "server", status: 500 }));
    const err = await rejectsAwsCall(adapter().updateRoutingControlStates({ entries: [{ arn: ON, state: "On" }] }));
    expect(err).toMatchObject({ call: "route53-recovery-cluster:UpdateRoutingControlStates", code: "AllEndpointsUnavailable", retryable: true });
    expect(err.region.split(",").sort()).toEqual([...REGIONS].sort());
    for (const s of stubs.values()) expect(s.commandCalls(UpdateRoutingControlStatesCommand)).toHaveLength(1);
  });

  it("refuses a GetRoutingControlState answer without a state instead of guessing", async () => {
    for (const s of stubs.values()) s.on(GetRoutingControlStateCommand).resolves({ RoutingControlArn: ON });
    const err = await rejectsAwsCall(adapter().getRoutingControlState(ON));
    expect(err).toMatchObject({ call: "route53-recovery-cluster:GetRoutingControlState", code: "InvalidResponse", retryable: false });
  });
});
