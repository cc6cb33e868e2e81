// The status page in a real headless Chromium, fed hostile strings where
// config and AWS error messages reach it (region names, reasons, causes,
// notes, incident timelines, readiness details): they must render as text
// and no script of theirs may run. Also the page's number formatting.
import { EventEmitter } from "node:events";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ControllerStatus } from "../../src/controller/index.js";
import type { Incident, JournalEntry } from "../../src/core/index.js";
import { STATUS_PAGE_HTML, createLogger, startDaemon, type RunningDaemon, type Ticker } from "../../src/daemon/index.js";
import { launchBrowser } from "../helpers/browser.js";
import { FakeController } from "./fake-controller.js";

const XSS = `<img src=x onerror="window.__pwned=(window.__pwned||0)+1"><script>window.__pwned=99</script>`;
const health = (region: string, state: "UP" | "DOWN") => ({ region, state, sinceMs: 0, errorRate: 0, consecutiveFailures: 0, consecutiveSuccesses: 3 });
const incident: Incident = {
  id: `inc-${XSS}`, openedAtMs: 100_000, from: XSS, to: "us-west-2", mode: "unplanned", state: "acting", trigger: "policy", epoch: 2, expectedDataLossMs: 447.08447623997927,
  timeline: [{ atMs: 150_000, event: `escalation ${XSS}`, detail: { cause: XSS } }],
};

class HostileController extends FakeController {
  override status(): ControllerStatus & { readiness: unknown[] } {
    return {
      ...super.status(),
      nowMs: 380_000,
      activeRegion: XSS,
      views: [{ observer: XSS, atMs: 370_000, regions: { [XSS]: health(XSS, "DOWN"), "us-west-2": health("us-west-2", "UP") } }],
      lag: { auroraLagMs: { "us-west-2": 447.08447623997927 }, dynamodbLagMs: { "us-west-2": 280_000 }, atMs: 370_000 },
      lastDecision: { action: "escalate", reason: "runbook-failed", detail: XSS },
      notes: [XSS],
      incident,
      runbookProgress: { runbook: "failover", incidentId: incident.id, startedAtMs: 110_000, steps: [
        { state: XSS, type: "Task", status: "failed", runs: 1, startedAtMs: 110_000, endedAtMs: 111_000, error: XSS },
        { state: "WaitForPromotion", type: "Wait", status: "running", runs: 1, startedAtMs: 120_000 },
      ] },
      readiness: [{ check: XSS, ok: false, detail: XSS, atMs: 300_000 }],
    };
  }
  listIncidents(): Promise<Incident[]> {
    // forcedBy is not in the Incident type yet (the --force override will write it): the page shows it when present.
    return Promise.resolve([{ ...incident, state: "escalated", endedAtMs: 400_000, approvedBy: XSS, forcedBy: XSS } as Incident]);
  }
  incidentDetail(): Promise<{ incident: Incident; journal: JournalEntry[] }> {
    const entry: JournalEntry = { incidentId: incident.id, epoch: 2, seq: 1, runbook: "failover", state: XSS, phase: "failed", atMs: 111_000, error: { name: XSS, message: XSS } };
    return Promise.resolve({ incident, journal: [entry] });
  }
}

const ticker = (() => ({ start: () => undefined, stop: async () => undefined, idle: async () => undefined, skipped: 0 })) as unknown as (t: () => Promise<void>) => Ticker;
let browser: Browser;
let daemon: RunningDaemon;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  daemon = await startDaemon({ controllers: [new HostileController()], application: XSS, host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: createLogger({ level: "silent" }), ticker, signals: new EventEmitter() as never });
  page = await browser.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("dialog", (d) => void d.dismiss());
  await page.goto(`${daemon.url}/`);
  await page.locator("#incidents tr.incident").waitFor({ timeout: 15_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

const pwned = () => page.evaluate<number | undefined>("window.__pwned");

describe("status page escaping (headless Chromium)", () => {
  it("renders HTML and script in names, reasons, causes, notes and readiness as text, and runs none of it", async () => {
    await page.locator("#incidents tr.incident").click();
    await expect.poll(() => page.textContent("#incidents"), { timeout: 10_000 }).toContain("failed:");
    for (const id of ["application", "active-region", "health", "decision", "incident", "incidents", "readiness", "controllers"]) {
      expect(await page.textContent(`#${id}`), id).toContain(XSS);
    }
    expect(await page.locator("#readiness-card").isVisible()).toBe(true);
    expect(await page.textContent("#incidents tr.incident")).toContain(`automatic, forced by ${XSS}, approved by ${XSS}`);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("script").count()).toBe(1);
    expect(await pwned()).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it("the payload is live: put through innerHTML in the same page, it runs (so the check above can fail)", async () => {
    // Browser code as a string: this project's TypeScript has no DOM types.
    await page.evaluate(`(() => { const scratch = document.createElement("div"); scratch.id = "scratch"; scratch.innerHTML = ${JSON.stringify(XSS)}; document.body.appendChild(scratch); })()`);
    await expect.poll(pwned, { timeout: 5_000 }).toBe(1);
    await page.evaluate(`(() => { delete window.__pwned; document.getElementById("scratch").remove(); })()`);
  });

  it("never parses data as HTML: no innerHTML, outerHTML, insertAdjacentHTML, document.write or eval in the page", () => {
    const script = /<script>([\s\S]*)<\/script>/.exec(STATUS_PAGE_HTML)?.[1] ?? "";
    expect(script.length).toBeGreaterThan(1_000);
    for (const sink of ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"]) expect(script, sink).not.toContain(sink);
  });

  it("shows every number with its unit, rounded for a person", async () => {
    expect(await page.textContent("#lag")).toContain("447 ms");
    expect(await page.textContent("#lag")).toContain("4m40s");
    expect(await page.textContent("#lag")).not.toMatch(/447\.0/);
    // The page's own formatter (a global of its script), called in the page.
    const formatted = await page.evaluate<string[]>("[447.08447623997927, 4240, 42400, 280000, 3900000, null, Infinity].map(dur)");
    expect(formatted).toEqual(["447 ms", "4.2 s", "42 s", "4m40s", "1h05m", "n/a", "n/a"]);
    // The runbook path: the failed step says so, the running one for how long (380 s - 120 s).
    expect(await page.textContent("#incident ol.path li.running")).toContain("running for 4m20s");
  });
});
