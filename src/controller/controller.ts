// The control cycle: gather -> decide -> act, one cycle per tick.
//
// gather: due probes -> this observer's health view (published to the store
//         for the others) + replication lag + Aurora topology;
// decide: the pure policy over every observer's fresh view;
// act:    only under the lease. Winning it bumps the fencing epoch; the
//         runbook carries that epoch and fences every mutating step on it.
//
// Soft errors (an AWS call failing, the store not answering) are logged
// with call and region and retried next tick; they never crash the cycle.
// The runbook runs in the background, so ticks keep publishing views (the
// other observers' quorum depends on them) while it works.

import { controlRegionFor, type Config } from "../config/index.js";
import { AwsCallError, formatDurationMs, type Clock, type Decision, type HealthView, type Incident, type IncidentEvent, type JournalEntry, type LagReading, type Region } from "../core/index.js";
import type { AwsAdapters } from "../aws/index.js";
import { CoordinationStore, type ControlRecord } from "../coordination/index.js";
import { HealthTracker } from "../health/index.js";
import { decide, quorumVerdict, type PolicyState } from "../policy/index.js";
import { dueProbes, runProbes, type AuroraTopology, type HttpClient, type ProbeSpec } from "../probes/index.js";
import { LocalRunbookEngine, type Definition, type RunbookName, type RunbookProgress, type RunbookResult, type RunbookStatus } from "../runbooks/index.js";
import { EscalationLifecycle } from "./escalations.js";
import { adoptedRetry, caughtUp, continuedRecord, failedAttempt, pagedReason, sameOutage, type Retry } from "./incident-retry.js";
import { clientDrainWait, healthParams, policyParams, probeSpecs, runbookInput } from "./mapping.js";
import { dataLossEstimateMs, dataLossProblem, forcedTargetProblem, manualSteps, type FailoverOptions } from "./override.js";
import { localRunbookEngine, type ExecutionView, type RunbookEngine } from "./runbook-engine.js";
import { WriterMemory, writerDisputed } from "./writer-trust.js";
import { sabotagedHealth, sabotagedPolicy, type Sabotage } from "./sabotage.js";
import { StepFunctionsFollower, lookupExecution } from "./sfn-follower.js";
import { ManualRefused, type Controller, type ControllerStatus, type CycleResult, type LeaseStatus, type ManualResult } from "./types.js";

export type ControllerEvent = (event: string, detail: Record<string, unknown>) => void;

export interface ControllerDeps {
  config: Config;
  region: Region;
  /** Unique per process: a restarted controller is a new owner and takes over under a new epoch. */
  instanceId: string;
  adapters: AwsAdapters;
  http: HttpClient;
  clock: Clock;
  runbooks: Record<RunbookName, Definition>;
  events?: ControllerEvent;
  /** Game-day saboteurs only (sabotage.ts): one safety removed. Never set in production. */
  sabotage?: Sabotage;
}

interface Acting {
  incident: Incident;
  epoch: number;
  runbook: RunbookName;
  done: Promise<RunbookStatus>;
  abort: () => void;
  progress?: () => RunbookProgress;
  /**
   * Its approval gate may be withdrawn (withdrawStaleGate): a gate started
   * for the policy, never an operator's move nor an approved run. A new run
   * waits at the gate again whatever earlier runs of the incident did, so
   * withdrawStaleGate also asks the record and the engine whether one went
   * past it, and clears this once one did.
   */
  gateWithdrawable: boolean;
}

/**
 * How long after the lease holder last wrote the outage a controller may continue it: a
 * controller restarted (a crashed process, a container restarted) and the lease's expiry.
 */
const SHARED_OUTAGE_GAP_MS = 3 * 60_000;
/** Escalations that do not mean the active region is down: they open no incident (and close none). */
const NOT_ACTIVE_DOWN: ReadonlySet<string> = new Set(["store-unreachable", "writer-elsewhere", "writer-disagreement"]);
/** The decision says the active region is down (an incident of it is open or starts). */
const activeRegionDown = (d: Decision): boolean =>
  d.action === "failover" || d.action === "wait-for-lag" || (d.action === "escalate" && !NOT_ACTIVE_DOWN.has(d.reason)) || (d.action === "hold" && d.downByQuorum);
/** How long after its last good read of the store a cycle that could not read it skips its heartbeat. */
const STALE_READ_SKIP_MS = 30_000;
/** The drain-first path's own calls (fences, kill-switch writes that may time out and retry) on top of its waits. */
const DRAIN_STEPS_ALLOWANCE_MS = 60_000;
/** A published topology read older than this (next to its view) says nothing about the old writer now (oldWriterAnswers). */
const AURORA_READ_FRESH_MS = 90_000;
/** Extra tries of an unanswered lease renewal while a runbook runs (renew). */
const RENEW_RETRIES = 2;
/** Shutdown's wait for a run in flight and its bookkeeping: well inside the daemon's hard stop (9 s) and ECS's 30 s SIGKILL. */
const SHUTDOWN_WAIT_MS = 5_000;

/**
 * Signatures (`reason:error`, incident-retry.ts) of the pages a controller
 * raised outside a runbook, recorded so whoever continues the incident adopts
 * them: one the policy clears when it stops naming it, and one held open
 * until the incident ends (it waits at a runbook's approval gate).
 */
