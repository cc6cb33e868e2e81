// Every built command, in the order `--help` lists them.
import type { Registrar } from "../program.js";

export const commands: Registrar[] = [];
