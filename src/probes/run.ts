// One cycle's probes: the ones that are due run concurrently; the result
// is the observations plus the replication readings and Aurora topology.

import { probeAlarm, probeRoute53HealthChecks } from "./alarms.js";
import { probeHttp } from "./http.js";
import { probeAurora, probeDynamoDb } from "./replication.js";
import type { ProbeContext, ProbeOutput, ProbeSpec } from "./types.js";

export async function runProbes(specs: readonly ProbeSpec[], ctx: ProbeContext): Promise<ProbeOutput> {
  const out: ProbeOutput = { observations: [] };
  await Promise.all(
    specs.map(async (spec) => {
      switch (spec.kind) {
        case "http":
          out.observations.push(...(await probeHttp(spec, ctx)));
          return;
        case "cloudwatch-alarm":
          out.observations.push(...(await probeAlarm(spec, ctx)));
          return;
        case "route53-health-check":
          out.observations.push(...(await probeRoute53HealthChecks(spec, ctx)));
          return;
        case "aurora": {
          const r = await probeAurora(spec, ctx);
          out.observations.push(...r.observations);
          out.auroraLagMs = r.lagMs;
          out.topology = r.topology;
          return;
        }
        case "dynamodb": {
          const r = await probeDynamoDb(spec, ctx);
          out.observations.push(...r.observations);
          out.dynamodbLagMs = r.lagMs;
          return;
        }
      }
    }),
  );
  // Deterministic order regardless of which probe answered first.
  out.observations.sort((a, b) => a.probe.localeCompare(b.probe) || a.target.localeCompare(b.target));
  return out;
}

/** Which probes are due at `nowMs`, given when each last ran. */
export function dueProbes(specs: readonly ProbeSpec[], lastRunMs: ReadonlyMap<string, number>, nowMs: number): ProbeSpec[] {
  return specs.filter((s) => {
    const last = lastRunMs.get(s.name);
    return last === undefined || nowMs - last >= s.intervalMs;
  });
}
