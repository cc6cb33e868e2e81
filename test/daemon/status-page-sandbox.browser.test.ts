// The status page in a real headless Chromium on the sandbox, during and
// after its failover: the sandbox's simulated world (us-east-1 goes dark a
// minute in) is stepped by the test in virtual time, as the daemon's sandbox
// does against the wall clock, so a 20-minute disaster takes seconds. The
// screenshots land in test-results/status-page/ on every run, and in
// docs/images/ (the README's) with UPDATE_DOCS_IMAGES=1, so a plain test run
// leaves the committed images alone.
import { EventEmitter } from "node:events";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import type { Controller, ControllerStatus } from "../../src/controller/index.js";
import { createLogger, startDaemon, type RunningDaemon, type Ticker } from "../../src/daemon/index.js";
import { sandboxScenario } from "../../src/daemon/sandbox.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";
import { launchBrowser } from "../helpers/browser.js";

const IMAGES = process.env.UPDATE_DOCS_IMAGES === "1" ? "docs/images" : "test-results/status-page";
const ticker = (() => ({ start: () => undefined, stop: async () => undefined, idle: async () => undefined, skipped: 0 })) as unknown as (t: () => Promise<void>) => Ticker;
let browser: Browser;
let daemon: RunningDaemon;
let session: SimSession;
let controllers: Controller[];
let page: Page;
const pageErrors: string[] = [];

const statuses = (): ControllerStatus[] => controllers.map((c) => c.status());
const progress = () => statuses().find((s) => s.runbookProgress)?.runbookProgress;
/** Steps the world a second at a time (sampling the daemon's history) until `done` or `untilMs`. */
async function stepUntil(done: () => boolean, untilMs: number): Promise<boolean> {
  for (let t = session.world.nowMs + 1_000; t <= untilMs; t += 1_000) {
    await session.stepTo(t);
    daemon.sampleHistory();
    if (done()) return true;
  }
  return false;
}
/**
 * Lets the page poll while simulated time moves a second per 100 ms: the
 * store reads behind /status/incidents wait on the virtual clock.
 */
async function settle(check: () => Promise<boolean>, tries = 80): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
    await session.stepTo(session.world.nowMs + 1_000);
    daemon.sampleHistory();
  }
  throw new Error("the page did not show the expected state in time");
}
const text = async (selector: string) => (await page.textContent(selector)) ?? "";
/** Browser code as a string: this project's TypeScript has no DOM types. */
const inPage = <T>(expression: string) => page.evaluate<T>(expression);
// A number as a person reads it: "447 ms", "4.2 s", "42 s", "4m40s", "1h05m".
const HUMAN = /^(\d+ ms|\d+(\.\d)? s|\d+m\d\ds|\d+h\d\dm)$/;

