// The webhook against a real HTTP server on 127.0.0.1 (plain http is let
// through only by the test-only flag; configs must use https): body shapes
// per format, 4xx/5xx, a hang (timeout) and an unreachable port are errors
// the notifier retries, and no error message carries the URL's secret.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Notifier, WebhookDestination, type Notification, type NotifyOutcome } from "../../src/notify/index.js";

const SECRET = "T000/B000/XXXXsecretXXXX";
let server: Server;
let base = "";
let mode: "ok" | "500" | "404" | "hang" = "ok";
const bodies: unknown[] = [];

async function readAll(req: IncomingMessage): Promise<string> {
  let s = "";
  for await (const c of req as AsyncIterable<Buffer>) s += c.toString("utf8");
  return s;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readAll(req).then((text) => {
      bodies.push(JSON.parse(text));
      if (mode === "hang") return; // never answers
      res.writeHead(mode === "ok" ? 202 : Number(mode)).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const N: Notification = {
  version: 1, application: "orders", kind: "escalation", reason: "no-quorum", incident: "orders-us-east-1-600000", observer: "us-east-2",
  atMs: 0, at: "1970-01-01T00:00:00.000Z", summary: "[orders] needs a human: no-quorum: us-east-1 seen DOWN by 2 of quorum 3", detail: { voted: { "us-west-2": "DOWN" } },
};
const hook = (format: "json" | "slack" | "pagerduty", url = `${base}/services/${SECRET}`) =>
  new WebhookDestination({ url, format, timeoutMs: 300, allowLoopbackHttp: true, ...(format === "pagerduty" && { routingKey: "R0UTING" }) });
const failure = (p: Promise<void>) => p.then(() => "sent", (e: Error) => e.message);

describe("WebhookDestination", () => {
  it("posts the documented JSON, the Slack text and the PagerDuty v2 event", async () => {
    mode = "ok";
    bodies.length = 0;
    await hook("json").send(N);
    await hook("slack").send(N);
    await hook("pagerduty").send(N);
    await hook("pagerduty").send({ ...N, kind: "resolved" });
    expect(bodies[0]).toEqual(N);
    expect(bodies[1]).toEqual({ text: expect.stringMatching(/^\*ESCALATION\* orders `no-quorum`[\s\S]*needs a human/) as unknown });
    expect(bodies[2]).toMatchObject({ routing_key: "R0UTING", event_action: "trigger", dedup_key: "orders/orders-us-east-1-600000/no-quorum", payload: { severity: "critical", source: "us-east-2" } });
    expect(bodies[3]).toEqual({ routing_key: "R0UTING", event_action: "resolve", dedup_key: "orders/orders-us-east-1-600000/no-quorum" });
  });

  it("escapes Slack markup in our text (a summary with -> or <region> stays text)", async () => {
    mode = "ok";
    bodies.length = 0;
    await hook("slack").send({ ...N, summary: "failover us-east-1 -> <eu-west-1> & back" });
    expect((bodies[0] as { text: string }).text).toContain("failover us-east-1 -&gt; &lt;eu-west-1&gt; &amp; back");
  });

  it("reports 5xx, 4xx, a hang and an unreachable port as failures, never with the secret", async () => {
    const messages: string[] = [];
    for (const m of ["500", "404", "hang"] as const) {
      mode = m;
      messages.push(await failure(hook("json").send(N)));
    }
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    messages.push(await failure(hook("json", `http://127.0.0.1:${port}/${SECRET}`).send(N)));
    expect(messages[0]).toMatch(/answered HTTP 500/);
    expect(messages[1]).toMatch(/answered HTTP 404/);
    expect(messages[2]).toMatch(/no answer within 300ms/);
    expect(messages[3]).toMatch(/unreachable/);
    for (const m of messages) expect(m).not.toContain("secret");
  });

  it("is retried by the notifier and counted per outcome", async () => {
    mode = "500";
    const outcomes: NotifyOutcome[] = [];
    const n = new Notifier({ application: "orders", observer: "us-east-2", destinations: [hook("json")], clock: { now: () => 0, sleep: () => Promise.resolve() }, retries: 2, backoffMs: 1, onOutcome: (d, o) => outcomes.push(o) });
    n.onEvent("escalation", { reason: "no-quorum", incident: "i" });
    await n.idle();
    expect(outcomes).toEqual(["retried", "retried", "failed"]);
  });

  it("refuses plain http, except loopback under the test-only flag", () => {
    expect(() => new WebhookDestination({ url: `http://hooks.example.com/${SECRET}`, format: "json", timeoutMs: 1000, allowLoopbackHttp: true })).toThrow(/only https/);
    expect(() => new WebhookDestination({ url: `${base}/x`, format: "json", timeoutMs: 1000 })).toThrow(/only https/);
    expect(() => new WebhookDestination({ url: `http://hooks.example.com/${SECRET}`, format: "json", timeoutMs: 1000 })).not.toThrow(/secret/);
    expect(() => new WebhookDestination({ url: "https://events.pagerduty.com/v2/enqueue", format: "pagerduty", timeoutMs: 1000 })).toThrow(/routing key/);
  });
});
