// A headless Chromium for the browser tests, on any machine: Debian's
// package when it is installed, otherwise the Chromium that the npm package
// @sparticuz/chromium ships (inflated to /tmp on first use), so `npm test`
// never needs apt-get and never skips a browser test.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export async function launchBrowser(): Promise<Browser> {
  if (existsSync(DEBIAN_CHROMIUM)) return chromium.launch({ executablePath: DEBIAN_CHROMIUM, headless: true, args: FLAGS });
  const { default: packaged } = await import("@sparticuz/chromium");
  const executablePath = await packaged.executablePath();
  const args = [...new Set([...packaged.args, ...FLAGS])];
  return chromium.launch({ executablePath, headless: true, args });
}
