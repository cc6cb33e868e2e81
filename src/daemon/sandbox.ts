// `npm start`: every controller of the sandbox config in one process,
// against the simulated AWS world driven by the wall clock, with an outage
// of the active region scripted a minute in, so a newcomer watches
// detection, decision, promotion and the traffic flip in the logs and on
// the status page.

import type { Controller } from "../controller/index.js";
import { realController } from "../sim/real-controller.js";
import { SimSession } from "../sim/runner.js";
import { parseScenario } from "../sim/scenario.js";
import { twinScenario } from "../sim/twin.js";
import type { Config } from "../config/index.js";
import type { Logger } from "./logger.js";
import type { DaemonMetrics } from "./metrics.js";

export interface Sandbox {
  controllers: Controller[];
  /** Called after every simulated second (the daemon samples its status history there, whatever the speed). */
  onStep(listener: () => void): void;
  stop(): void;
}

const NOTEWORTHY = /^(fault\.|decision|escalation|failover\.completed|runbook\.|aurora\.|dns\.answer|controller\.|lease\.acquired|control\.activeRegion|sns\.published|operator\.)/;
// Controller events the metrics count or time (failovers, escalations, runbook durations).
const METRIC_EVENTS = new Set(["failover.completed", "escalation", "runbook.started", "runbook.stopped"]);

/** The sandbox world for the config; with `outageAtS`, the active region fails then and for 30 minutes. */
export function sandboxScenario(config: Config, outageAtS?: number): string {
  return twinScenario(config, {
    name: "sandbox",
    description: "the active region goes dark a minute in and comes back 30 minutes later",
    ...(outageAtS !== undefined && { outageAtS, outageS: 1_800 }),
  });
}

export function startSandbox(opts: { config: Config; logger: Logger; metrics: DaemonMetrics; speed: number; outageAtS?: number }): Sandbox {
  const scenario = parseScenario(sandboxScenario(opts.config, opts.outageAtS ?? 60), "sandbox");
  const session = new SimSession(scenario, { controller: realController });
  const controllers = session.live as unknown as Controller[];
  const startedMs = Date.now();
  let virtualMs = 0;
  let logged = 0;
  let stepping = false;
  const listeners: (() => void)[] = [];
  opts.logger.info({ speed: opts.speed, outage: `${opts.config.regions[0]} at ${opts.outageAtS ?? 60}s simulated` }, "sandbox: simulated AWS world started");
  const timer = setInterval(() => {
    if (stepping) return;
    stepping = true;
    void (async () => {
      const target = Math.floor(((Date.now() - startedMs) * opts.speed) / 1_000) * 1_000;
      while (virtualMs + 1_000 <= target && virtualMs + 1_000 <= scenario.duration) {
        virtualMs += 1_000;
        await session.stepTo(virtualMs);
        for (const listener of listeners) listener();
      }
      const timeline = session.world.timeline;
      for (; logged < timeline.length; logged++) {
        const e = timeline[logged]!;
        if (NOTEWORTHY.test(e.event)) opts.logger.info({ simulatedS: e.atMs / 1000, ...e.detail }, e.event);
        if (METRIC_EVENTS.has(e.event)) opts.metrics.observeEvent(e.event, e.detail ?? {}, e.atMs);
      }
      for (const c of controllers) if (c) opts.metrics.observeStatus(c.status());
    })().finally(() => (stepping = false));
  }, 250);
  return { controllers, onStep: (listener) => void listeners.push(listener), stop: () => clearInterval(timer) };
}
