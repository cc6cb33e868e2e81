#!/usr/bin/env node
import { commands } from "./commands/index.js";
import { processIo } from "./context.js";
import { runCli } from "./program.js";

const code = await runCli(process.argv.slice(2), processIo(), commands);
// Exit explicitly once output is flushed: a game day may leave timers of
// abandoned (crashed, simulated) runbook executions that must not hold the
// process open after the verdict is out.
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
process.exit(code);
