// Runs one scenario in virtual time and returns its verdict (specs/gameday.md).
// Everything random comes from one seeded PRNG and everything that waits
// from one manual clock, so the same scenario and seed give the same bytes.

import { createAwsAdapters, type AwsAdapters, type ClientDecorator } from "../aws/index.js";
import { ManualClock, SeededRandom, drainMicrotasks, formatDurationMs, type Clock } from "../core/index.js";
import { ClientsModel } from "./clients-model.js";
import type { ControllerFactory, SimController } from "./controller-port.js";
import { FaultBook } from "./faults.js";
import { simHttp } from "./http.js";
import { attachStepFunctions } from "./sfn.js";
import { never, simDecorator, type Caller } from "./middleware.js";
import type { Config } from "../config/index.js";
import type { Scenario } from "./scenario.js";
import { appRegions, scenarioConfig } from "./sim-config.js";
import { classify, rtoFloorMs, type RunClass } from "./classify.js";
import { World, type TimelineEvent } from "./world.js";
import { judgeNotified, simNotifier } from "./notify-hook.js";
import { OperatorScript } from "./operator.js";

export interface Verdict {
  scenario: string;
  seed: number;
  passed: boolean;
  measured: {
    rtoMs: number;
    rpoMs: number;
    failovers: number;
    falseFailovers: number;
    splitBrainMs: number;
    /** Writes acknowledged by a stale writer while the real one also took writes (divergent histories). */
    splitBrainWrites: number;
    /** Writes acknowledged and then lost (never in the history of the region that became the writer). */
    lostWrites: number;
    dynamodbRpoMs: number;
    /** Promotions and record changes by a controller that did not hold the lease. */
    unleasedMutations: number;
    escalations: number;
    activeRegion: string;
    awsCalls: number;
    /** The class of situation the scenario's faults make (classify.ts), and whether it lies in the one-failure envelope. */
    class: RunClass;
    envelope: "inside" | "outside";
    /** What a correct controller must do about the active region (classify.ts). */
    due: "failover" | "nothing" | "escalate";
    /** When a failover is due: the fastest recovery any controller with this config could make in this run (its probe schedule, its promotion's length, the world's timings; classify.ts rtoFloorMs); else 0. */
    rtoFloorMs: number;
  };
  violations: string[];
  timeline: TimelineEvent[];
}

interface Slot {
  region: string;
  instance: number;
  alive: boolean;
  ctrl?: SimController;
  adapters?: AwsAdapters & { destroy(): void };
  busy: boolean;
  nextTickMs: number;
  restartAtMs?: number;
}

const FAKE_CREDENTIALS = { accessKeyId: "AKIDSIMULATED", secretAccessKey: "simulated" };
/**
 * A writer change is justified when the old writer's region failed clients
 * (or lost its database) between this long before the promotion started
 * and its end: detection and decision take about this long.
 */
const JUSTIFY_LOOKBACK_MS = 5 * 60_000;

export interface SimOptions {
  file?: string;
  seed?: number;
  controller?: ControllerFactory;
  /**
   * Wraps every controller's SDK clients after the world's answer point
   * (tests use it to corrupt responses in flight: a middleware added here at
   * the initialize step with high priority sees the world's answer).
   */
  decorate?: (caller: string) => ClientDecorator;
  /**
   * The regions (app regions or the witness) that run a controller; default
   * every one. The bench runs one alone to measure one process's footprint.
   */
  controllers?: readonly string[];
}

export async function runScenario(scenario: Scenario, opts: SimOptions = {}): Promise<Verdict> {
  const session = new SimSession(scenario, opts);
  for (let t = 0; t <= scenario.duration; t += 1_000) await session.stepTo(t);
  return session.finish();
}

/**
 * One scenario's world, clients and controllers, advanced second by second.
 * runScenario drives it as fast as it can; the daemon's sandbox drives it
 * against the wall clock.
 */
