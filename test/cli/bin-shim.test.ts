// The `failover` binary (package.json's bin: bin/failover.js) as a user runs
// it: a real child process, because what is under test is which file Node
// loads and through which loader, which an in-process call cannot show.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string; bin: { failover: string }; files: string[]; scripts: Record<string, string> };
const SHIM = resolve(pkg.bin.failover);

function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [file, ...args], {
    encoding: "utf8",
    env: { ...process.env, FAILOVER_CLI: "", ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("bin/failover.js in this checkout (what `npx failover` runs after `npm ci`)", () => {
  it("is the package's bin; a packed package carries it with a fresh dist/ and no src/", () => {
    expect(pkg.bin.failover).toBe("bin/failover.js");
    expect(pkg.files).toEqual(expect.arrayContaining(["bin", "dist/src"]));
    expect(pkg.files.some((f) => f === "src" || f.startsWith("src/"))).toBe(false);
    // prepack (npm pack/publish only; npm ci never runs it) builds dist/ so the shim has something to run.
    expect(pkg.scripts.prepack).toBe("npm run build");
  });

  it("answers --version from the TypeScript sources, with no dist/ built", () => {
    const r = run(SHIM, ["--version"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(r.code).toBe(0);
  });

  it("validates the sandbox config as the README shows", () => {
    const r = run(SHIM, ["validate", "--config", "config/sandbox.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config\/sandbox\.yaml: valid$/m);
  });

  it("exits 2 with the file named for a config that does not exist", () => {
    const r = run(SHIM, ["validate", "--config", "no/such.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no/such.yaml");
  });
});

// A package root of our own: the real shim, a src/ whose main.ts only tsx can
// run (a type annotation), and a dist/ whose main.js says it is dist. Which
// line comes out says which file the shim chose.
describe("bin/failover.js chooses the sources or dist/", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function packageRoot(parts: { src: boolean; dist: boolean }): string {
    const root = mkdtempSync(join(tmpdir(), "failover-bin-"));
    dirs.push(root);
    mkdirSync(join(root, "bin"));
    cpSync(SHIM, join(root, "bin", "failover.js"));
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "failover", type: "module" }));
    symlinkSync(resolve("node_modules"), join(root, "node_modules"), "dir");
    if (parts.src) {
      mkdirSync(join(root, "src", "cli"), { recursive: true });
      const main = 'const from: string = "src";\nconsole.log(from, process.argv.slice(2).join(" "));\n';
      writeFileSync(join(root, "src", "cli", "main.ts"), main);
    }
    if (parts.dist) {
      mkdirSync(join(root, "dist", "src", "cli"), { recursive: true });
      writeFileSync(join(root, "dist", "src", "cli", "main.js"), 'console.log("dist", process.argv.slice(2).join(" "));\n');
    }
    return root;
  }

  it("runs the sources through tsx when both are there, so a stale dist/ never runs in a checkout", () => {
    const root = packageRoot({ src: true, dist: true });
    const r = run(join(root, "bin", "failover.js"), ["status", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("src status --json\n");
  });

  it("runs dist/ when FAILOVER_CLI=dist, to try a build in a checkout", () => {
    const root = packageRoot({ src: true, dist: true });
    const r = run(join(root, "bin", "failover.js"), ["--version"], { FAILOVER_CLI: "dist" });
    expect(r.stdout).toBe("dist --version\n");
  });

  it("runs dist/ through a symlink from elsewhere when there is no src/ (the Docker image's /usr/local/bin/failover)", () => {
    const root = packageRoot({ src: false, dist: true });
    const elsewhere = mkdtempSync(join(tmpdir(), "failover-bin-link-"));
    dirs.push(elsewhere);
    symlinkSync(join(root, "bin", "failover.js"), join(elsewhere, "failover"));
    const r = run(join(elsewhere, "failover"), ["daemon"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("dist daemon\n");
    expect(r.code).toBe(0);
  });

  it("says what is missing, exit 3, when neither is there or FAILOVER_CLI=dist has no build", () => {
    const empty = packageRoot({ src: false, dist: false });
    const r = run(join(empty, "bin", "failover.js"), ["--version"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(join(empty, "src", "cli", "main.ts"));
    expect(r.stderr).toContain(join(empty, "dist", "src", "cli", "main.js"));

    const srcOnly = packageRoot({ src: true, dist: false });
    const forced = run(join(srcOnly, "bin", "failover.js"), ["--version"], { FAILOVER_CLI: "dist" });
    expect(forced.code).toBe(3);
    expect(forced.stderr).toMatch(/FAILOVER_CLI=dist .*npm run build/);
  });
});
