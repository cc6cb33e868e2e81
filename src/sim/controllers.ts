// The controllers of a game day, one slot per region (app regions and the
// witness). Each live instance is ticked every config.controller.interval
// of virtual time (never two ticks of one instance at once). A crash
// (controller-crash, or a region-outage that includes `controller`) drops
// the instance: everything it was waiting on, AWS calls, HTTP probes and
// sleeps, simply never completes, as for a killed process. A fresh
// instance starts after restartAfter (or when the fault ends).

import type { AwsAdapters, AwsAdaptersHandle, RegionAdapters } from "../aws/index.js";
import type { Clock, Region } from "../core/index.js";
import type { NamedControllerFactory, SimController } from "./controller-port.js";
import { simHttpClient } from "./http.js";
import type { Measure } from "./measure.js";
import { createSimAdapters, type AnswerPoint, type WorldBinding } from "./middleware.js";
import { hashUnit } from "./scheduler.js";
import type { Fault } from "./types.js";
import type { World } from "./world/world.js";

/** SDK clients built once per caller region and re-pointed at each scenario's world. */
export class AdapterPool {
  readonly binding: WorldBinding = { world: undefined };
  private readonly byRegion = new Map<Region, AwsAdaptersHandle>();

  constructor(readonly answerAt: AnswerPoint = "initialize") {}

  adapters(region: Region): AwsAdaptersHandle {
    let a = this.byRegion.get(region);
    if (!a) {
      a = createSimAdapters(this.binding, region, { answerAt: this.answerAt });
      this.byRegion.set(region, a);
    }
    return a;
  }

  destroy(): void {
    for (const a of this.byRegion.values()) a.destroy();
    this.byRegion.clear();
  }
}

interface Life {
  alive: boolean;
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** Wraps every method of a port so a dead instance's calls never settle, even if AWS already answered. */
function guard<T extends object>(api: T, life: Life): T {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        if (!life.alive) return never();
        const out: unknown = (v as (...a: unknown[]) => unknown).apply(target, args);
        if (!(out instanceof Promise)) return out;
        return out.then(
          (value: unknown) => (life.alive ? value : never()),
          (err: unknown) => (life.alive ? Promise.reject(err instanceof Error ? err : new Error(String(err))) : never()),
        );
      };
    },
  });
}

function guardAdapters(base: AwsAdapters, life: Life): AwsAdapters {
  const regions = new Map<Region, RegionAdapters>();
  return {
    route53: guard(base.route53, life),
    region(region: Region): RegionAdapters {
      let r = regions.get(region);
      if (!r) {
        const b = base.region(region);
        r = { region, aurora: guard(b.aurora, life), dynamodb: guard(b.dynamodb, life), cloudwatch: guard(b.cloudwatch, life), sfn: guard(b.sfn, life) };
        regions.set(region, r);
      }
      return r;
    },
  };
}

interface Slot {
  region: Region;
  index: number;
  incarnation: number;
  life: Life;
  instance?: SimController | undefined;
  busy: boolean;
}

export class ControllerHost {
  private readonly slots: Slot[];

  constructor(
    private readonly world: World,
    private readonly measure: Measure,
    private readonly factory: NamedControllerFactory,
    private readonly pool: AdapterPool,
  ) {
    this.slots = world.core.allRegions.map((region, index) => ({ region, index, incarnation: 0, life: { alive: false }, busy: false }));
    world.core.onFault((f, started) => this.onFault(f, started));
  }

  start(): void {
    for (const slot of this.slots) this.launch(slot);
  }

  private launch(slot: Slot): void {
    const { world } = this;
    const core = world.core;
    const life: Life = { alive: true };
    slot.life = life;
    slot.incarnation++;
    slot.busy = false;
    const sched = core.sched;
    const clock: Clock = {
      now: () => sched.now() + core.clockSkewMs(slot.region),
      sleep: (ms) => new Promise<void>((resolve) => sched.after(ms, () => (life.alive ? resolve() : undefined), true)),
    };
    if (slot.incarnation > 1) core.log("controller.restart", { region: slot.region, incarnation: slot.incarnation });
    slot.instance = this.factory.create({
      region: slot.region,
      config: core.config,
      adapters: guardAdapters(this.pool.adapters(slot.region), life),
      http: simHttpClient(world, () => life.alive),
      clock,
      random: core.random.fork(),
      events: (event, detail) => {
        if (!life.alive) return;
        core.log(event, { region: slot.region, ...detail });
        this.measure.onControllerEvent(event, detail);
      },
      instance: slot.incarnation - 1,
    });
    // Controllers are not synchronised: each starts at its own (seeded) offset in the interval.
    const interval = core.config.controller.interval;
    const offset = Math.floor(hashUnit(core.seed, 7_000 + slot.index, slot.incarnation) * interval);
    sched.after(offset, () => this.tick(slot, life), true);
  }

  private tick(slot: Slot, life: Life): void {
    if (!life.alive || slot.life !== life) return;
    const core = this.world.core;
    core.sched.after(core.config.controller.interval, () => this.tick(slot, life), true);
    if (slot.busy || !slot.instance) return;
    slot.busy = true;
    slot.instance
      .tick()
      .catch((err: unknown) => {
        if (life.alive) core.log("controller.error", { region: slot.region, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      })
      .finally(() => {
        if (slot.life === life) slot.busy = false;
      });
  }

  private crash(slot: Slot, why: string): void {
    if (!slot.life.alive) return;
    slot.life.alive = false;
    slot.instance = undefined;
    this.world.core.log("controller.crash", { region: slot.region, reason: why });
  }

  private regionHoldsController(region: Region): boolean {
    return this.world.core.outage(region, "controller");
  }

  private onFault(f: Fault, started: boolean): void {
    const sched = this.world.core.sched;
    if (f.kind === "controller-crash") {
      const slot = this.slots.find((s) => s.region === f.region);
      if (!slot || !started) return;
      this.crash(slot, "controller-crash");
      const delay = f.restartAfterMs ?? (f.untilMs !== undefined ? f.untilMs - f.atMs : undefined);
      if (delay !== undefined) sched.after(delay, () => this.restart(slot));
    } else if (f.kind === "region-outage" && f.services.includes("controller")) {
      const slot = this.slots.find((s) => s.region === f.region);
      if (!slot) return;
      if (started) this.crash(slot, "region-outage");
      else this.restart(slot);
    }
  }

  private restart(slot: Slot): void {
    // Still inside a region outage that took the controller: it comes back with the region.
    if (slot.life.alive || this.regionHoldsController(slot.region)) return;
    this.launch(slot);
  }

  /** Ends the run: nothing of any instance runs after this. */
  shutdown(): void {
    for (const slot of this.slots) slot.life.alive = false;
  }
}
