// DESIGN.md's dependency rule, enforced: imports point one way, and the
// policy stays pure (no I/O, no SDK, no wall clock, no randomness).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");

const ALLOWED: Record<string, string[]> = {
  core: [],
  config: ["core"],
  health: ["core"],
  policy: ["core"],
  aws: ["core"],
  probes: ["core", "aws"],
  coordination: ["core", "aws"],
  runbooks: ["core", "aws"],
  notify: ["core", "aws"],
  controller: ["core", "config", "health", "policy", "aws", "probes", "coordination", "runbooks"],
  sim: ["core", "config", "health", "policy", "aws", "probes", "coordination", "runbooks", "controller", "notify"],
  daemon: ["core", "config", "health", "policy", "aws", "probes", "coordination", "runbooks", "controller", "sim", "notify"],
  cli: ["core", "config", "health", "policy", "aws", "probes", "coordination", "runbooks", "controller", "sim", "daemon", "notify"],
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const moduleOf = (file: string): string => relative(SRC, file).split(/[\\/]/)[0] ?? "";
const importsOf = (text: string): string[] =>
  [...text.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map(
    (m) => (m[1] ?? m[2])!,
  );

describe("dependency rule (DESIGN.md module map)", () => {
  const files = walk(SRC);

  it("finds the source tree", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [relative(SRC, f), f]))("%s imports only what its module may", (_name, file) => {
    const from = moduleOf(file);
    const allowed = ALLOWED[from];
    expect(allowed, `module ${from} is not in DESIGN.md's map`).toBeDefined();
    const text = readFileSync(file, "utf8");
    for (const spec of importsOf(text)) {
      if (!spec.startsWith(".")) continue;
      const to = moduleOf(resolve(dirname(file), spec));
      if (to === from) continue;
      expect(allowed, `${relative(SRC, file)} imports ${spec} (module ${to})`).toContain(to);
    }
  });

  it("keeps policy/ pure: no SDK, no I/O, no wall clock, no randomness", () => {
    for (const file of files.filter((f) => moduleOf(f) === "policy")) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/@aws-sdk|node:fs|node:http|Date\.now\(|new Date\(|Math\.random\(|setTimeout\(/);
    }
  });

  it("keeps sim paths on the Clock and the seeded Random", () => {
    for (const file of files.filter((f) => moduleOf(f) === "sim")) {
      const text = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "");
      expect(text, file).not.toMatch(/Date\.now\(|Math\.random\(|setTimeout\(|setInterval\(/);
    }
  });
});
