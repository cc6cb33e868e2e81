// The world is built FROM a config: the sandbox config names the hosted
// zone, record, health checks, kill switch, global cluster, tables and the
// coordination table. A scenario may run in other regions than the
// sandbox's: the config is then re-derived for them (ARNs and health-check
// ids substituted, the coordination table in the witness, a majority
// quorum), and the scenario's `controller:` overrides are deep-merged on top
// before the config schema and its cross-field checks run.

import { parse as parseYamlText } from "yaml";
import { checkConfig, configSchema, loadConfig, readConfigFile, zodIssuesToDetails, type Config, type PathSegment } from "../config/index.js";
import { ConfigError, type Region } from "../core/index.js";
import type { WorldSettings } from "./types.js";

export const DEFAULT_BASE_CONFIG = "config/sandbox.yaml";

export interface BaseConfig {
  file: string;
  config: Config;
  /** The YAML as written (durations as strings): what overrides merge into. */
  raw: Record<string, unknown>;
}

export async function loadBaseConfig(file = DEFAULT_BASE_CONFIG): Promise<BaseConfig> {
  const { config } = await loadConfig(file);
  const raw = parseYamlText(await readConfigFile(file)) as Record<string, unknown>;
  return { file, config, raw };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Deep merge: mappings merge key by key, anything else (lists included) replaces. */
export function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Obj, v) : structuredClone(v);
  return out;
}

/** 60000 -> "1m", 1500 -> "1500ms": a string parseDurationMs reads back exactly. */
export function exactDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const a = Math.abs(Math.round(ms));
  if (a !== 0 && a % 3_600_000 === 0) return `${sign}${a / 3_600_000}h`;
  if (a !== 0 && a % 60_000 === 0) return `${sign}${a / 60_000}m`;
  if (a !== 0 && a % 1_000 === 0) return `${sign}${a / 1_000}s`;
  return `${sign}${a}ms`;
}

export interface DeriveContext {
  file: string;
  lineOf?: ((path: readonly PathSegment[]) => number | undefined) | undefined;
}

/** The config a scenario's controllers run with, and that its world is built from. */
export function deriveConfig(base: BaseConfig, world: WorldSettings, overrides: Obj, where: DeriveContext): Config {
  const raw = structuredClone(base.raw);
  const app = String(raw.application ?? base.config.application);
  const account = String(raw.accountId ?? base.config.accountId);
  const regions = world.appRegions;
  const observers = world.witness ? [...regions, world.witness] : [...regions];
  raw.regions = [...regions];
  if (world.witness) raw.witness = world.witness;
  else delete raw.witness;

  const aurora = isObj(raw.aurora) ? raw.aurora : {};
  const clusters = isObj(aurora.clusters) ? aurora.clusters : {};
  aurora.clusters = Object.fromEntries(regions.map((r) => [r, clusters[r] ?? `arn:aws:rds:${r}:${account}:cluster:${app}-${r}`]));
  raw.aurora = aurora;

  const traffic = isObj(raw.traffic) ? raw.traffic : {};
  traffic.ttl = exactDuration(world.dnsTtlMs);
  if (traffic.strategy === "health-check") {
    const checks = isObj(traffic.healthChecks) ? traffic.healthChecks : {};
    traffic.healthChecks = Object.fromEntries(regions.map((r) => [r, checks[r] ?? `hc-${app}-${r}`]));
    traffic.healthCheckInterval = exactDuration(world.route53.healthCheckIntervalMs);
    traffic.healthCheckFailureThreshold = world.route53.healthCheckFailureThreshold;
  } else {
    traffic.propagation = exactDuration(world.route53.changePropagationMs);
  }
  raw.traffic = traffic;

  const coordination = isObj(raw.coordination) ? raw.coordination : {};
  const coordRegion = String(coordination.region ?? "");
  if (world.witness) coordination.region = world.witness;
  else if (!observers.includes(coordRegion)) coordination.region = regions.at(-1);
  raw.coordination = coordination;

  const policy = isObj(raw.policy) ? raw.policy : {};
  policy.quorum = Math.floor(observers.length / 2) + 1;
  raw.policy = policy;

  // Probes that name health checks per region follow the regions too.
  if (Array.isArray(raw.probes)) {
    raw.probes = raw.probes.map((p: unknown) =>
      isObj(p) && p.kind === "route53-health-check" && isObj(p.healthChecks)
        ? { ...p, healthChecks: Object.fromEntries(regions.map((r) => [r, (p.healthChecks as Obj)[r] ?? `hc-${app}-${r}`])) }
        : p,
    );
  }

  const merged = deepMerge(raw, overrides);
  const lineOf = (path: readonly PathSegment[]) => where.lineOf?.(["controller", ...path]) ?? where.lineOf?.(["controller"]);
  const parsed = configSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(
      zodIssuesToDetails(parsed.error, where.file, lineOf).map((d) => ({ ...d, path: `controller.${d.path}`, expected: `${d.expected} (in the config derived from ${base.file})` })),
    );
  }
  const { errors } = checkConfig(parsed.data);
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => ({ file: where.file, line: where.lineOf?.(["controller"]) ?? where.lineOf?.(["world"]), path: `controller.${e.path}`, expected: e.expected })),
    );
  }
  return parsed.data;
}

/** App regions and witness of a base config: the default `world.regions`. */
export function baseRegions(base: BaseConfig): { regions: Region[]; witness?: Region | undefined } {
  return { regions: [...base.config.regions], witness: base.config.witness };
}
