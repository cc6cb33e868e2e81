// Aurora global database (reference/aws-apis.md, "Aurora global database"):
// one writer, secondaries replicating with lag, and the two ways to move the
// writer.
//   - SwitchoverGlobalCluster (planned, RPO 0): the primary stops taking
//     writes at once, Aurora waits until the target has applied everything,
//     then swaps roles after switchoverDuration. Refused while another
//     operation runs, while the primary or the target is unreachable, or
//     while the target is not `connected`.
//   - FailoverGlobalCluster with AllowDataLoss (unplanned): replication to
//     the target is cut at the call, the target is promoted after
//     failoverDuration (or an aurora-failover-stuck fault's duration), and
//     every write the old primary acknowledged after the target's applied
//     point is lost. The old primary is fenced at once when reachable; when
//     its region is down it keeps believing it is the writer until the
//     region recovers, accepts writes for staleWriterWindow, and is then
//     demoted and re-added as a `pending-resync` secondary.
// DescribeGlobalClusters shows FailoverState only while an operation runs,
// and the old primary keeps IsWriter until the promotion completes.

import type { Region } from "../../core/index.js";
import { rdsErrors, unsupported } from "../errors.js";
import { bool, str, type CallContext, type Input } from "./call-context.js";
import type { WorldCore } from "./core.js";
import { ReplicationLink } from "./replication.js";

export interface AuroraMember {
  region: Region;
  arn: string;
  /** Cluster identifier (the ARN's last segment), the metrics' DBClusterIdentifier. */
  name: string;
  /** The global cluster's view (DescribeGlobalClusters IsWriter). */
  role: "writer" | "secondary";
  /** What the cluster itself believes: true for a stale old primary that was not fenced. */
  believesWriter: boolean;
  /** Writes blocked (a switchover in progress). */
  readOnly: boolean;
  sync: "connected" | "pending-resync";
  /** DBCluster Status. */
  status: string;
  /** Replication into this member (meaningful while it is a secondary). */
  link: ReplicationLink;
  /** Replication stopped for good (promotion target, or resyncing old primary). */
  cut: boolean;
}

interface Operation {
  kind: "failover" | "switchover";
  from: AuroraMember;
  to: AuroraMember;
  startMs: number;
  status: string;
  /** Switchover: writer time the target must reach before the swap. */
  syncPointMs: number;
}

/** One unplanned promotion's data-loss window, evaluated against the acknowledged writes at the end. */
export interface LossWindow {
  from: Region;
  to: Region;
  /** Writer time up to which the target held every write when replication was cut. */
  appliedMs: number;
  startMs: number;
  /** When the old primary stopped accepting writes (undefined: not yet). */
  fencedAtMs?: number | undefined;
}

export interface PromotionEvent {
  from: Region;
  to: Region;
  mode: "planned" | "unplanned";
  startMs: number;
}

const CANCEL_MS = 10_000;
const SYNC_POLL_MS = 1_000;

export class AuroraModel {
  readonly globalClusterId: string;
  readonly members: AuroraMember[];
  private op: Operation | undefined;
  /** When the writer became unreachable (its last commit): what a secondary can be missing stops growing then. */
  private writerDownSinceMs: number | undefined;
  readonly losses: LossWindow[] = [];
  readonly promotionListeners: ((e: PromotionEvent) => void)[] = [];

  constructor(private readonly core: WorldCore) {
    const cfg = core.config.aurora;
    this.globalClusterId = cfg.globalCluster;
    this.members = core.regions.map((region, i) => {
      const arn = cfg.clusters[region] ?? `arn:aws:rds:${region}:${core.config.accountId}:cluster:${core.config.application}-${region}`;
      const member: AuroraMember = {
        region,
        arn,
        name: arn.split(":").at(-1) ?? arn,
        role: i === 0 ? "writer" : "secondary",
        believesWriter: i === 0,
        readOnly: false,
        sync: "connected",
        status: "available",
        cut: false,
        link: undefined as unknown as ReplicationLink,
      };
      member.link = new ReplicationLink(core, 1_000 + i, core.settings.aurora.replicationLag, "aurora", () => this.linkUp(member));
      return member;
    });
    this.settleAll();
    core.beforeFaultChange(() => this.settleAll());
    core.onFault((fault, started) => {
      // Settled again now that the faults changed: a link that just went down stops here.
      this.settleAll();
      if (fault.kind === "region-outage" && fault.services.includes("aurora")) this.onRegionAvailability(fault.region, !started);
    });
  }

