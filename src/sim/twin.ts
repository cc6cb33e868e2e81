// The simulated twin of an operator's config: its regions, witness, DNS TTL,
// Route 53 health-check timing, its traffic strategy when it is routing-control, policy, health thresholds, lease and
// controller timings, on the sandbox's probes and resource names (the
// world answers by those names). `plan`/`status --sandbox`, `npm start`
// and drills run in it.

import { stringify } from "yaml";
import type { Config } from "../config/index.js";

const ms = (n: number) => `${n}ms`;

/** The parts of the config the twin keeps, as `controller:` overrides (schema keys, durations in ms). */
function overrides(config: Config): Record<string, unknown> {
  const { policy, health, coordination, aurora, controller } = config;
  return {
    policy: {
      rto: ms(policy.rto), rpo: ms(policy.rpo), mode: policy.mode, cooldown: ms(policy.cooldown), quorum: policy.quorum,
      onRpoBreach: policy.onRpoBreach, margin: ms(policy.margin), approvalTimeout: ms(policy.approvalTimeout), failback: policy.failback,
    },
    health,
    coordination: { leaseDuration: ms(coordination.leaseDuration), maxClockSkew: ms(coordination.maxClockSkew) },
    aurora: { failoverEstimate: ms(aurora.failoverEstimate), switchoverEstimate: ms(aurora.switchoverEstimate), promotionTimeout: ms(aurora.promotionTimeout) },
    controller: { interval: ms(controller.interval) },
  };
}

export interface TwinOptions {
  name?: string;
  description?: string;
  duration?: string;
  /** The active region goes dark at this second, for `outageS` seconds. */
  outageAtS?: number;
  outageS?: number;
}

/** The twin as a scenario file's text (parseScenario reads it). */
export function twinScenario(config: Config, opts: TwinOptions = {}): string {
  const regions = [...config.regions, ...(config.witness ? [config.witness] : [])];
  const traffic = config.traffic;
  const scenario = {
    name: opts.name ?? "sandbox",
    description: opts.description ?? "the config's world, simulated",
    duration: opts.duration ?? "24h",
    world: {
      regions,
      ...(config.witness && { witness: config.witness }),
      dnsTtl: ms(traffic.ttl),
      ...(traffic.strategy === "health-check" && {
        route53: { healthCheckInterval: ms(traffic.healthCheckInterval), healthCheckFailureThreshold: traffic.healthCheckFailureThreshold },
      }),
      // The twin's ARC health checks take as long as the config estimates.
      ...(traffic.strategy === "routing-control" && { route53: { routingControlDelay: ms(traffic.healthCheckDelay) } }),
    },
    controller: {
      ...overrides(config),
      ...(traffic.strategy === "routing-control" && { traffic: { strategy: "routing-control", healthCheckDelay: ms(traffic.healthCheckDelay) } }),
    },
    faults:
      opts.outageAtS === undefined
        ? []
        : [{ at: `${opts.outageAtS}s`, until: `${opts.outageAtS + (opts.outageS ?? 1_800)}s`, kind: "region-outage", region: config.regions[0] }],
  };
  return stringify(scenario);
}
