// Route 53 ARC in the simulated world: the cluster's routing controls, the
// cluster API answered on each of its endpoints, and the RECOVERY_CONTROL
// health checks on the failover records, which follow their control after a
// short delay. What is modeled, and from where:
//   - A cluster has five regional endpoints; AWS keeps at least three of them
//     reachable and recommends trying them in turn from a random one
//     (routing-control.update.api.html, route53-arc-best-practices.regional.html).
//     Here each endpoint is an API of its region: a region outage or a
//     partition from the caller's region cuts that endpoint alone
//     (middleware.ts), and `api-errors` with service
//     route53-recovery-cluster hits one endpoint region or all of them.
//   - UpdateRoutingControlStates applies every entry at once; the control
//     panel's assertion rule "at least one control On" (the usual ARC safety
//     rule for active/passive) refuses a change that would leave none On with
//     a ConflictException, unless the request lists the rule in
//     SafetyRulesToOverride.
//   - A routing control health check reports the control's state; AWS
//     documents no figure for how soon after an update Route 53 answers
//     accordingly (the pages above and routing-control.create-health-check.html
//     describe the mechanism only), so the delay is a world setting,
//     `world.route53.routingControlDelay` (default 10 s, the fast health
//     checkers' interval), and the config's budget carries its own estimate.
// Not modeled: control panels beyond one, gating rules, ListRoutingControls.

import { ConflictException, ResourceNotFoundException, ValidationException } from "@aws-sdk/client-route53-recovery-cluster";
import type { World } from "./world.js";

type Input = Record<string, unknown>;
type State = "On" | "Off";
const META = { $metadata: {} };

/** The simulated control panel's assertion rule: at least one routing control On. */
export const SIM_SAFETY_RULE_ARN = "arn:aws:route53-recovery-control::111122223333:controlpanel/sandbox/safetyrule/at-least-one-on";
/** Default health-check delay when the scenario does not set one. */
export const DEFAULT_ROUTING_CONTROL_DELAY_MS = 10_000;

export class SimArc {
  /** Per control ARN: [atMs, state] in time order (the first entry is the initial state). */
  private readonly history = new Map<string, [number, State][]>();
  /** App region of each control. */
  private readonly regionOf = new Map<string, string>();
  private readonly healthy = new Map<string, boolean>();
  /** Successful updates (for tests and the timeline). */
  updates = 0;

  constructor(private readonly world: World) {
    const t = world.config.traffic;
    if (t.strategy !== "routing-control") throw new Error("SimArc needs traffic.strategy routing-control");
    for (const r of world.apps) {
      const arn = t.routingControls[r];
      if (!arn) continue;
      // Before the scenario began, traffic went to the first app region only.
      this.history.set(arn, [[Number.NEGATIVE_INFINITY, r === world.apps[0] ? "On" : "Off"]]);
      this.regionOf.set(arn, r);
      this.healthy.set(r, r === world.apps[0]);
    }
  }

  /** How long a health check takes to follow its control. */
  get delayMs(): number {
    return this.world.scenario.world.route53.routingControlDelay ?? DEFAULT_ROUTING_CONTROL_DELAY_MS;
  }

  /** The control's state as the cluster answers it now. */
  state(arn: string): State | undefined {
    return this.history.get(arn)?.at(-1)?.[1];
  }

  /** The region's RECOVERY_CONTROL health check: its control's state `delayMs` ago. */
  healthCheckHealthy(region: string, nowMs: number): boolean {
    const arn = [...this.regionOf].find(([, r]) => r === region)?.[0];
    const points = arn ? this.history.get(arn) : undefined;
    if (!points) return false;
    const seenAt = nowMs - this.delayMs;
    let state: State = "Off";
    for (const [atMs, s] of points) if (atMs <= seenAt) state = s;
    return state === "On";
  }

  /**
   * Failover routing over the RECOVERY_CONTROL checks: the first app region
   * whose check is healthy; none healthy -> answered as if all were (the
   * primary). Logs each check's flip once, when it happens.
   */
  dnsAnswer(nowMs: number): string {
    for (const r of this.world.apps) {
      const now = this.healthCheckHealthy(r, nowMs);
      if (this.healthy.get(r) !== now) {
        this.healthy.set(r, now);
        this.world.event("route53.healthcheck", { region: r, healthy: now, type: "RECOVERY_CONTROL" });
      }
    }
    return this.world.apps.find((r) => this.healthy.get(r)) ?? this.world.apps[0]!;
  }

  /** One cluster API call, answered on the endpoint in `endpointRegion`. */
  answer(endpointRegion: string, command: string, input: Input): unknown {
    switch (command) {
      case "GetRoutingControlStateCommand": {
        const arn = String(input.RoutingControlArn);
        const state = this.state(arn);
        if (!state) throw new ResourceNotFoundException({ message: `routing control ${arn} not found`, resourceId: arn, resourceType: "RoutingControl", ...META });
        return { RoutingControlArn: arn, RoutingControlState: state, RoutingControlName: `orders-${this.regionOf.get(arn) ?? "?"}` };
      }
      case "UpdateRoutingControlStatesCommand": {
        const entries = (input.UpdateRoutingControlStateEntries as { RoutingControlArn?: string; RoutingControlState?: string }[] | undefined) ?? [];
        if (entries.length === 0) throw new ValidationException({ message: "UpdateRoutingControlStateEntries must not be empty", ...META });
        const next = new Map([...this.history].map(([arn, points]) => [arn, points.at(-1)![1]]));
        for (const e of entries) {
          const arn = String(e.RoutingControlArn);
          if (!next.has(arn)) throw new ResourceNotFoundException({ message: `routing control ${arn} not found`, resourceId: arn, resourceType: "RoutingControl", ...META });
          if (e.RoutingControlState !== "On" && e.RoutingControlState !== "Off") throw new ValidationException({ message: `RoutingControlState must be On or Off`, ...META });
          next.set(arn, e.RoutingControlState);
        }
        const overrides = (input.SafetyRulesToOverride as string[] | undefined) ?? [];
        if (![...next.values()].includes("On") && !overrides.includes(SIM_SAFETY_RULE_ARN)) {
          throw new ConflictException({ message: `the change violates safety rule ${SIM_SAFETY_RULE_ARN} (at least one routing control On)`, resourceId: SIM_SAFETY_RULE_ARN, resourceType: "SafetyRule", ...META });
        }
        const changed: Record<string, State> = {};
        for (const [arn, state] of next) {
          const points = this.history.get(arn)!;
          if (points.at(-1)![1] !== state) {
            points.push([this.world.nowMs, state]);
            changed[this.regionOf.get(arn) ?? arn] = state;
          }
        }
        this.updates++;
        if (Object.keys(changed).length > 0) this.world.event("arc.controls", { endpoint: endpointRegion, ...changed, ...(overrides.length > 0 && { overridden: overrides }) });
        return {};
      }
      default:
        throw new Error(`the simulated ARC cluster does not answer ${command}`);
    }
  }
}

/** The world's ARC cluster, created on first use (only routing-control worlds have one). */
export function simArc(world: World & { arc?: SimArc }): SimArc {
  world.arc ??= new SimArc(world);
  return world.arc;
}
