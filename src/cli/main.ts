#!/usr/bin/env node
import { commands } from "./commands/index.js";
import { processIo } from "./context.js";
import { runCli } from "./program.js";

const code = await runCli(process.argv.slice(2), processIo(), commands);
process.exitCode = code;
