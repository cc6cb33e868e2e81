// What the status page reads beyond the controllers' own status: the
// policy's staleness threshold and RTO budget in /status, the history, and
// the incident list and timelines from the store.
import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import type { Incident, JournalEntry } from "../../src/core/index.js";
import { DaemonMetrics, createLogger, startDaemon, type RunningDaemon, type Ticker } from "../../src/daemon/index.js";
import { startSandbox } from "../../src/daemon/sandbox.js";
import { FakeController } from "./fake-controller.js";
import { recordsTraffic } from "./records-config.js";

const ticker = (() => ({ start: () => undefined, stop: async () => undefined, idle: async () => undefined, skipped: 0 })) as unknown as (t: () => Promise<void>) => Ticker;
const resolved: Incident = { id: "orders-us-east-1-97436", openedAtMs: 97_436, endedAtMs: 293_000, from: "us-east-1", to: "us-west-2", mode: "unplanned", state: "resolved", trigger: "policy", expectedDataLossMs: 1_082.6, timeline: [{ atMs: 293_000, event: "runbook.succeeded" }] };
const escalated: Incident = { ...resolved, id: "orders-us-west-2-5000000", openedAtMs: 5_000_000, endedAtMs: 5_400_000, state: "escalated" };
const journal: JournalEntry[] = [
  { incidentId: resolved.id, epoch: 1, seq: 0, runbook: "failover", state: "", phase: "started", atMs: 180_000, input: { targetClusterArn: "arn:aws:rds:us-west-2:111122223333:cluster:orders-usw2" } },
  { incidentId: resolved.id, epoch: 1, seq: 1, runbook: "failover", state: "PromoteTarget", phase: "before", atMs: 181_000, input: { GlobalClusterIdentifier: "orders-global" } },
  { incidentId: resolved.id, epoch: 1, seq: 2, runbook: "failover", state: "PromoteTarget", phase: "failed", atMs: 182_000, error: { name: "Aurora.ThrottlingException", message: "Rate exceeded" } },
  { incidentId: resolved.id, epoch: 1, seq: 3, runbook: "failover", state: "PromoteTarget", phase: "after", atMs: 185_000, output: { GlobalCluster: { Status: "failing-over" } } },
];

class StoreController extends FakeController {
  constructor(private readonly answer: "ok" | "fail") {
    super();
  }
  listIncidents(limit: number): Promise<Incident[]> {
    if (this.answer === "fail") return Promise.reject(new Error("DynamoDB Query in us-east-2: connect ECONNREFUSED"));
    return Promise.resolve([escalated, resolved].slice(0, limit));
  }
  incidentDetail(id: string): Promise<{ incident: Incident; journal: JournalEntry[] } | undefined> {
    if (this.answer === "fail") return Promise.reject(new Error("store down"));
    return Promise.resolve(id === resolved.id ? { incident: resolved, journal } : undefined);
  }
}

let daemon: RunningDaemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
});