beforeAll(async () => {
  mkdirSync(IMAGES, { recursive: true });
  browser = await launchBrowser();
  const { config } = await loadConfig("config/sandbox.yaml");
  session = new SimSession(parseScenario(sandboxScenario(config, 60), "sandbox"), { controller: realController });
  controllers = session.live as unknown as Controller[];
  daemon = await startDaemon({ controllers, application: config.application, host: "127.0.0.1", port: 0, intervalMs: config.controller.interval, logger: createLogger({ level: "silent" }), ticker, signals: new EventEmitter() as never, config: session.config });
  // Mid-runbook: some states done, one running, the rest to come.
  const during = () => {
    const p = progress();
    return !!p && p.steps.filter((s) => s.status === "done").length >= 3 && p.steps.some((s) => s.status === "running");
  };
  if (!(await stepUntil(during, 20 * 60_000))) throw new Error("the sandbox's failover runbook never got under way");
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${daemon.url}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

describe("status page on the sandbox (headless Chromium)", () => {
  it("during the failover: the dead region's view is marked stale, the runbook path shows done, running and to-come states, the RTO bar runs", async () => {
    // A poll can land between two states of the runbook (one ended, the next not begun): wait for one running.
    await settle(async () => (await page.locator("#incident ol.path li.running").count()) === 1 && (await page.locator("#incidents tr.incident").count()) > 0);
    // us-east-1's controller died with its region: its last view ages past maxViewAge.
    const stale = page.locator("#health tr.stale");
    expect(await stale.count()).toBe(1);
    expect(await stale.locator("td").first().textContent()).toMatch(/^us-east-1(\d+m\d\ds|\d+ s) agostale$/);
    expect(await page.locator("#health tr.fresh").count()).toBe(2);
    expect(await text("#views-note")).toContain("1 of 3 views are stale (older than 30 s)");

    const states = await inPage<[string, string][]>(`Array.from(document.querySelectorAll("#incident ol.path li")).map((li) => [li.getAttribute("data-status"), li.querySelector(".what").firstChild.textContent])`);
    const expected = progress()!.steps.map((s) => [s.status, s.state]);
    expect(states.map(([, name]) => name)).toEqual(expected.map(([, name]) => name));
    const seen = states.map(([status]) => status);
    expect(seen.filter((s) => s === "done").length).toBeGreaterThanOrEqual(3);
    expect(seen.filter((s) => s === "running")).toHaveLength(1);
    expect(seen.at(-1)).toBe("to-come");
    expect(states.at(-1)?.[1]).toBe("Done");
    // Done states before the running one, states to come after it.
    const running = seen.indexOf("running");
    expect(seen.slice(running + 1).every((s) => s === "to-come")).toBe(true);
    expect(await text("#incident li.running .when")).toMatch(/^running for (\d+ ms|\d+(\.\d)? s|\d+m\d\ds)$/);
    for (const when of await page.locator("#incident li.done .when").allTextContents()) expect(when.replace(/^done in /, "")).toMatch(HUMAN);

    const incident = await text("#incident");
    expect(incident).toMatch(/us-east-1 → us-west-2/);
    expect(incident).toMatch(/since the first DOWN, of an RTO of 15m00s/);
    for (const term of ["detection 36 s", "decision 30 s", "promotion 2m00s", "traffic flip 1m30s", "DNS TTL 1m00s"]) expect(incident).toContain(term);
    // The policy's reasons carry raw figures ("lag 1082.6157031580806ms"): the page rounds them too.
    expect(await page.innerText("main")).not.toMatch(/\d+\.\d{3,}|\d{4,}ms/);
    await page.screenshot({ path: `${IMAGES}/status-during.png`, fullPage: true });
  }, 60_000);

  it("after the failover: the incident is listed with its RTO and data loss, its timeline opens on click, the last hour shows the outage", async () => {
    expect(await stepUntil(() => session.world.timeline.some((e) => e.event === "failover.completed"), session.world.nowMs + 30 * 60_000)).toBe(true);
    await stepUntil(() => false, session.world.nowMs + 10 * 60_000);
    await settle(async () => (await text("#incidents")).includes("resolved") && (await text("#active-region")) === "us-west-2");

    const row = page.locator("#incidents tr.incident").first();
    const cells = await row.locator("td").allTextContents();
    const [when, route, mode, who, rto, loss, state] = cells;
    expect(when).toMatch(/ ago$/);
    expect([route, mode, who, state]).toEqual(["us-east-1 → us-west-2", "unplanned", "automatic", "resolved"]);
    expect(rto).toMatch(HUMAN);
    expect(loss).toMatch(HUMAN);
    expect(await text("#incident")).toMatch(/^none.*last: us-east-1 → us-west-2 .* ago \(resolved, RTO \d+m\d\ds\)$/);

    await row.click();
    await settle(async () => (await text("#incidents tr.detail")).includes("runbook.succeeded"));
    const timeline = await text("#incidents tr.detail");
    expect(timeline).toContain("T+0 ms first DOWN");
    expect(timeline).toMatch(/PromoteTarget done in /);

    // The last hour: us-east-1 has a DOWN band, us-west-2 none.
    const bands = await inPage<string[][]>(`Array.from(document.querySelectorAll("#health-history svg")).map((s) => Array.from(s.querySelectorAll("rect")).map((r) => r.getAttribute("class")))`);
    expect(bands).toHaveLength(2);
    expect(bands[0]).toContain("DOWN");
    expect(bands[1]).not.toContain("DOWN");
    expect(await page.locator("#lag-chart polyline").count()).toBeGreaterThan(0);

    // Numbers carry units and are rounded: no raw float anywhere (lag once printed as 447.08447623997927).
    const body = await page.innerText("main");
    expect(body).not.toMatch(/\d+\.\d{3,}/);
    for (const cell of await page.locator("#lag td.num").allTextContents()) expect(cell).toMatch(new RegExp(`${HUMAN.source}|^n/a$`));
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: `${IMAGES}/status-after.png`, fullPage: true });
  }, 90_000);

  it("stays readable at phone width (375 px): nothing wider than the screen", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await settle(async () => (await page.evaluate("document.documentElement.scrollWidth")) === 375, 20);
    // The incident list stacks each row as label: value lines instead of a table wider than the phone.
    const display = await inPage<string>(`getComputedStyle(document.querySelector("#incidents tr.incident")).display`);
    expect(display).toBe("block");
    expect(await inPage<string>(`getComputedStyle(document.querySelector("#incidents tr.incident td"), "::before").content`)).toBe('"when"');
    await page.screenshot({ path: `${IMAGES}/status-phone.png`, fullPage: true });
  }, 30_000);
});
