// Synthesizes a config once per test file (a synth costs seconds on the
// shared 2-core machine) and hands out the templates as plain JSON plus
// aws-cdk-lib/assertions Templates.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { buildApp, type BuildOptions, type FailoverApp } from "../../infra/app.js";
import { parseDeployConfig, type DeployInput } from "../../infra/load.js";

export interface TemplateJson {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
  Outputs?: Record<string, unknown>;
}

export interface Synthesized {
  input: DeployInput;
  built: FailoverApp;
  /** Stack name -> template. */
  json: Record<string, TemplateJson>;
  template: (stackName: string) => Template;
}

/** A deploy section for configs that have none (the sandbox): ids shaped like real ones. */
export function deployBlock(regions: readonly string[], target = "{region}.app.example.com"): string {
  const lines = regions.map(
    (r, i) => `    ${r}: { vpcId: vpc-0000000000000000${i}, subnetIds: [subnet-0000000000000000${i}, subnet-1000000000000000${i}] }`,
  );
  return ["", "deploy:", "  image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/failover:0.1.0", `  recordTarget: "${target}"`, "  network:", ...lines, ""].join("\n");
}

export async function synth(text: string, file: string, opts: BuildOptions = {}): Promise<Synthesized> {
  const input = await parseDeployConfig(text, file);
  const outdir = mkdtempSync(join(tmpdir(), "failover-infra-test-"));
  const built = buildApp(input, { ...opts, outdir });
  built.app.synth();
  const json: Record<string, TemplateJson> = {};
  for (const s of built.stacks) json[s.stackName] = JSON.parse(readFileSync(join(outdir, s.templateFile), "utf8")) as TemplateJson;
  return {
    input,
    built,
    json,
    template: (name) => {
      const t = json[name];
      if (!t) throw new Error(`no stack ${name}; stacks: ${Object.keys(json).join(", ")}`);
      return Template.fromJSON(t);
    },
  };
}

/** Every resource of a type across the templates, with its stack. */
export function resourcesOf(s: Synthesized, type: string): { stack: string; id: string; props: Record<string, unknown>; raw: TemplateJson["Resources"][string] }[] {
  return Object.entries(s.json).flatMap(([stack, t]) =>
    Object.entries(t.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([id, r]) => ({ stack, id, props: r.Properties ?? {}, raw: r })),
  );
}

export const readText = (path: string) => readFileSync(path, "utf8");
