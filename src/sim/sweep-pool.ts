// A sweep across worker threads: seeds are handed to the next free worker,
// and verdicts are reported and returned in seed order, so the output is the
// same bytes as a sweep in one thread (each seed's run is self-contained and
// deterministic). Anything unusual falls back to this thread: a seed whose
// run threw is rerun here so the real error (and its exit code) surfaces,
// and the seeds of a worker that failed to start or died run here too.

import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Verdict } from "./runner.js";
import { runSweepSeed, type SweepOptions } from "./sweep-seed.js";

/** A worker costs a module load (~1-2 s from source); below this many seeds each, fewer workers. */
const MIN_SEEDS_PER_WORKER = 8;
/**
 * A simulated run makes mostly short-lived garbage (SDK commands, promises,
 * probe results) and keeps little: a worker's live heap after a collection
 * is about 40 MB. Left alone, V8 lets the old generation grow to a few
 * hundred MB between major collections, per worker. A cap of 112 MB (almost
 * three times the live heap) makes it collect sooner instead. Measured on
 * 600-seed sweeps with two workers: peak RSS 341 MiB with this, 379 MiB with
 * 160/32 MB, 548-653 MiB (300 seeds) with only a 96 MB young generation;
 * wall and CPU time within this machine's noise. A worker that did run out
 * of memory would exit and its seeds run in this thread (the pool's
 * fallback), slower but with the same verdicts.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 112 };

type Outcome = { verdict: Verdict } | { here: true };
type WorkerReply = { ready: true } | { seed: number; verdict: Verdict } | { seed: number; failed: true };

export interface SweepRun extends SweepOptions {
  /** Worker threads (default: the machine's available parallelism); 1 runs in this thread. */
  workers?: number | undefined;
  /** Called once per seed, in seed order, before the next seed's verdict is reported. */
  onVerdict?: ((v: Verdict) => void | Promise<void>) | undefined;
  /** Called with each seed, in order, before it is run (e.g. to write it with `--emit`). */
  beforeSeed?: ((seed: number) => Promise<void>) | undefined;
}

export async function runSweep(first: number, count: number, run: SweepRun): Promise<Verdict[]> {
  const seeds = Array.from({ length: count }, (_, i) => first + i);
  const opts: SweepOptions = { controller: run.controller, emitDir: run.emitDir, saboteur: run.saboteur, strategy: run.strategy };
  const threads = Math.min(run.workers ?? availableParallelism(), Math.ceil(count / MIN_SEEDS_PER_WORKER));
  const pool = threads > 1 ? new Pool(seeds, threads, opts, run.beforeSeed) : undefined;
  const verdicts: Verdict[] = [];
  try {
    for (const seed of seeds) {
      const outcome = pool ? await pool.outcome(seed) : { here: true as const };
      if ("here" in outcome) await run.beforeSeed?.(seed);
      const verdict = "verdict" in outcome ? outcome.verdict : await runSweepSeed(seed, opts);
      verdicts.push(verdict);
      await run.onVerdict?.(verdict);
    }
  } finally {
    pool?.close();
  }
  return verdicts;
}

class Pool {
  private readonly queue: number[];
  private readonly settle = new Map<number, (o: Outcome) => void>();
  private readonly outcomes = new Map<number, Promise<Outcome>>();
  private readonly workers: Worker[] = [];
  private alive = 0;

  constructor(
    seeds: number[],
    threads: number,
    private readonly opts: SweepOptions,
    private readonly beforeSeed: ((seed: number) => Promise<void>) | undefined,
  ) {
    this.queue = [...seeds];
    for (const s of seeds) this.outcomes.set(s, new Promise((resolve) => this.settle.set(s, resolve)));
    for (let i = 0; i < threads; i++) this.start();
    if (this.alive === 0) this.runRestHere();
  }

  outcome(seed: number): Promise<Outcome> {
    return this.outcomes.get(seed) ?? Promise.resolve({ here: true });
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
  }

  private resolve(seed: number, o: Outcome): void {
    this.settle.get(seed)?.(o);
    this.settle.delete(seed);
  }

  /** Seeds nobody will run in a worker any more: the sweep loop runs them itself. */
  private runRestHere(): void {
    for (const s of this.queue.splice(0)) this.resolve(s, { here: true });
  }

  private start(): void {
    let worker: Worker;
    try {
      worker = spawnWorker(this.opts);
    } catch {
      return; // e.g. no way to load TypeScript in a thread here: this thread runs the seeds
    }
    this.workers.push(worker);
    this.alive++;
    let inFlight: number | undefined;
    let dead = false;
    const next = async () => {
      const seed = this.queue.shift();
      inFlight = seed;
      if (seed === undefined) return;
      await this.beforeSeed?.(seed);
      worker.postMessage(seed);
    };
    const fail = () => {
      if (dead) return;
      dead = true;
      this.alive--;
      if (inFlight !== undefined) this.resolve(inFlight, { here: true });
      inFlight = undefined;
      if (this.alive === 0) this.runRestHere();
    };
    worker.on("message", (m: WorkerReply) => {
      if ("seed" in m) {
        inFlight = undefined;
        if ("verdict" in m) this.resolve(m.seed, { verdict: m.verdict });
        else {
          // The sweep stops at this seed (rerun here, it throws): nothing after it is needed.
          this.resolve(m.seed, { here: true });
          this.runRestHere();
        }
      }
      next().catch(fail);
    });
    worker.on("error", fail);
    worker.on("exit", fail);
  }
}

/** This module's sibling sweep-worker, as .js when built and .ts (through tsx) when run from source. */
function spawnWorker(opts: SweepOptions): Worker {
  const here = fileURLToPath(import.meta.url);
  const url = new URL(`./sweep-worker${extname(here)}`, import.meta.url);
  if (extname(here) !== ".ts") return new Worker(url, { workerData: opts, resourceLimits: WORKER_LIMITS });
  // A worker does not inherit tsx's loader from the command line; register it first.
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: opts, execArgv: [], resourceLimits: WORKER_LIMITS });
}
