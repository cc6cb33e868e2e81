// `failover gameday --scenario FILE|DIR [--seed N] [--json]` and
// `failover gameday --sweep N [--seed S] [--emit DIR] [--json]`
// (specs/gameday.md). Exit 0 when every expectation holds, 1 when one is
// broken, 2 for an invalid scenario (nothing runs if any file is bad).

import { Option } from "commander";
import { UsageError, EXIT } from "../exit.js";
import type { Registrar } from "../program.js";
import {
  DEFAULT_BASE_CONFIG,
  formatSummaryText,
  formatVerdictText,
  loadBaseConfig,
  runScenarioPath,
  noController,
  realController,
  runSweep,
  styleFor,
  summarize,
  toJson,
  type NamedControllerFactory,
} from "../../sim/index.js";

interface GamedayFlags {
  controller: boolean;
  scenario?: string;
  sweep?: string;
  seed?: string;
  emit?: string;
  config: string;
  answerAt: "initialize" | "finalizeRequest";
}

function parseCount(flag: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${flag} expects a whole number >= ${min}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** `controller` selects what runs in each region: by default the production control cycle. */
export const gamedayCommand =
  (opts: { controller?: NamedControllerFactory } = {}): Registrar =>
  (program, io, run, globals) => {
    program
      .command("gameday")
      .description("run game-day scenarios (disasters in virtual time) against the simulated AWS world and judge RTO, RPO and split brain")
      .option("--scenario <path>", "a scenario file, or a folder of *.yaml scenarios")
      .option("--sweep <n>", "run N randomized scenarios generated from --seed")
      .option("--seed <n>", "overrides the scenario's seed; with --sweep, the sweep's seed (default 1)")
      .option("--emit <dir>", "with --sweep: write each generated scenario to DIR (replays identically)")
      .option("--config <file>", "the config the world is built from", DEFAULT_BASE_CONFIG)
      .option("--no-controller", "run the world with no controller (what a disaster costs untouched)")
      .addOption(new Option("--answer-at <step>", "where the world answers SDK calls").choices(["initialize", "finalizeRequest"]).default("initialize"))
      .action((flags: GamedayFlags) =>
        run(async () => {
          if ((flags.scenario === undefined) === (flags.sweep === undefined)) throw new UsageError("gameday needs exactly one of --scenario <path> or --sweep <n>");
          if (flags.emit !== undefined && flags.sweep === undefined) throw new UsageError("--emit goes with --sweep");
          const seed = flags.seed === undefined ? undefined : parseCount("--seed", flags.seed, 0);
          const base = await loadBaseConfig(flags.config);
          const json = globals().json;
          const style = styleFor(io.isTty && !json);
          const controller = flags.controller ? (opts.controller ?? realController) : noController;
          const common = { controller, answerAt: flags.answerAt };

          if (flags.sweep !== undefined) {
            const count = parseCount("--sweep", flags.sweep, 1);
            const set = await runSweep(base, {
              ...common,
              count,
              seed: seed ?? 1,
              emitDir: flags.emit,
              onVerdict: json
                ? undefined
                : (v, i) =>
                    io.stdout(
                      `${String(i + 1).padStart(String(count).length)}/${count} seed ${v.seed}  ${v.passed ? style.ok("PASS") : style.bad("FAIL")}` +
                        `  rto ${v.measured.rtoMs}ms rpo ${v.measured.rpoMs}ms${v.violations.length > 0 ? `  ${v.violations.join("; ")}` : ""}\n`,
                    ),
            });
            io.stdout(json ? toJson(set) : formatSummaryText(set, style));
            if (!json && !set.passed) io.stdout("to replay one: rerun this sweep with --emit DIR, then failover gameday --scenario DIR/sweep-<seed>.yaml\n");
            return set.passed ? EXIT.ok : EXIT.problem;
          }

          const { single, verdicts } = await runScenarioPath(flags.scenario!, base, { ...common, seed });
          if (single) {
            const v = verdicts[0]!;
            io.stdout(json ? toJson(v) : formatVerdictText(v, style));
            return v.passed ? EXIT.ok : EXIT.problem;
          }
          const set = summarize(verdicts);
          io.stdout(json ? toJson(set) : `${verdicts.map((v) => formatVerdictText(v, style)).join("\n")}\n${formatSummaryText(set, style)}`);
          return set.passed ? EXIT.ok : EXIT.problem;
        }),
      );
  };
