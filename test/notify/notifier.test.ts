// The notifier: queued (the caller never waits), de-duplicated per incident
// and reason, "resolved" only for what was announced, bounded retries with
// doubling backoff, SNS tried region by region in config order.
import { describe, expect, it } from "vitest";
import type { SnsApi } from "../../src/aws/index.js";
import type { Clock } from "../../src/core/index.js";
import { Notifier, SnsDestination, type Destination, type Notification, type NotifyOutcome } from "../../src/notify/index.js";

/** A clock whose sleeps return at once and are recorded (backoff is asserted, not waited for). */
function instantClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 1_700_000_000_000, sleep: (ms) => (slept.push(ms), Promise.resolve()) };
}

function recorder(fail = 0): Destination & { got: Notification[]; calls: number } {
  const d = {
    name: "test",
    got: [] as Notification[],
    calls: 0,
    send(n: Notification) {
      d.calls++;
      if (d.calls <= fail) return Promise.reject(new Error(`attempt ${d.calls} failed`));
      d.got.push(n);
      return Promise.resolve();
    },
  };
  return d;
}

function notifier(destinations: Destination[], retries = 3) {
  const clock = instantClock();
  const outcomes: NotifyOutcome[] = [];
  const n = new Notifier({ application: "orders", observer: "us-east-2", destinations, clock, retries, backoffMs: 2_000, onOutcome: (_d, o) => outcomes.push(o) });
  return { n, clock, outcomes };
}

const ESC = { reason: "no-quorum", incident: "orders-us-east-1-600000", detail: "us-east-1 seen DOWN by us-west-2, us-east-2; silent: eu-west-1" };

describe("Notifier", () => {
  it("sends an escalation once per incident and reason, and resolved once, only after it", async () => {
    const d = recorder();
    const { n } = notifier([d]);
    n.onEvent("escalation.resolved", { reason: "no-quorum", incident: ESC.incident }); // never announced: nothing to resolve
    n.onEvent("escalation", ESC);
    n.onEvent("escalation", ESC);
    n.onEvent("escalation", { ...ESC, reason: "rpo-breach" });
    n.onEvent("escalation.resolved", { reason: "no-quorum", incident: ESC.incident });
    n.onEvent("escalation.resolved", { reason: "no-quorum", incident: ESC.incident });
    n.onEvent("escalation", { ...ESC, incident: "orders-us-east-1-900000" }); // a new incident pages again
    await n.idle();
    expect(d.got.map((m) => `${m.kind}:${m.reason}:${m.incident}`)).toEqual([
      "escalation:no-quorum:orders-us-east-1-600000",
      "escalation:rpo-breach:orders-us-east-1-600000",
      "resolved:no-quorum:orders-us-east-1-600000",
      "escalation:no-quorum:orders-us-east-1-900000",
    ]);
    expect(d.got[0]?.summary).toContain("silent: eu-west-1");
  });

  it("an escalation another controller paged for the incident it now continues is not sent again, and its resolution is sent", async () => {
    const d = recorder();
    const { n } = notifier([d]);
    const paged = { reason: "runbook-failed", incident: ESC.incident, runbook: "failover" };
    n.onEvent("escalation.adopted", paged);
    n.onEvent("escalation", { ...paged, error: "Runbook.Escalated" }); // the same page: already out
    n.onEvent("escalation.resolved", { reason: "runbook-failed", incident: ESC.incident, why: "failover completed: us-west-2 is active" });
    await n.idle();
    expect(d.got.map((m) => `${m.kind}:${m.reason}:${m.incident}`)).toEqual(["resolved:runbook-failed:orders-us-east-1-600000"]);
  });

  it("never makes the caller wait: onEvent returns while the destination hangs", () => {
    const hanging: Destination = { name: "hang", send: () => new Promise(() => undefined) };
    const { n } = notifier([hanging]);
    n.onEvent("escalation", ESC);
    n.onEvent("runbook.started", { runbook: "failover", incident: ESC.incident, from: "us-east-1", to: "us-west-2", epoch: 3 });
    expect(n.pending).toBe(1); // the first is being sent (forever), the second waits its turn
  });

  it("retries a failed send with doubling backoff, then succeeds", async () => {
    const d = recorder(2);
    const { n, clock, outcomes } = notifier([d]);
    n.onEvent("escalation", ESC);
    await n.idle();
    expect(outcomes).toEqual(["retried", "retried", "sent"]);
    expect(clock.slept).toEqual([2_000, 4_000]);
    expect(d.got).toHaveLength(1);
  });

  it("gives up after the bounded retries and goes on with the next message", async () => {
    const d = recorder(4);
    const { n, outcomes } = notifier([d], 2);
    n.onEvent("escalation", ESC);
    n.onEvent("escalation", { ...ESC, reason: "stuck-promotion" });
    await n.idle();
    expect(outcomes).toEqual(["retried", "retried", "failed", "retried", "sent"]);
    expect(d.got.map((m) => m.reason)).toEqual(["stuck-promotion"]);
  });

  it("readiness: notifies a check turning red and green again, not a check that stays the same", async () => {
    const d = recorder();
    const { n } = notifier([d]);
    n.onEvent("readiness.green", { check: "writer", detail: "ok" }); // first result, green: not news
    n.onEvent("readiness.red", { check: "lag", detail: "Aurora lag into us-west-2 20m exceeds the RPO" });
    n.onEvent("readiness.red", { check: "lag", detail: "still" });
    n.onEvent("readiness.green", { check: "lag", detail: "replication within the RPO" });
    await n.idle();
    expect(d.got.map((m) => `${m.kind}:${m.reason}`)).toEqual(["readiness-red:lag", "readiness-green:lag"]);
  });

  it("announces a failover started and completed once each", async () => {
    const d = recorder();
    const { n } = notifier([d]);
    const started = { runbook: "failover", incident: "i1", from: "us-east-1", to: "us-west-2", epoch: 4 };
    n.onEvent("runbook.started", started);
    n.onEvent("runbook.started", started);
    n.onEvent("failover.completed", { ...started, mode: "unplanned" });
    n.onEvent("decision", { action: "failover" }); // not a notification
    await n.idle();
    expect(d.got.map((m) => m.kind)).toEqual(["failover-started", "failover-completed"]);
  });
});

