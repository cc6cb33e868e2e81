// Readiness on the daemon's surfaces: a check turning red (a DynamoDB
// replica disabled in the simulated world) shows on /metrics as
// failover_readiness{check="replicas"} 0, on /status, and as exactly one
// notification published to the world's SNS; fixing the replica turns it
// green on all three (one "green" notification).
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { FailoverController } from "../../src/controller/index.js";
import { DaemonMetrics, ReadinessMonitor, createLogger, startHttpServer } from "../../src/daemon/index.js";
import { sandboxScenario } from "../../src/daemon/sandbox.js";
import { Notifier, SnsDestination } from "../../src/notify/index.js";
import { parseConfigText, snsTopics } from "../../src/config/index.js";
import { realController } from "../../src/sim/real-controller.js";
import { setReplicaStatus } from "../../src/sim/replicas.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";
import { publishedMessages } from "../../src/sim/sns.js";

const silent = createLogger({ level: "silent" });
/** The sandbox config as the CLI loads it. */
const sandboxConfig = () => parseConfigText(readFileSync("config/sandbox.yaml", "utf8"), "config/sandbox.yaml").config;
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

describe("scheduled readiness on /metrics, /status and as notifications", () => {
  it("a red check shows everywhere once, and turns green after the resource is fixed", async () => {
    const session = new SimSession(parseScenario(sandboxScenario(sandboxConfig()), "sandbox"), { controller: realController });
    await session.stepUntil(() => false, 60_000);
    const controller = session.controllerIn("us-east-2");
    const adapters = session.adaptersIn("us-east-2")!;
    if (!(controller instanceof FailoverController)) throw new Error("no witness controller");
    const { config } = session;
    const metrics = new DaemonMetrics({ defaultMetrics: false });
    const notifier = new Notifier({
      application: config.application, observer: "us-east-2", clock: session.clock, retries: 2, backoffMs: 1_000,
      destinations: [new SnsDestination(snsTopics(config.notifications, config).map((t) => ({ ...t, sns: adapters.region(t.region).sns })))],
    });
    const monitor = new ReadinessMonitor({ config, controller, adapters, clock: session.clock, metrics, logger: silent, emit: notifier.onEvent });
    const http = await startHttpServer({ controllers: [controller], application: config.application, metrics, logger: silent, host: "127.0.0.1", port: 0, readiness: () => monitor.results });
    closers.push(http.close);
    const run = async () => {
      await session.drive(monitor.runOnce(), session.world.nowMs + 120_000);
      await session.drive(notifier.idle(), session.world.nowMs + 120_000);
    };
    const gauge = async () => /failover_readiness\{check="replicas"\} (\d)/.exec(await (await fetch(`${http.url}/metrics`)).text())?.[1];
    const statusOf = async () => ((await (await fetch(`${http.url}/status`)).json()) as { readiness: { check: string; ok: boolean; detail: string }[] }).readiness.find((r) => r.check === "replicas");
    const readinessMessages = () => publishedMessages(session.world).filter((m) => m.attributes.kind?.startsWith("readiness"));

    await run();
    expect(await gauge()).toBe("1");
    expect(readinessMessages()).toHaveLength(0); // all green at the first run: nothing to say

    setReplicaStatus(session.world, "orders-sessions", "us-west-2", "REGION_DISABLED");
    await run();
    await run(); // still red: no second message
    expect(await gauge()).toBe("0");
    expect(await statusOf()).toMatchObject({ ok: false, detail: "orders-sessions in us-west-2: REGION_DISABLED" });
    expect(readinessMessages().map((m) => `${m.attributes.kind}:${m.attributes.reason}`)).toEqual(["readiness-red:replicas"]);

    setReplicaStatus(session.world, "orders-sessions", "us-west-2", "ACTIVE");
    await run();
    expect(await gauge()).toBe("1");
    expect(await statusOf()).toMatchObject({ ok: true });
    expect(readinessMessages().map((m) => m.attributes.kind)).toEqual(["readiness-red", "readiness-green"]);
    session.finish();
  }, 60_000);

  it("start(): the first run waits for the first control cycle, then the schedule takes over; stop() ends it", async () => {
    const session = new SimSession(parseScenario(sandboxScenario(sandboxConfig()), "sandbox"), { controller: realController });
    const controller = session.controllerIn("us-east-2");
    if (!(controller instanceof FailoverController)) throw new Error("no witness controller");
    const monitor = new ReadinessMonitor({ config: session.config, controller, adapters: session.adaptersIn("us-east-2")!, clock: session.clock, logger: silent, emit: () => undefined });
    monitor.start();
    expect(monitor.results).toEqual([]);
    expect(await session.stepUntil(() => monitor.results.length > 0, 120_000)).toBe(true);
    expect(controller.status().lastCycle).toBeDefined();
    // Green from the start: the first run judged a controller that had seen the world.
    expect(monitor.results.filter((r) => !r.ok)).toEqual([]);
    await monitor.stop();
    session.finish();
  }, 60_000);
});
