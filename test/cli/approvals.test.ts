// `failover approve|reject INCIDENT`: answers the gate through the daemon's
// token-gated endpoint on 127.0.0.1.
import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, startDaemon, type RunningDaemon, type Ticker } from "../../src/daemon/index.js";
import { FakeController } from "../daemon/fake-controller.js";
import { cli } from "../helpers/cli.js";

const TOKEN = "s3cret-token";
let daemon: RunningDaemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
});

async function start(c: FakeController) {
  const ticker = () => ({ start: () => undefined, stop: async () => undefined, idle: async () => undefined }) as unknown as Ticker;
  daemon = await startDaemon({ controllers: [c], application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: createLogger({ level: "silent" }), ticker, signals: new EventEmitter() as never, apiToken: TOKEN });
  return daemon.url;
}

describe("failover approve|reject", () => {
  it("answers the gate with the token from FAILOVER_API_TOKEN", async () => {
    const c = new FakeController();
    const url = await start(c);
    const ok = await cli(["approve", "inc-1", "--config", "config/sandbox.yaml", "--url", url], { FAILOVER_API_TOKEN: TOKEN });
    expect(ok).toMatchObject({ code: 0, stdout: "incident inc-1: approved\n" });
    const rej = await cli(["--json", "reject", "inc-1", "--config", "config/sandbox.yaml", "--url", url, "--reason", "lag too high"], { FAILOVER_API_TOKEN: TOKEN });
    expect(rej.code).toBe(0);
    expect(JSON.parse(rej.stdout)).toMatchObject({ incident: "inc-1", verb: "reject", status: 200 });
    expect(c.approved).toEqual(["inc-1"]);
    expect(c.rejected).toEqual(["inc-1"]);
  });

  it("exits 1 when no gate of that incident waits, 2 without or with a wrong token; nothing changes", async () => {
    const c = new FakeController();
    const url = await start(c);
    expect((await cli(["approve", "inc-9", "--config", "config/sandbox.yaml", "--url", url], { FAILOVER_API_TOKEN: TOKEN })).code).toBe(1);
    const none = await cli(["approve", "inc-1", "--config", "config/sandbox.yaml", "--url", url]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/FAILOVER_API_TOKEN/);
    const wrong = await cli(["approve", "inc-1", "--config", "config/sandbox.yaml", "--url", url], { FAILOVER_API_TOKEN: "nope" });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/401/);
    expect(c.approved).toEqual([]);
  });
});
