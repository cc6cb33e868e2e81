// Loading a config file: YAML with line numbers, the zod schema, then the
// cross-field checks. Every problem is reported at once, as a ConfigError
// naming file, line, field path and expectation (exit 2 in the CLI).

import { readFile } from "node:fs/promises";
import { ConfigError } from "../core/index.js";
import { checkConfig } from "./checks.js";
import { configSchema, type Config } from "./schema.js";
import { parseYamlWith } from "./yaml-errors.js";

export interface LoadedConfig {
  config: Config;
  file: string;
  /** Allowed but risky settings (e.g. the lease store in an app region). */
  warnings: string[];
}

const READ_FAILURES: Record<string, string> = {
  ENOENT: "the file does not exist",
  EACCES: "permission denied",
  EISDIR: "it is a directory",
};

/** Reads a config file; any failure is a ConfigError (exit 2), never a raw fs error. */
export async function readConfigFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    const reason = READ_FAILURES[code] ?? (err instanceof Error ? err.message : String(err));
    throw new ConfigError({ file, path: "", expected: `a readable YAML file (${reason})` });
  }
}

/** Parses config text; `file` is only used in messages. */
export function parseConfigText(text: string, file: string): LoadedConfig {
  const { data, lineOf } = parseYamlWith(configSchema, text, file);
  const { errors, warnings } = checkConfig(data);
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => ({ ...e, file, line: lineOf(e.path.split(".").flatMap(splitIndex)) })),
    );
  }
  return { config: data, file, warnings };
}

/**
 * Reads, parses and checks a config file. Throws one ConfigError listing every
 * problem (file, line, field path, expectation); warnings do not throw.
 */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  return parseConfigText(await readConfigFile(file), file);
}

/** "regions[2]" -> ["regions", 2]. */
function splitIndex(part: string): (string | number)[] {
  const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
  if (!m) return [part];
  const idx = [...(m[2] ?? "").matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
  return [m[1] ?? part, ...idx];
}
