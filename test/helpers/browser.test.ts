// test/helpers/browser.ts: which Chromium a browser test gets, and that the
// bundled one is published whole or not at all. The launch itself is proved
// by every browser test (test/daemon/status-page.browser.test.ts); .ci/run
// runs that one with FAILOVER_TEST_CHROMIUM=bundled so the npm-shipped
// Chromium is exercised even on a machine that has Debian's.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { chooseChromium, DEBIAN_CHROMIUM, unpackBundledChromium } from "./browser.js";

describe("chooseChromium", () => {
  const onDisk = (...files: string[]) => (p: string) => files.includes(p);

  it("takes Debian's Chromium when it is there", () => {
    expect(chooseChromium({}, onDisk(DEBIAN_CHROMIUM))).toEqual({ source: "debian", executablePath: DEBIAN_CHROMIUM });
  });

  it("takes the bundled one when Debian's is absent, or when FAILOVER_TEST_CHROMIUM=bundled", () => {
    expect(chooseChromium({}, onDisk())).toEqual({ source: "bundled" });
    expect(chooseChromium({ FAILOVER_TEST_CHROMIUM: "bundled" }, onDisk(DEBIAN_CHROMIUM))).toEqual({ source: "bundled" });
  });

  it("takes CHROMIUM_PATH over both, and names it when it does not exist instead of falling back", () => {
    expect(chooseChromium({ CHROMIUM_PATH: "/opt/c" }, onDisk("/opt/c", DEBIAN_CHROMIUM))).toEqual({ source: "CHROMIUM_PATH", executablePath: "/opt/c" });
    expect(() => chooseChromium({ CHROMIUM_PATH: "/opt/c" }, onDisk(DEBIAN_CHROMIUM))).toThrow(/CHROMIUM_PATH=\/opt\/c: no such file/);
  });

  it("fails, never skips, when FAILOVER_TEST_CHROMIUM=system and Debian's is absent; refuses an unknown mode", () => {
    expect(() => chooseChromium({ FAILOVER_TEST_CHROMIUM: "system" }, onDisk())).toThrow(/\/usr\/bin\/chromium does not exist/);
    expect(() => chooseChromium({ FAILOVER_TEST_CHROMIUM: "firefox" }, onDisk(DEBIAN_CHROMIUM))).toThrow(/expected "system", "bundled" or unset/);
  });
});

// A stand-in for @sparticuz/chromium: its executablePath() writes
// $TMPDIR/chromium like the real one, and can misbehave on demand, so the
// publish step is tested without unpacking 200 MB each run.
describe("unpackBundledChromium", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const fresh = (prefix: string) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };

  function fakePackage(body: string): { version: string; entryUrl: string } {
    const file = join(fresh("failover-fake-chromium-"), "index.mjs");
    const src = `import { writeFileSync, mkdirSync } from "node:fs";\nimport { join } from "node:path";\nimport { tmpdir } from "node:os";\nexport default { async executablePath() {\n${body}\n} };\n`;
    writeFileSync(file, src);
    return { version: "1.2.3", entryUrl: pathToFileURL(file).href };
  }

  it("publishes the unpacked directory under the version and leaves no staging behind", () => {
    const cacheRoot = fresh("failover-cache-");
    const pkg = fakePackage(`const p = join(tmpdir(), "chromium"); writeFileSync(p, "whole"); return p;`);
    const binary = unpackBundledChromium({ cacheRoot, pkg });
    expect(binary).toBe(join(cacheRoot, "1.2.3", "chromium"));
    expect(readFileSync(binary, "utf8")).toBe("whole");
    expect(readdirSync(cacheRoot)).toEqual(["1.2.3"]);
    // Second call: already there, the package is not asked again (a package that would fail proves it).
    expect(unpackBundledChromium({ cacheRoot, pkg: { ...fakePackage(`process.exit(9);`), version: "1.2.3" } })).toBe(binary);
  });

  it("publishes nothing when unpacking dies half-way, so no later run launches a truncated binary", () => {
    const cacheRoot = fresh("failover-cache-");
    const pkg = fakePackage(`writeFileSync(join(tmpdir(), "chromium"), "trunc"); process.stderr.write("disk full"); process.exit(1);`);
    expect(() => unpackBundledChromium({ cacheRoot, pkg })).toThrow(/unpacking @sparticuz\/chromium 1\.2\.3 .* failed \(exit 1\): disk full/);
    expect(existsSync(join(cacheRoot, "1.2.3"))).toBe(false);
    expect(readdirSync(cacheRoot)).toEqual([]);
  });

  it("refuses a binary outside its staging directory (the package's shared /tmp/chromium shortcut)", () => {
    const cacheRoot = fresh("failover-cache-");
    const elsewhere = join(fresh("failover-elsewhere-"), "chromium");
    writeFileSync(elsewhere, "someone else's");
    const pkg = fakePackage(`return ${JSON.stringify(elsewhere)};`);
    expect(() => unpackBundledChromium({ cacheRoot, pkg })).toThrow(/failed \(exit 0\)/);
    expect(existsSync(join(cacheRoot, "1.2.3"))).toBe(false);
  });

  it("uses the copy another process published first instead of failing", () => {
    const cacheRoot = fresh("failover-cache-");
    const winner = join(cacheRoot, "1.2.3");
    const pkg = fakePackage(
      `mkdirSync(${JSON.stringify(winner)}, { recursive: true }); writeFileSync(join(${JSON.stringify(winner)}, "chromium"), "winner");\n` +
        `mkdirSync(join(tmpdir(), "locales")); const p = join(tmpdir(), "chromium"); writeFileSync(p, "loser"); return p;`,
    );
    const binary = unpackBundledChromium({ cacheRoot, pkg });
    expect(readFileSync(binary, "utf8")).toBe("winner");
    expect(readdirSync(cacheRoot)).toEqual(["1.2.3"]);
  });
});
