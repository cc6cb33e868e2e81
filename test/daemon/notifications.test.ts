// The daemon's notifier as built from the config: SNS topics in config
// order and the webhook (fetch injected; configs only allow https), every
// outcome counted in failover_notifications_total{destination,outcome}, and
// failures logged without the webhook's secret.
import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { AwsAdapters, SnsApi } from "../../src/aws/index.js";
import { parseConfigText } from "../../src/config/index.js";
import { DaemonMetrics, FLUSH_MS, createDaemonNotifier, createLogger, startDaemon } from "../../src/daemon/index.js";
import { FakeController } from "./fake-controller.js";

const SANDBOX = readFileSync("config/sandbox.yaml", "utf8").replace(/\nnotifications:[\s\S]*$/, "\n");
const CONFIG = `${SANDBOX}
notifications:
  sns: { topic: failover-orders, regions: [us-east-2, us-west-2] }
  webhook: { url: "https://hooks.example.com/services/T0/B0/SECRETPART", format: slack }
  retries: 1
  backoff: 100ms
`;

describe("daemon notifier", () => {
  it("sends to SNS and the webhook, counts outcomes, logs failures without the secret", async () => {
    const { config } = parseConfigText(CONFIG, "c.yaml");
    const published: string[] = [];
    const sns = (region: string): SnsApi => ({ region, publish: ({ topicArn }) => (published.push(topicArn), Promise.resolve({ messageId: "m" })) });
    const adapters = { region: (r: string) => ({ sns: sns(r) }) } as unknown as AwsAdapters;
    const posted: { url: string; body: string }[] = [];
    let status = 503;
    const metrics = new DaemonMetrics({ defaultMetrics: false });
    let logs = "";
    const logger = createLogger({ level: "info", destination: new Writable({ write: (c: Buffer, _e, cb) => ((logs += c.toString()), cb()) }) });
    const notifier = createDaemonNotifier({
      config, region: "us-east-2", adapters, env: {}, metrics, logger,
      clock: { now: () => 0, sleep: () => Promise.resolve() },
      fetch: (url, init) => (posted.push({ url, body: init.body }), Promise.resolve({ status })),
    })!;
    notifier.onEvent("escalation", { reason: "no-quorum", incident: "i1", detail: "us-east-1 DOWN for 2 of 3" });
    await notifier.idle();
    status = 200;
    notifier.onEvent("escalation.resolved", { reason: "no-quorum", incident: "i1" });
    await notifier.idle();
    expect(published).toEqual(["arn:aws:sns:us-east-2:111122223333:failover-orders", "arn:aws:sns:us-east-2:111122223333:failover-orders"]);
    expect(posted).toHaveLength(3); // 503, retried 503 (given up), then the resolved 200
    expect(JSON.parse(posted[0]!.body)).toMatchObject({ text: expect.stringContaining("*ESCALATION* orders `no-quorum`") as unknown });
    const text = await metrics.registry.metrics();
    expect(text).toContain('failover_notifications_total{destination="sns",outcome="sent"} 2');
    expect(text).toContain('failover_notifications_total{destination="webhook",outcome="retried"} 1');
    expect(text).toContain('failover_notifications_total{destination="webhook",outcome="failed"} 1');
    expect(text).toContain('failover_notifications_total{destination="webhook",outcome="sent"} 1');
    expect(logs).toContain("notification failed");
    expect(logs).toContain("hooks.example.com");
    expect(logs).not.toContain("SECRETPART");
  });
});

describe("daemon stop flushes queued notifications, within a bound", () => {
  const start = (flush: () => Promise<void>) =>
    startDaemon({
      controllers: [new FakeController()], application: "orders", host: "127.0.0.1", port: 0, intervalMs: 10_000, logger: createLogger({ level: "silent" }),
      ticker: () => ({ start: () => undefined, stop: async () => undefined, idle: async () => undefined, skipped: 0 }), signals: new EventEmitter() as never, flush,
    });

  it("waits for the queue to drain", async () => {
    let flushed = false;
    const d = await start(() => new Promise<void>((r) => setImmediate(() => ((flushed = true), r()))));
    await d.stop();
    expect(flushed).toBe(true);
  });

  it("does not wait forever for a destination that hangs", async () => {
    const d = await start(() => new Promise<void>(() => undefined));
    const t0 = performance.now();
    await d.stop();
    expect(performance.now() - t0).toBeLessThan(FLUSH_MS + 5_000);
  }, 15_000);
});
