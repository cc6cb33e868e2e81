// The simulated Aurora global database, as AWS documents it (reference/
// aws-apis.md, "Aurora global database" and "Checked against AWS's
// documentation"):
// - one writer; secondaries replicate with lag, over the network between
//   regions (a partition between the writer and a secondary stops it, and
//   the secondary's lag metric grows);
// - an unplanned failover (AllowDataLoss) takes "a few minutes" (a drawn
//   duration) and loses the writes the target had not received;
// - write fencing of the old primary is BEST EFFORT: while the old writer
//   cannot be reached from the new one it keeps believing it is the writer
//   and acknowledges the writes of every client that still reaches it; once
//   reachable it is fenced after a short drawn window ("writes might be
//   momentarily accepted in the old primary Region, causing split-brain").
//   Every write it acknowledged after the promotion is lost;
// - the old primary and the other secondaries are rebuilt after an
//   unplanned failover ("a few minutes to several hours"): pending-resync,
//   not a valid target, no lag published, until done;
// - a switchover waits for the target to catch up, pauses writes on the old
//   primary while roles swap, and loses nothing.

import type { SeededRandom } from "../core/index.js";
import type { FaultBook } from "./faults.js";

export interface AuroraOp {
  kind: "failover" | "switchover";
  from: string;
  to: string;
  startedAtMs: number;
  doneAtMs: number;
}

/** Writes of `region` that the new writer never received: (fromMs, toMs]. */
export interface LossWindow {
  region: string;
  fromMs: number;
  toMs: number;
  /** When the loss became final (the promotion). */
  atMs: number;
}

export interface Spread {
  mean: number;
  jitter: number;
}

export interface AuroraTimings {
  lag: Spread;
  failover: Spread;
  switchover: Spread;
  /** How long a reachable stale writer keeps acknowledging writes before it is fenced. */
  fencing: Spread;
  /** How long a demoted or remaining secondary is pending-resync after an unplanned failover. */
  rebuild: Spread;
}

export class SimAurora {
  writer: string;
  /** Regions whose cluster accepts writes when its region is up (more than one: a stale writer). */
  readonly believesWriter = new Set<string>();
  /** When a reachable stale writer will be fenced. */
  private readonly fenceAtMs = new Map<string, number>();
  /** Members rebuilding after an unplanned failover, and until when. */
  readonly resyncUntilMs: Record<string, number> = {};
  op?: AuroraOp;
  readonly lagMs: Record<string, number> = {};
  readonly replicatedUpToMs: Record<string, number> = {};
  readonly lastAcceptedWriteMs: Record<string, number> = {};
  readonly losses: LossWindow[] = [];
  /** Stale writers (demotion pending) and the loss window of the writes they acknowledged since the promotion. */
  private readonly stale = new Map<string, LossWindow | undefined>();

  constructor(
    readonly regions: readonly string[],
    private readonly t: AuroraTimings,
    private readonly faults: FaultBook,
    private readonly random: SeededRandom,
    private readonly event: (event: string, detail: Record<string, unknown>) => void,
  ) {
    this.writer = regions[0]!;
    this.believesWriter.add(this.writer);
    for (const r of regions) {
      this.lagMs[r] = 0;
      this.replicatedUpToMs[r] = 0;
      this.resyncUntilMs[r] = 0;
    }
  }

  up(region: string): boolean {
    return !this.faults.regionDown(region, "aurora");
  }

  /** The storage network between two members carries replication and fencing. */
  private linked(a: string, b: string): boolean {
    return this.up(a) && this.up(b) && !this.faults.partitioned(a, b);
  }

  rebuilding(region: string, nowMs: number): boolean {
    return (this.resyncUntilMs[region] ?? 0) > nowMs;
  }

  /** Called once per simulated second. */
  step(nowMs: number): void {
    for (const r of this.regions) {
      if (r === this.writer || this.rebuilding(r, nowMs)) continue;
      if (this.linked(this.writer, r)) {
        // The lag metric is the real gap: a replication-lag fault slows replication down,
        // so what is missing grows from the fault's start towards its figure, never jumps.
        const behindMs = this.random.jittered(this.t.lag.mean, this.t.lag.jitter) + this.faults.extraLagMs("aurora");
        this.replicatedUpToMs[r] = Math.max(this.replicatedUpToMs[r] ?? 0, nowMs - behindMs);
        this.lagMs[r] = nowMs - (this.replicatedUpToMs[r] ?? 0);
      } else if (this.up(this.writer) && this.up(r)) {
        // Cut from a live writer: nothing arrives, and the secondary's lag metric says so.
        this.lagMs[r] = nowMs - (this.replicatedUpToMs[r] ?? 0);
      }
    }
    for (const r of [...this.believesWriter]) {
      if (r === this.writer) continue;
      if (!this.linked(r, this.writer)) {
        this.fenceAtMs.delete(r);
        continue;
      }
      const at = this.fenceAtMs.get(r) ?? nowMs + this.draw(this.t.fencing);
      this.fenceAtMs.set(r, at);
      if (nowMs >= at) this.demote(r, nowMs);
    }
    if (this.op && nowMs >= this.op.doneAtMs) this.complete(nowMs);
  }

