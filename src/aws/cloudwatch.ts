// CloudWatch adapter: replication-lag and health-check metrics (one
// GetMetricData per cycle), alarm probes, and PutMetricData for both the
// controller's own metrics and the kill-switch metric that data-plane
// failover rides on. API limits are handled here so callers never hit them:
// 500 queries per GetMetricData, 100 names per DescribeAlarms, 1000 data
// points per PutMetricData.

import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDataQuery,
  type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import type { Region } from "../core/index.js";
import { awsCall, invalidResponse } from "./call.js";
import type { AlarmStateValue, CloudWatchApi, MetricQuery, MetricResult } from "./ports.js";

const MAX_QUERIES = 500;
const MAX_ALARM_NAMES = 100;
const MAX_DATA_POINTS = 1_000;
const MAX_PAGES = 100;

export function createCloudWatchAdapter(client: CloudWatchClient, region: Region): CloudWatchApi {
  return {
    region,

    async getMetricData({ queries, startMs, endMs }) {
      const call = "cloudwatch:GetMetricData";
      const byId = new Map<string, MetricResult>();
      for (const batch of chunks(queries, MAX_QUERIES)) {
        let nextToken: string | undefined;
        for (let page = 0; ; page++) {
          if (page >= MAX_PAGES) throw invalidResponse(call, region, `more than ${MAX_PAGES} pages of metric data`);
          const out = await awsCall(call, region, () =>
            client.send(
              new GetMetricDataCommand({
                MetricDataQueries: batch.map(toSdkQuery),
                StartTime: new Date(startMs),
                EndTime: new Date(endMs),
                ScanBy: "TimestampDescending",
                ...(nextToken !== undefined && { NextToken: nextToken }),
              }),
            ),
          );
          // Absent means no results (query protocols omit empty lists); anything else but a list is garbage.
          const results: unknown = out.MetricDataResults ?? [];
          if (!Array.isArray(results)) throw invalidResponse(call, region, "MetricDataResults is not a list");
          for (const r of results as MetricDataResult[]) mergeResult(byId, r, call, region);
          if (!out.NextToken || out.NextToken === nextToken) break;
          nextToken = out.NextToken;
        }
      }
      // A query CloudWatch did not answer is reported, not dropped: the probe
      // must see "no data" rather than mistake silence for health.
      return queries.map((q) => byId.get(q.id) ?? { id: q.id, timestampsMs: [], values: [], status: "Missing" });
    },

    async describeAlarms(alarmNames) {
      const call = "cloudwatch:DescribeAlarms";
      const alarms: { name: string; state: AlarmStateValue; updatedMs?: number }[] = [];
      for (const batch of chunks(alarmNames, MAX_ALARM_NAMES)) {
        let nextToken: string | undefined;
        for (let page = 0; ; page++) {
          if (page >= MAX_PAGES) throw invalidResponse(call, region, `more than ${MAX_PAGES} pages of alarms`);
          const out = await awsCall(call, region, () =>
            client.send(
              new DescribeAlarmsCommand({
                AlarmNames: batch,
                AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
                ...(nextToken !== undefined && { NextToken: nextToken }),
              }),
            ),
          );
          for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
            if (!a.AlarmName) continue;
            alarms.push({
              name: a.AlarmName,
              state: parseAlarmState(a.StateValue),
              ...(a.StateUpdatedTimestamp instanceof Date && { updatedMs: a.StateUpdatedTimestamp.getTime() }),
            });
          }
          if (!out.NextToken || out.NextToken === nextToken) break;
          nextToken = out.NextToken;
        }
      }
      return alarms;
    },

    async putMetricData({ namespace, data }) {
      for (const batch of chunks(data, MAX_DATA_POINTS)) {
        await awsCall("cloudwatch:PutMetricData", region, () =>
          client.send(
            new PutMetricDataCommand({
              Namespace: namespace,
              MetricData: batch.map((d) => ({
                MetricName: d.metricName,
                Dimensions: toDimensions(d.dimensions),
                Value: d.value,
                Timestamp: new Date(d.timestampMs),
                ...(d.unit !== undefined && { Unit: d.unit }),
              })),
            }),
          ),
        );
      }
    },
  };
}

function toSdkQuery(q: MetricQuery): MetricDataQuery {
  return {
    Id: q.id,
    MetricStat: {
      Metric: { Namespace: q.namespace, MetricName: q.metricName, Dimensions: toDimensions(q.dimensions) },
      Period: q.periodSeconds,
      Stat: q.stat,
    },
    ReturnData: true,
  };
}

function toDimensions(dimensions: Record<string, string>): { Name: string; Value: string }[] {
  return Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
}

/** Results of one query can span pages: their points are concatenated. */
function mergeResult(byId: Map<string, MetricResult>, r: MetricDataResult, call: "cloudwatch:GetMetricData", region: Region): void {
  if (!r.Id) return;
  const timestamps: unknown = r.Timestamps ?? [];
  const values: unknown = r.Values ?? [];
  if (!Array.isArray(timestamps) || !Array.isArray(values) || !values.every((v) => typeof v === "number")) {
    throw invalidResponse(call, region, `result ${r.Id} has no readable Timestamps/Values lists`);
  }
  if (timestamps.length !== values.length) {
    // Pairing values with the wrong timestamps would misreport lag.
    throw invalidResponse(call, region, `result ${r.Id} has ${timestamps.length} timestamps but ${values.length} values`);
  }
  const prev = byId.get(r.Id);
  const status = r.StatusCode ?? "Unknown";
  const timestampsMs = timestamps.map((t) => (t instanceof Date ? t.getTime() : Number.NaN));
  if (timestampsMs.some((t) => Number.isNaN(t))) throw invalidResponse(call, region, `result ${r.Id} has an unreadable timestamp`);
  if (prev) {
    prev.timestampsMs.push(...timestampsMs);
    prev.values.push(...values);
    prev.status = status;
  } else {
    byId.set(r.Id, { id: r.Id, timestampsMs, values: [...values], status });
  }
}

function parseAlarmState(value: string | undefined): AlarmStateValue {
  // An alarm whose state cannot be read says nothing about health.
  return value === "OK" || value === "ALARM" ? value : "INSUFFICIENT_DATA";
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
