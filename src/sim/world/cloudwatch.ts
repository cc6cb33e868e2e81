// CloudWatch (reference/aws-apis.md, "CloudWatch"): regional metric stores
// and alarms.
//   - PutMetricData stores points at their own timestamps (a skewed
//     controller writes skewed points, as in AWS); AWS/ namespaces refused.
//   - GetMetricData aggregates stored points into Period buckets aligned to
//     the epoch, with the requested Stat, newest first by default.
//   - The world publishes what AWS publishes, every 10 s of virtual time:
//     AWS/RDS AuroraGlobalDBRPOLag (+ReplicationLag) for each secondary in
//     the secondary's region, AWS/DynamoDB ReplicationLatency per
//     source->destination in the source region, AWS/Route53
//     HealthCheckStatus in us-east-1, and the app's error rate per region.
//   - Alarms: `<app>-kill-switch-<region>` is a dead man's switch. The
//     alarm sees the kill-switch metric alarmDelay late and treats missing
//     data as breaching: it is OK only while a point of value >= 1 no older
//     than three 60 s periods exists, i.e. while someone (the controllers'
//     heartbeat, or a runbook) keeps vouching for the region. Before the
//     scenario only the initial active region was vouched for.
//     `<app>-5xx-<region>` (and every alarm a cloudwatch-alarm probe names)
//     is ALARM when the app's error rate reached 5% in the last minute.

import type { Region } from "../../core/index.js";
import { forRegion } from "../../config/index.js";
import { InvalidParameterValueException } from "@aws-sdk/client-cloudwatch";
import { metadata, unsupported } from "../errors.js";
import { list, num, obj, str, timeMs, type CallContext, type Input } from "./call-context.js";
import type { WorldCore } from "./core.js";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

interface Series {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  ts: number[];
  vals: number[];
}

interface Alarm {
  name: string;
  region: Region;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  kind: "kill-switch" | "error-rate";
  threshold: number;
  lastState: AlarmState;
  changedMs: number;
  override?: { state: AlarmState; untilMs: number };
}

/** Three missing 60 s datapoints make the kill-switch alarm breach. */
export const KILL_SWITCH_FRESH_MS = 180_000;
const APP_ERROR_THRESHOLD = 0.05;
const APP_ALARM_WINDOW_MS = 60_000;
const SET_ALARM_STATE_HOLD_MS = 10_000;

export const APP_METRICS_NAMESPACE = "Sim/App";

const dimKey = (d: Record<string, string>): string =>
  Object.keys(d)
    .sort()
    .map((k) => `${k}=${d[k]}`)
    .join(",");
const seriesKey = (region: Region, ns: string, name: string, dims: Record<string, string>) => `${region}|${ns}|${name}|${dimKey(dims)}`;

function dimsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of list(v)) {
    const name = str(obj(d).Name);
    const value = str(obj(d).Value);
    if (name !== undefined && value !== undefined) out[name] = value;
  }
  return out;
}

export class CloudWatchModel {
  private readonly series = new Map<string, Series>();
  private readonly alarms = new Map<string, Alarm>();

  constructor(private readonly core: WorldCore) {
    const { config } = core;
    const app = config.application;
    const ks = config.traffic.strategy === "health-check" ? config.traffic.killSwitch : undefined;
    const alarmNames = new Set<string>([`${app}-5xx-{region}`]);
    for (const p of config.probes) if (p.kind === "cloudwatch-alarm") alarmNames.add(p.alarm);
    core.regions.forEach((region, i) => {
      if (ks) {
        const dims = { Region: region };
        // Before the scenario only the initial active region was vouched for.
        // (as seen by the alarm, which reads the metric alarmDelay late).
        if (i === 0) this.put(region, ks.namespace, ks.metricName, dims, 1, core.startMs - ks.alarmDelay);
        this.addAlarm({ name: `${app}-kill-switch-${region}`, region, namespace: ks.namespace, metricName: ks.metricName, dimensions: dims, kind: "kill-switch", threshold: 1 });
      }
      for (const template of alarmNames) {
        this.addAlarm({
          name: forRegion(template, region),
          region,
          namespace: APP_METRICS_NAMESPACE,
          metricName: "ErrorRate",
          dimensions: { Region: region },
          kind: "error-rate",
          threshold: APP_ERROR_THRESHOLD,
        });
      }
    });
  }

