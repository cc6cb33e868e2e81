import { readFileSync } from "node:fs";
import { ManualClock, MemoryJournal, type Journal } from "../../src/core/index.js";
import { LocalRunbookEngine, type Definition, type RunbookName, type RunbookResult } from "../../src/runbooks/index.js";
import type { RunbookInput } from "../../src/runbooks/input.js";
import { FakeAws } from "./fake-aws.js";

export const definition = (name: RunbookName): Definition => JSON.parse(readFileSync(`runbooks/${name}.asl.json`, "utf8")) as Definition;

export interface Run {
  result: RunbookResult;
  aws: FakeAws;
  clock: ManualClock;
  engine: LocalRunbookEngine;
}

/** Runs a runbook to its end in virtual time (5 s steps, bounded). */
export async function runToEnd(
  name: RunbookName,
  input: RunbookInput,
  opts: { aws?: FakeAws; clock?: ManualClock; journal?: Journal; definition?: Definition; during?: (r: Omit<Run, "result">, atMs: number) => void } = {},
): Promise<Run> {
  const aws = opts.aws ?? new FakeAws(input);
  const clock = opts.clock ?? new ManualClock(0);
  const engine = new LocalRunbookEngine({ adapters: aws.adapters(), clock, journal: opts.journal ?? new MemoryJournal() });
  const exec = engine.run(name, opts.definition ?? definition(name), input);
  let result: RunbookResult | undefined;
  void exec.result.then((r) => (result = r));
  for (let i = 0; i < 2_000 && !result; i++) {
    opts.during?.({ aws, clock, engine }, clock.now());
    await clock.advance(5_000);
  }
  if (!result) throw new Error("runbook did not finish");
  return { result, aws, clock, engine };
}

export const callList = (aws: FakeAws) => aws.calls.map((c) => `${c.call}@${c.region}`);
