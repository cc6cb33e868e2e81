// One controller's footprint (issue 16), for `npm run bench`: what a single
// controller process costs, not the three-controller sandbox. Each region's
// controller runs alone in a child process of its own (so the child's peak
// RSS holds one controller's heap, not three) through an hour of the quiet
// sandbox world, and the child reports:
//   - its peak RSS: an upper bound, since the simulated world, its clients
//     and tsx live in the same process (a world-only child and a bare
//     node + tsx child give the baselines);
//   - the CPU the controller adds: the same 1 h run with that one controller
//     minus with none, the median of several runs after a warm-up, in the
//     same process. It includes the world answering the controller's calls
//     but not what a real call costs past the SDK's initialize step
//     (serializing, signing, HTTPS): an estimate, not a container's meter;
//   - the AWS calls that controller makes per second in steady state, counted
//     on its own SDK clients (not world.calls, which counts every caller).
//
//   node --import tsx bench/footprint.ts REGION|world|bare   (one child; prints JSON)

import { execFile } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { SimOptions, SimSession } from "../src/sim/runner.js";
import type { Scenario } from "../src/sim/scenario.js";

const REGIONS = ["us-east-1", "us-west-2", "us-east-2"];
/** Simulated hours per timed run. */
const HOURS = 1;
const QUIET = `name: quiet\nduration: ${HOURS}h\nworld: { regions: [${REGIONS.join(", ")}], witness: us-east-2 }\n`;
/** Calls before this are the start-up (first lease, first probes), not the steady state. */
const STEADY_FROM_MS = 10 * 60_000;
/** Timed runs of each kind (with the controller, without); the median counts. */
const REPEATS = 5;
/** Untimed runs of each kind first (JIT tiers settle over the first few). */
const WARM_UP = 2;
const WORLD_ONLY = "world";
/** A child that loads nothing: node and tsx alone. */
const BARE = "bare";

export interface ChildReport {
  /** The controller's region, "world" for the world-only baseline, "bare" for node and tsx alone. */
  region: string;
  maxRssKiB: number;
  /** Median CPU (user + system) of the 1 h run with the controller, and without, in ms. */
  cpuMsWith: number;
  cpuMsWithout: number;
  /** The controller's AWS calls from STEADY_FROM_MS to the end of the hour, and over how many seconds. */
  steadyCalls: number;
  steadySeconds: number;
}

export interface Footprint {
  /** One per region, its controller alone. */
  children: ChildReport[];
  world: ChildReport;
  bare: ChildReport;
  /** Simulated hours per timed run. */
  hours: number;
  /** Timed runs of each kind per child (the median counts). */
  repeats: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** In the child: one region's controller alone (none for "world", nothing loaded for "bare"). */
async function child(region: string): Promise<ChildReport> {
  const report = { region, cpuMsWith: 0, cpuMsWithout: 0, steadyCalls: 0, steadySeconds: 0 };
  if (region === BARE) return { ...report, maxRssKiB: process.resourceUsage().maxRSS };
  // Loaded here, not at the top, so the bare child measures node and tsx alone.
  const { SimSession } = await import("../src/sim/runner.js");
  const { parseScenario } = await import("../src/sim/scenario.js");
  const { realController } = await import("../src/sim/real-controller.js");
  const quiet: Scenario = parseScenario(QUIET, "bench-footprint");
  const run = async (opts: SimOptions, onStart?: (session: SimSession) => void) => {
    const session = new SimSession(quiet, opts);
    onStart?.(session);
    for (let t = 0; t <= quiet.duration; t += 1_000) await session.stepTo(t);
    session.finish();
  };
  const cpuMs = async (opts: SimOptions) => {
    const before = process.cpuUsage();
    await run(opts);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1_000;
  };
  const one: SimOptions = region === WORLD_ONLY ? {} : { controller: realController, controllers: [region] };
  const none: SimOptions = {};
  // Warm-up: module loading, JIT, the SDK clients' first use.
  for (let i = 0; i < WARM_UP; i++) {
    await run(one);
    await run(none);
  }
  const withC: number[] = [];
  const withoutC: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    withoutC.push(await cpuMs(none));
    withC.push(await cpuMs(one));
  }
  // Counted on the controller's own clients: a middleware ahead of the world's answer sees each call.
  let steadyCalls = 0;
  let session: SimSession | undefined;
  await run(
    {
      ...one,
      decorate: () => (client) =>
        client.middlewareStack.add(
          (next) => (args) => {
            if ((session?.world.nowMs ?? 0) >= STEADY_FROM_MS) steadyCalls++;
            return next(args);
          },
          { step: "initialize", priority: "high", name: "benchCallCounter" },
        ),
    },
    (s) => (session = s),
  );
  return {
    ...report,
    maxRssKiB: process.resourceUsage().maxRSS,
    cpuMsWith: median(withC),
    cpuMsWithout: median(withoutC),
    steadyCalls,
    steadySeconds: (quiet.duration - STEADY_FROM_MS) / 1_000,
  };
}

/** Runs one child per region (and a world-only and a bare one), one after the other. */
export async function measureFootprint(): Promise<Footprint> {
  const here = fileURLToPath(import.meta.url);
  const args = ["--import", import.meta.resolve("tsx"), here];
  const reports: ChildReport[] = [];
  for (const region of [BARE, WORLD_ONLY, ...REGIONS]) {
    const { stdout } = await promisify(execFile)(process.execPath, [...args, region], { maxBuffer: 1 << 20 });
    reports.push(JSON.parse(stdout.trim().split("\n").at(-1)!) as ChildReport);
  }
  return { bare: reports[0]!, world: reports[1]!, children: reports.slice(2), hours: HOURS, repeats: REPEATS };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const region = process.argv[2];
  if (!region) throw new Error("usage: footprint.ts REGION|world|bare");
  console.log(JSON.stringify(await child(region)));
  process.exit(0);
}
