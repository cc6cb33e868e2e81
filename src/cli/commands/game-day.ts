// `failover gameday`: scenarios (a file or a folder) or a seeded sweep, in
// virtual time against the real controller (specs/gameday.md).

import { mkdir, writeFile } from "node:fs/promises";
import type { Verdict } from "../../sim/runner.js";
import type { EngineName } from "../../sim/engine-override.js";
import type { TrafficStrategy } from "../../sim/sweep-seed.js";
import { EXIT, UsageError } from "../exit.js";
import type { Registrar } from "../program.js";

interface Options {
  scenario?: string;
  seed?: string;
  sweep?: string;
  emit?: string;
  workers?: string;
  saboteur?: string;
  controller: boolean;
  engine?: string;
  strategy?: string;
}

// Every strategy the config schema knows (a new one fails to compile here until it is listed).
const STRATEGIES = Object.keys({ "health-check": true, "routing-control": true, records: true } satisfies Record<TrafficStrategy, true>) as TrafficStrategy[];

const int = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return Number(v);
};

export const gamedayCommand: Registrar = (program, io, run, globals) => {
  program
    .command("gameday")
    .description("run game-day scenarios (a file or a folder) or a randomized sweep, in virtual time")
    .option("--scenario <path>", "a scenario file, or a folder of *.yaml scenarios")
    .option("--seed <n>", "override the scenario's seed (with --sweep: the first seed)")
    .option("--sweep <n>", "run N randomized scenarios")
    .option("--emit <dir>", "with --sweep: write each randomized scenario as a file that replays it")
    .option("--workers <n>", "with --sweep: worker threads to run seeds on (default: available CPUs; output is the same)")
    .option("--no-controller", "run the world with no controller (to see what an outage costs untouched)")
    .option("--saboteur <name>", "run a deliberately broken controller instead of the real one (`--saboteur list` names them)")
    .option("--strategy <strategy>", "with --sweep: run every seed with the sandbox's traffic on this strategy (health-check, routing-control or records); each seed's expectations follow it")
    .option("--engine <engine>", "with --scenario: run the runbooks with this engine (local, or step-functions with an MRSC control table), whatever the scenarios say")
    .action((opts: Options) =>
      run(async () => {
        // The simulator is loaded when a game day runs, not by every command (the daemon never holds it).
        const [{ SABOTEURS, saboteur }, { formatSummary, formatVerdict, summarize }, { runScenario }, { loadScenarios }, { withRunbookEngine }, { runSweep }, { controllerFor, sweepFile }] = await Promise.all([
          import("../../sim/saboteurs.js"),
          import("../../sim/report.js"),
          import("../../sim/runner.js"),
          import("../../sim/scenario.js"),
          import("../../sim/engine-override.js"),
          import("../../sim/sweep-pool.js"),
          import("../../sim/sweep-seed.js"),
        ]);
        const seed = int(opts.seed, "--seed");
        if (opts.saboteur === "list") {
          if (globals().json) io.stdout(`${JSON.stringify(SABOTEURS.map(({ name, removes }) => ({ name, removes })))}\n`);
          else io.stdout(`${SABOTEURS.map((s) => `${s.name.padEnd(11)} removes ${s.removes}`).join("\n")}\n`);
          return EXIT.ok;
        }
        if (opts.saboteur !== undefined && !saboteur(opts.saboteur)) {
          throw new UsageError(`--saboteur must be one of ${SABOTEURS.map((s) => s.name).join(", ")} (or list), got ${JSON.stringify(opts.saboteur)}`);
        }
        if (opts.engine !== undefined && opts.engine !== "local" && opts.engine !== "step-functions") throw new UsageError(`--engine must be local or step-functions, got ${JSON.stringify(opts.engine)}`);
        if (opts.engine !== undefined && opts.sweep !== undefined) throw new UsageError("--engine applies to --scenario runs (sweeps: bench/sweep-engines.ts runs both engines)");
        const engine: EngineName | undefined = opts.engine;
        const strategy = opts.strategy === undefined ? undefined : STRATEGIES.find((s) => s === opts.strategy);
        if (opts.strategy !== undefined && strategy === undefined) throw new UsageError(`--strategy must be one of ${STRATEGIES.join(", ")}, got ${JSON.stringify(opts.strategy)}`);
        if (strategy !== undefined && opts.sweep === undefined) throw new UsageError("--strategy applies to --sweep runs (a scenario file sets it in its controller: block)");
        const factory = controllerFor(opts);
        const controller = factory ? { controller: factory } : {};
        const verdicts: Verdict[] = [];
        const progress = (v: Verdict) => {
          if (!globals().json) io.stderr(`${v.passed ? "pass" : "FAIL"} ${v.scenario} seed ${v.seed} rto ${Math.round(v.measured.rtoMs / 1000)}s\n`);
        };
        if (opts.sweep !== undefined) {
          const n = int(opts.sweep, "--sweep")!;
          const first = seed ?? 1;
          const emitDir = opts.emit;
          if (emitDir) await mkdir(emitDir, { recursive: true });
          const workers = int(opts.workers, "--workers");
          if (workers === 0) throw new UsageError("--workers must be at least 1");
          // Seeds run across worker threads; verdicts come back in seed order.
          verdicts.push(
            ...(await runSweep(first, n, {
              controller: opts.controller,
              saboteur: opts.saboteur,
              emitDir,
              workers,
              strategy,
              onVerdict: progress,
              ...(emitDir && {
                beforeSeed: async (s: number) => {
                  const { file, text } = sweepFile(s, emitDir, strategy);
                  await writeFile(file, text);
                },
              }),
            })),
          );
        } else if (opts.scenario !== undefined) {
          // Every file is validated before anything runs: one bad file stops the folder.
          for (const { file, scenario } of await loadScenarios(opts.scenario)) {
            const v = await runScenario(engine ? withRunbookEngine(scenario, engine) : scenario, { file, ...(seed !== undefined && { seed }), ...controller });
            verdicts.push(v);
            progress(v);
          }
        } else {
          throw new UsageError("give --scenario FILE|DIR or --sweep N");
        }
        const single = opts.sweep === undefined && verdicts.length === 1 && !opts.scenario?.endsWith("/");
        const summary = summarize(verdicts);
        // Each scenario carries its expectations, and split brain, false failovers and mutations
        // without the lease default to none: the folder or sweep passes when every scenario does.
        const passed = summary.passed === summary.scenarios;
        if (globals().json) {
          io.stdout(`${JSON.stringify(single ? verdicts[0] : { scenarios: verdicts, passed, summary })}\n`);
        } else {
          const colour = io.isTty && !io.env.NO_COLOR;
          if (single) io.stdout(`${formatVerdict(verdicts[0]!, colour)}\n`);
          else io.stdout(`${verdicts.filter((v) => !v.passed).map((v) => formatVerdict(v, colour)).join("\n\n")}\n${formatSummary(summary, colour)}\n`);
        }
        return passed ? EXIT.ok : EXIT.problem;
      }),
    );
};
