// The simulated Aurora global database (reference/aws-apis.md, "Aurora
// global database"): one writer, secondaries replicating with lag; an
// unplanned failover (AllowDataLoss) promotes after failoverDuration and
// loses exactly the writes the target had not received; a switchover waits
// for the target to catch up and loses nothing. The old primary is fenced
// when its region answers, and otherwise keeps believing it is the writer
// until its region recovers (then it rejoins as a secondary).

import type { SeededRandom } from "../core/index.js";
import type { FaultBook } from "./faults.js";

export interface AuroraOp {
  kind: "failover" | "switchover";
  from: string;
  to: string;
  startedAtMs: number;
  doneAtMs: number;
}

export interface LossWindow {
  fromMs: number;
  toMs: number;
  atMs: number;
}

export class SimAurora {
  writer: string;
  /** Regions whose cluster accepts writes when its region is up. */
  readonly believesWriter = new Set<string>();
  /** Old primaries to demote when their region comes back. */
  readonly pendingDemotion = new Set<string>();
  op?: AuroraOp;
  readonly lagMs: Record<string, number> = {};
  readonly replicatedUpToMs: Record<string, number> = {};
  readonly lastAcceptedWriteMs: Record<string, number> = {};
  readonly losses: LossWindow[] = [];

  constructor(
    readonly regions: readonly string[],
    private readonly s: { lagMeanMs: number; lagJitterMs: number; failoverMs: number; switchoverMs: number },
    private readonly faults: FaultBook,
    private readonly random: SeededRandom,
    private readonly event: (event: string, detail: Record<string, unknown>) => void,
  ) {
    this.writer = regions[0]!;
    this.believesWriter.add(this.writer);
    for (const r of regions) {
      this.lagMs[r] = 0;
      this.replicatedUpToMs[r] = 0;
    }
  }

  up(region: string): boolean {
    return !this.faults.regionDown(region, "aurora");
  }

  /** Called once per simulated second. */
  step(nowMs: number): void {
    const primaryUp = this.up(this.writer);
    for (const r of this.regions) {
      if (r === this.writer) continue;
      this.lagMs[r] = this.random.jittered(this.s.lagMeanMs, this.s.lagJitterMs) + this.faults.extraLagMs("aurora");
      // Replication stops while the primary's storage is unreachable.
      if (primaryUp && this.up(r)) this.replicatedUpToMs[r] = Math.max(this.replicatedUpToMs[r] ?? 0, nowMs - (this.lagMs[r] ?? 0));
    }
    for (const r of [...this.pendingDemotion]) {
      if (this.up(r)) {
        this.pendingDemotion.delete(r);
        this.believesWriter.delete(r);
        this.event("aurora.rejoined", { region: r, as: "secondary" });
      }
    }
    if (this.op && nowMs >= this.op.doneAtMs) this.complete(nowMs);
  }

  private complete(nowMs: number): void {
    const op = this.op!;
    delete this.op;
    if (op.kind === "failover") {
      const fromMs = this.replicatedUpToMs[op.to] ?? 0;
      const toMs = this.lastAcceptedWriteMs[op.from] ?? 0;
      if (toMs > fromMs) this.losses.push({ fromMs, toMs, atMs: nowMs });
    }
    this.writer = op.to;
    this.believesWriter.add(op.to);
    this.replicatedUpToMs[op.from] = nowMs;
    if (this.up(op.from)) this.believesWriter.delete(op.from);
    else this.pendingDemotion.add(op.from);
    this.event("aurora.promoted", { kind: op.kind, from: op.from, to: op.to });
  }

  /** Why a promotion request is refused, or undefined when it starts. */
  start(kind: "failover" | "switchover", to: string, nowMs: number): string | undefined {
    if (this.op) return `a ${this.op.kind} to ${this.op.to} is already in progress`;
    if (to === this.writer) return `${to} is already the primary`;
    if (!this.regions.includes(to)) return `${to} is not a member`;
    if (!this.up(to)) return `the target cluster in ${to} is not available`;
    if (kind === "switchover" && !this.up(this.writer)) return `the primary in ${this.writer} is unreachable: a switchover needs it (use a failover)`;
    const durationMs = kind === "failover" ? (this.faults.stuckPromotionMs() ?? this.s.failoverMs) : this.s.switchoverMs + (this.lagMs[to] ?? 0);
    this.op = { kind, from: this.writer, to, startedAtMs: nowMs, doneAtMs: nowMs + durationMs };
    this.event(`aurora.${kind}.started`, { from: this.writer, to });
    return undefined;
  }

  /** A switchover blocks writes on the old primary while roles swap. */
  acceptsWrites(region: string): boolean {
    if (!this.up(region) || !this.believesWriter.has(region)) return false;
    return !(this.op?.kind === "switchover" && this.op.from === region);
  }
}
