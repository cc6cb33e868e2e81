// `failover infra synth`: load and check the config, build the app, and
// synthesize into a fresh temporary folder; only a complete, checked
// assembly is moved to the output folder, so a failure leaves no partial
// template behind.

import { cp, mkdtemp, readFile, readdir, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigError } from "../src/core/index.js";
import { buildApp } from "./app.js";
import { loadDeployConfig } from "./load.js";

export interface SynthResult {
  outDir: string;
  stacks: { name: string; region: string; template: string; resources: number }[];
  warnings: string[];
  durationMs: number;
}

export class SecurityCheckError extends Error {
  constructor(readonly findings: string[]) {
    super(`cdk-nag found ${findings.length} unacknowledged problem(s):\n${findings.map((f) => `  - ${f}`).join("\n")}`);
    this.name = "SecurityCheckError";
  }
}

export async function synthesize(configFile: string, outDir: string): Promise<SynthResult> {
  const started = performance.now();
  const target = resolve(outDir);
  // Refused before any work: old templates must never mix with new ones.
  if ((await exists(target)) && (await readdir(target)).length > 0) {
    throw new ConfigError({ file: target, path: "", expected: "an empty or new output folder (--out), so old templates are never mixed with new ones" });
  }
  const input = await loadDeployConfig(configFile);
  const staging = await mkdtemp(join(tmpdir(), "failover-synth-"));
  try {
    const built = buildApp(input, { outdir: staging });
    try {
      built.app.synth();
    } catch (err) {
      throw (await readFindings(staging)) ?? err;
    }
    await rm(target, { recursive: true, force: true });
    await moveDir(staging, target);
    const stacks: SynthResult["stacks"] = [];
    for (const s of built.stacks) {
      const template = join(target, s.templateFile);
      const parsed = JSON.parse(await readFile(template, "utf8")) as { Resources?: Record<string, unknown> };
      stacks.push({ name: s.stackName, region: s.region, template, resources: Object.keys(parsed.Resources ?? {}).length });
    }
    return {
      outDir: target,
      stacks,
      warnings: input.warnings,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** cdk-nag's findings from CDK's validation report, one line each. */
export async function readFindings(dir: string): Promise<SecurityCheckError | undefined> {
  let report: { pluginReports?: { violations?: { ruleName: string; description: string; violatingConstructs: { constructPath: string }[] }[] }[] };
  try {
    report = JSON.parse(await readFile(join(dir, "validation-report.json"), "utf8")) as typeof report;
  } catch {
    return undefined;
  }
  const findings = (report.pluginReports ?? []).flatMap((p) =>
    (p.violations ?? []).flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}: ${v.description}`)),
  );
  return findings.length > 0 ? new SecurityCheckError(findings) : undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** rename, or copy when the temp folder is on another file system. */
async function moveDir(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch {
    await cp(from, to, { recursive: true });
  }
}