describe("SnsDestination", () => {
  const fakeSns = (region: string, log: string[], fails: boolean): SnsApi => ({
    region,
    publish: ({ topicArn }) => {
      log.push(`${region} ${topicArn}`);
      return fails ? Promise.reject(new Error(`sns:Publish in ${region} failed: TimeoutError`)) : Promise.resolve({ messageId: "m" });
    },
  });

  it("publishes from the first region that answers, in config order", async () => {
    const log: string[] = [];
    const d = new SnsDestination([
      { region: "us-east-1", topicArn: "arn:aws:sns:us-east-1:1:t", sns: fakeSns("us-east-1", log, true) },
      { region: "us-west-2", topicArn: "arn:aws:sns:us-west-2:1:t", sns: fakeSns("us-west-2", log, false) },
      { region: "us-east-2", topicArn: "arn:aws:sns:us-east-2:1:t", sns: fakeSns("us-east-2", log, false) },
    ]);
    const { n } = notifier([d]);
    n.onEvent("escalation", ESC);
    await n.idle();
    expect(log).toEqual(["us-east-1 arn:aws:sns:us-east-1:1:t", "us-west-2 arn:aws:sns:us-west-2:1:t"]);
  });

  it("fails (and so is retried) only when every region fails, naming each", async () => {
    const log: string[] = [];
    const d = new SnsDestination([
      { region: "us-east-1", topicArn: "arn:aws:sns:us-east-1:1:t", sns: fakeSns("us-east-1", log, true) },
      { region: "us-west-2", topicArn: "arn:aws:sns:us-west-2:1:t", sns: fakeSns("us-west-2", log, true) },
    ]);
    const msg = await d.send({ version: 1, application: "a", kind: "escalation", reason: "r", incident: "i", observer: "o", atMs: 0, at: "", summary: "s", detail: {} }).catch((e: Error) => e.message);
    expect(msg).toMatch(/us-east-1 failed.*us-west-2 failed/);
  });
});
