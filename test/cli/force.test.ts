// `failover --to R --force`: in the twin (the estimate shown first, the move
// recorded as forced), and through a daemon's token-gated POST /failover:
// refusals print the manual steps, a missing token sends nothing.
import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { ManualRefused, type FailoverOptions, type ManualResult } from "../../src/controller/index.js";
import { createLogger, startDaemon, type RunningDaemon, type Ticker } from "../../src/daemon/index.js";
import { FakeController } from "../daemon/fake-controller.js";
import { cli } from "../helpers/cli.js";

const STEPS = ["1. stop every failover daemon first", "2. rds:FailoverGlobalCluster in us-west-2: PromoteTarget"];

class MovingController extends FakeController {
  calls: { to: string; opts: FailoverOptions | undefined }[] = [];
  constructor(private readonly behaviour: "refuse-store" | "start") {
    super();
  }
  failoverTo(to: string, _mode: "planned" | "unplanned", opts?: FailoverOptions): Promise<ManualResult> {
    this.calls.push({ to, opts });
    if (this.behaviour === "refuse-store") return Promise.reject(new ManualRefused("the coordination store (failover-control in us-east-2) does not answer", STEPS));
    opts?.onStarted?.("orders-us-east-1-1");
    return new Promise(() => undefined); // the runbook goes on in the daemon
  }
}

let daemon: RunningDaemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
});
async function start(c: FakeController, apiToken?: string) {
  const ticker = (): Ticker => ({ start: () => undefined, stop: async () => undefined, idle: async () => undefined, skipped: 0 });
  daemon = await startDaemon({ controllers: [c], application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: createLogger({ level: "silent" }), ticker, signals: new EventEmitter() as never, ...(apiToken && { apiToken }) });
  return daemon;
}

describe("failover --to --force", () => {
  it("in the twin: shows the data-loss estimate first, then runs the forced move (a reason that is a command name stays a reason)", async () => {
    const r = await cli(["--json", "--to", "us-west-2", "--force", "--by", "alice", "--reason", "drill", "--config", "config/sandbox.yaml", "--sandbox", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^data-loss estimate for us-west-2: \S+ of writes \(\d+ms; RPO 15m\)\n$/);
    expect(JSON.parse(r.stdout)).toMatchObject({ refused: false, runbook: "failover", mode: "unplanned", status: "succeeded" });
  }, 60_000);

  it("refuses --accept-data-loss without --force, and the active region, changing nothing", async () => {
    expect((await cli(["--to", "us-west-2", "--accept-data-loss", "--config", "config/sandbox.yaml", "--sandbox", "--yes"])).code).toBe(2);
    const active = await cli(["--to", "us-east-1", "--force", "--config", "config/sandbox.yaml", "--sandbox", "--yes"]);
    expect(active.code).toBe(1);
    expect(active.stderr).toMatch(/refused, nothing changed: us-east-1 is already the active region/);
  }, 60_000);

  it("through the daemon: without a token nothing is sent (exit 2)", async () => {
    const c = new MovingController("start");
    const d = await start(c, "s3cret");
    const r = await cli(["--to", "us-west-2", "--force", "--url", d.url, "--config", "config/sandbox.yaml", "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FAILOVER_API_TOKEN/);
    expect(c.calls).toEqual([]);
  });

  it("through the daemon: a refusal prints why and the manual steps (exit 1)", async () => {
    const d = await start(new MovingController("refuse-store"), "s3cret");
    const r = await cli(["--to", "us-west-2", "--force", "--url", d.url, "--config", "config/sandbox.yaml", "--yes"], { FAILOVER_API_TOKEN: "s3cret" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refused, nothing changed: the coordination store \(failover-control in us-east-2\) does not answer/);
    expect(r.stdout).toContain("manual steps");
    expect(r.stdout).toContain(STEPS[1]);
  });

  it("through the daemon: started is answered at once with the incident; who and why travel with it", async () => {
    const c = new MovingController("start");
    const d = await start(c, "s3cret");
    const r = await cli(["--json", "--to", "us-west-2", "--force", "--accept-data-loss", "--by", "bob", "--reason", "two regions dark", "--url", d.url, "--config", "config/sandbox.yaml", "--yes"], { FAILOVER_API_TOKEN: "s3cret" });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ refused: false, started: true, incident: "orders-us-east-1-1" });
    expect(r.stderr).toMatch(/data-loss estimate for us-west-2: 420ms/);
    expect(c.calls[0]).toMatchObject({ to: "us-west-2", opts: { force: true, acceptDataLoss: true, by: "bob", reason: "two regions dark" } });
  });

  it("the endpoint refuses a wrong token (401), a disabled API (403) and a bad body (400)", async () => {
    const c = new MovingController("start");
    const d = await start(c, "s3cret");
    const post = (body: string, token = "s3cret") => fetch(`${d.url}/failover`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body });
    expect((await post(JSON.stringify({ to: "us-west-2" }), "wrong")).status).toBe(401);
    expect((await post("{not json")).status).toBe(400);
    expect((await post(JSON.stringify({ to: "us-west-2", force: "yes" }))).status).toBe(400);
    expect(c.calls).toEqual([]);
    await daemon!.stop();
    const off = await start(new MovingController("start"));
    expect((await fetch(`${off.url}/failover`, { method: "POST", body: "{}" })).status).toBe(403);
  });
});
