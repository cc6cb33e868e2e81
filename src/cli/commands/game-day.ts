// `failover gameday`: scenarios (a file or a folder) or a seeded sweep, in
// virtual time against the real controller (specs/gameday.md).

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { realController } from "../../sim/lite/real-controller.js";
import { formatSummary, formatVerdict, summarize } from "../../sim/lite/report.js";
import { runScenario, type Verdict } from "../../sim/lite/runner.js";
import { loadScenarios, parseScenario } from "../../sim/lite/scenario.js";
import { randomScenario } from "../../sim/lite/sweep.js";
import { EXIT, UsageError } from "../exit.js";
import type { Registrar } from "../program.js";

interface Options {
  scenario?: string;
  seed?: string;
  sweep?: string;
  emit?: string;
  controller: boolean;
}

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
    .option("--no-controller", "run the world with no controller (to see what an outage costs untouched)")
    .action((opts: Options) =>
      run(async () => {
        const seed = int(opts.seed, "--seed");
        const controller = opts.controller ? { controller: realController } : {};
        const verdicts: Verdict[] = [];
        const progress = (v: Verdict) => {
          if (!globals().json) io.stderr(`${v.passed ? "pass" : "FAIL"} ${v.scenario} seed ${v.seed} rto ${Math.round(v.measured.rtoMs / 1000)}s\n`);
        };
        if (opts.sweep !== undefined) {
          const n = int(opts.sweep, "--sweep")!;
          const first = seed ?? 1;
          if (opts.emit) await mkdir(opts.emit, { recursive: true });
          for (let s = first; s < first + n; s++) {
            const input = randomScenario(s);
            const text = stringify(input);
            const file = opts.emit ? join(opts.emit, `${input.name}.yaml`) : `${input.name}.yaml`;
            if (opts.emit) await writeFile(file, text);
            const v = await runScenario(parseScenario(text, file), { file, ...controller });
            verdicts.push(v);
            progress(v);
          }
        } else if (opts.scenario !== undefined) {
          // Every file is validated before anything runs: one bad file stops the folder.
          for (const { file, scenario } of await loadScenarios(opts.scenario)) {
            const v = await runScenario(scenario, { file, ...(seed !== undefined && { seed }), ...controller });
            verdicts.push(v);
            progress(v);
          }
        } else {
          throw new UsageError("give --scenario FILE|DIR or --sweep N");
        }
        const single = opts.sweep === undefined && verdicts.length === 1 && !opts.scenario?.endsWith("/");
        const summary = summarize(verdicts);
        const passed = summary.passed === summary.scenarios && summary.falseFailovers === 0 && summary.splitBrainMs === 0;
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
