// Route 53 ARC routing controls, on the cluster's data plane. A cluster
// answers on five regional endpoints of its own (DescribeCluster's
// ClusterEndpoints) and AWS keeps at least three of them reachable, not any
// given one: the documented way to survive an endpoint's region being down
// is to pick an endpoint at random and try the others in turn
// (route53-arc-best-practices.regional.html, routing-control.update.api.html).
//
// Which errors move on to the next endpoint: only those another endpoint can
// answer differently, i.e. the retryable ones (timeouts, connection errors,
// EndpointTemporarilyUnavailableException, InternalServerException,
// throttling). A ConflictException (the change would break a safety rule),
// ValidationException, AccessDenied or ResourceNotFound is the cluster's
// answer, the same on every endpoint: it is thrown at once.

import type { Route53RecoveryClusterClient } from "@aws-sdk/client-route53-recovery-cluster";
import { GetRoutingControlStateCommand, UpdateRoutingControlStatesCommand } from "@aws-sdk/client-route53-recovery-cluster";
import { AwsCallError, type Random, type Region } from "../core/index.js";
import { awsCall, invalidResponse } from "./call.js";
import type { AwsCallName } from "./calls.js";
import type { ArcEndpoint, RoutingControlApi, RoutingControlState } from "./ports.js";

/** Every endpoint of the list, in a random order drawn from `random` (Fisher-Yates). */
export function shuffledEndpoints(endpoints: readonly ArcEndpoint[], random: Random): ArcEndpoint[] {
  const out = [...endpoints];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function createRoutingControlAdapter(
  endpoints: readonly ArcEndpoint[],
  clientFor: (endpoint: ArcEndpoint) => Route53RecoveryClusterClient,
  random: Random,
): RoutingControlApi {
  if (endpoints.length === 0) throw new RangeError("an ARC cluster needs at least one endpoint");

  /** Runs `send` on each endpoint in a random order until one answers; the answer and the endpoint's region. */
  async function inTurn<T extends object>(call: AwsCallName, send: (client: Route53RecoveryClusterClient) => Promise<T>): Promise<{ out: T; endpointRegion: Region }> {
    const order = shuffledEndpoints(endpoints, random);
    const failures: AwsCallError[] = [];
    for (const e of order) {
      try {
        const out = await awsCall(call, e.region, () => send(clientFor(e)));
        return { out, endpointRegion: e.region };
      } catch (err) {
        if (!(err instanceof AwsCallError) || !err.retryable) throw err;
        failures.push(err);
      }
    }
    // Retryable as a whole: the cluster keeps three of five endpoints up, so a
    // later round (the runbook's Retry) may find one back.
    throw new AwsCallError({
      call,
      region: order.map((e) => e.region).join(","),
      retryable: true,
      code: "AllEndpointsUnavailable",
      cause: new Error(`no ARC cluster endpoint answered (${failures.map((f) => `${f.region}: ${f.code ?? f.message}`).join("; ")})`),
    });
  }

  return {
    endpoints,

    async getRoutingControlState(routingControlArn) {
      const call = "route53-recovery-cluster:GetRoutingControlState";
      const { out, endpointRegion } = await inTurn(call, (c) => c.send(new GetRoutingControlStateCommand({ RoutingControlArn: routingControlArn })));
      const state = out.RoutingControlState;
      if (state !== "On" && state !== "Off") {
        throw invalidResponse(call, endpointRegion, `RoutingControlState is ${state === undefined ? "missing" : JSON.stringify(state)}, expected On or Off`);
      }
      return { state, endpointRegion };
    },

    async updateRoutingControlStates({ entries, safetyRulesToOverride }) {
      const call = "route53-recovery-cluster:UpdateRoutingControlStates";
      if (entries.length === 0) throw new RangeError("updateRoutingControlStates needs at least one entry");
      // One call for every entry: the cluster evaluates the safety rules
      // against the whole change, so "target On, old Off" never passes
      // through "both Off" (which an assertion rule would refuse).
      const overrides = safetyRulesToOverride ?? [];
      const { endpointRegion } = await inTurn(call, (c) =>
        c.send(
          new UpdateRoutingControlStatesCommand({
            UpdateRoutingControlStateEntries: entries.map((e) => ({ RoutingControlArn: e.arn, RoutingControlState: e.state })),
            // Sent only on an operator's explicit override, never empty-but-present.
            ...(overrides.length > 0 && { SafetyRulesToOverride: [...overrides] }),
          }),
        ),
      );
      return { endpointRegion };
    },
  };
}

export type { ArcEndpoint, RoutingControlApi, RoutingControlState };
