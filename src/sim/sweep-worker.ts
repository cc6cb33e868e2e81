// A sweep worker thread (sweep-pool.ts): runs the seeds it is sent, one at a
// time, and answers each with its verdict, or with `failed` so the pool can
// rerun that seed in its own thread and raise the real error.

import { parentPort, workerData } from "node:worker_threads";
import { runSweepSeed, type SweepOptions } from "./sweep-seed.js";

const opts = workerData as SweepOptions;
const port = parentPort;
if (!port) throw new Error("sweep-worker.ts runs as a worker thread");
port.on("message", (seed: number) => {
  runSweepSeed(seed, opts).then(
    (verdict) => port.postMessage({ seed, verdict }),
    () => port.postMessage({ seed, failed: true }),
  );
});
port.postMessage({ ready: true });
