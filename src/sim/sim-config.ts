// The controller config a scenario runs with: the sandbox config, its
// regions and resource ids rewritten for the scenario's world, then the
// scenario's `controller:` overrides (keys as in the config schema).

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { ConfigError } from "../core/index.js";
import { checkConfig, configSchema, zodIssuesToDetails, type Config } from "../config/index.js";
import type { Scenario } from "./scenario.js";

const here = dirname(fileURLToPath(import.meta.url));
// src/sim -> root is two levels up; dist/src/sim -> three.
/** Package root from src/sim or dist/src/sim. */
export const PACKAGE_ROOT = [join(here, "../.."), join(here, "../../..")].find((p) => {
  try {
    return readFileSync(join(p, "package.json"), "utf8").includes('"name": "failover"');
  } catch {
    return false;
  }
}) ?? process.cwd();

const SANDBOX = join(PACKAGE_ROOT, "config/sandbox.yaml");
let sandboxRaw: Record<string, unknown> | undefined;

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === "object" && !Array.isArray(v) && b && typeof b === "object" && !Array.isArray(b) ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

export const appRegions = (s: Scenario) => s.world.regions.filter((r) => r !== s.world.witness);

/**
 * The sandbox's quorum fits the sandbox's observers; a world with more or
 * fewer observers gets a majority of its own (a scenario's controller.policy.quorum
 * still wins, in the merge below).
 */
function scenarioQuorum(s: Scenario, sandbox: Record<string, unknown>): unknown {
  const policy = (sandbox.policy ?? {}) as Record<string, unknown>;
  const sandboxObservers = (Array.isArray(sandbox.regions) ? sandbox.regions.length : 0) + (sandbox.witness ? 1 : 0);
  const observers = s.world.regions.length;
  return observers === sandboxObservers ? policy.quorum : Math.floor(observers / 2) + 1;
}

export function scenarioConfig(s: Scenario, file: string): Config {
  sandboxRaw ??= parse(readFileSync(SANDBOX, "utf8")) as Record<string, unknown>;
  const raw = structuredClone(sandboxRaw) as Record<string, Record<string, unknown>> & Record<string, unknown>;
  const apps = appRegions(s);
  const w = s.world;
  raw.regions = apps as never;
  if (w.witness) raw.witness = w.witness as never;
  else delete raw.witness;
  raw.aurora = { ...raw.aurora, clusters: Object.fromEntries(apps.map((r) => [r, `arn:aws:rds:${r}:111122223333:cluster:orders-${r}`])) };
  raw.traffic = {
    ...raw.traffic,
    ttl: `${w.dnsTtl}ms`,
    healthChecks: Object.fromEntries(apps.map((r) => [r, `hc-orders-${r}`])),
    healthCheckInterval: w.route53.healthCheckInterval <= 10_000 ? "10s" : "30s",
    healthCheckFailureThreshold: w.route53.healthCheckFailureThreshold,
  };
  const wanted = (s.controller?.traffic as { strategy?: unknown } | undefined)?.strategy;
  if (wanted === "routing-control") raw.traffic = routingControlTraffic(raw.traffic, apps, w.dnsTtl);
  if (wanted === "records") raw.traffic = recordsTraffic(raw.traffic, w.dnsTtl, w.route53.changePropagation);
  raw.coordination = { ...raw.coordination, region: w.witness ?? apps[0] };
  raw.policy = { ...raw.policy, quorum: scenarioQuorum(s, sandboxRaw) };
  const merged = s.controller ? deepMerge(raw, s.controller) : raw;
  const parsed = configSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(zodIssuesToDetails(parsed.error, file, () => undefined).map((d) => ({ ...d, path: `controller.${d.path}` })));
  }
  const { errors } = checkConfig(parsed.data);
  if (errors.length > 0) throw new ConfigError(errors.map((e) => ({ ...e, file, path: `controller.${e.path}` })));
  return parsed.data;
}

/**
 * The sandbox's five ARC cluster endpoints (the regions AWS places a
 * cluster's endpoints in); the world answers on all of them.
 */
export const SANDBOX_ARC_ENDPOINTS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-2"].map((region) => ({
  region,
  endpoint: `https://host-sandbox.${region}.arc.sandbox.internal/v1`,
}));

/**
 * A scenario that switches the sandbox to routing-control gets the sandbox's
 * record and TTL with a control and a RECOVERY_CONTROL health check per app
 * region; its own `controller.traffic` keys are merged on top. (Merging onto
 * the health-check settings would leave their kill-switch keys behind.)
 */
function routingControlTraffic(base: Record<string, unknown>, apps: string[], dnsTtlMs: number): Record<string, unknown> {
  return {
    strategy: "routing-control",
    hostedZoneId: base.hostedZoneId,
    record: base.record,
    ttl: `${dnsTtlMs}ms`,
    routingControls: Object.fromEntries(apps.map((r) => [r, `arn:aws:route53-recovery-control::111122223333:controlpanel/sandbox/routingcontrol/orders-${r}`])),
    healthChecks: Object.fromEntries(apps.map((r) => [r, `hc-rc-orders-${r}`])),
    clusterEndpoints: SANDBOX_ARC_ENDPOINTS,
  };
}

/** The sandbox's traffic moved to the `records` strategy: one record UPSERTed to `{region}.lb.sandbox.internal`. */
function recordsTraffic(base: Record<string, unknown>, ttlMs: number, propagationMs: number): Record<string, unknown> {
  return { strategy: "records", hostedZoneId: base.hostedZoneId, record: base.record, ttl: `${ttlMs}ms`, target: "{region}.lb.sandbox.internal", propagation: `${propagationMs}ms` };
}
