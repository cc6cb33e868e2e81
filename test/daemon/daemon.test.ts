import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, cronFor, startDaemon, type RunningDaemon, type Ticker } from "../../src/daemon/index.js";
import { FakeController } from "./fake-controller.js";
import { fakeAccessKeyId, fakeSecretAccessKey } from "../helpers/credential-shaped.js";

const silent = createLogger({ level: "silent" });
const manualTicker = (): ((tick: () => Promise<void>) => Ticker) => (tick) => ({ start: () => undefined, stop: async () => undefined, idle: async () => undefined, skipped: 0, tick } as unknown as Ticker);

let daemon: RunningDaemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
});

async function start(c: FakeController, apiToken?: string) {
  daemon = await startDaemon({ controllers: [c], application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: silent, ticker: manualTicker(), signals: new EventEmitter() as never, ...(apiToken && { apiToken }) });
  return daemon;
}

describe("daemon HTTP endpoints (127.0.0.1)", () => {
  it("binds to 127.0.0.1 and serves /healthz, /readyz, /status, / and 404/405", async () => {
    const c = new FakeController();
    const d = await start(c);
    expect(d.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${d.url}/readyz`)).status).toBe(200);
    const status = (await (await fetch(`${d.url}/status`)).json()) as { application: string; controllers: { activeRegion: string; lease: { epoch: number } }[] };
    expect(status).toMatchObject({ application: "orders", controllers: [{ activeRegion: "us-east-1", lease: { epoch: 3 } }] });
    const page = await fetch(`${d.url}/`);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect((await fetch(`${d.url}/nope`)).status).toBe(404);
    expect((await fetch(`${d.url}/status`, { method: "POST" })).status).toBe(405);
  });

  it("answers 503 on /readyz until the store has been reached", async () => {
    const c = new FakeController();
    c.state.ready = false;
    const d = await start(c);
    const r = await fetch(`${d.url}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ ready: false });
  });

  it("exposes every metric with its type", async () => {
    const c = new FakeController();
    const d = await start(c);
    await d.tickNow();
    d.metrics.observeEvent("failover.completed", { mode: "unplanned", to: "us-west-2" });
    d.metrics.observeAwsCall("rds:FailoverGlobalCluster", "us-west-2", 120, "ThrottlingException");
    const r = await fetch(`${d.url}/metrics`);
    expect(r.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    for (const [name, type] of [
      ["failover_region_health", "gauge"], ["failover_decisions_total", "counter"], ["failover_failovers_total", "counter"],
      ["failover_escalations_total", "counter"], ["failover_lease_epoch", "gauge"], ["failover_lease_held", "gauge"],
      ["failover_replication_lag_ms", "gauge"], ["failover_aws_call_duration_seconds", "histogram"], ["failover_aws_call_errors_total", "counter"],
      ["failover_cycle_duration_seconds", "histogram"], ["process_cpu_seconds_total", "counter"],
    ]) expect(text, name).toContain(`# TYPE ${name} ${type}`);
    expect(text).toContain('failover_region_health{observer="us-east-2",target="us-east-1"} 1');
    expect(text).toContain('failover_decisions_total{action="none"} 1');
    expect(text).toContain('failover_lease_epoch{controller="us-east-1/test"} 3');
    expect(text).toContain('failover_aws_call_errors_total{call="rds:FailoverGlobalCluster",region="us-west-2",code="ThrottlingException"} 1');
  });
});

describe("approve/reject need a token", () => {
  it("are disabled (403) without a configured token, and nothing changes", async () => {
    const c = new FakeController();
    const d = await start(c);
    expect((await fetch(`${d.url}/approve/inc-1`, { method: "POST" })).status).toBe(403);
    expect(c.approved).toEqual([]);
  });

  it("refuse a missing or wrong token with 401, and nothing changes", async () => {
    const c = new FakeController();
    const d = await start(c, "s3cret-token");
    expect((await fetch(`${d.url}/approve/inc-1`, { method: "POST" })).status).toBe(401);
    expect((await fetch(`${d.url}/approve/inc-1`, { method: "POST", headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await fetch(`${d.url}/reject/inc-1`, { method: "POST", headers: { authorization: "Bearer s3cret-tokenX" } })).status).toBe(401);
    expect(c.approved).toEqual([]);
    expect(c.rejected).toEqual([]);
  });

  it("answer the gate with the right token; an unknown incident is 404", async () => {
    const c = new FakeController();
    const d = await start(c, "s3cret-token");
    const auth = { authorization: "Bearer s3cret-token" };
    expect((await fetch(`${d.url}/approve/inc-1`, { method: "POST", headers: auth })).status).toBe(200);
    expect((await fetch(`${d.url}/reject/inc-1`, { method: "POST", headers: auth, body: JSON.stringify({ reason: "no" }) })).status).toBe(200);
    expect((await fetch(`${d.url}/approve/inc-9`, { method: "POST", headers: auth })).status).toBe(404);
    expect(c.approved).toEqual(["inc-1"]);
    expect(c.rejected).toEqual(["inc-1"]);
  });
});

describe("signals", () => {
  it("SIGTERM: stops ticking, shuts the controllers down (lease released), closes HTTP, exits 0", async () => {
    const c = new FakeController();
    const signals = new EventEmitter();
    let exitCode: number | undefined;
    const d = await startDaemon({ controllers: [c], application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: silent, ticker: manualTicker(), signals: signals as never, exit: (code) => (exitCode = code) });
    signals.emit("SIGTERM");
    for (let i = 0; i < 50 && exitCode === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    expect(exitCode).toBe(0);
    expect(c.shutdowns).toBe(1);
    await expect(fetch(`${d.url}/healthz`)).rejects.toThrow();
  });
});

/** A random value with an AWS credential's shape: `prefix` then `length` characters of `alphabet`. */
describe("log redaction", () => {
  it("never writes a credential, a token or an authorization header", () => {
    let out = "";
    const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => ((out += chunk.toString()), cb()) });
    const log = createLogger({ level: "info", destination: sink });
    // Credential-shaped values made here, so no key-like literal sits in the repository.
    const key = fakeAccessKeyId();
    const secret = fakeSecretAccessKey();
    log.info({ credentials: { accessKeyId: key, secretAccessKey: secret }, headers: { authorization: "Bearer tok-123" }, taskToken: "TT" }, "using key");
    log.info({ detail: `aws_secret_access_key=${secret}`, nested: { deeper: { note: `key ${key}` } } }, `calling with ${key} and Bearer tok-456`);
    log.error({ err: new Error(`boom ${key}`) }, "failed");
    for (const s of [key, secret, "tok-123", "tok-456", "TT"]) expect(out).not.toContain(s);
    expect(out).toContain("[REDACTED");
  });
});

describe("scheduling", () => {
  it("maps intervals to cron expressions and refuses ones cron cannot express", () => {
    expect(cronFor(10_000)).toBe("*/10 * * * * *");
    expect(cronFor(120_000)).toBe("0 */2 * * * *");
    expect(() => cronFor(7_000)).toThrow(/divisor of a minute/);
  });
});