export class SimSession {
  readonly world: World;
  readonly clock = new ManualClock(0, drainMicrotasks);
  readonly config: Config;
  /** The live controller of each region (replaced in place on restart), for the daemon. */
  readonly live: SimController[] = [];
  private readonly faults: FaultBook;
  private readonly clients: ClientsModel;
  private readonly slots: Slot[];
  private readonly controllerRandom: SeededRandom;
  private readonly apps: string[];
  private escalations = 0;
  private readonly operator: OperatorScript;
  readonly seed: number;

  constructor(
    readonly scenario: Scenario,
    private readonly opts: SimOptions = {},
  ) {
    this.seed = opts.seed ?? scenario.seed;
    this.config = scenarioConfig(scenario, opts.file ?? scenario.name);
    const random = new SeededRandom(this.seed);
    this.faults = new FaultBook(scenario.faults);
    this.world = new World(this.config, scenario, this.faults, random.fork());
    attachStepFunctions(this.world, this.clock);
    this.clients = new ClientsModel(this.world, random.fork());
    this.controllerRandom = random.fork();
    this.apps = appRegions(scenario);
    this.slots = [...this.apps, ...(scenario.world.witness ? [scenario.world.witness] : [])].map((region, i) => ({
      region, instance: -1, alive: false, busy: false, nextTickMs: i * 1_000,
    }));
    for (const s of this.slots) this.startController(s);
    this.operator = new OperatorScript(scenario.operator, this.world, () => this.slots.map((s) => (s.alive ? s.ctrl : undefined)));
  }

  private startController(slot: Slot): void {
    const { opts, world, faults, clock } = this;
    if (!opts.controller || (opts.controllers && !opts.controllers.includes(slot.region))) return;
    slot.instance++;
    slot.alive = true;
    const caller: Caller = { region: slot.region, alive: () => slot.alive, owner: `${slot.region}/i${slot.instance}` };
    const instance = slot.instance;
    const skewed: Clock = {
      now: () => clock.now() + faults.clockSkewMs(slot.region),
      sleep: async (ms, cancel) => {
        await clock.sleep(ms, cancel);
        if (!slot.alive || slot.instance !== instance) await never();
      },
    };
    const sim = simDecorator(world, caller, skewed);
    const extra = this.opts.decorate?.(slot.region);
    const decorate: ClientDecorator = extra ? (c, service, region) => (sim(c, service, region), extra(c, service, region)) : sim;
    // ARC endpoints are tried in a random order: seeded per slot and process, without drawing from the shared streams.
    const arcRandom = new SeededRandom((this.seed * 7919 + this.slots.indexOf(slot) * 104_729 + instance * 15_485_863) >>> 0);
    slot.adapters = createAwsAdapters({ env: {}, credentials: FAKE_CREDENTIALS, maxAttempts: 1, cacheMiddleware: true, decorate, random: arcRandom });
    const notify = simNotifier(this.config, slot.region, slot.adapters, skewed);
    slot.ctrl = opts.controller({
      region: slot.region, instance, config: this.config, adapters: slot.adapters, http: simHttp(world, caller, skewed), clock: skewed, random: this.controllerRandom.fork(),
      events: (event, detail) => {
        if (!slot.alive || slot.instance !== instance) return;
        world.event(event, { ...detail, controller: `${slot.region}#${instance}` });
        notify(event, detail);
        if (event === "escalation") this.escalations++;
      },
    });
    this.live[this.slots.indexOf(slot)] = slot.ctrl;
    if (instance > 0) world.event("controller.restarted", { region: slot.region, instance });
  }

  private crash(slot: Slot, why: string): void {
    if (!slot.alive) return;
    slot.alive = false;
    slot.busy = false;
    slot.adapters?.destroy();
    this.world.event("controller.crashed", { region: slot.region, instance: slot.instance, why });
  }

