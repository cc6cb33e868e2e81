// `failover infra synth --config F [--out DIR]`: CloudFormation templates
// (CDK) for every resource the config names, offline. The CDK app lives in
// infra/ beside src/ and needs aws-cdk-lib, a devDependency: it is loaded
// only here, lazily, so the production image (no devDependencies, no
// infra/) still runs every other command and this one says what is missing.

import { EXIT, UsageError } from "../exit.js";
import type { Registrar } from "../program.js";

/** What the CLI needs from infra/synth.ts (declared here: src/ never imports infra/ statically). */
export interface InfraSynth {
  synthesize(configFile: string, outDir: string): Promise<{
    outDir: string;
    stacks: { name: string; region: string; template: string; resources: number }[];
    warnings: string[];
    durationMs: number;
  }>;
}

export type InfraLoader = () => Promise<InfraSynth>;

// A variable, not a literal: the TypeScript build of src/ must not follow it into infra/.
const INFRA_MODULE = "../../../infra/synth.js";

export const loadInfra: InfraLoader = async () => {
  const mod = (await import(INFRA_MODULE)) as Partial<InfraSynth>;
  if (typeof mod.synthesize !== "function") throw new Error(`${INFRA_MODULE} does not export synthesize()`);
  return { synthesize: mod.synthesize };
};

const MISSING = [
  "infra synth needs the CDK app (infra/) and its devDependencies (aws-cdk-lib, constructs, cdk-nag),",
  "which the production image leaves out. Run it from a clone of the repository after `npm ci`:",
  "  npx tsx src/cli/main.ts infra synth --config F --out DIR",
].join("\n");

export const infraCommand =
  (load: InfraLoader = loadInfra): Registrar =>
  (program, io, run, globals) => {
    const infra = program.command("infra").description("infrastructure as code for a real account (AWS CDK)");
    infra
      .command("synth")
      .description("CloudFormation templates (CDK) for every resource the config names, offline; cdk-nag checks included")
      .requiredOption("--config <file>", "config file (YAML)")
      .option("--out <dir>", "output folder (new or empty): a CDK cloud assembly, deployable with `npx cdk deploy --app DIR`", "cdk.out")
      .action((opts: { config: string; out: string }) =>
        run(async () => {
          let synth: InfraSynth;
          try {
            synth = await load();
          } catch (err) {
            if (!isModuleNotFound(err)) throw err;
            throw new UsageError(`${MISSING}\n(${(err as Error).message.split("\n")[0] ?? ""})`);
          }
          let result: Awaited<ReturnType<InfraSynth["synthesize"]>>;
          try {
            result = await synth.synthesize(opts.config, opts.out);
          } catch (err) {
            // cdk-nag found something not acknowledged: the check found a problem (exit 1), no output written.
            if (!isSecurityFindings(err)) throw err;
            io.stderr(`failover: ${err.message}\n`);
            return EXIT.problem;
          }
          if (globals().json) {
            io.stdout(`${JSON.stringify(result, null, 2)}\n`);
          } else {
            for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
            io.stdout(`${opts.config}: ${result.stacks.length} stacks in ${result.outDir} (${(result.durationMs / 1000).toFixed(1)} s), cdk-nag clean\n`);
            for (const s of result.stacks) io.stdout(`  ${s.name.padEnd(36)} ${s.region.padEnd(15)} ${String(s.resources).padStart(3)} resources\n`);
            io.stdout(`Deploy (order: iam, regions, dns; see docs/infra.md): npx aws-cdk@2 deploy --app ${result.outDir} --all\n`);
          }
          return EXIT.ok;
        }),
      );
  };

function isSecurityFindings(err: unknown): err is Error & { findings: string[] } {
  return err instanceof Error && err.name === "SecurityCheckError" && Array.isArray((err as { findings?: unknown }).findings);
}

function isModuleNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}
