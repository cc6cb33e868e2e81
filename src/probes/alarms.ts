// CloudWatch alarm probe and Route 53 health-check probe.
//
// Alarm: read in the target region (alarms are regional). ALARM is a
// failure. INSUFFICIENT_DATA is a failure too: an alarm that stops getting
// data is what a region whose metrics pipeline died looks like, and the
// quorum across observers guards against acting on one observer's view.
//
// Route 53: health-check status comes from the AWS/Route53 HealthCheckStatus
// metric in us-east-1, all checks in ONE GetMetricData call, never from
// GetHealthCheckStatus (not meant for polling at production rates).

import type { Observation } from "../core/index.js";
import { forRegionTemplate } from "./template.js";
import { TIMED_OUT, errorDetail, withTimeout, type ProbeContext, type ProbeSpec } from "./types.js";

export async function probeAlarm(spec: Extract<ProbeSpec, { kind: "cloudwatch-alarm" }>, ctx: ProbeContext): Promise<Observation[]> {
  return Promise.all(
    ctx.targets.map(async (target): Promise<Observation> => {
      const base = { probe: spec.name, kind: "cloudwatch-alarm" as const, observer: ctx.observer, target };
      const name = forRegionTemplate(spec.alarm, target);
      try {
        const res = await withTimeout(ctx.clock, spec.timeoutMs, ctx.adapters.region(target).cloudwatch.describeAlarms([name]));
        const atMs = ctx.clock.now();
        if (res === TIMED_OUT) return { ...base, atMs, ok: false, detail: `cloudwatch:DescribeAlarms in ${target} timed out` };
        const alarm = res.find((a) => a.name === name);
        if (!alarm) return { ...base, atMs, ok: false, detail: `alarm ${name} not found in ${target}` };
        return { ...base, atMs, ok: alarm.state === "OK", ...(alarm.state !== "OK" && { detail: `alarm ${name} is ${alarm.state}` }) };
      } catch (err) {
        return { ...base, atMs: ctx.clock.now(), ok: false, detail: errorDetail(err) };
      }
    }),
  );
}

export async function probeRoute53HealthChecks(
  spec: Extract<ProbeSpec, { kind: "route53-health-check" }>,
  ctx: ProbeContext,
): Promise<Observation[]> {
  const targets = ctx.targets.filter((t) => spec.healthChecks[t] !== undefined);
  const nowMs = ctx.clock.now();
  const queries = targets.map((t, i) => ({
    id: `hc${i}`,
    namespace: "AWS/Route53",
    metricName: "HealthCheckStatus",
    dimensions: { HealthCheckId: spec.healthChecks[t]! },
    periodSeconds: 60,
    stat: "Minimum" as const,
  }));
  const fail = (detail: string) =>
    targets.map((target): Observation => ({ probe: spec.name, kind: "route53-health-check", observer: ctx.observer, target, atMs: ctx.clock.now(), ok: false, detail }));
  try {
    const res = await withTimeout(ctx.clock, spec.timeoutMs, ctx.adapters.region("us-east-1").cloudwatch.getMetricData({ queries, startMs: nowMs - 5 * 60_000, endMs: nowMs }));
    if (res === TIMED_OUT) return fail("cloudwatch:GetMetricData in us-east-1 timed out");
    return targets.map((target, i): Observation => {
      const value = res.find((r) => r.id === `hc${i}`)?.values[0];
      const base = { probe: spec.name, kind: "route53-health-check" as const, observer: ctx.observer, target, atMs: ctx.clock.now() };
      if (value === undefined) return { ...base, ok: false, detail: "no HealthCheckStatus data" };
      return { ...base, ok: value >= 1, value, ...(value < 1 && { detail: "Route 53 health check unhealthy" }) };
    });
  } catch (err) {
    return fail(errorDetail(err));
  }
}