const POLICY_PAGE = ":";
const HELD_PAGE = ":held-until-the-incident-ends";
/** The timeline events of a run that ended at its approval gate, having changed nothing (the rest of `runbook.*` may have acted). */
const GATE_ENDINGS: ReadonlySet<string> = new Set(["runbook.approval-timed-out", "runbook.rejected", "runbook.retried"]);

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class FailoverController implements Controller {
  private readonly tracker: HealthTracker;
  private readonly store: CoordinationStore;
  private readonly engine: RunbookEngine;
  private readonly specs: ProbeSpec[];
  private readonly lastProbeMs = new Map<string, number>();
  private readonly emit: ControllerEvent;
  /** Escalations raised and not yet resolved (a "resolved" event follows each). */
  private readonly escalations: EscalationLifecycle;
  private lag: LagReading;
  /** Which Aurora writers this controller believes, and when its kept lag readings stop holding (writer-trust.ts). */
  private readonly writers = new WriterMemory();
  /** When each secondary's Aurora lag was last read (a kept reading may be from before a partition cut this observer off). */
  private readonly lagReadAtMs = new Map<Region, number>();
  private topology?: AuroraTopology;
  /** When this.topology was read (it is published with the view). */
  private topologyAtMs?: number;
  private views: HealthView[] = [];
  private control?: ControlRecord;
  private lease: LeaseStatus = { epoch: 0, heldByMe: false };
  /** The run whose unrenewed lease is due to be checked again (renew). */
  private leaseCheck?: Acting;
  private acting?: Acting;
  /**
   * A run of ours has ended and its bookkeeping (the control record's marker,
   * the lease, the incident record) is still being written. A tick in that
   * window would read its own incident as orphaned (marker still set, record
   * still "acting") and resume it: a second run of a finished runbook, whose
   * fenced calls could land after the lease it releases was taken (sweep seed
   * 450152 under records: a record UPSERT by a controller no longer holding the lease).
   * Shutdown waits for it too: a process that exits mid-bookkeeping leaves
   * the same orphan for the next holder to resume.
   */
  private finishing?: Promise<void>;
  private firstDownAtMs?: number;
  /** The active region firstDownAtMs is about: once another region is active, that outage is over for this controller. */
  private firstDownRegion?: Region;
  /**
   * When the outage began by the lease holder's record, when this controller continues it
   * (sharedOutageStart): the RTO's clock, for the policy's deadlines only. The incident's id,
   * and which earlier incident it continues, stay this controller's own (firstDownAtMs).
   */
  private outageSinceMs?: number;
  /** The last cycle the active region was down by quorum (how long the policy may hold the incident). */
  private lastDownAtMs?: number;
  /** The first cycle of the incident held because its region answered again (decide.ts answeringHoldMs). */
  private answeringSinceMs?: number;
  private writerElsewhereSinceMs?: number;
  /** Since when (fresh reads) two regions' RDS APIs have named different writers. */
  private writerDisputedSinceMs?: number;
  private lastEscalation?: string;
  private lastDecision?: Decision;
  private lastCycle?: CycleResult;
  private cycles = 0;
  private ready = false;
  private stopped = false;
  /** An operator's safety-rule override for the run failoverTo is about to start; start() takes it once. */
  private operatorOverrides?: readonly string[];
  /** When the store last answered (undefined: never). */
  private storeOkAtMs?: number;
  /**
   * Failed attempts of the current incident: the next one waits (exponential
   * backoff), and each distinct failure escalates once. Kept in the incident
   * record too, so the next holder of the lease continues it (adoptRetry).
   */
  private retry?: Retry;
  /**
   * The retry incident this controller read and did not take, with our first
   * sight of the outage and the lease epoch then: while another controller
   * holds the lease, read again only when one of those changes, not every
   * cycle (its holder's later attempts may make it ours to continue, and the
   * lease coming free is when that matters).
   */
  private declinedRetry?: string;
  /** The approval gate this controller is withdrawing (withdrawStaleGate), until its run ends. */
  private withdrawing?: { incidentId: string; why: string };

  constructor(private readonly deps: ControllerDeps) {
    const { config, region, clock } = deps;
    this.tracker = new HealthTracker(region, config.regions, sabotagedHealth(healthParams(config), deps.sabotage), clock.now());
    // MRSC: this region's own replica (its writes need a majority); else the one table.
    const db = deps.adapters.region(controlRegionFor(config, region)).dynamodb;
    this.store = new CoordinationStore(db, {
      tableName: config.coordination.table,
      application: config.application,
      owner: `${region}/${deps.instanceId}`,
      leaseMs: config.coordination.leaseDuration,
      maxClockSkewMs: config.coordination.maxClockSkew,
    });
    this.escalations = new EscalationLifecycle(deps.events ?? (() => undefined), () => this.incidentId(this.control?.activeRegion ?? config.regions[0]!));
    this.emit = this.escalations.emit;
    // Never a silent fall-back: the engine the config names, or the start escalates.
    this.engine =
      config.runbooks.engine === "step-functions"
        ? new StepFunctionsFollower({ config, adapters: deps.adapters, clock, definitions: deps.runbooks, controlRegion: controlRegionFor(config, region), pollMs: config.controller.interval, events: this.emit })
        : localRunbookEngine(new LocalRunbookEngine({ adapters: deps.adapters, clock, journal: this.store.journal, skipFences: deps.sabotage?.noFence === true }), deps.runbooks);
    this.specs = probeSpecs(config);
    this.lag = { auroraLagMs: {}, dynamodbLagMs: {}, atMs: clock.now() };
  }

  get id(): string {
    return this.store.owner;
  }

  /** The controller's clock (virtual in the simulator). */
  nowMs(): number {
    return this.deps.clock.now();
  }

  async tick(): Promise<CycleResult> {
    const startMs = this.deps.clock.now();
    this.cycles++;
    const { decision, active, errors, storeReachable } = await this.assess();
    await this.heartbeat(active, errors, startMs, storeReachable);
    const outcome = await this.act(decision, active, errors, storeReachable);
    const result: CycleResult = { atMs: startMs, decision, outcome, errors, durationMs: this.deps.clock.now() - startMs };
    this.lastCycle = result;
    return result;
  }

  /**
   * Starts (or stops) the clock on Aurora's writer being another region than
   * the active one: only on a fresh topology read (a stale one would page
   * about a writer that has since moved) that two regions agree on (one
   * region's answer may be an unfenced old writer's own view), or, while
   * the regions dispute it, the one this controller trusts (writer-trust.ts):
   * a dispute that ends with Aurora fencing an old primary clients are still
   * sent to is the same mismatch going on, not a new one with a grace of its
   * own (writer-disagreement resolved, and 5 minutes of silence followed). No
   * run in flight or finishing (a failover differs for its promotion's
   * length). A cycle without the store keeps the clock where it is.
   */
  private noteWriterElsewhere(active: Region): void {
    const now = this.deps.clock.now();
    const fresh = this.topologyAtMs !== undefined && now - this.topologyAtMs <= AURORA_READ_FRESH_MS;
    const disputed = fresh && writerDisputed(this.topology);
    const writer = !fresh ? undefined : this.topology?.writerAgreed ? this.topology.writerRegion : disputed ? this.writer(active) : undefined;
    const quiet = !this.acting && !this.finishing && !this.control?.incidentId;
    if (writer !== undefined && writer !== active && quiet) this.writerElsewhereSinceMs ??= now;
    else this.writerElsewhereSinceMs = undefined;
    if (disputed) this.writerDisputedSinceMs ??= now;
    else this.writerDisputedSinceMs = undefined;
  }

  /**
   * The active region is the writer and its Aurora member answers (a planned switchover can
   * run): in this cycle's read, or in any observer's fresh read since the outage began
   * (oldWriterAnswers). One read is not enough evidence either way: with the RDS API timing
   * out on a share of calls, a single missed answer turned the decision into an unplanned
   * failover, whose old writer took the writes of clients caching its address until Aurora's
   * fence landed (unseen sweep seed 730218: 1 s of split brain, inside the envelope).
   */
  private primaryAnswers(active: Region, writer: Region | undefined): boolean {
    // A cycle in which no region's RDS API answered names no writer: the last one named within
    // the freshness window stands in (the answer itself is still required, from some observer).
    const recent = this.writers.recent(this.deps.clock.now(), AURORA_READ_FRESH_MS);
    return (writer ?? recent) === active && (this.topology?.answering.includes(active) === true || this.oldWriterAnswers(active));
  }

  /** The Aurora writer this controller acts on (writer-trust.ts): never an old primary's unconfirmed claim about itself. */
  private writer(active: Region | undefined): Region | undefined {
    return this.writers.trusted(this.topology, active, this.acting?.incident.to ?? this.retry?.incident.to, this.control?.replacedRegion);
  }

  /** Gather and decide, changing nothing (what `failover plan` and `status` show). */
  async assess(): Promise<{ decision: Decision; active: Region; errors: string[]; storeReachable: boolean }> {
    const { clock, config } = this.deps;
    const errors: string[] = [];
    await this.gather(errors);
    const storeReachable = await this.sync(errors);
    const active = this.control?.activeRegion ?? config.regions[0]!;
    if (this.firstDownRegion !== undefined && this.firstDownRegion !== active) this.activeMoved(active);
    this.noteWriterElsewhere(active);
    const writer = this.writer(active);
    const state: PolicyState = {
      activeRegion: active,
      ...(this.control?.lastFailoverAtMs !== undefined && { lastFailoverAtMs: this.control.lastFailoverAtMs }),
      ...(this.firstDownAtMs !== undefined && {
        incident: {
          id: this.incidentId(active), state: "open", firstDownAtMs: this.outageStartMs(this.firstDownAtMs),
          ...(this.lastDownAtMs !== undefined && { lastDownAtMs: this.lastDownAtMs }), ...(this.answeringSinceMs !== undefined && { answeringSinceMs: this.answeringSinceMs }),
        },
      }),
      storeReachable,
      primaryAnswers: this.primaryAnswers(active, writer),
      ...(writer && { writerRegion: writer }),
      ...(this.writerElsewhereSinceMs !== undefined && { writerElsewhereSinceMs: this.writerElsewhereSinceMs }),
      ...(this.writerDisputedSinceMs !== undefined && this.topology?.writerClaims && { writerDisputedSinceMs: this.writerDisputedSinceMs, writerClaims: this.topology.writerClaims }),
      ...(this.retry?.incident.switchoverFailures !== undefined && sameOutage(this.retry.incident, active, this.firstDownAtMs) && this.lagIsFresh(active) && { switchoverFailures: this.retry.incident.switchoverFailures }),
    };
    const decision = decide({ state, views: this.views, lag: this.lag, nowMs: clock.now(), params: sabotagedPolicy(policyParams(config), this.deps.sabotage), regions: config.regions, observers: [...config.regions, ...(config.witness ? [config.witness] : [])] });
    this.lastDecision = decision;
    // Every cycle, a runbook in flight or not: a run that ends after a long gate is not read as an old outage.
    if (activeRegionDown(decision)) this.lastDownAtMs = clock.now();
    if (decision.action === "hold" && decision.downByQuorum) this.answeringSinceMs ??= clock.now();
    return { decision, active, errors, storeReachable };
  }

  /**
   * Keeps the active region in service: its kill-switch alarm treats missing
   * data as breaching, so only a region someone vouches for stays in DNS. A
   * region back from an outage therefore stays out until a runbook moves
   * traffic there. While a runbook runs, it owns the switches. When the
   * store does not answer, the last control record read is used: without the
   * store no controller can take the lease, so no failover can have moved
   * the active region (a controller partitioned from the store alone is the
   * exception, handled below).
   */
  private async heartbeat(active: Region, errors: string[], nowMs: number, storeReachable: boolean): Promise<void> {
    const { config } = this.deps;
    const t = config.traffic;
    // A process that has never read the control record knows nothing: a controller
    // restarting behind a partition must not vouch for the region it assumes is active.
    if (t.strategy !== "health-check" || !this.control || this.control.incidentId || this.acting || this.stopped) return;
    // Cut off from the store for longer than a lease (plus skew), this controller
    // cannot know whether the others have failed over meanwhile; when the
    // active region itself is the one cut off (sweep seed 801), its own
    // controller is the only one still able to reach its alarm, and a stale
    // heartbeat would keep clients on a demoted writer until the partition
    // heals. Stopping is safe only for the first region (the PRIMARY
    // record): if nobody vouches for any region, Route 53 answers as if all
    // were healthy, i.e. the PRIMARY, so traffic can move only to a region
    // another controller vouches for from a fresher control record. For any
    // other active region a silent heartbeat could send clients back to the
    // PRIMARY, so it goes on from the last record read.
    const cutOffMs = config.coordination.leaseDuration + config.coordination.maxClockSkew;
    const storeSilent = this.storeOkAtMs === undefined || nowMs - this.storeOkAtMs > cutOffMs;
    // This cycle's read failed, but the store answered moments ago: most likely a flaky table,
    // not a cut-off one, so a runbook may have moved the active region since our last read,
    // and vouching from it would put the old region back in DNS (unseen sweep seed 470443:
    // DynamoDB timing out 30 % of the time, two heartbeats of 1 for the old primary seconds
    // after its switchover). Skip this beat: the others and the next cycle vouch. Only for
    // STALE_READ_SKIP_MS, whatever the lease: a table that stays down would otherwise silence
    // every controller at once for a whole lease, and the alarm breaches on missing data.
    if (!storeReachable && this.storeOkAtMs !== undefined && nowMs - this.storeOkAtMs <= STALE_READ_SKIP_MS) return;
    // Cut off, it says so (0) rather than just falling silent: a silent metric breaches
    // only after the alarm's missing-data periods (minutes), a 0 within its delay. That
    // bounds how long clients keep writing to an isolated primary the others may have
    // replaced (docs/failure-modes.md). The alarm takes the Minimum over its period, so
    // another controller's 1 does not cancel it; with every check unhealthy Route 53
    // answers the PRIMARY anyway, so nothing moves unless another region is vouched for.
    const value = storeSilent && active === config.regions[0] ? 0 : 1;
    try {
      await this.deps.adapters.region(active).cloudwatch.putMetricData({
        namespace: t.killSwitch.namespace,
        data: [{ metricName: t.killSwitch.metricName, dimensions: { Region: active }, value, timestampMs: this.deps.clock.now(), unit: "Count" }],
      });
    } catch (err) {
      errors.push(errorText(err));
    }
  }

  /** Probes that are due; the view; replication readings. Probes never throw. */
  private async gather(errors: string[]): Promise<void> {
    const { clock, config, region } = this.deps;
    const due = dueProbes(this.specs, this.lastProbeMs, clock.now());
    for (const s of due) this.lastProbeMs.set(s.name, clock.now());
    if (due.length === 0) return;
    const out = await runProbes(due, {
      observer: region,
      targets: config.regions,
      adapters: this.deps.adapters,
      http: this.deps.http,
      clock,
      aurora: { globalClusterId: config.aurora.globalCluster, clusters: config.aurora.clusters, lagMetric: config.aurora.lagMetric },
      dynamodbTables: config.dynamodb.tables,
      activeRegion: this.control?.activeRegion ?? config.regions[0]!,
    });
    this.tracker.observe(out.observations);
    // Readings kept from under another writer say nothing about promoting a region now (sweep
    // seed 150221: an old primary, back after 44 min and never rejoined, was promoted on the 0 ms
    // it had as the writer; 34 min of writes lost): WriterMemory says when they stop holding.
    let writer: Region | undefined;
    if (out.topology) {
      this.topology = out.topology;
      this.topologyAtMs = clock.now();
      this.writers.notePromotion(out.topology);
      writer = this.writer(this.control?.activeRegion);
      if (this.writers.noteRead(writer, out.topology.writerRegion, clock.now())) this.lag = { ...this.lag, auroraLagMs: {} };
    }
    // The writer loses nothing by being promoted: 0 for a writer the probe saw confirmed, and for
    // one this controller trusts on its own claim (writer-trust.ts).
    const auroraLagMs = out.auroraLagMs && writer !== undefined ? { ...out.auroraLagMs, [writer]: 0 } : out.auroraLagMs;
    // Last known lag per region is kept: after a primary dies, the lag it had is the data-loss estimate.
    if (auroraLagMs) this.lag = { ...this.lag, auroraLagMs: { ...this.lag.auroraLagMs, ...auroraLagMs }, atMs: clock.now() };
    for (const r of Object.keys(auroraLagMs ?? {})) if (r !== writer) this.lagReadAtMs.set(r, clock.now());
    if (out.dynamodbLagMs) this.lag = { ...this.lag, dynamodbLagMs: { ...this.lag.dynamodbLagMs, ...out.dynamodbLagMs } };
    // A member being rebuilt has no meaningful lag: the last reading (0 ms while it was the
    // writer) would make it look like a ready target, so its lag is unknown until it is in sync.
    for (const r of this.topology?.resyncing ?? []) {
      if (this.lag.auroraLagMs[r] === undefined) continue;
      const { [r]: _gone, ...rest } = this.lag.auroraLagMs;
      this.lag = { ...this.lag, auroraLagMs: rest };
    }
    for (const o of out.observations) if (!o.ok && o.detail?.includes(" failed: ")) errors.push(o.detail);
  }

  /** Publish our view, read everyone's, read the control record. False when the store did not answer. */
  private async sync(errors: string[]): Promise<boolean> {
    const now = this.deps.clock.now();
    try {
      await this.store.publishView(this.ownView(now));
      this.views = await this.store.readViews();
      const before = this.control?.activeRegion;
      this.control = await this.store.lease.read();
      // A runbook moved the active region: the old one was replaced (WriterMemory.activeMoved).
      const after = this.control?.activeRegion;
      if (before !== undefined && after !== undefined && after !== before) {
        this.writers.activeMoved(before, after);
        // Its kept "0 ms" only meant it was the writer (the same rule as a writer change in gather).
        if (this.lag.auroraLagMs[before] !== undefined) {
          const { [before]: _replaced, ...rest } = this.lag.auroraLagMs;
          this.lag = { ...this.lag, auroraLagMs: rest };
        }
      }
      if (!this.control) {
        await this.store.lease.initialize(this.deps.config.regions[0]!);
        this.control = await this.store.lease.read();
      }
      this.ready = true;
      this.storeOkAtMs = now;
      return true;
    } catch (err) {
      errors.push(errorText(err));
      // Without the store only our own view is known: it can never make a quorum alone.
      this.views = [this.tracker.view(now)];
      return false;
    }
  }

  /**
   * The incident of the outage of `active` this controller is tracking: the
   * one it continues (its own failed run's, or another holder's it adopted),
   * else one named after when it first saw the region down.
   */
  private incidentId(active: Region): string {
    const r = this.retry;
    if (r && sameOutage(r.incident, active, this.firstDownAtMs)) return r.incidentId;
    return `${this.deps.config.application}-${active}-${this.firstDownAtMs ?? this.deps.clock.now()}`;
  }

  /**
   * When the outage of `active` that the lease holder wrote into the control
   * record began, if this is still that outage: some observer's fresh view
   * has seen the region DOWN without a break since before the holder last
   * said so (with maxClockSkew to spare). A controller restarted, or taking
   * the lease over, mid-outage otherwise starts the RTO's clock again: its
   * own probes first saw the region down only now, so the wait for lag ran
   * past the deadline (a witness restarted 6 minutes into the outage: RTO
   * 18m59s, lease-holder-restart-during-lag-wait.yaml). An observer's own
   * DOWN never dates the outage (it may be partitioned from the primary):
   * the date is the lease holder's incident's, the views only show it did
   * not end, and it moves the policy's deadlines only (outageSinceMs), not
   * the incident's id or which earlier incident this one continues.
   */
  private sharedOutageStart(active: Region): number | undefined {
    const outage = this.control?.outage;
    const now = this.deps.clock.now();
    // Written within a restart and a lease's expiry of now: nobody clears the record, so an older one
    // is an outage that ended (or a holder long gone), and the region failing now is a new outage.
    if (!outage || outage.region !== active || outage.sinceMs > now || now - outage.seenAtMs > SHARED_OUTAGE_GAP_MS) return undefined;
    const { maxViewAgeMs } = policyParams(this.deps.config);
    const skewMs = this.deps.config.coordination.maxClockSkew;
    const unbroken = this.views.some((v) => {
      const seen = v.regions[active];
      return now - v.atMs <= maxViewAgeMs && seen?.state === "DOWN" && seen.sinceMs + skewMs <= outage.seenAtMs;
    });
    return unbroken ? outage.sinceMs : undefined;
  }

  /** The RTO clock's start: this controller's first sight of the outage, or the lease holder's if earlier and continued. */
  private outageStartMs(firstDownAtMs: number): number {
    return Math.min(firstDownAtMs, this.outageSinceMs ?? Number.POSITIVE_INFINITY);
  }

  /** The outage is over for us: no incident, nothing to retry, nothing paged stays open. */
  private forgetIncident(): void {
    this.firstDownAtMs = undefined;
    this.firstDownRegion = undefined;
    this.outageSinceMs = undefined;
    this.lastDownAtMs = undefined;
    this.answeringSinceMs = undefined;
    this.lastEscalation = undefined;
    this.retry = undefined;
  }

  /**
   * Another region is active now (a failover, by us or another controller):
   * the outage this controller was tracking is over, and what it paged about
   * it is resolved, saying so, rather than as a decision about the new region.
   */
  private activeMoved(active: Region): void {
    const by = this.control?.owner && this.control.owner !== this.id ? ` (the lease holder is ${this.control.owner})` : "";
    this.escalations.resolveAll(`${active} is the active region now${by}`);
    this.forgetIncident();
  }

  /**
   * Another controller's run for this outage failed and is due to be tried
   * again (the control record names it): whoever holds the lease next
   * continues that incident (its id, attempts, backoff, and the failures it
   * already paged) rather than opening one of its own, so an outage is one
   * incident and one page however often the lease changes hands. Taken only
   * when this controller has seen the same active region down since before
   * that run ended: the same outage by its own evidence. The journal is the
   * incident's, and a later run replays only the steps of the same move
   * (local-engine.ts sameMove). "changed": what this cycle decided did not
   * know the incident's attempts (switchover failures among them), so the
   * cycle acts on nothing and the next one decides with them. A record the
   * store did not return this cycle is not waited for: with DynamoDB
   * failing a third of its calls (api-errors-during-runbook) that stalled
   * every controller for minutes, worse than a second incident id.
   */
  private async adoptRetry(active: Region): Promise<"changed" | undefined> {
    const c = this.control;
    const id = c?.retryIncidentId;
    if (!id || this.firstDownAtMs === undefined) return undefined;
    const mine = this.retry?.incidentId === id ? this.retry : undefined;
    const declined = `${id}|${this.firstDownAtMs}|${c?.epoch}`;
    // While another controller holds the lease, what we know will do; once it is free, the
    // record may have moved on (another holder's attempts since ours): read it again.
    const takeable = !c?.owner || c.expiresAtMs < this.deps.clock.now() - this.deps.config.coordination.maxClockSkew;
    if (!takeable && (mine || this.declinedRetry === declined)) return undefined;
    let incident: Incident | undefined;
    try {
      incident = await this.store.getIncident(id);
    } catch (err) {
      // The store did not answer: asked again next cycle. A garbled record is no incident to continue.
      if (err instanceof AwsCallError) return undefined;
    }
    if (mine) return incident && caughtUp(mine, incident) ? "changed" : undefined;
    if (!incident || incident.state !== "escalated" || !sameOutage(incident, active, this.firstDownAtMs)) {
      this.declinedRetry = declined;
      return undefined;
    }
    this.retry = adoptedRetry(incident);
    this.lastEscalation = undefined;
    return "changed";
  }

  private async act(decision: Decision, active: Region, errors: string[], storeReachable: boolean): Promise<CycleResult["outcome"]> {
    // A controller that is shutting down never takes the lease again (a tick may still be in flight).
    if (this.stopped || this.deps.sabotage?.neverAct) return "nothing";
    // A cycle that could not read the store saw nothing clear: resolving then would only
    // announce the same escalation again at the next good read.
    // While a gate waits, what it was paged for stays open whatever this cycle decides (withdrawn,
    // or ended, the next cycle resolves it).
    if (storeReachable || decision.action !== "none") this.escalations.settle(decision, this.acting?.incident.state === "awaiting-approval");
    const now = this.deps.clock.now();
    if (this.acting) {
      await this.renew(errors);
      await this.withdrawStaleGate(decision, active);
      return "waiting";
    }
    if (this.finishing) return "waiting";
    // A runbook left half-done by a controller that died: whoever wins the lease resumes it.
    const orphan = this.control?.incidentId;
    if (orphan) {
      const incident = await this.store.getIncident(orphan).catch(() => undefined);
      if (incident && (incident.state === "acting" || incident.state === "awaiting-approval") && incident.to && incident.runbook) {
        if (!(await this.win(errors))) return "lost-lease";
        this.emit("runbook.resumed", { incident: incident.id, runbook: incident.runbook, epoch: this.lease.epoch });
        return this.startSafely(errors, incident.runbook as RunbookName, incident.from, incident.to, incident.mode ?? "unplanned", incident.approvalRequired ?? false, incident);
      }
      // The marker of an incident that has ended (its runbook finished, but the write clearing
      // the marker failed, e.g. throttled): while it stays, no controller vouches for the active
      // region, its kill switch goes stale and Route 53 sends clients back to the old primary
      // (sweep seed 271: 1h8m). Whoever wins the lease clears it.
      if (incident && (incident.state === "resolved" || incident.state === "escalated" || incident.state === "aborted")) {
        if (!(await this.win(errors))) return "lost-lease";
        const { epoch } = this.lease;
        // Our copy of the record may be stale (the reads that failed are why the marker
        // stayed): under the lease nobody else writes it, so read it again and clear the
        // marker only if it still names that incident, never a newer incident's.
        const cleared = await this.store.lease
          .read()
          .then(async (fresh) => (fresh?.incidentId === orphan ? (await this.store.lease.updateControl(epoch, { incidentId: null, ...(incident.state === "escalated" && { retryIncidentId: orphan }) })).status === "done" : false))
          .catch((err: unknown) => {
            errors.push(errorText(err));
            return false;
          });
        if (cleared) this.emit("incident.marker-cleared", { incident: orphan, state: incident.state, epoch });
        await this.store.lease.release(epoch).catch(() => undefined);
        this.lease = { ...this.lease, heldByMe: false };
        return "nothing";
      }
    }
    const activeDown = activeRegionDown(decision);
    if (activeDown && this.firstDownAtMs === undefined) {
      this.firstDownAtMs = now;
      this.outageSinceMs = this.sharedOutageStart(active);
      this.firstDownRegion = active;
    } else if (!activeDown && (decision.action === "abort" || decision.action === "none" || decision.action === "cooldown")) this.forgetIncident();
    if (activeDown && (await this.adoptRetry(active)) === "changed") return "waiting";
    const retry = this.retry?.incidentId === this.incidentId(active) ? this.retry : undefined;
    if (retry && now < retry.notBeforeMs && (decision.action === "failover" || decision.action === "escalate" || decision.action === "failback")) {
      // The last attempt of this incident failed: the next waits for its backoff instead of looping.
      return "waiting";
    }
    switch (decision.action) {
      case "none":
      case "cooldown":
        return "nothing";
      case "abort":
        this.emit("decision", { action: "abort", reason: decision.reason });
        return "nothing";
      case "hold":
        // Still the incident's holder: the lease (and the outage's start written with it) stays fresh.
        if (this.lease.heldByMe && !(await this.win(errors))) return "lost-lease";
        return "waiting";
      case "wait-for-lag":
        if (!(await this.win(errors))) return "lost-lease";
        this.emitOnce(`wait:${decision.to}`, "decision", { action: "wait-for-lag", to: decision.to, lagMs: decision.lagMs, deadlineMs: decision.deadlineMs });
        return "waiting";
      case "escalate": {
        if (decision.reason === "store-unreachable") {
          // One failed call is not an unreachable store: a person is told once it has been
          // silent for a lease (what a takeover would wait for anyway), not on every blip.
          const silentMs = this.storeOkAtMs === undefined ? Number.POSITIVE_INFINITY : now - this.storeOkAtMs;
          if (silentMs < this.deps.config.coordination.leaseDuration) return "waiting";
          this.emitOnce("escalate:store", "escalation", { reason: decision.reason, detail: decision.detail });
          return "escalated";
        }
        if (!(await this.win(errors))) return "lost-lease";
        // A human can approve at the runbook's gate: start it with the gate on. Named with its runbook,
        // the page stays open while that gate waits, whatever the policy says meanwhile (observers lost).
        const gated = decision.to !== undefined && (decision.reason === "approval-required" || decision.reason === "rpo-breach");
        this.emitOnce(`escalate:${decision.reason}`, "escalation", { reason: decision.reason, detail: decision.detail, ...(decision.to && { to: decision.to }), ...(gated && { runbook: "failover" }) });
        if (gated && decision.to) {
          await this.startSafely(errors, "failover", active, decision.to, "unplanned", true);
        }
        return "escalated";
      }
      case "failover":
      case "failback": {
        if (!(await this.win(errors))) return "lost-lease";
        const runbook: RunbookName = decision.action === "failback" ? "failback" : decision.mode === "planned" ? "switchover" : "failover";
        const drainLossMs = runbook === "failover" ? this.drainFirstLossMs(decision.from, decision.to) : undefined;
        if (drainLossMs !== undefined && drainLossMs > this.deps.config.policy.rpo) {
          // No automatic choice keeps both promises: promoting first leaves two writers, waiting
          // for clients loses more than the RPO. A person decides, at the runbook's approval gate.
          this.emitOnce(`escalate:rpo-breach`, "escalation", {
            // Named with its runbook, so it stays open while the gated run waits (the policy still says failover).
            reason: "rpo-breach", to: decision.to, runbook: "failover",
            detail: `${decision.from} still answers, so clients must leave it before ${decision.to} is promoted; the wait brings the expected loss to ${formatDurationMs(drainLossMs)}, over the RPO of ${formatDurationMs(this.deps.config.policy.rpo)}`,
          });
          await this.startSafely(errors, "failover", decision.from, decision.to, "unplanned", true);
          return "escalated";
        }
        this.emit("decision", { action: decision.action, from: decision.from, to: decision.to, mode: decision.action === "failback" ? "planned" : decision.mode, reason: decision.reason });
        return this.startSafely(errors, runbook, decision.from, decision.to, decision.action === "failback" ? "planned" : decision.mode, false);
      }
    }
  }

  /**
   * A failover the policy started behind its approval gate (rpo-breach,
   * approval-required) that still waits there when its reason is gone: the
   * old primary is UP by quorum again and the policy closes the incident
   * (abort, or nothing to do). Approved then, it would fail over from a
   * healthy primary and lose the writes the page described, or more (an
   * operator answering a page 10 minutes old: 40 minutes of writes and a
   * second writer in late-approval-after-recovery.yaml). The gate is
   * withdrawn as a rejection would be (nothing changed; an approval after
   * it is refused) and the incident ends as aborted, with no page and no
   * retry. Never withdrawn: an operator's own move, an approved run, a run
   * of an incident that may have acted before (an earlier attempt that ended
   * past its gate, or a run the engine saw go past it: a resumed or retried
   * run waits at a new gate whatever the earlier ones did), and a gate while
   * the primary is not positively UP (a lost quorum also reads as "no longer
   * down", and a person may still be right to approve then).
   */
  private async withdrawStaleGate(decision: Decision, active: Region): Promise<void> {
    const acting = this.acting;
    const incident = acting?.incident;
    if (!acting?.gateWithdrawable || !incident || incident.state !== "awaiting-approval" || incident.approvedBy !== undefined || incident.from !== active) return;
    if (decision.action !== "abort" && decision.action !== "none") return;
    const params = policyParams(this.deps.config);
    const now = this.deps.clock.now();
    const verdict = quorumVerdict(this.views, active, params.quorum, now, params.maxViewAgeMs);
    if (!verdict.up) return;
    // Only if nothing was done: every earlier attempt of the incident ended at its gate (the record),
    // and no run went past it (the engine's own account: a journal, or the executions' histories).
    const acted = incident.timeline.some((e) => e.event === "approval.approved" || (e.event.startsWith("runbook.") && !GATE_ENDINGS.has(e.event)));
    if (acted || (await this.engine.gatePassedBefore(incident.id))) {
      // It stays so for this run: not asked again (a journal or execution-history read) every cycle.
      acting.gateWithdrawable = false;
      return;
    }
    if (this.acting !== acting || incident.state !== "awaiting-approval") return;
    const why = `${active} is UP by quorum again (UP: ${verdict.agreeingUp.join(", ")}): the failover to ${incident.to ?? "?"} waiting for approval is withdrawn, nothing was changed`;
    // Noted before the answer is sent: a rejection that lands but whose reply is lost (Step
    // Functions) still ends the run as a withdrawal, not as a failure to page and retry. One
    // that did not land is sent again next cycle.
    this.withdrawing = { incidentId: incident.id, why };
    const sent = await this.engine.reject(incident.id, why).catch(() => undefined);
    // false: no gate of the run could be answered (not registered yet, no token written), so nothing
    // was sent and the note goes; kept, it would make an operator's own later rejection of this run
    // read as a withdrawal (no page, no retry). The next cycle asks again. A call that threw may
    // have landed: its note stays.
    if (sent === false && this.withdrawing?.incidentId === incident.id) this.withdrawing = undefined;
  }

  private async startSafely(errors: string[], ...args: Parameters<FailoverController["start"]>): Promise<CycleResult["outcome"]> {
    try {
      await this.start(...args);
      return "acted";
    } catch (err) {
      errors.push(errorText(err));
      return "error";
    }
  }

  private emitOnce(key: string, event: string, detail: Record<string, unknown>): void {
    if (this.lastEscalation === key) return;
    this.lastEscalation = key;
    this.emit(event, detail);
  }

  /** Takes or renews the lease; only the holder acts. */
  private async win(errors: string[]): Promise<boolean> {
    if (this.stopped) return false;
    if (this.deps.sabotage?.noLease) {
      // Saboteur: act under whatever epoch was last read, without the conditional write.
      this.lease = { holder: this.id, epoch: this.control?.epoch ?? 0, heldByMe: true };
      return true;
    }
    try {
      // The outage this controller handles goes with the lease, so the next holder continues its clock.
      const outage = this.firstDownAtMs !== undefined && this.firstDownRegion !== undefined ? { region: this.firstDownRegion, sinceMs: this.outageStartMs(this.firstDownAtMs) } : undefined;
      const r = await this.store.lease.acquire(this.deps.clock.now(), this.lease.heldByMe ? this.lease.epoch : undefined, outage);
      this.lease = r.held ? { holder: this.id, epoch: r.epoch, expiresAtMs: r.expiresAtMs, heldByMe: true } : { ...(r.holder && { holder: r.holder }), epoch: r.epoch, expiresAtMs: r.expiresAtMs, heldByMe: false };
      if (r.held && r.tookOver) this.emit("lease.acquired", { epoch: r.epoch });
      return r.held;
    } catch (err) {
      errors.push(errorText(err));
      return false;
    }
  }

  /**
   * Renews the lease while a runbook runs. The store saying the lease is not
   * ours stops the run at once (its next fence would refuse anyway). A
   * renewal the store did not answer (throttled, timed out) does not: nobody
   * can take the lease before its expiry plus maxClockSkew by their clock
   * (lease.ts), so the run goes on until expiry minus maxClockSkew by ours,
   * when it is checked again. Aborting on every unanswered renewal restarted
   * the runbook again and again while DynamoDB throttled (sweep seed 120222:
   * five aborts, 1m47s over the run's floor). The fences stay the guarantee.
   */
  private async renew(errors: string[]): Promise<void> {
    const acting = this.acting;
    const { clock } = this.deps;
    // An unanswered renewal is tried again shortly (1 s, then 2 s: the SDK's own retries
    // are off in the simulator and a throttle is often gone a second later), never past
    // the instant the lease must be given up.
    for (let attempt = 0; ; attempt++) {
      if ((await this.win(errors)) || !acting || this.acting !== acting || this.deps.sabotage?.noFence) return;
      const waitMs = 1_000 * 2 ** attempt;
      if (attempt >= RENEW_RETRIES || !this.lease.heldByMe || clock.now() + waitMs >= this.holdUntilMs(acting)) break;
      await clock.sleep(waitMs);
      if (this.acting !== acting) return;
    }
    const holdUntilMs = this.holdUntilMs(acting);
    if (clock.now() < holdUntilMs) {
      this.emit("lease.renewal-failed", { epoch: acting.epoch, holdUntilMs, error: errors.at(-1) ?? "unknown" });
      // Already following this run's lease: its check moves with every renewal.
      if (this.leaseCheck === acting) return;
    }
    this.leaseCheck = acting;
    this.checkLeaseHeld(acting);
  }

  /**
   * Stops the run once its lease must be given up (now, or at that instant if
   * it is still unrenewed then); renewed since, checks again at the new
   * instant, so one timer follows the lease while the run lasts.
   */
  private checkLeaseHeld(acting: Acting): void {
    if (this.acting !== acting) {
      if (this.leaseCheck === acting) this.leaseCheck = undefined;
      return;
    }
    const { clock } = this.deps;
    const holdUntilMs = this.holdUntilMs(acting);
    if (clock.now() < holdUntilMs) {
      void clock.sleep(holdUntilMs - clock.now()).then(() => this.checkLeaseHeld(acting));
      return;
    }
    this.leaseCheck = undefined;
    this.emit("lease.lost", { epoch: acting.epoch });
    acting.abort();
  }

  /** Until when this controller may go on acting for `acting` on the lease it last renewed (-Infinity: not at all). */
  private holdUntilMs(acting: Acting): number {
    const l = this.lease;
    return l.heldByMe && l.epoch === acting.epoch && l.expiresAtMs !== undefined ? l.expiresAtMs - this.deps.config.coordination.maxClockSkew : Number.NEGATIVE_INFINITY;
  }

  private async start(runbook: RunbookName, from: Region, to: Region, mode: "planned" | "unplanned", approvalRequired: boolean, resumed?: Incident, note?: IncidentEvent, trigger: "policy" | "operator" = note ? "operator" : "policy"): Promise<void> {
    const { config, clock } = this.deps;
    const epoch = this.lease.epoch;
    const id = resumed?.id ?? this.incidentId(from);
    // Taken (and cleared) before anything can fail, so no later run inherits an operator's override.
    const safetyRulesToOverride = this.operatorOverrides;
    this.operatorOverrides = undefined;
    // A new attempt of an incident whose last run failed continues its record: the same opening,
    // trigger and timeline, with this run's move and estimate (another target, maybe).
    const retried = !resumed && this.retry?.incidentId === id ? this.retry.incident : undefined;
    const incident: Incident = {
      ...(resumed ?? (retried ? continuedRecord(retried, this.dataLossEstimate(to, mode)) : { id, openedAtMs: this.firstDownAtMs ?? clock.now(), timeline: [], trigger, ...this.dataLossEstimate(to, mode) })),
      from, to, mode, runbook, approvalRequired, epoch,
      state: approvalRequired ? "awaiting-approval" : "acting",
    };
    if (retried) incident.timeline = [...incident.timeline, { atMs: clock.now(), event: "runbook.retried", detail: { attempt: (retried.attempts ?? 1) + 1, controller: this.id, epoch, runbook, to } }];
    // Running another controller's incident (a failed one it continues, or a run it resumes after
    // its holder died): what that one paged is open in this process from now on, so the incident's
    // end here resolves the page (same incident and reason, same dedup key).
    const adopted = resumed ?? (retried && this.retry?.adopted ? retried : undefined);
    if (adopted) {
      if (this.retry?.incidentId === id) this.retry.adopted = false;
      if (!resumed) this.emit("incident.adopted", { incident: id, attempt: (adopted.attempts ?? 1) + 1 });
      // A page the policy raised and clears as it sees fit is recorded as `reason:` (POLICY_PAGE): adopted as the policy's.
      for (const signature of adopted.paged ?? []) this.emit("escalation.adopted", { reason: pagedReason(signature), incident: id, ...(!signature.endsWith(POLICY_PAGE) && { runbook: adopted.runbook ?? runbook }) });
    }
    // What this process has paged about the incident and is still open (the policy's rpo-breach
    // before a gated run, say) goes into its record too: a controller that continues the incident
    // after this one dies adopts those pages and resolves them, instead of leaving them open for good.
    const paging = this.escalations
      .openFor(id)
      .filter(({ reason }) => !(incident.paged ?? []).some((s) => pagedReason(s) === reason))
      .map(({ reason, sticky }) => `${reason}${sticky ? HELD_PAGE : POLICY_PAGE}`);
    if (paging.length > 0) {
      incident.paged = [...(incident.paged ?? []), ...paging];
      if (this.retry?.incidentId === id) for (const s of paging) this.retry.escalated.add(s);
    }
    // An operator's override: who, when and why, durable before the first step.
    if (note) incident.timeline = [...incident.timeline, note];
    const expectedLagMs = runbook === "failover" ? undefined : Math.max(this.lag.auroraLagMs[to] ?? 0, this.lag.dynamodbLagMs[to] ?? 0);
    // A resumed run keeps the order it started with; one whose promotion is done has none left to hold back.
    const clientDrainFirst = runbook === "failover" && this.writer(from) !== to && (resumed?.clientDrainFirst === true || this.oldWriterAnswers(from));
    if (clientDrainFirst) {
      incident.clientDrainFirst = true;
      this.emit("failover.drain-first", { incident: id, from, to });
    }
    // The target names itself the writer and that is no evidence here (an old primary seen replaced):
    // the runbook must promote it, not skip the promotion on its word.
    const targetClaimUnconfirmed = this.topology?.writerClaims?.[to] === to && this.writer(from) !== to;
    const input = runbookInput(config, { incidentId: id, epoch, from, to, approvalRequired, controlRegion: controlRegionFor(config, this.deps.region), clientDrainFirst, targetClaimUnconfirmed, ...(expectedLagMs !== undefined && { expectedLagMs }) });
    // Durable before the first step: the incident and its pointer in the control record, so
    // another controller can resume it if this one dies mid-runbook.
    await this.store.putIncident(incident);
    await this.store.lease.updateControl(epoch, { incidentId: id });
    // Safety-rule overrides come only from an operator's manual move; a resumed run never carries one.
    if (safetyRulesToOverride) {
      input.traffic.safetyRulesToOverride = [...safetyRulesToOverride];
      this.emit("safety-rules.overridden", { incident: id, runbook, rules: [...safetyRulesToOverride], by: "operator" });
    }
    const exec = this.engine.run(runbook, input, resumed?.epoch !== undefined ? { previousEpoch: resumed.epoch } : {});
    const done = exec.result.then(
      async (r) => (await this.finish(incident, runbook, r), r.status),
      async (err: unknown) => (await this.finish(incident, runbook, { status: "escalated", error: "Runbook.EngineError", cause: errorText(err), calls: [] }), "escalated" as const),
    );
    this.acting = { incident, epoch, runbook, done, abort: exec.abort, progress: exec.progress, gateWithdrawable: approvalRequired && trigger === "policy" && resumed?.approvedBy === undefined };
    this.emit("runbook.started", { runbook, incident: id, from, to, epoch, ...(approvalRequired && { approvalRequired: true }), ...(note?.event === "operator.forced" && { forcedBy: note.detail?.by, forcedReason: note.detail?.reason }) });
  }

  /**
   * Whether this controller read every other app region's Aurora lag
   * recently (each that has a lag kept). Giving up on a switchover for an unplanned failover is decided
   * on that lag (the data it loses): a controller cut off from the target's
   * region keeps its last reading, from before the cut, and would call a
   * growing loss small (old-writer-cut-from-target-lag-near-rpo: the old
   * writer's own controller saw the loss under the RPO while the others saw
   * it over). Such a controller keeps to the switchover.
   */
  private lagIsFresh(active: Region): boolean {
    const now = this.deps.clock.now();
    // A region with no lag kept (being rebuilt, never rejoined) is no candidate: its loss counts as unbounded.
    return this.deps.config.regions.every((r) => r === active || this.lag.auroraLagMs[r] === undefined || now - (this.lagReadAtMs.get(r) ?? Number.NEGATIVE_INFINITY) <= AURORA_READ_FRESH_MS);
  }

  /**
   * Whether the old writer may still take writes from the clients that reach
   * it: its Aurora member answered an observer (this one, or another through
   * its fresh published view) in a read taken at or after that observer's
   * first failed round of the incident (or while it sees the region well).
   * Aurora fences an old writer only once it reaches it: one that still
   * answers clients but not the target (a partition between them, sweep seed
   * 320252) keeps acknowledging writes after the promotion, 56 s of split
   * brain. A dead region answers no read taken after its first failed round,
   * so a clean outage keeps the fast order. The old region's own view counts
   * only once it saw itself failing: a controller that just died leaves a
   * view that sees itself well (and looks fresh if its clock ran ahead). Its
   * app is not required to answer: a decision taken three failed rounds in
   * may not have seen the one request in ten a degraded app still serves.
   */
  private oldWriterAnswers(from: Region): boolean {
    const now = this.deps.clock.now();
    const { maxViewAgeMs } = policyParams(this.deps.config);
    return [this.ownView(now), ...this.views.filter((v) => v.observer !== this.deps.region)].some((v) => {
      if (!v.aurora?.answering.includes(from) || now - v.atMs > maxViewAgeMs || v.atMs - v.aurora.atMs > AURORA_READ_FRESH_MS) return false;
      const failingSince = v.regions[from]?.failingSinceMs;
      if (failingSince === undefined) return v.observer !== from;
      return v.aurora.atMs >= failingSince;
    });
  }

  /** This observer's view as it publishes it: its health tracker's, with its last Aurora topology read. */
  private ownView(now: number): HealthView {
    const view = this.tracker.view(now);
    return this.topology && this.topologyAtMs !== undefined ? { ...view, aurora: { answering: this.topology.answering, atMs: this.topologyAtMs } } : view;
  }

  /**
   * The data a drain-first failover would lose: the target's lag plus the
   * runbook's longest wait for clients to leave (the old writer keeps taking
   * writes meanwhile, and replication to the target is what it is), or
   * undefined when the failover would not drain first. Unknown lag is the
   * policy's to judge (it escalates), so it is not counted here.
   */
  private drainFirstLossMs(from: Region, to: Region): number | undefined {
    const lag = this.lag.auroraLagMs[to];
    if (lag === undefined || this.writer(from) === to || !this.oldWriterAnswers(from)) return undefined;
    const wait = clientDrainWait(this.deps.config);
    return lag + (wait.switchLapseSeconds + wait.drainSeconds) * 1000 + DRAIN_STEPS_ALLOWANCE_MS;
  }

  /** The data loss a run accepts: none when planned, else the replication lag into the target read last (unknown lag: no estimate). */
  private dataLossEstimate(to: Region, mode: "planned" | "unplanned"): { expectedDataLossMs?: number } {
    if (mode === "planned") return { expectedDataLossMs: 0 };
    const aurora = this.lag.auroraLagMs[to];
    return aurora === undefined ? {} : { expectedDataLossMs: Math.max(aurora, this.lag.dynamodbLagMs[to] ?? 0) };
  }

  private async finish(incident: Incident, runbook: RunbookName, r: RunbookResult): Promise<void> {
    const writing = this.writeOutcome(incident, runbook, r);
    this.finishing = writing.catch(() => undefined);
    try {
      await writing;
    } finally {
      this.finishing = undefined;
    }
  }

  private async writeOutcome(incident: Incident, runbook: RunbookName, r: RunbookResult): Promise<void> {
    const now = this.deps.clock.now();
    this.acting = undefined;
    // Lost or aborted, the run stopped here but the incident goes on (another controller resumes it).
    const ended = r.status !== "lost-lease" && r.status !== "aborted";
    // Its gate withdrawn (withdrawStaleGate): the incident is over, nothing changed, nothing to retry.
    const withdrawing = this.withdrawing?.incidentId === incident.id ? this.withdrawing : undefined;
    this.withdrawing = undefined;
    const withdrawn = r.status === "rejected" && withdrawing !== undefined;
    if (ended) incident.endedAtMs = now;
    // Stopping aborts a run in flight (the next holder resumes it); a run that ended is recorded as it ended.
    if (this.stopped && !ended) return;
    const { epoch } = this.lease;
    // The incident's record first, then the marker: a controller that reads the marker in
    // between (ours after this, or another once the lease lapses) finds the incident ended
    // and clears the marker instead of resuming a finished run.
    if (r.status === "succeeded") incident.state = "resolved";
    else if (withdrawn) {
      incident.state = "aborted";
      incident.timeline.push({ atMs: now, event: "approval.withdrawn", detail: { why: withdrawing.why } });
      this.emit("approval.withdrawn", { incident: incident.id, runbook, why: withdrawing.why });
    } else if (ended) incident.state = "escalated";
    incident.timeline.push({ atMs: now, event: `runbook.${r.status}`, ...(r.error && { detail: { error: r.error } }) });
    const reason = r.status === "stuck" ? "stuck-promotion" : r.status === "rejected" || r.status === "approval-timed-out" ? "approval-required" : "runbook-failed";
    const signature = `${reason}:${r.error ?? ""}`;
    // One escalation per incident and distinct failure; repeats are visible, not paged. The
    // figures go into the record, so whoever holds the lease next continues from here.
    const failed = ended && r.status !== "succeeded" && !withdrawn ? failedAttempt(this.retry, incident, now, signature, runbook === "switchover" && r.error === "Runbook.Escalated") : undefined;
    if (failed) this.retry = failed.retry;
    await this.store.putIncident(incident).catch(() => undefined);
    if (r.status === "succeeded" || withdrawn) {
      // The incident is over either way (moved, or withdrawn with nothing changed): nothing to retry.
      const succeeded = r.status === "succeeded";
      await this.store.lease.updateControl(epoch, { ...(succeeded && { lastFailoverAtMs: now }), incidentId: null, retryIncidentId: null }).catch(() => undefined);
      if (succeeded) this.emit("failover.completed", { runbook, from: incident.from, to: incident.to, mode: incident.mode, incident: incident.id, epoch });
      else this.emit("runbook.stopped", { runbook, incident: incident.id, status: "withdrawn" });
      this.forgetIncident();
      await this.store.lease.release(epoch).catch(() => undefined);
      this.lease = { ...this.lease, heldByMe: false };
    } else {
      if (ended) await this.store.lease.updateControl(epoch, { incidentId: null, retryIncidentId: incident.id }).catch(() => undefined);
      if (failed) {
        const { retry, paged } = failed;
        const detail = { reason, runbook, incident: incident.id, error: r.error, cause: r.cause, attempt: retry.attempts, nextAttemptInMs: retry.notBeforeMs - now };
        this.emit(paged ? "escalation" : "runbook.retry-scheduled", detail);
        // An execution left running in a region that does not answer may resume later: give
        // the lease up so the next one is taken under a new epoch and that execution is fenced.
        if (r.error === "Runbook.ExecutionUnreachable") {
          await this.store.lease.release(epoch).catch(() => undefined);
          this.lease = { ...this.lease, heldByMe: false };
        }
      } else this.emit("runbook.stopped", { runbook, incident: incident.id, status: r.status });
    }
  }

  /**
   * The operator's lever (`failover --to R`, drills): move writes and traffic
   * to `to` now, under the lease, and wait for the runbook to end. Refuses
   * (ManualRefused, nothing changed) when the move is unsafe or pointless:
   * unknown or already-active target, a target a quorum does not see UP, an
   * incident in progress, another holder of the lease, or a planned move
   * while the active writer does not answer.
   */
  async failoverTo(to: Region, mode: "planned" | "unplanned", opts: FailoverOptions = {}): Promise<ManualResult> {
    const { config, clock } = this.deps;
    if (!config.regions.includes(to)) throw new ManualRefused(`${to} is not an app region of the config (${config.regions.join(", ")})`);
    const overrides = opts.safetyRulesToOverride ?? [];
    if (overrides.length > 0 && config.traffic.strategy !== "routing-control") {
      throw new ManualRefused(`safety rules can only be overridden with traffic.strategy routing-control (this config uses ${config.traffic.strategy})`);
    }
    // Planned or unplanned, and which member can be promoted, are decided on
    // the Aurora topology: read it now, not at the probe's next interval (right
    // after a runbook ends, the last reading can predate the role swap).
    for (const s of this.specs) if (s.kind === "aurora") this.lastProbeMs.delete(s.name);
    const { active, errors, storeReachable } = await this.assess();
    if (!storeReachable) {
      const store = `the coordination store (${config.coordination.table} in ${config.coordination.region}) does not answer: ${errors.join("; ") || "no control record read"}`;
      if (!opts.force || to === active) throw new ManualRefused(store);
      throw new ManualRefused(`${store}. Without it there is no lease and no fencing, so even a forced failover refuses; the manual steps follow`, manualSteps(config, this.deps.runbooks.failover, active, to));
    }
    if (to === active) throw new ManualRefused(`${to} is already the active region`);
    if (this.finishing) throw new ManualRefused("a runbook has just ended and its outcome is still being written: try again in a moment");
    if (this.acting || this.control?.incidentId) throw new ManualRefused(`incident ${this.acting?.incident.id ?? this.control?.incidentId} is in progress: answer or wait for it first`);
    const params = policyParams(config);
    const target = quorumVerdict(this.views, to, params.quorum, clock.now(), params.maxViewAgeMs);
    const notUp = `${to} is not seen UP by a quorum of ${params.quorum} observers (UP: ${target.agreeingUp.join(", ") || "none"}; DOWN: ${target.agreeingDown.join(", ") || "none"}; stale: ${target.stale.join(", ") || "none"})`;
    if (!target.up && !opts.force) throw new ManualRefused(`${notUp}; an operator can override the quorum rule with --force`);
    let note: IncidentEvent | undefined;
    if (opts.force) {
      const problem = target.up ? undefined : forcedTargetProblem(this.views, to, params, clock.now());
      if (problem) throw new ManualRefused(problem);
      const estimateMs = dataLossEstimateMs(this.lag, to);
      const loss = dataLossProblem(estimateMs, params.rpoMs, opts.acceptDataLoss === true);
      if (loss) throw new ManualRefused(loss);
      note = { atMs: clock.now(), event: "operator.forced", detail: { by: opts.by ?? "unknown", reason: opts.reason ?? "", acceptDataLoss: opts.acceptDataLoss === true, dataLossEstimateMs: estimateMs ?? null, quorum: target.up ? "met" : notUp } };
    }
    // An operator's planned switchover: this controller's own read only, so a refusal is clear
    // rather than a run that fails on another observer's older evidence.
    const primaryAnswers = this.writer(active) === active && this.topology?.answering.includes(active) === true;
    if (this.topology?.resyncing?.includes(to)) throw new ManualRefused(`the Aurora cluster in ${to} is being rebuilt after an unplanned failover (pending-resync): it cannot be promoted until it is in sync again`);
    if (mode === "planned" && !primaryAnswers) throw new ManualRefused(`the writer in ${active} does not answer, so a planned switchover (no data loss) cannot run; --unplanned accepts losing up to the replication lag`);
    if (!(await this.win(errors))) throw new ManualRefused(`the lease is held by ${this.lease.holder ?? "another controller"} (epoch ${this.lease.epoch})${errors.length > 0 ? `: ${errors.join("; ")}` : ""}${opts.force ? "; send the override to that daemon instead: failover --to R --force --url http://<its address>" : ""}`);
    const runbook: RunbookName = mode === "unplanned" ? "failover" : to === config.regions[0] ? "failback" : "switchover";
    if (overrides.length > 0) this.operatorOverrides = overrides;
    const startedMs = clock.now();
    this.emit("decision", { action: "manual", from: active, to, mode, runbook, ...(note && { forced: true, by: opts.by ?? "unknown" }) });
    await this.start(runbook, active, to, mode, false, undefined, note, "operator");
    const acting = this.acting as Acting | undefined;
    if (!acting) throw new Error("the runbook did not start");
    opts.onStarted?.(acting.incident.id);
    // No tick renews the lease in a one-shot process: keep it while the runbook works.
    let over = false;
    void (async () => {
      while (!over) {
        await clock.sleep(Math.max(1_000, Math.floor(config.coordination.leaseDuration / 3)));
        if (!over && this.acting === acting) await this.renew([]);
      }
    })();
    const status = await acting.done.finally(() => (over = true));
    return { incidentId: acting.incident.id, runbook, from: active, to, mode, status, startedAtMs: startedMs, endedAtMs: clock.now(), epoch: acting.epoch };
  }

  status(): ControllerStatus {
    const notes: string[] = [];
    if (this.lease.holder && !this.lease.heldByMe) notes.push(`another controller holds the lease (${this.lease.holder}, epoch ${this.lease.epoch})`);
    if (this.acting?.incident.state === "awaiting-approval") notes.push(`incident ${this.acting.incident.id} waits for approval`);
    const active = this.control?.activeRegion;
    const writer = this.writer(active);
    return {
      application: this.deps.config.application,
      region: this.deps.region,
      controllerId: this.id,
      ...(active && { activeRegion: active }),
      ...(writer && { writerRegion: writer }),
      ...(writerDisputed(this.topology) && this.topology?.writerClaims && { writerClaims: this.topology.writerClaims }),
      views: this.views,
      lag: this.lag,
      lease: this.lease,
      ...(this.acting && { incident: this.acting.incident }),
      ...(this.acting?.progress && { runbookProgress: this.acting.progress() }),
      ...(this.acting && this.engine.execution() && { execution: this.engine.execution() }),
      nowMs: this.deps.clock.now(),
      ...(this.lastDecision && { lastDecision: this.lastDecision }),
      ...(this.lastCycle && { lastCycle: this.lastCycle }),
      cycles: this.cycles,
      ready: this.ready,
      notes,
    };
  }

  /** The execution acting for the incident in progress (engine step-functions): followed here, or looked up in AWS. */
  async incidentExecution(): Promise<ExecutionView | undefined> {
    if (this.engine.kind !== "step-functions") return undefined;
    const own = this.acting && this.engine.execution();
    if (own) return own;
    const id = this.control?.incidentId;
    const incident = id ? await this.store.getIncident(id) : undefined;
    return incident ? lookupExecution(this.deps.adapters, this.deps.config, incident) : undefined;
  }

  async approve(incidentId: string): Promise<void> {
    // A spent task token (Step Functions) is an error, no gate waiting locally is false.
    const answered = await this.engine.approve(incidentId).catch((err: unknown) => err);
    if (answered !== true) {
      // A late answer to the page, through whichever daemon: say why the gate is gone, not only that it is.
      const record = await this.store.getIncident(incidentId).catch(() => undefined);
      const withdrawn = record?.state === "aborted" ? record.timeline.findLast((e) => e.event === "approval.withdrawn") : undefined;
      if (withdrawn) throw new Error(`incident ${incidentId}: its failover no longer waits for approval, withdrawn ${formatDurationMs(Math.max(0, this.deps.clock.now() - withdrawn.atMs))} ago: ${typeof withdrawn.detail?.why === "string" ? withdrawn.detail.why : "the old primary is UP by quorum again"}`);
      if (answered instanceof Error) throw answered;
      throw new Error(`no approval gate of incident ${incidentId} waits in this controller`);
    }
    this.recordAnswer(incidentId, "approval.approved", {});
  }

  async reject(incidentId: string, reason: string): Promise<void> {
    if (!(await this.engine.reject(incidentId, reason))) throw new Error(`no approval gate of incident ${incidentId} waits in this controller`);
    this.recordAnswer(incidentId, "approval.rejected", { reason });
  }

  /** Who answered the gate goes into the incident's history (the HTTP API knows a token, not a person). */
  private recordAnswer(incidentId: string, event: string, detail: Record<string, unknown>): void {
    const incident = this.acting?.incident;
    if (incident?.id !== incidentId) return;
    const by = "an operator (token-gated approve/reject endpoint)";
    // Approved, the runbook goes on: the incident acts (the page and the "waits for approval" note follow the state).
    if (event === "approval.approved") Object.assign(incident, { approvedBy: by, state: "acting" });
    incident.timeline.push({ atMs: this.deps.clock.now(), event, detail: { ...detail, by } });
    void this.store.putIncident(incident).catch(() => undefined);
  }

  listIncidents(limit: number): Promise<Incident[]> {
    return this.store.listIncidents(limit);
  }

  async incidentDetail(incidentId: string): Promise<{ incident: Incident; journal: JournalEntry[] } | undefined> {
    const incident = await this.store.getIncident(incidentId);
    return incident && { incident, journal: await this.store.journal.read(incidentId) };
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    const deadline = this.deps.clock.now() + SHUTDOWN_WAIT_MS;
    const waitFor = (p: Promise<unknown>) => Promise.race([p, this.deps.clock.sleep(Math.max(0, deadline - this.deps.clock.now()))]);
    if (this.acting) {
      // The journal already holds the step in flight; stop here and let the next holder resume.
      this.acting.abort();
      await waitFor(this.acting.done);
    }
    // A run that has just ended is writing its record, clearing the marker and releasing
    // the lease: cut off, it would leave an orphan that the next holder resumes.
    if (this.finishing) await waitFor(this.finishing);
    // Bookkeeping still in flight past the deadline: releasing now would let another controller take over
    // before the marker is cleared; leaving the lease to lapse is the safe side.
    if (this.finishing) return;
    if (this.lease.heldByMe) await this.store.lease.release(this.lease.epoch).catch(() => undefined);
    this.lease = { ...this.lease, heldByMe: false };
  }
}