  // ---------- state queries ----------

  writer(): AuroraMember {
    return this.members.find((m) => m.role === "writer") ?? this.members[0]!;
  }

  member(region: Region): AuroraMember | undefined {
    return this.members.find((m) => m.region === region);
  }

  private reachable(m: AuroraMember): boolean {
    return !this.core.outage(m.region, "aurora");
  }

  private linkUp(m: AuroraMember): boolean {
    if (m.role === "writer" || m.cut || m.sync !== "connected") return false;
    const w = this.writer();
    return w !== m && this.reachable(w) && this.reachable(m);
  }

  settleAll(): void {
    for (const m of this.members) m.link.settle();
  }

  /** The region's cluster acknowledges writes now (app availability is the caller's concern). */
  acceptsWrites(region: Region): boolean {
    const m = this.member(region);
    return m !== undefined && m.believesWriter && !m.readOnly && this.reachable(m);
  }

  /**
   * Secondary lag as AuroraGlobalDBRPOLag would report it (undefined for the
   * writer): how much committed work the secondary is missing. With the
   * writer unreachable no new commits exist, so it stays at what was in
   * flight when the writer went away.
   */
  lagMs(region: Region): number | undefined {
    const m = this.member(region);
    if (!m || m.role === "writer") return undefined;
    const upTo = this.writerDownSinceMs ?? this.core.now();
    return Math.max(0, upTo - m.link.applied());
  }

  operationInProgress(): boolean {
    return this.op !== undefined;
  }

  // ---------- the API ----------

  handle(command: string, input: Input, ctx: CallContext): unknown {
    switch (command) {
      case "DescribeGlobalClusters":
        return this.describeGlobalClusters(input, ctx);
      case "DescribeDBClusters":
        return this.describeDbClusters(input, ctx);
      case "FailoverGlobalCluster":
        if (bool(input.AllowDataLoss) === true && bool(input.Switchover) === true) {
          throw rdsErrors.invalidGlobalClusterState("AllowDataLoss and Switchover are mutually exclusive", ctx.requestId);
        }
        // Without AllowDataLoss the call behaves as a switchover (aws-apis.md).
        return bool(input.AllowDataLoss) === true ? this.failover(input, ctx) : this.switchover(input, ctx);
      case "SwitchoverGlobalCluster":
        return this.switchover(input, ctx);
      default:
        throw unsupported("rds", command, ctx.requestId);
    }
  }

  private checkGlobalId(input: Input, ctx: CallContext): void {
    const id = str(input.GlobalClusterIdentifier);
    if (id !== undefined && id !== this.globalClusterId) {
      throw rdsErrors.globalClusterNotFound(`Global cluster ${id} not found`, ctx.requestId);
    }
  }

  describe(): Record<string, unknown> {
    const op = this.op;
    return {
      GlobalClusterIdentifier: this.globalClusterId,
      GlobalClusterResourceId: `cluster-${this.globalClusterId}`,
      GlobalClusterArn: `arn:aws:rds::${this.core.config.accountId}:global-cluster:${this.globalClusterId}`,
      Status: op === undefined ? "available" : op.kind === "failover" ? "failing-over" : "switching-over",
      Engine: "aurora-postgresql",
      EngineVersion: "16.4",
      StorageEncrypted: true,
      DeletionProtection: true,
      Endpoint: `${this.globalClusterId}.global-sim.global.rds.amazonaws.com`,
      GlobalClusterMembers: this.members.map((m) => ({
        DBClusterArn: m.arn,
        IsWriter: m.role === "writer",
        Readers: m.role === "writer" ? this.members.filter((x) => x !== m).map((x) => x.arn) : [],
        ...(m.role === "secondary" && { SynchronizationStatus: m.sync }),
        GlobalWriteForwardingStatus: "disabled",
      })),
      ...(op !== undefined && {
        FailoverState: { Status: op.status, FromDbClusterArn: op.from.arn, ToDbClusterArn: op.to.arn, IsDataLossAllowed: op.kind === "failover" },
      }),
    };
  }

  private describeGlobalClusters(input: Input, ctx: CallContext): unknown {
    this.checkGlobalId(input, ctx);
    return { GlobalClusters: [this.describe()] };
  }