async function start(controllers: FakeController[], withConfig = true) {
  const { config } = await loadConfig("config/sandbox.yaml");
  daemon = await startDaemon({ controllers, application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: createLogger({ level: "silent" }), ticker, signals: new EventEmitter() as never, ...(withConfig && { config }) });
  return daemon;
}
const get = async (d: RunningDaemon, path: string) => {
  const r = await fetch(`${d.url}${path}`);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

describe("/status for the page", () => {
  it("carries the controllers' clock, maxViewAgeMs and the RTO budget's terms from the config", async () => {
    const c = new FakeController();
    c.state = { ...c.state, nowMs: 120_000 };
    const d = await start([c]);
    const { body } = await get(d, "/status");
    expect(body.nowMs).toBe(120_000);
    expect(body.policy).toEqual({ maxViewAgeMs: 30_000, rtoMs: 900_000, rpoMs: 900_000, intervalMs: 10_000, mode: "automatic" });
    const budget = body.budget as { terms: { name: string; ms: number }[]; rtoMs: number; fits: boolean };
    expect(budget.terms.map((t) => t.name)).toEqual(["detection", "decision", "promotion", "traffic-flip", "dns-ttl"]);
    expect(budget).toMatchObject({ rtoMs: 900_000, fits: true, problems: [] });
  });

  it("carries what validate reports as problems, so the page shows them before an incident", async () => {
    const { config } = await loadConfig("config/sandbox.yaml");
    const records = { ...config, traffic: recordsTraffic };
    daemon = await startDaemon({ controllers: [new FakeController()], application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: createLogger({ level: "silent" }), ticker, signals: new EventEmitter() as never, config: records });
    const { body } = await get(daemon, "/status");
    expect((body.budget as { problems: string[] }).problems).toEqual([expect.stringMatching(/Route 53's control plane runs in us-east-1, one of regions/)]);
  });

  it("leaves policy and budget out when the daemon has no config (the page then says so)", async () => {
    const d = await start([new FakeController()], false);
    const { body } = await get(d, "/status");
    expect(body).not.toHaveProperty("policy");
    expect(body).not.toHaveProperty("budget");
  });

  it("/status/history grows by one sample per cycle of controller time", async () => {
    const c = new FakeController();
    const d = await start([c]);
    for (const nowMs of [0, 4_000, 10_000, 20_000]) {
      c.state = { ...c.state, nowMs };
      await d.tickNow();
    }
    const { body } = await get(d, "/status/history");
    expect((body.samples as { atMs: number }[]).map((s) => s.atMs)).toEqual([0, 10_000, 20_000]);
  });
});

describe("history over the sandbox", () => {
  it("keeps one sample per control cycle at any --speed when sampled after each simulated second", async () => {
    const { config } = await loadConfig("config/sandbox.yaml");
    const logger = createLogger({ level: "silent" });
    const sandbox = startSandbox({ config, logger, metrics: new DaemonMetrics(), speed: 100, outageAtS: 3_600 });
    try {
      daemon = await startDaemon({ controllers: sandbox.controllers, application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger, ticker, signals: new EventEmitter() as never, config });
      const d = daemon;
      sandbox.onStep(() => d.sampleHistory());
      let samples: { atMs: number }[] = [];
      for (let i = 0; i < 100 && samples.length < 6; i++) {
        await new Promise((r) => setTimeout(r, 100));
        samples = (await get(d, "/status/history")).body.samples as { atMs: number }[];
      }
      // At 100 simulated seconds per wall second, the daemon's 1 s poll alone would leave ~100 s gaps.
      const gaps = samples.slice(1).map((s, i) => s.atMs - samples[i]!.atMs);
      expect(gaps.length).toBeGreaterThanOrEqual(5);
      expect(gaps.every((g) => g === 10_000)).toBe(true);
    } finally {
      sandbox.stop();
    }
  });
});

describe("/status/incidents", () => {
  it("lists incidents newest first with the RTO of the resolved ones, through the first controller whose store answers", async () => {
    const d = await start([new StoreController("fail"), new StoreController("ok")]);
    const { status, body } = await get(d, "/status/incidents?limit=5");
    expect(status).toBe(200);
    const list = body.incidents as (Incident & { rtoMs?: number })[];
    expect(list.map((i) => i.id)).toEqual([escalated.id, resolved.id]);
    expect(list[1]).toMatchObject({ rtoMs: 293_000 - 97_436, expectedDataLossMs: 1_082.6, trigger: "policy" });
    // An escalated incident did not recover: it has no RTO to show.
    expect(list[0]).not.toHaveProperty("rtoMs");
  });

  it("answers 503 naming the failure when no store answers, and 400 for a bad limit", async () => {
    const d = await start([new StoreController("fail")]);
    const down = await get(d, "/status/incidents");
    expect(down.status).toBe(503);
    expect(String(down.body.error)).toMatch(/us-east-1\/test: DynamoDB Query in us-east-2/);
    for (const bad of ["0", "51", "x", "2.5"]) expect((await get(d, `/status/incidents?limit=${bad}`)).status).toBe(400);
  });

  it("gives one incident's timeline from its journal without the AWS inputs and outputs; 404 for an unknown one", async () => {
    const d = await start([new StoreController("ok")]);
    const r = await fetch(`${d.url}/status/incidents/${encodeURIComponent(resolved.id)}`);
    expect(r.status).toBe(200);
    const text = await r.text();
    const body = JSON.parse(text) as { journal: { state: string; phase: string }[] };
    expect(body.journal.map((j) => `${j.state}:${j.phase}`)).toEqual([":started", "PromoteTarget:before", "PromoteTarget:failed", "PromoteTarget:after"]);
    expect(body.journal[2]).toMatchObject({ error: "Aurora.ThrottlingException: Rate exceeded" });
    // The payloads stay in the store: a broken projection that passed entries through would leak them here.
    for (const payload of ["arn:aws:rds", "orders-global", "failing-over"]) expect(text).not.toContain(payload);
    expect((await get(d, "/status/incidents/nope")).status).toBe(404);
  });
});
