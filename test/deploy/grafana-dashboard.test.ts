// deploy/grafana/failover.json against what the daemon really exports: the
// metrics module is instantiated and fed once, and every PromQL expression
// of the dashboard must name only series and labels in its exposition. The
// saboteurs at the end show the check failing for a misspelt metric, a
// misspelt label and a metric the daemon stops exporting.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { DaemonMetrics } from "../../src/daemon/index.js";
import { FakeController } from "../daemon/fake-controller.js";
import { exprNames, legendLabels, parseExposition, type Exposition } from "../helpers/promql.js";

const FILE = "deploy/grafana/failover.json";
const PROMETHEUS_VAR = "${datasource}";
/** Labels Prometheus adds at scrape time. */
const SCRAPE_LABELS = ["instance", "job"];

interface Target {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  title?: string;
  uid?: string;
  schemaVersion?: number;
  templating?: { list?: { name?: string; type?: string; query?: string }[] };
  annotations?: { list?: { expr?: string; datasource?: { type?: string; uid?: string } }[] };
  panels?: Panel[];
}

const load = (): Dashboard => JSON.parse(readFileSync(FILE, "utf8")) as Dashboard;
const flatPanels = (d: Dashboard): Panel[] => (d.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
const queries = (d: Dashboard) => [
  ...flatPanels(d).flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel ${p.id} "${p.title}" ${t.refId}`, expr: t.expr ?? "", legend: t.legendFormat }))),
  ...(d.annotations?.list ?? []).filter((a) => a.expr).map((a, i) => ({ where: `annotation ${i}`, expr: a.expr!, legend: undefined })),
];

/** A DaemonMetrics with a sample on every labelled series, so labels can be checked. */
async function fedExposition(adjust?: (m: DaemonMetrics) => void): Promise<Exposition> {
  const metrics = new DaemonMetrics();
  const controller = new FakeController();
  metrics.observeCycle(await controller.tick(), controller.status());
  metrics.observeEvent("runbook.started", { runbook: "failover", incident: "inc-1" }, 0);
  metrics.observeEvent("failover.completed", { runbook: "failover", incident: "inc-1", mode: "unplanned", to: "us-west-2" }, 290_000);
  metrics.observeEvent("escalation", { reason: "approval-required" }, 300_000);
  metrics.observeAwsCall("rds:FailoverGlobalCluster", "us-west-2", 120, "ThrottlingException");
  adjust?.(metrics);
  return parseExposition(await metrics.registry.metrics());
}

/** Every way the dashboard's queries disagree with the exposition, as readable lines. */
function problems(d: Dashboard, exp: Exposition): string[] {
  const out: string[] = [];
  for (const q of queries(d)) {
    const names = exprNames(q.expr);
    if (names.metrics.length === 0) out.push(`${q.where}: no metric in ${JSON.stringify(q.expr)}`);
    const available = new Set(SCRAPE_LABELS);
    for (const m of names.metrics) {
      if (!exp.series.has(m)) {
        out.push(`${q.where}: ${m} is not exported by the daemon`);
        continue;
      }
      const labels = exp.labels.get(m);
      if (!labels) out.push(`${q.where}: ${m} has no sample to check labels against (feed it in fedExposition)`);
      for (const l of labels ?? []) available.add(l);
      for (const l of names.matcherLabels[m] ?? []) if (!labels?.has(l) && !SCRAPE_LABELS.includes(l)) out.push(`${q.where}: ${m} has no label ${l}`);
    }
    for (const l of [...names.groupingLabels, ...legendLabels(q.legend)]) if (!available.has(l)) out.push(`${q.where}: label ${l} is on none of ${names.metrics.join(", ")}`);
  }
  return [...new Set(out)];
}

let exposition: Exposition;
beforeAll(async () => {
  exposition = await fedExposition();
});

describe("Grafana dashboard: what Grafana needs to load it as is", () => {
  const d = load();

  it("has a title, a uid and a numeric schemaVersion with datasource references as objects (>= 36)", () => {
    expect(d.title).toMatch(/failover/);
    expect(d.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
  });

  it("declares the Prometheus datasource as a template variable of type datasource", () => {
    expect(d.templating?.list).toContainEqual(expect.objectContaining({ name: "datasource", type: "datasource", query: "prometheus" }));
  });

  it("points every panel, query and annotation at that variable", () => {
    const ds = { type: "prometheus", uid: PROMETHEUS_VAR };
    for (const p of flatPanels(d).filter((p) => p.type !== "row")) {
      expect(p.datasource, `panel ${p.id}`).toEqual(ds);
      expect(p.targets?.length, `panel ${p.id} has queries`).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.datasource, `panel ${p.id} ${t.refId}`).toEqual(ds);
    }
    for (const a of (d.annotations?.list ?? []).filter((a) => a.expr)) expect(a.datasource).toEqual(ds);
  });

  it("has unique panel ids and refIds, known panel types, and panels inside the 24-column grid without overlap", () => {
    const panels = flatPanels(d);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Map<string, number | undefined>();
    for (const p of panels) {
      expect(["row", "timeseries", "stat", "state-timeline", "bargauge", "table"]).toContain(p.type);
      const refIds = (p.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size, `panel ${p.id} refIds`).toBe(refIds.length);
      const g = p.gridPos!;
      expect(g.x + g.w, `panel ${p.id} width`).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.get(`${x},${y}`), `panel ${p.id} overlaps panel ${cells.get(`${x},${y}`)} at ${x},${y}`).toBeUndefined();
          cells.set(`${x},${y}`, p.id);
        }
      }
    }
  });
});

describe("Grafana dashboard: every query names what /metrics exports", () => {
  it("finds no unknown metric or label in any query", () => {
    expect(problems(load(), exposition)).toEqual([]);
  });

  it("covers health per observer, lag, decisions, runbook durations, AWS latency and errors, lease holder and epoch", () => {
    const used = new Set(queries(load()).flatMap((q) => exprNames(q.expr).metrics));
    for (const m of [
      "failover_region_health",
      "failover_active_region",
      "failover_replication_lag_ms",
      "failover_decisions_total",
      "failover_failovers_total",
      "failover_escalations_total",
      "failover_runbook_duration_seconds_sum",
      "failover_runbook_duration_seconds_count",
      "failover_aws_call_duration_seconds_bucket",
      "failover_aws_call_errors_total",
      "failover_lease_held",
      "failover_lease_epoch",
    ]) {
      expect(used, m).toContain(m);
    }
  });
});

describe("the check itself", () => {
  it("reads metric and label names out of PromQL", () => {
    expect(
      exprNames('sum by (le, call) (rate(failover_aws_call_duration_seconds_bucket{region=~"us-.*", call!="x"}[$__rate_interval])) / on(call) group_left 2e3 * max(failover_lease_epoch offset 5m) and bool up'),
    ).toEqual({
      metrics: ["failover_aws_call_duration_seconds_bucket", "failover_lease_epoch", "up"],
      matcherLabels: { failover_aws_call_duration_seconds_bucket: ["region", "call"] },
      groupingLabels: ["le", "call"],
    });
    expect(exprNames('failover_decisions_total{action="failover_fake_total"}').metrics).toEqual(["failover_decisions_total"]);
  });

  it("fails for a panel that names a metric the daemon does not export", () => {
    const d = load();
    const panel = flatPanels(d).find((p) => p.targets?.some((t) => t.expr?.includes("failover_region_health")))!;
    panel.targets![0]!.expr = "max by (observer, target) (failover_region_healthy)";
    expect(problems(d, exposition)).toContain(`panel ${panel.id} "${panel.title}" A: failover_region_healthy is not exported by the daemon`);
  });

  it("fails for a label the metric does not have, in a matcher, a by clause or a legend", () => {
    const d = load();
    const panel = flatPanels(d).find((p) => p.targets?.some((t) => t.expr?.includes("failover_replication_lag_ms")))!;
    panel.targets![0] = { ...panel.targets![0]!, expr: 'max by (service, regoin) (failover_replication_lag_ms{servce="aurora"})', legendFormat: "{{sevice}}" };
    const found = problems(d, exposition);
    expect(found).toContain(`panel ${panel.id} "${panel.title}" A: failover_replication_lag_ms has no label servce`);
    expect(found).toContain(`panel ${panel.id} "${panel.title}" A: label regoin is on none of failover_replication_lag_ms`);
    expect(found).toContain(`panel ${panel.id} "${panel.title}" A: label sevice is on none of failover_replication_lag_ms`);
  });

  it("fails when the daemon stops exporting a metric a panel uses", async () => {
    const without = await fedExposition((m) => m.registry.removeSingleMetric("failover_runbook_duration_seconds"));
    const found = problems(load(), without);
    expect(found.some((p) => p.endsWith("failover_runbook_duration_seconds_sum is not exported by the daemon"))).toBe(true);
    expect(found.some((p) => p.endsWith("failover_runbook_duration_seconds_count is not exported by the daemon"))).toBe(true);
  });
});