  private describeDbClusters(input: Input, ctx: CallContext): unknown {
    const id = str(input.DBClusterIdentifier);
    // DescribeDBClusters is regional: only the member in the called region exists there.
    const local = this.members.filter((m) => m.region === ctx.region && (id === undefined || id === m.arn || id === m.name));
    if (id !== undefined && local.length === 0) throw rdsErrors.dbClusterNotFound(`DBCluster ${id} not found.`, ctx.requestId);
    return {
      DBClusters: local.map((m) => ({
        DBClusterArn: m.arn,
        DBClusterIdentifier: m.name,
        Status: m.status,
        Engine: "aurora-postgresql",
        EngineVersion: "16.4",
        GlobalClusterIdentifier: this.globalClusterId,
        MultiAZ: true,
        DBClusterMembers: [{ DBInstanceIdentifier: `${m.name}-1`, IsClusterWriter: m.believesWriter, DBClusterParameterGroupStatus: "in-sync" }],
      })),
    };
  }

  private target(input: Input, ctx: CallContext): AuroraMember {
    this.checkGlobalId(input, ctx);
    const id = str(input.TargetDbClusterIdentifier);
    const t = this.members.find((m) => m.arn === id || m.name === id);
    if (!t) throw rdsErrors.dbClusterNotFound(`DBCluster ${String(id)} is not a member of global cluster ${this.globalClusterId}`, ctx.requestId);
    if (this.op) {
      throw rdsErrors.invalidGlobalClusterState(
        `Global cluster ${this.globalClusterId} has a ${this.op.kind} in progress (${this.op.status})`,
        ctx.requestId,
      );
    }
    if (t.role === "writer") throw rdsErrors.invalidGlobalClusterState(`${t.arn} is already the primary cluster`, ctx.requestId);
    if (!this.reachable(t)) throw rdsErrors.invalidDbClusterState(`Target cluster ${t.arn} is not available`, ctx.requestId);
    return t;
  }

  private switchover(input: Input, ctx: CallContext): unknown {
    const to = this.target(input, ctx);
    const from = this.writer();
    if (!this.reachable(from)) throw rdsErrors.invalidDbClusterState(`Primary cluster ${from.arn} is not available`, ctx.requestId);
    if (to.sync !== "connected" || to.cut) {
      throw rdsErrors.invalidGlobalClusterState(`Target cluster ${to.arn} is not synchronized (${to.sync})`, ctx.requestId);
    }
    this.settleAll();
    const startMs = this.core.now();
    from.readOnly = true;
    this.op = { kind: "switchover", from, to, startMs, status: "switching-over", syncPointMs: startMs };
    this.core.touch();
    this.core.log("aurora.switchover.start", { from: from.region, to: to.region, lagMs: to.link.currentLagMs() });
    this.core.sched.after(0, () => this.waitForSync(this.op!));
    return { GlobalCluster: this.describe() };
  }

  private waitForSync(op: Operation): void {
    if (this.op !== op) return;
    if (!this.reachable(op.from) || !this.reachable(op.to)) return this.cancel(op, "a member became unreachable");
    if (op.to.link.applied() < op.syncPointMs) {
      this.core.sched.after(SYNC_POLL_MS, () => this.waitForSync(op));
      return;
    }
    const swapMs = this.core.stuckPromotionMs() ?? this.core.settings.aurora.switchoverDurationMs;
    this.core.log("aurora.switchover.synced", { to: op.to.region, waitedMs: this.core.now() - op.startMs });
    this.core.sched.after(swapMs, () => this.completeSwitchover(op));
  }

  private cancel(op: Operation, why: string): void {
    op.status = "cancelling";
    this.core.log("aurora.switchover.cancelling", { from: op.from.region, to: op.to.region, reason: why });
    this.core.sched.after(CANCEL_MS, () => {
      if (this.op !== op) return;
      this.op = undefined;
      op.from.readOnly = false;
      this.core.touch();
      this.core.log("aurora.switchover.cancelled", { from: op.from.region, to: op.to.region });
    });
  }

