// failover_runbook_duration_seconds: runbook.started and the end of the same
// incident, on the controller's clock (atMs), become one observation labelled
// with the runbook and how it ended.
import { afterEach, describe, expect, it, vi } from "vitest";
import { DaemonMetrics } from "../../src/daemon/index.js";

interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

async function runbookSamples(m: DaemonMetrics): Promise<Sample[]> {
  const all = await m.registry.getMetricsAsJSON();
  return (all.find((x) => x.name === "failover_runbook_duration_seconds")?.values ?? []) as Sample[];
}

/** count and sum of the histogram per "runbook/outcome". */
async function observed(m: DaemonMetrics): Promise<Record<string, { count: number; sumSeconds: number }>> {
  const out: Record<string, { count: number; sumSeconds: number }> = {};
  for (const s of await runbookSamples(m)) {
    const key = `${s.labels.runbook}/${s.labels.outcome}`;
    out[key] ??= { count: 0, sumSeconds: 0 };
    if (s.metricName?.endsWith("_count")) out[key].count = s.value;
    if (s.metricName?.endsWith("_sum")) out[key].sumSeconds = s.value;
  }
  return out;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("failover_runbook_duration_seconds", () => {
  it("times a runbook from runbook.started to failover.completed of the same incident", async () => {
    const m = new DaemonMetrics({ defaultMetrics: false });
    m.observeEvent("runbook.started", { runbook: "failover", incident: "inc-a" }, 100_000);
    m.observeEvent("runbook.started", { runbook: "switchover", incident: "inc-b" }, 150_000);
    m.observeEvent("failover.completed", { runbook: "failover", incident: "inc-a", mode: "unplanned", to: "us-west-2" }, 390_000);
    expect(await observed(m)).toEqual({ "failover/succeeded": { count: 1, sumSeconds: 290 } });
    // The 5-minute bucket holds it, the 4-minute one does not.
    const buckets = (await runbookSamples(m)).filter((s) => s.metricName?.endsWith("_bucket"));
    expect(buckets.find((b) => b.labels.le === 240)?.value).toBe(0);
    expect(buckets.find((b) => b.labels.le === 300)?.value).toBe(1);
  });

  it("labels a runbook that escalated or was stopped with that outcome", async () => {
    const m = new DaemonMetrics({ defaultMetrics: false });
    m.observeEvent("runbook.started", { runbook: "failover", incident: "inc-a" }, 0);
    m.observeEvent("escalation", { reason: "stuck-promotion", runbook: "failover", incident: "inc-a" }, 600_000);
    m.observeEvent("runbook.started", { runbook: "failback", incident: "inc-b" }, 0);
    m.observeEvent("runbook.stopped", { runbook: "failback", incident: "inc-b", status: "lost-lease" }, 45_000);
    expect(await observed(m)).toEqual({ "failover/escalated": { count: 1, sumSeconds: 600 }, "failback/stopped": { count: 1, sumSeconds: 45 } });
  });

  it("does not time a run it did not see start (resumed elsewhere), nor a policy escalation with no runbook", async () => {
    const m = new DaemonMetrics({ defaultMetrics: false });
    m.observeEvent("failover.completed", { runbook: "failover", incident: "resumed", mode: "unplanned", to: "us-west-2" }, 60_000);
    m.observeEvent("escalation", { reason: "approval-required" }, 60_000);
    expect(await observed(m)).toEqual({});
    // The counters still count them.
    const json = await m.registry.getMetricsAsJSON();
    expect(json.find((x) => x.name === "failover_failovers_total")?.values).toEqual([expect.objectContaining({ value: 1 })]);
    expect(json.find((x) => x.name === "failover_escalations_total")?.values).toEqual([expect.objectContaining({ value: 1 })]);
  });

  it("times each incident once: a second end event for it is not observed again", async () => {
    const m = new DaemonMetrics({ defaultMetrics: false });
    m.observeEvent("runbook.started", { runbook: "failover", incident: "inc-a" }, 0);
    m.observeEvent("failover.completed", { runbook: "failover", incident: "inc-a" }, 10_000);
    m.observeEvent("failover.completed", { runbook: "failover", incident: "inc-a" }, 20_000);
    expect(await observed(m)).toEqual({ "failover/succeeded": { count: 1, sumSeconds: 10 } });
  });

  it("uses the wall clock when the caller gives no time (the real daemon's controllers run on it)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const m = new DaemonMetrics({ defaultMetrics: false });
    vi.setSystemTime(1_000_000);
    m.observeEvent("runbook.started", { runbook: "switchover", incident: "inc-a" });
    vi.setSystemTime(1_184_000);
    m.observeEvent("failover.completed", { runbook: "switchover", incident: "inc-a", mode: "planned", to: "us-west-2" });
    expect(await observed(m)).toEqual({ "switchover/succeeded": { count: 1, sumSeconds: 184 } });
  });
});