  private addAlarm(a: Omit<Alarm, "lastState" | "changedMs">): void {
    const alarm: Alarm = { ...a, lastState: "INSUFFICIENT_DATA", changedMs: this.core.startMs };
    this.alarms.set(`${a.region}|${a.name}`, alarm);
    alarm.lastState = this.evaluate(alarm);
  }

  put(region: Region, namespace: string, metricName: string, dimensions: Record<string, string>, value: number, atMs: number): void {
    const key = seriesKey(region, namespace, metricName, dimensions);
    let s = this.series.get(key);
    if (!s) {
      s = { namespace, metricName, dimensions, ts: [], vals: [] };
      this.series.set(key, s);
    }
    // Points mostly arrive in order; a skewed clock may write one out of order.
    let i = s.ts.length;
    while (i > 0 && s.ts[i - 1]! > atMs) i--;
    s.ts.splice(i, 0, atMs);
    s.vals.splice(i, 0, value);
  }

  private points(region: Region, ns: string, name: string, dims: Record<string, string>, fromMs: number, toMs: number): { ts: number[]; vals: number[] } {
    const s = this.series.get(seriesKey(region, ns, name, dims));
    if (!s) return { ts: [], vals: [] };
    let lo = 0;
    let hi = s.ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.ts[mid]! < fromMs) lo = mid + 1;
      else hi = mid;
    }
    const ts: number[] = [];
    const vals: number[] = [];
    for (let i = lo; i < s.ts.length && s.ts[i]! < toMs; i++) {
      ts.push(s.ts[i]!);
      vals.push(s.vals[i]!);
    }
    return { ts, vals };
  }

  private latestBefore(region: Region, ns: string, name: string, dims: Record<string, string>, atMs: number): { atMs: number; value: number } | undefined {
    const s = this.series.get(seriesKey(region, ns, name, dims));
    if (!s) return undefined;
    for (let i = s.ts.length - 1; i >= 0; i--) if (s.ts[i]! <= atMs) return { atMs: s.ts[i]!, value: s.vals[i]! };
    return undefined;
  }

  private evaluate(a: Alarm): AlarmState {
    const now = this.core.now();
    if (a.override && now < a.override.untilMs) return a.override.state;
    if (a.kind === "kill-switch") {
      const delay = this.core.config.traffic.strategy === "health-check" ? this.core.config.traffic.killSwitch.alarmDelay : 60_000;
      const seenAt = now - delay;
      const latest = this.latestBefore(a.region, a.namespace, a.metricName, a.dimensions, seenAt);
      // Missing data is breaching: a switch nobody vouches for is off.
      if (latest === undefined || seenAt - latest.atMs > KILL_SWITCH_FRESH_MS) return "ALARM";
      return latest.value < a.threshold ? "ALARM" : "OK";
    }
    const { vals } = this.points(a.region, a.namespace, a.metricName, a.dimensions, now - APP_ALARM_WINDOW_MS, now + 1);
    if (vals.length === 0) return "INSUFFICIENT_DATA";
    return Math.max(...vals) >= a.threshold ? "ALARM" : "OK";
  }

  alarmState(region: Region, name: string): AlarmState {
    const a = this.alarms.get(`${region}|${name}`);
    if (!a) return "INSUFFICIENT_DATA";
    const state = this.evaluate(a);
    if (state !== a.lastState) {
      a.lastState = state;
      a.changedMs = this.core.now();
    }
    return state;
  }

  // ---------- API ----------

  handle(command: string, input: Input, ctx: CallContext): unknown {
    switch (command) {
      case "PutMetricData":
        return this.putMetricData(input, ctx);
      case "GetMetricData":
        return this.getMetricData(input, ctx);
      case "DescribeAlarms":
        return this.describeAlarms(input, ctx);
      case "SetAlarmState": {
        const a = this.alarms.get(`${ctx.region}|${str(input.AlarmName) ?? ""}`);
        const state = str(input.StateValue);
        if (a && (state === "OK" || state === "ALARM" || state === "INSUFFICIENT_DATA")) {
          // Testing only: the alarm re-evaluates within seconds (aws-apis.md).
          a.override = { state, untilMs: this.core.now() + SET_ALARM_STATE_HOLD_MS };
        }
        return {};
      }
      case "ListMetrics":
        return this.listMetrics(input, ctx);
      default:
        throw unsupported("cloudwatch", command, ctx.requestId);
    }
  }

  private putMetricData(input: Input, ctx: CallContext): unknown {
    const ns = str(input.Namespace) ?? "";
    if (ns === "" || ns.startsWith("AWS/")) {
      throw new InvalidParameterValueException({ $metadata: metadata(400, ctx.requestId), message: `The value ${ns} for parameter Namespace is invalid.` });
    }
    for (const d of list(input.MetricData)) {
      const datum = obj(d);
      const name = str(datum.MetricName);
      const value = num(datum.Value);
      if (name === undefined || value === undefined) continue;
      this.put(ctx.region, ns, name, dimsOf(datum.Dimensions), value, timeMs(datum.Timestamp) ?? this.core.now());
    }
    return {};
  }

  private getMetricData(input: Input, ctx: CallContext): unknown {
    const startMs = timeMs(input.StartTime) ?? this.core.now() - 3_600_000;
    const endMs = timeMs(input.EndTime) ?? this.core.now();
    const ascending = str(input.ScanBy) === "TimestampAscending";
    const results = list(input.MetricDataQueries).map((q) => {
      const query = obj(q);
      const stat = obj(query.MetricStat);
      const metric = obj(stat.Metric);
      const periodMs = Math.max(1, num(stat.Period) ?? 60) * 1000;
      const { ts, vals } = this.points(ctx.region, str(metric.Namespace) ?? "", str(metric.MetricName) ?? "", dimsOf(metric.Dimensions), startMs, endMs);
      const buckets = new Map<number, number[]>();
      ts.forEach((t, i) => {
        const b = Math.floor(t / periodMs) * periodMs;
        const arr = buckets.get(b) ?? [];
        arr.push(vals[i]!);
        buckets.set(b, arr);
      });
      const keys = [...buckets.keys()].sort((a, b) => (ascending ? a - b : b - a));
      return {
        Id: str(query.Id),
        Label: str(metric.MetricName),
        Timestamps: keys.map((k) => new Date(k)),
        Values: keys.map((k) => aggregate(buckets.get(k)!, str(stat.Stat) ?? "Average")),
        StatusCode: "Complete",
      };
    });
    return { MetricDataResults: results, Messages: [] };
  }

  private describeAlarms(input: Input, ctx: CallContext): unknown {
    const names = list(input.AlarmNames).map((n) => String(n));
    const prefix = str(input.AlarmNamePrefix);
    const wanted = [...this.alarms.values()].filter(
      (a) => a.region === ctx.region && (names.length === 0 || names.includes(a.name)) && (prefix === undefined || a.name.startsWith(prefix)),
    );
    return {
      MetricAlarms: wanted.map((a) => {
        const state = this.alarmState(a.region, a.name);
        return {
          AlarmName: a.name,
          AlarmArn: `arn:aws:cloudwatch:${a.region}:${this.core.config.accountId}:alarm:${a.name}`,
          StateValue: state,
          StateReason: `simulated: ${a.kind} alarm is ${state}`,
          StateUpdatedTimestamp: new Date(a.changedMs),
          Namespace: a.namespace,
          MetricName: a.metricName,
          Dimensions: Object.entries(a.dimensions).map(([Name, Value]) => ({ Name, Value })),
          Threshold: a.threshold,
          ComparisonOperator: a.kind === "kill-switch" ? "LessThanThreshold" : "GreaterThanOrEqualToThreshold",
          EvaluationPeriods: 1,
          Period: 60,
          Statistic: a.kind === "kill-switch" ? "Minimum" : "Maximum",
          TreatMissingData: a.kind === "kill-switch" ? "breaching" : "missing",
          ...(a.kind === "kill-switch" && { EvaluationPeriods: 3, DatapointsToAlarm: 3 }),
        };
      }),
      CompositeAlarms: [],
    };
  }

  private listMetrics(input: Input, ctx: CallContext): unknown {
    const ns = str(input.Namespace);
    const name = str(input.MetricName);
    const dims = dimsOf(input.Dimensions);
    const metrics = [...this.series.entries()]
      .filter(([key]) => key.startsWith(`${ctx.region}|`))
      .map(([, s]) => s)
      .filter((s) => (ns === undefined || s.namespace === ns) && (name === undefined || s.metricName === name) && Object.entries(dims).every(([k, v]) => s.dimensions[k] === v))
      .map((s) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: Object.entries(s.dimensions).map(([Name, Value]) => ({ Name, Value })) }));
    return { Metrics: metrics };
  }
}

function aggregate(values: number[], stat: string): number {
  switch (stat) {
    case "Maximum":
      return Math.max(...values);
    case "Minimum":
      return Math.min(...values);
    case "Sum":
      return values.reduce((a, b) => a + b, 0);
    case "SampleCount":
      return values.length;
    default:
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}