  /** Advances everything to `t` (a whole second after the previous step). */
  async stepTo(t: number): Promise<void> {
    const { world, faults, clock, slots } = this;
    await clock.advanceTo(t);
    world.nowMs = t;
    const { started, ended } = faults.update(t);
    for (const f of ended) world.event("fault.end", { kind: f.kind, ...("region" in f && f.region ? { region: f.region } : {}) });
    for (const f of started) {
      const { at: _at, until: _until, ...detail } = f;
      world.event("fault.start", detail);
      if (f.kind === "controller-crash") {
        const slot = slots.find((s) => s.region === f.region);
        if (slot) {
          this.crash(slot, "controller-crash");
          slot.restartAtMs = f.restartAfter !== undefined ? t + f.restartAfter : f.until;
        }
      }
    }
    for (const slot of slots) {
      const regionDead = faults.regionDown(slot.region, "controller");
      if (regionDead && slot.alive) {
        this.crash(slot, "region-outage");
        slot.restartAtMs = undefined;
      }
      const crashFaultActive = faults.faults.some((f) => f.kind === "controller-crash" && f.region === slot.region && f.at <= t && (f.until === undefined || t < f.until) && f.restartAfter === undefined);
      const due = slot.restartAtMs === undefined ? slot.instance >= 0 && !crashFaultActive : t >= slot.restartAtMs;
      if (!slot.alive && !regionDead && this.opts.controller && due) {
        slot.restartAtMs = undefined;
        this.startController(slot);
      }
    }
    world.step(t);
    this.clients.step(t);
    this.operator.step(t);
    for (const slot of slots) {
      if (!slot.alive || slot.busy || !slot.ctrl || t < slot.nextTickMs) continue;
      slot.busy = true;
      slot.nextTickMs = t + this.config.controller.interval;
      const instance = slot.instance;
      void slot.ctrl.tick().then(
        () => {
          if (slot.instance === instance) slot.busy = false;
        },
        (err: unknown) => {
          if (slot.instance === instance) slot.busy = false;
          world.event("controller.error", { region: slot.region, error: err instanceof Error ? err.message : String(err) });
        },
      );
    }
  }

  /** RTO and RPO as the clients saw them between two instants (a drill phase). */
  measure(fromMs: number, toMs: number): { rtoMs: number; rpoMs: number } {
    return this.clients.measuredBetween(fromMs, toMs);
  }

  /**
   * Takes a region's controller process out after it stopped on its own
   * (a SIGTERM handled by the daemon), and starts a new one `restartAfterMs` later.
   */
  retire(region: string, restartAfterMs: number): void {
    const slot = this.slots.find((s) => s.region === region);
    if (!slot?.alive) return;
    slot.alive = false;
    slot.busy = false;
    slot.adapters?.destroy();
    slot.restartAtMs = this.world.nowMs + restartAfterMs;
    this.world.event("controller.stopped", { region, instance: slot.instance });
  }

  /** The AWS adapters of a region's controller process (answered by the world). */
  adaptersIn(region: string): AwsAdapters | undefined {
    return this.slots.find((s) => s.region === region)?.adapters;
  }

  /** The live controller of a region (app region or witness), if it runs. */
  controllerIn(region: string): SimController | undefined {
    const slot = this.slots.find((s) => s.region === region);
    return slot?.alive ? slot.ctrl : undefined;
  }

  /**
   * Steps second by second until `work` settles, so work that waits on the
   * virtual clock (a runbook an operator started) can finish; rejects if it
   * has not by `untilMs`.
   */
  async drive<T>(work: Promise<T>, untilMs: number): Promise<T> {
    let settled = false;
    const watched = work.finally(() => (settled = true));
    // Handled here so a rejection is not reported before the caller awaits it.
    watched.catch(() => undefined);
    for (let t = this.world.nowMs + 1_000; !settled && t <= untilMs; t += 1_000) await this.stepTo(t);
    if (!settled) throw new Error(`the simulated work did not finish by ${formatDurationMs(untilMs)} of simulated time`);
    return watched;
  }

  /** Steps until `done()` holds (checked each second) or `untilMs`; true when it held. */
  async stepUntil(done: () => boolean, untilMs: number): Promise<boolean> {
    for (let t = this.world.nowMs + 1_000; t <= untilMs; t += 1_000) {
      await this.stepTo(t);
      if (done()) return true;
    }
    return false;
  }

  private countFailovers(): { failovers: number; falseFailovers: number } {
    return countWorldFailovers(this.world);
  }

