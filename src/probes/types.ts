// Probe specs mirror the config's probe section (probes/ may not import
// config/, per DESIGN.md); the controller maps one to the other.

import type { Clock, Observation, Region } from "../core/index.js";
import type { AwsAdapters } from "../aws/index.js";
import type { HttpClient } from "./http-client.js";

interface Common {
  name: string;
  intervalMs: number;
  timeoutMs: number;
}

export type ProbeSpec =
  | (Common & { kind: "http"; url: string; expectStatus: number; bodyMatch?: string; maxLatencyMs?: number })
  | (Common & { kind: "cloudwatch-alarm"; alarm: string })
  | (Common & { kind: "route53-health-check"; healthChecks: Record<Region, string> })
  | (Common & { kind: "aurora" })
  | (Common & { kind: "dynamodb" });

export interface ProbeContext {
  observer: Region;
  /** App regions: the targets of every probe. */
  targets: Region[];
  adapters: AwsAdapters;
  http: HttpClient;
  clock: Clock;
  aurora: { globalClusterId: string; clusters: Record<Region, string>; lagMetric: "AuroraGlobalDBRPOLag" | "AuroraGlobalDBReplicationLag" | "auto" };
  dynamodbTables: string[];
  /** Region whose DynamoDB replication is read (the active region: ReplicationLatency is published at the source). */
  activeRegion: Region;
}

/** What the Aurora probe learned about the topology, besides observations. */
export interface AuroraTopology {
  writerRegion?: Region;
  failoverInProgress: boolean;
  /** Regions whose member answered DescribeGlobalClusters from their own region. */
  answering: Region[];
  /**
   * At least two regions' RDS APIs answered and all named the same writer.
   * One answer alone can be an old writer's own view from behind a partition
   * (Aurora may not have fenced it), so only an agreed writer is evidence
   * that the writer moved (the controller's writer-elsewhere page).
   */
  writerAgreed?: boolean;
  /** Some answering region other than the writer itself names it the writer. */
  writerConfirmed?: boolean;
  /** Each answering region's writer, as that region's RDS API names it. */
  writerClaims?: Record<Region, Region>;
  /** The region a switchover or failover in flight (FailoverState) promotes, as any answering region reports it. */
  promotingTo?: Region;
  /** Members being rebuilt after an unplanned failover (SynchronizationStatus pending-resync): not valid targets. */
  resyncing?: Region[];
}

export interface ProbeOutput {
  observations: Observation[];
  auroraLagMs?: Record<Region, number>;
  dynamodbLagMs?: Record<Region, number>;
  topology?: AuroraTopology;
}

export const TIMED_OUT: unique symbol = Symbol("timed-out");

/** Races `p` against the Clock: a probe that times out is an observation, not an exception. */
export function withTimeout<T>(clock: Clock, timeoutMs: number, p: Promise<T>): Promise<T | typeof TIMED_OUT> {
  const cancel = { cancelled: false };
  const timer = clock.sleep(timeoutMs, cancel).then((): typeof TIMED_OUT => TIMED_OUT);
  // An AWS call cannot be cancelled from here: when it loses, its late answer
  // is simply ignored. When it wins, the timer is dropped, not left to fire.
  const settled = () => {
    cancel.cancelled = true;
  };
  p.then(settled, settled);
  return Promise.race([p, timer]);
}

export const errorDetail = (err: unknown): string => (err instanceof Error ? err.message : String(err));
