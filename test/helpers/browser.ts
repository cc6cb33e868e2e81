// A real headless Chromium for browser tests, on any machine `npm ci` ran on.
//
// Which Chromium, in order:
//   1. CHROMIUM_PATH, when set: that file, or an error naming it (never a
//      silent fallback to another browser than the one asked for);
//   2. Debian's /usr/bin/chromium, when it is there, unless
//      FAILOVER_TEST_CHROMIUM=bundled;
//   3. the Chromium inside the @sparticuz/chromium devDependency, unpacked
//      once into node_modules/.cache (npm ci wipes it with the package, so
//      the binary always matches the installed version).
// FAILOVER_TEST_CHROMIUM=system requires Debian's and fails without it.
// There is no "skip": a browser test that cannot get a browser fails.
//
// Why not the package's own executablePath() as is: it unpacks into
// os.tmpdir()/chromium, which exists from the first byte written, so a
// second test process (vitest runs files in parallel) or an interrupted run
// would launch a truncated binary. Here a child process unpacks into a fresh
// staging directory (TMPDIR pointed at it) and a rename publishes it whole.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type LaunchOptions } from "playwright-core";

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** Flags for Debian's Chromium in a container or CI box with no display and no user namespace. */
const DEBIAN_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type ChromiumSource = "CHROMIUM_PATH" | "debian" | "bundled";

export interface ChromiumChoice {
  source: ChromiumSource;
  /** Set for CHROMIUM_PATH and debian; the bundled binary's path is known only once unpacked. */
  executablePath?: string;
}

/** Which Chromium to use, from the environment and what exists on disk (pure: no unpacking, no launch). */
export function chooseChromium(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): ChromiumChoice {
  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (!exists(explicit)) throw new Error(`CHROMIUM_PATH=${explicit}: no such file (unset it to use Debian's or the bundled Chromium)`);
    return { source: "CHROMIUM_PATH", executablePath: explicit };
  }
  const mode = env.FAILOVER_TEST_CHROMIUM ?? "";
  if (!["", "auto", "system", "bundled"].includes(mode)) {
    throw new Error(`FAILOVER_TEST_CHROMIUM=${mode}: expected "system", "bundled" or unset`);
  }
  if (mode !== "bundled" && exists(DEBIAN_CHROMIUM)) return { source: "debian", executablePath: DEBIAN_CHROMIUM };
  if (mode === "system") throw new Error(`FAILOVER_TEST_CHROMIUM=system but ${DEBIAN_CHROMIUM} does not exist (apt-get install chromium)`);
  return { source: "bundled" };
}

const here = dirname(fileURLToPath(import.meta.url));
const PACKAGE_ROOT = join(here, "..", "..");

function bundledPackage(): { version: string; entryUrl: string } {
  const entryUrl = import.meta.resolve("@sparticuz/chromium");
  // exports hides package.json from require/import; read it beside build/.
  const pkgFile = join(dirname(fileURLToPath(entryUrl)), "..", "package.json");
  const { version } = JSON.parse(readFileSync(pkgFile, "utf8")) as { version: string };
  return { version, entryUrl };
}

/** Unpacks the bundled Chromium once (race-free across processes) and returns its binary's path. */
export function unpackBundledChromium(opts: { cacheRoot?: string; pkg?: { version: string; entryUrl: string } } = {}): string {
  const cacheRoot = opts.cacheRoot ?? join(PACKAGE_ROOT, "node_modules", ".cache", "failover-chromium");
  const { version, entryUrl } = opts.pkg ?? bundledPackage();
  const final = join(cacheRoot, version);
  const binary = join(final, "chromium");
  if (existsSync(binary)) return binary;

  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(join(cacheRoot, `.staging-${version}-`));
  try {
    const script = `const { default: c } = await import(${JSON.stringify(entryUrl)}); process.stdout.write(await c.executablePath());`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, TMPDIR: staging },
      encoding: "utf8",
      timeout: 120_000,
    });
    const unpacked = r.stdout.trim();
    if (r.status !== 0 || unpacked !== join(staging, "chromium") || !existsSync(unpacked)) {
      throw new Error(`unpacking @sparticuz/chromium ${version} into ${staging} failed (exit ${r.status ?? r.signal}): ${r.stderr.trim() || unpacked}`);
    }
    try {
      renameSync(staging, final);
    } catch (e) {
      // Another process published the same version first: use theirs.
      if (!existsSync(binary)) throw e;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/** The executable and flags `launchBrowser` would use, resolving (and unpacking) the bundled one if needed. */
export async function resolveChromium(env: NodeJS.ProcessEnv = process.env): Promise<{ source: ChromiumSource; executablePath: string; args: string[] }> {
  const choice = chooseChromium(env, existsSync);
  if (choice.executablePath) return { source: choice.source, executablePath: choice.executablePath, args: DEBIAN_ARGS };
  const { default: bundled } = await import("@sparticuz/chromium");
  // Its flags are made for headless-shell in a sandbox-less container; add
  // the two playwright needs said outright.
  return { source: "bundled", executablePath: unpackBundledChromium(), args: [...bundled.args, "--headless", "--no-sandbox"] };
}

/** Launches headless Chromium for a test (see the top of this file for which one). Close it in afterAll. */
export async function launchBrowser(options: Omit<LaunchOptions, "executablePath" | "args"> = {}): Promise<Browser> {
  const { executablePath, args } = await resolveChromium();
  return chromium.launch({ ...options, executablePath, args });
}
