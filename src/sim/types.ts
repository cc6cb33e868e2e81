// Plain data shared by the scenario loader, the world and the runner. All
// durations are milliseconds, all times are offsets from the scenario start
// unless a name says otherwise (`...EpochMs`).

import type { Config } from "../config/index.js";
import type { Region } from "../core/index.js";

export interface LagSpec {
  meanMs: number;
  jitterMs: number;
}

/** The simulated world's physics (gameday.md `world:`), defaults applied. */
export interface WorldSettings {
  /** App regions, in order: the first starts active. */
  appRegions: Region[];
  /** A region with a controller but no app or data. */
  witness?: Region | undefined;
  dnsTtlMs: number;
  clientsPerRegion: number;
  aurora: {
    replicationLag: LagSpec;
    switchoverDurationMs: number;
    failoverDurationMs: number;
    /**
     * How long an old primary whose region was down during an unplanned
     * failover still accepts writes after its region recovers, before Aurora
     * demotes it. AWS documents that it rejoins as a secondary, not how long
     * that takes: 0 by default (demoted on recovery); a scenario can set
     * world.aurora.staleWriterWindow to explore a slower fence.
     */
    staleWriterWindowMs: number;
    /** An old primary re-added as secondary is `pending-resync` this long. */
    resyncMs: number;
  };
  dynamodb: { replicationLatency: LagSpec };
  route53: { changePropagationMs: number; healthCheckIntervalMs: number; healthCheckFailureThreshold: number };
  api: {
    latency: LagSpec;
    /** How long a call to an unreachable endpoint hangs before it fails with TimeoutError. */
    timeoutMs: number;
  };
}

export type OutageService = "app" | "aurora" | "dynamodb" | "cloudwatch" | "controller";
export const OUTAGE_SERVICES: readonly OutageService[] = ["app", "aurora", "dynamodb", "cloudwatch", "controller"];

export type ApiService = "route53" | "rds" | "dynamodb" | "cloudwatch" | "sfn";
export const API_SERVICES: readonly ApiService[] = ["route53", "rds", "dynamodb", "cloudwatch", "sfn"];

export type FaultSpec =
  | { kind: "region-outage"; region: Region; services: OutageService[]; allServices: boolean }
  | { kind: "app-degraded"; region: Region; errorRate: number; latencyMs?: number | undefined }
  | { kind: "probe-noise"; region: Region; errorRate: number }
  | { kind: "replication-lag"; service: "aurora" | "dynamodb"; lagMs: number }
  | { kind: "api-errors"; service: ApiService; region?: Region | undefined; error: "throttle" | "5xx" | "timeout"; rate: number }
  | { kind: "control-plane-outage"; service: "route53" }
  | { kind: "partition"; between: [Region, Region] }
  | { kind: "controller-crash"; region: Region; restartAfterMs?: number | undefined }
  | { kind: "clock-skew"; region: Region; skewMs: number }
  | { kind: "aurora-failover-stuck"; durationMs: number };

export type FaultKind = FaultSpec["kind"];

export type Fault = FaultSpec & {
  /** Offset from the scenario start. */
  atMs: number;
  /** Offset from the scenario start; absent = lasts to the end. */
  untilMs?: number | undefined;
  /** Position in the scenario's `faults` list (stable identity). */
  index: number;
};

export interface CountRange {
  min?: number | undefined;
  max?: number | undefined;
}

export interface Expectations {
  rtoMs?: number | undefined;
  rpoMs?: number | undefined;
  failovers?: number | CountRange | undefined;
  activeRegion?: Region | undefined;
  splitBrain?: boolean | undefined;
  escalations?: number | CountRange | undefined;
}

export interface Scenario {
  name: string;
  description?: string | undefined;
  seed: number;
  durationMs: number;
  world: WorldSettings;
  /** Raw `controller:` overrides (config schema keys), deep-merged into the sandbox config. */
  controller: Record<string, unknown>;
  faults: Fault[];
  expect: Expectations;
  /** The config the world is built from and the controllers run with (derived, overrides merged). */
  config: Config;
  /** Where it came from (messages only). */
  file?: string | undefined;
}

export interface TimelineEvent {
  atMs: number;
  event: string;
  detail: Record<string, unknown>;
}
