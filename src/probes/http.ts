// HTTP probe: each app region's endpoint, seen from this observer. Status,
// latency and an optional body match; a timeout or refused connection is a
// failed observation. A failure is confirmed by up to CONFIRM_ATTEMPTS tries
// in the same round: a lossy path between one observer and a region must not
// look like a dead region (the quorum guards across observers, this guards
// within one).

import { forRegionTemplate } from "./template.js";
import { TIMED_OUT, errorDetail, withTimeout, type ProbeContext, type ProbeSpec } from "./types.js";
import type { Observation } from "../core/index.js";

export const CONFIRM_ATTEMPTS = 3;

export async function probeHttp(spec: Extract<ProbeSpec, { kind: "http" }>, ctx: ProbeContext): Promise<Observation[]> {
  return Promise.all(
    ctx.targets.map(async (target): Promise<Observation> => {
      let last: Observation | undefined;
      for (let attempt = 0; attempt < CONFIRM_ATTEMPTS; attempt++) {
        last = await probeOnce(spec, ctx, target);
        if (last.ok) return last;
      }
      return last!;
    }),
  );
}

async function probeOnce(spec: Extract<ProbeSpec, { kind: "http" }>, ctx: ProbeContext, target: string): Promise<Observation> {
  const base = { probe: spec.name, kind: "http" as const, observer: ctx.observer, target };
  const startedMs = ctx.clock.now();
  const url = forRegionTemplate(spec.url, target);
  try {
    const res = await withTimeout(ctx.clock, spec.timeoutMs, ctx.http.get(url, { timeoutMs: spec.timeoutMs, fromRegion: ctx.observer }));
    const atMs = ctx.clock.now();
    if (res === TIMED_OUT) return { ...base, atMs, ok: false, latencyMs: atMs - startedMs, detail: `timeout after ${spec.timeoutMs}ms` };
    const problems: string[] = [];
    if (res.status !== spec.expectStatus) problems.push(`status ${res.status}, expected ${spec.expectStatus}`);
    if (spec.bodyMatch !== undefined && !res.body.includes(spec.bodyMatch)) problems.push("body does not match");
    if (spec.maxLatencyMs !== undefined && res.latencyMs > spec.maxLatencyMs) problems.push(`latency ${res.latencyMs}ms over ${spec.maxLatencyMs}ms`);
    return { ...base, atMs, ok: problems.length === 0, latencyMs: res.latencyMs, ...(problems.length > 0 && { detail: problems.join("; ") }) };
  } catch (err) {
    return { ...base, atMs: ctx.clock.now(), ok: false, detail: errorDetail(err) };
  }
}
