// The status page in a real headless Chromium (Debian's, or the one the
// @sparticuz/chromium devDependency ships: test/helpers/browser.ts), driven
// by playwright-core: it loads, shows the active region, and follows a failover.
import { EventEmitter } from "node:events";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, startDaemon, type RunningDaemon, type Ticker } from "../../src/daemon/index.js";
import { launchBrowser } from "../helpers/browser.js";
import { loadConfig } from "../../src/config/index.js";
import { FakeController } from "./fake-controller.js";
import { recordsTraffic } from "./records-config.js";

let browser: Browser;
let daemon: RunningDaemon;
const controller = new FakeController();
const ticker = (() => ({ start: () => undefined, stop: async () => undefined, idle: async () => undefined, skipped: 0 })) as unknown as (t: () => Promise<void>) => Ticker;

beforeAll(async () => {
  browser = await launchBrowser();
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
    // Started without its config: the page says what it cannot know.
    expect(await page.textContent("#plan")).toContain("unknown");
    expect(errors).toEqual([]);
  }, 30_000);

  it("says when the regions' RDS APIs name different writers (an old primary Aurora has not fenced)", async () => {
    const page = await browser.newPage();
    await page.goto(`${daemon.url}/`);
    controller.state = { ...controller.state, writerRegion: "us-west-2", writerClaims: { "us-west-2": "us-west-2", "us-east-1": "us-east-1" } };
    await expect.poll(() => page.textContent("#writer-region .fail"), { timeout: 10_000 }).toBe("disputed: us-east-1 names us-east-1, us-west-2 names us-west-2");
    expect(await page.textContent("#writer-region")).toMatch(/^us-west-2 disputed/);
    const { writerClaims: _gone, ...agreed } = controller.state;
    controller.state = agreed;
    await expect.poll(() => page.locator("#writer-region .fail").count(), { timeout: 10_000 }).toBe(0);
  }, 30_000);

  it("shows the Step Functions execution acting for the incident: status, region, state and for how long, the ARN and the console address as text", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${daemon.url}/`);
    const before = controller.state;
    const nowMs = Date.now();
    const executionArn = "arn:aws:states:us-west-2:123456789012:execution:orders-failover:inc-9";
    const consoleUrl = `https://us-west-2.console.aws.amazon.com/states/home?region=us-west-2#/v2/executions/details/${executionArn}`;
    controller.state = {
      ...before,
      nowMs,
      incident: { id: "inc-9", openedAtMs: nowMs - 120_000, from: "us-east-1", to: "us-west-2", mode: "unplanned", state: "acting", epoch: 4, runbook: "failover", timeline: [] },
      execution: { incidentId: "inc-9", executionArn, region: "us-west-2", status: "RUNNING", state: "WaitForPromotion", stateSinceMs: nowMs - 42_000, consoleUrl, lastError: "DescribeExecution in us-west-2: ThrottlingException" },
    };
    try {
      await expect.poll(() => page.locator("#incident .execution").count(), { timeout: 10_000 }).toBe(1);
      const line = await page.textContent("#incident .execution");
      expect(line).toContain("Step Functions execution RUNNING in us-west-2, in WaitForPromotion for 42 s (last poll failed: DescribeExecution in us-west-2: ThrottlingException)");
      expect(line).toContain(executionArn);
      expect(line).toContain(consoleUrl);
      // Text to copy, never a link built from the daemon's strings.
      expect(await page.locator("#incident .execution a").count()).toBe(0);
      expect(await page.getAttribute("#incident .execution", "data-status")).toBe("RUNNING");
      controller.state = { ...controller.state, execution: { ...controller.state.execution!, status: "FAILED", lastError: undefined } };
      await expect.poll(() => page.textContent("#incident .execution b.fail"), { timeout: 10_000 }).toBe("FAILED");
    } finally {
      controller.state = before;
    }
    await expect.poll(() => page.locator("#incident .execution").count(), { timeout: 10_000 }).toBe(0);
    expect(errors).toEqual([]);
  }, 30_000);

  it("shows the plan's problems (what validate refuses) at all times, not only in an incident", async () => {
    const { config } = await loadConfig("config/sandbox.yaml");
    const started = [
      await startDaemon({ controllers: [new FakeController()], application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: createLogger({ level: "silent" }), ticker, signals: new EventEmitter() as never, config }),
      await startDaemon({ controllers: [new FakeController()], application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: createLogger({ level: "silent" }), ticker, signals: new EventEmitter() as never, config: { ...config, traffic: recordsTraffic } }),
    ];
    try {
      const page = await browser.newPage();
      await page.goto(`${started[0]!.url}/`);
      await expect.poll(() => page.textContent("#plan"), { timeout: 10_000 }).toMatch(/^fits worst case/);
      expect(await page.locator("#plan .fail").count()).toBe(0);
      await page.goto(`${started[1]!.url}/`);
      await expect.poll(() => page.textContent("#plan .fail"), { timeout: 10_000 }).toBe("1 problem (failover validate exits 1)");
      expect(await page.textContent("#plan ul.problems li")).toMatch(/Route 53's control plane runs in us-east-1/);
    } finally {
      for (const d of started) await d.stop();
    }
  }, 30_000);
});
