// Reads a config for deployment: the controller's own loader first (schema
// and cross-field rules, exactly what `failover validate` checks), then the
// deployability checks, every problem with file, line and field path. Throws
// one ConfigError (exit 2) before anything is synthesized.

import { readFile } from "node:fs/promises";
import { parseConfigText, parseYaml, readConfigFile, type Config, type PathSegment } from "../src/config/index.js";
import { ConfigError } from "../src/core/index.js";
import { runbookFiles } from "../src/cli/commands/runbooks.js";
import { lintRunbook, loadRunbook, toConfigError, type LintIssue } from "../src/runbooks/index.js";
import { checkDeployable, deployWarnings } from "./checks.js";

export interface DeployInput {
  config: Config;
  file: string;
  /**
   * The config as compact JSON (comments dropped, values as written): what
   * the SSM parameter delivers. JSON is YAML, so the daemon loads it as is.
   */
  configJson: string;
  /** Runbook name -> definition text, exactly the file's bytes. */
  definitions: Record<string, string>;
  warnings: string[];
}

export async function loadDeployConfig(file: string): Promise<DeployInput> {
  return parseDeployConfig(await readConfigFile(file), file);
}

export async function parseDeployConfig(text: string, file: string): Promise<DeployInput> {
  const { config, warnings } = parseConfigText(text, file);
  const { value, lineOf } = parseYaml(text, file);
  const configJson = JSON.stringify(value);
  const problems = checkDeployable(config, Buffer.byteLength(configJson, "utf8"));
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => ({ ...p, file, line: lineOf(splitPath(p.path)) })));
  }
  const definitions: Record<string, string> = {};
  const issues: LintIssue[] = [];
  for (const [name, path] of Object.entries(runbookFiles(config))) {
    // The deployed runbook must be one the controller would accept.
    issues.push(...lintRunbook(await loadRunbook(path), path));
    definitions[name] = await readFile(path, "utf8");
  }
  if (issues.length > 0) throw toConfigError(issues);
  return { config, file, configJson, definitions, warnings: [...warnings, ...deployWarnings(config)] };
}

/** "deploy.network.us-east-1" -> ["deploy", "network", "us-east-1"]; "regions[1]" -> ["regions", 1]. */
function splitPath(path: string): PathSegment[] {
  if (path === "") return [];
  return path.split(".").flatMap((part): PathSegment[] => {
    const m = /^([^[]+)\[(\d+)\]$/.exec(part);
    return m ? [m[1] ?? part, Number(m[2])] : [part];
  });
}