  private draw(s: Spread): number {
    return Math.round(this.random.jittered(s.mean, s.jitter));
  }

  private demote(region: string, nowMs: number): void {
    this.believesWriter.delete(region);
    this.fenceAtMs.delete(region);
    this.stale.delete(region);
    this.resyncUntilMs[region] = nowMs + this.draw(this.t.rebuild);
    this.event("aurora.fenced", { region, rebuildUntilMs: this.resyncUntilMs[region] });
  }

  private complete(nowMs: number): void {
    const op = this.op!;
    delete this.op;
    this.writer = op.to;
    this.believesWriter.add(op.to);
    this.fenceAtMs.delete(op.to);
    this.stale.delete(op.to);
    if (op.kind === "switchover") {
      this.believesWriter.delete(op.from);
      this.replicatedUpToMs[op.from] = nowMs;
      this.lagMs[op.from] = 0;
    } else {
      const fromMs = this.replicatedUpToMs[op.to] ?? 0;
      const loss: LossWindow = { region: op.from, fromMs, toMs: Math.max(fromMs, this.lastAcceptedWriteMs[op.from] ?? 0), atMs: nowMs };
      this.losses.push(loss);
      // The old primary holds every write it acknowledged: were it promoted again before it is
      // rebuilt, only what the new writer took since is lost (not the whole history).
      this.replicatedUpToMs[op.from] = Math.max(this.replicatedUpToMs[op.from] ?? 0, this.lastAcceptedWriteMs[op.from] ?? 0);
      // The old primary stays a writer until fenced (step); every other secondary is rebuilt.
      this.stale.set(op.from, undefined);
      for (const r of this.regions) if (r !== op.to && r !== op.from) this.resyncUntilMs[r] = nowMs + this.draw(this.t.rebuild);
    }
    this.event("aurora.promoted", { kind: op.kind, from: op.from, to: op.to, startedAtMs: op.startedAtMs });
  }

  /** Why a promotion request is refused, or undefined when it starts. */
  start(kind: "failover" | "switchover", to: string, nowMs: number): string | undefined {
    if (this.op) return `a ${this.op.kind} to ${this.op.to} is already in progress`;
    if (to === this.writer) return `${to} is already the primary`;
    if (!this.regions.includes(to)) return `${to} is not a member`;
    if (!this.up(to)) return `the target cluster in ${to} is not available`;
    if (this.rebuilding(to, nowMs)) return `the target cluster in ${to} is pending-resync (rebuilt after an unplanned failover)`;
    if (kind === "switchover" && !this.up(this.writer)) return `the primary in ${this.writer} is unreachable: a switchover needs it (use a failover)`;
    if (kind === "switchover" && !this.linked(this.writer, to)) return `the primary in ${this.writer} cannot reach ${to}: a switchover needs them in sync`;
    const durationMs = kind === "failover" ? (this.faults.stuckPromotionMs() ?? this.draw(this.t.failover)) : this.draw(this.t.switchover) + (this.lagMs[to] ?? 0);
    this.op = { kind, from: this.writer, to, startedAtMs: nowMs, doneAtMs: nowMs + durationMs };
    this.event(`aurora.${kind}.started`, { from: this.writer, to });
    return undefined;
  }

  /** A switchover blocks writes on the old primary while roles swap. */
  acceptsWrites(region: string): boolean {
    if (!this.up(region) || !this.believesWriter.has(region)) return false;
    return !(this.op?.kind === "switchover" && this.op.from === region);
  }

  /** Clients' writes acknowledged by `region` at `nowMs`. */
  noteWrite(region: string, nowMs: number): void {
    this.lastAcceptedWriteMs[region] = nowMs;
    // A stale writer's acknowledged writes never reach the new writer: a loss of their own.
    if (region === this.writer || !this.stale.has(region)) return;
    const open = this.stale.get(region);
    if (open) open.toMs = nowMs;
    else {
      const loss: LossWindow = { region, fromMs: nowMs - 1_000, toMs: nowMs, atMs: nowMs };
      this.losses.push(loss);
      this.stale.set(region, loss);
    }
  }

  /** SynchronizationStatus as DescribeGlobalClusters reports it. */
  syncStatus(region: string, nowMs: number): "connected" | "pending-resync" {
    return this.rebuilding(region, nowMs) ? "pending-resync" : "connected";
  }
}