  private completeSwitchover(op: Operation): void {
    if (this.op !== op) return;
    if (!this.reachable(op.from) || !this.reachable(op.to)) return this.cancel(op, "a member became unreachable");
    this.settleAll();
    const now = this.core.now();
    op.from.role = "secondary";
    op.from.believesWriter = false;
    op.from.readOnly = false;
    op.to.role = "writer";
    op.to.believesWriter = true;
    this.op = undefined;
    // The old primary holds every write: it was the source of them all.
    op.from.link.resetTo(now);
    for (const m of this.members) m.link.settle();
    this.core.touch();
    this.core.log("aurora.promoted", { region: op.to.region, from: op.from.region, mode: "planned", lostWrites: 0 });
    for (const l of this.promotionListeners) l({ from: op.from.region, to: op.to.region, mode: "planned", startMs: op.startMs });
  }

  private failover(input: Input, ctx: CallContext): unknown {
    const to = this.target(input, ctx);
    const from = this.writer();
    this.settleAll();
    const startMs = this.core.now();
    const loss: LossWindow = { from: from.region, to: to.region, appliedMs: to.link.applied(), startMs };
    to.cut = true;
    to.status = "failing-over";
    to.link.settle();
    this.losses.push(loss);
    this.op = { kind: "failover", from, to, startMs, status: "failing-over", syncPointMs: loss.appliedMs };
    if (this.reachable(from)) this.fence(from);
    this.core.touch();
    this.core.log("aurora.failover.start", {
      from: from.region,
      to: to.region,
      allowDataLoss: true,
      targetBehindMs: startMs - loss.appliedMs,
      oldPrimaryFenced: !from.believesWriter,
    });
    const promoteMs = this.core.stuckPromotionMs() ?? this.core.settings.aurora.failoverDurationMs;
    this.core.sched.after(promoteMs, () => this.completeFailover(this.op!));
    return { GlobalCluster: this.describe() };
  }

  private completeFailover(op: Operation): void {
    if (this.op !== op) return;
    this.settleAll();
    op.to.role = "writer";
    op.to.believesWriter = true;
    op.to.cut = false;
    this.writerDownSinceMs = undefined;
    op.to.status = "available";
    op.from.role = "secondary";
    op.from.sync = "pending-resync";
    op.from.cut = true;
    this.op = undefined;
    for (const m of this.members) m.link.settle();
    this.core.touch();
    this.core.log("aurora.promoted", { region: op.to.region, from: op.from.region, mode: "unplanned" });
    for (const l of this.promotionListeners) l({ from: op.from.region, to: op.to.region, mode: "unplanned", startMs: op.startMs });
    if (!op.from.believesWriter && this.reachable(op.from)) this.scheduleResync(op.from);
  }

  private fence(m: AuroraMember): void {
    if (!m.believesWriter) return;
    m.believesWriter = false;
    m.readOnly = false;
    for (const loss of this.losses) if (loss.from === m.region && loss.fencedAtMs === undefined) loss.fencedAtMs = this.core.now();
    this.core.touch();
    this.core.log("aurora.fenced", { region: m.region });
  }

  private scheduleResync(m: AuroraMember): void {
    this.core.sched.after(this.core.settings.aurora.resyncMs, () => {
      if (m.role !== "secondary" || m.sync === "connected" || !this.reachable(m) || m.believesWriter) return;
      m.sync = "connected";
      m.cut = false;
      m.link.resetTo(this.core.now() - m.link.lagMs(this.core.now()));
      this.core.touch();
      this.core.log("aurora.rejoined", { region: m.region });
    });
  }

  private onRegionAvailability(region: Region, up: boolean): void {
    const m = this.member(region);
    if (!m) return;
    m.status = up ? (this.op?.to === m ? "failing-over" : "available") : "inaccessible";
    if (m.role === "writer") this.writerDownSinceMs = up ? undefined : this.core.now();
    if (!up) return;
    const stale = m.believesWriter && m.role === "secondary";
    const staleDuringOp = m.believesWriter && this.op?.from === m && this.op.kind === "failover";
    if (stale || staleDuringOp) {
      // Back from the dead still believing it is the writer: it takes writes
      // until Aurora's control plane gets to it.
      const windowMs = this.core.settings.aurora.staleWriterWindowMs;
      if (windowMs > 0) this.core.log("aurora.stale-writer", { region, windowMs });
      this.core.sched.after(windowMs, () => {
        // Still the writer with no promotion under way: nothing to fence.
        if (!m.believesWriter || (m.role === "writer" && this.op?.from !== m)) return;
        this.fence(m);
        if (m.role === "secondary") this.scheduleResync(m);
      });
      return;
    }
    if (m.role === "secondary" && m.sync === "pending-resync") this.scheduleResync(m);
  }
}
