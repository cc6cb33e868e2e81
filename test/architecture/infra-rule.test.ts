// DESIGN.md (second wave): infra/ is a CDK app beside src/. It may read the
// config and use the IAM generator (and what they need), and nothing in src/
// imports it, except the `infra synth` command's lazy dynamic import, which
// the production build must not follow (aws-cdk-lib is a devDependency).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const SRC = join(ROOT, "src");
const INFRA = join(ROOT, "infra");

/** What infra/ may import from src/: config, the IAM generator and its mapping, core types, runbook lint. */
const INFRA_MAY_IMPORT = ["src/config/", "src/core/", "src/aws/", "src/runbooks/", "src/cli/commands/iam-policy.ts", "src/cli/commands/runbooks.ts"];
const LAZY_LOADER = "src/cli/commands/infra.ts";

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Relative import specifiers, static or dynamic with a literal. */
const importsOf = (text: string): string[] =>
  [...text.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => (m[1] ?? m[2])!);

const target = (file: string, spec: string) => relative(ROOT, resolve(dirname(file), spec)).replace(/\.js$/, ".ts");

/** Problems of one src/ file: any import of infra/, and any mention of it outside the lazy loader. */
function srcProblems(rel: string, text: string, file: string): string[] {
  const problems = importsOf(text)
    .filter((s) => s.startsWith("."))
    .filter((s) => target(file, s).startsWith("infra/"))
    .map((s) => `${rel} imports ${s}`);
  if (rel !== LAZY_LOADER && /["'`][./]*infra\//.test(text)) problems.push(`${rel} names a path into infra/`);
  return problems;
}

describe("infra/ dependency rule", () => {
  const srcFiles = walk(SRC);
  const infraFiles = walk(INFRA);

  it("finds both trees", () => {
    expect(srcFiles.length).toBeGreaterThan(5);
    expect(infraFiles.length).toBeGreaterThan(3);
  });

  it("src/ never imports infra/ (only the infra command loads it, lazily)", () => {
    const problems = srcFiles.flatMap((f) => srcProblems(relative(ROOT, f), readFileSync(f, "utf8"), f));
    expect(problems).toEqual([]);
    // The check is not blind: a static import, or a literal dynamic one, is caught.
    const daemon = join(SRC, "daemon/daemon.ts");
    expect(srcProblems("src/daemon/daemon.ts", 'import { buildApp } from "../../infra/app.js";', daemon)).toHaveLength(2);
    expect(srcProblems("src/daemon/daemon.ts", 'await import("../../infra/synth.js")', daemon)).toHaveLength(2);
  });

  it("the lazy loader's specifier is not a literal the TypeScript build would follow", () => {
    const text = readFileSync(join(ROOT, LAZY_LOADER), "utf8");
    expect(importsOf(text).filter((s) => s.includes("infra/"))).toEqual([]);
    expect(text).toMatch(/await import\(INFRA_MODULE\)/);
  });

  it.each(infraFiles.map((f) => [relative(ROOT, f), f]))("%s imports only config, core, aws, runbooks and their CLI mappings from src/", (_rel, file) => {
    for (const spec of importsOf(readFileSync(file, "utf8")).filter((s) => s.startsWith("."))) {
      const to = target(file, spec);
      if (to.startsWith("infra/")) continue;
      expect(INFRA_MAY_IMPORT.some((p) => to.startsWith(p)), `${relative(ROOT, file)} imports ${to}`).toBe(true);
    }
  });
});