  finish(): Verdict {
    for (const s of this.slots) {
      s.alive = false;
      s.adapters?.destroy();
    }
    const { world, scenario } = this;
    const m = this.clients.measured(scenario.duration);
    const { failovers, falseFailovers } = this.countFailovers();
    const c = classify(scenario, this.config);
    const measured: Verdict["measured"] = {
      rtoMs: m.rtoMs, rpoMs: m.rpoMs, failovers, falseFailovers, splitBrainMs: m.splitBrainMs, splitBrainWrites: m.splitBrainWrites,
      lostWrites: m.lostWrites, dynamodbRpoMs: m.dynamodbRpoMs, unleasedMutations: world.unleased.length,
      escalations: this.escalations, activeRegion: world.aurora.writer, awsCalls: world.calls, class: c.class, envelope: c.envelope, due: c.due, rtoFloorMs: rtoFloorMs(scenario, this.config, c, world),
    };
    const violations = [...judge(scenario, measured), ...judgeNotified(scenario, world)];
    return { scenario: scenario.name, seed: this.seed, passed: violations.length === 0, measured, violations, timeline: world.timeline };
  }
}

/**
 * Failovers as the world saw them: completed changes of the Aurora writer.
 * A change is false when the old writer's region was not failing clients
 * (world.regionFailing) from JUSTIFY_LOOKBACK_MS before the promotion
 * started to its end; a planned return to the preferred region (a
 * failback) is never false.
 */
export function countWorldFailovers(world: World): { failovers: number; falseFailovers: number } {
  const preferred = world.apps[0];
  let falseFailovers = 0;
  for (const c of world.writerChanges) {
    const failback = c.to === preferred && c.kind === "switchover";
    if (!failback && !world.failedBetween(c.from, c.startedAtMs - JUSTIFY_LOOKBACK_MS, c.atMs)) falseFailovers++;
  }
  return { failovers: world.writerChanges.length, falseFailovers };
}

function judge(s: Scenario, m: Verdict["measured"]): string[] {
  const v: string[] = [];
  const e = s.expect;
  if (e.rto !== undefined && m.rtoMs > e.rto) v.push(`rto ${formatDurationMs(m.rtoMs)} exceeds expected ${formatDurationMs(e.rto)}`);
  // The data-loss window covers both stores: Aurora's and the DynamoDB global tables'.
  if (e.rpo !== undefined && m.rpoMs > e.rpo) v.push(`rpo ${formatDurationMs(m.rpoMs)} (Aurora, ${m.lostWrites} writes lost) exceeds expected ${formatDurationMs(e.rpo)}`);
  if (e.rpo !== undefined && m.dynamodbRpoMs > e.rpo) v.push(`DynamoDB rpo ${formatDurationMs(m.dynamodbRpoMs)} exceeds expected ${formatDurationMs(e.rpo)}`);
  const count = (name: string, actual: number, want: number | { min?: number | undefined; max?: number | undefined } | undefined) => {
    if (want === undefined) return;
    if (typeof want === "number") {
      if (actual !== want) v.push(`${name} ${actual}, expected exactly ${want}`);
      return;
    }
    if (want.min !== undefined && actual < want.min) v.push(`${name} ${actual}, expected at least ${want.min}`);
    if (want.max !== undefined && actual > want.max) v.push(`${name} ${actual}, expected at most ${want.max}`);
  };
  count("failovers", m.failovers, e.failovers);
  count("false failovers", m.falseFailovers, e.falseFailovers ?? 0);
  count("mutating AWS calls by a controller that did not hold the lease:", m.unleasedMutations, e.unleasedMutations ?? 0);
  count("escalations", m.escalations, e.escalations);
  if (e.activeRegion !== undefined && m.activeRegion !== e.activeRegion) v.push(`active region ${m.activeRegion}, expected ${e.activeRegion}`);
  if (e.splitBrain === false && m.splitBrainMs > 0) v.push(`split brain for ${formatDurationMs(m.splitBrainMs)} (${m.splitBrainWrites} divergent writes), expected none`);
  return v;
}
