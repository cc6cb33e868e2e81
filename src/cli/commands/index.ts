// Every built command, in the order `--help` lists them.
import type { Registrar } from "../program.js";
import { approvalCommands } from "./approvals.js";
import { daemonCommand } from "./daemon.js";
import { drillCommand } from "./drill.js";
import { moveCommand } from "./move.js";
import { gamedayCommand } from "./game-day.js";
import { iamPolicyCommand } from "./iam-policy.js";
import { infraCommand } from "./infra.js";
import { inspectCommands } from "./inspect.js";
import { checkConfiguredRunbooks, runbooksCommand } from "./runbooks.js";
import { stopCommand } from "./stop.js";
import { validateCommand } from "./validate.js";

export const commands: Registrar[] = [validateCommand([checkConfiguredRunbooks]), iamPolicyCommand, runbooksCommand, inspectCommands, drillCommand, moveCommand, approvalCommands, stopCommand, gamedayCommand, daemonCommand, infraCommand()];
