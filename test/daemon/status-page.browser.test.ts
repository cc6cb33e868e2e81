// The status page in a real headless Chromium (Debian's, or the one the
// @sparticuz/chromium devDependency ships: test/helpers/browser.ts), driven
// by playwright-core: it loads, shows the active region, and follows a failover.
import { EventEmitter } from "node:events";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, startDaemon, type RunningDaemon, type Ticker } from "../../src/daemon/index.js";
import { launchBrowser } from "../helpers/browser.js";
import { FakeController } from "./fake-controller.js";

let browser: Browser;
let daemon: RunningDaemon;
const controller = new FakeController();

beforeAll(async () => {
  browser = await launchBrowser();
  const ticker = (() => ({ start: () => undefined, stop: async () => undefined, idle: async () => undefined, skipped: 0 })) as unknown as (t: () => Promise<void>) => Ticker;
  daemon = await startDaemon({ controllers: [controller], application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: createLogger({ level: "silent" }), ticker, signals: new EventEmitter() as never });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

describe("status page (headless Chromium)", () => {
  it("shows the active region and updates after a failover", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${daemon.url}/`);
    await expect.poll(() => page.textContent("#active-region"), { timeout: 10_000 }).toBe("us-east-1");
    expect(await page.textContent("#lease")).toContain("epoch 3");
    expect(await page.locator("#health td.UP").count()).toBeGreaterThan(0);
    controller.state = { ...controller.state, activeRegion: "us-west-2", writerRegion: "us-west-2", lease: { ...controller.state.lease, epoch: 4 } };
    await expect.poll(() => page.textContent("#active-region"), { timeout: 10_000 }).toBe("us-west-2");
    expect(await page.textContent("#lease")).toContain("epoch 4");
    expect(errors).toEqual([]);
  }, 30_000);
});
