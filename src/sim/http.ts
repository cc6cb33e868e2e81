// The apps' health endpoints as observers see them: region outages and
// partitions time out, gray failures answer 500 at their error rate, probe
// noise fails probes only (real clients are unaffected).

import type { Clock } from "../core/index.js";
import type { HttpClient, HttpResponse } from "../probes/index.js";
import { never, withoutStack, type Caller } from "./middleware.js";
import type { World } from "./world.js";

export function simHttp(world: World, caller: Caller, clock: Clock): HttpClient {
  return {
    async get(url, opts): Promise<HttpResponse> {
      if (!caller.alive()) return never();
      const target = world.apps.find((r) => url.includes(r));
      // Each answer is noted with when it was asked (world.healthProbes); a call that never completes is not.
      const sentAtMs = world.nowMs;
      const failed = (why: string): Error => {
        if (target) world.noteHealthProbe(opts.fromRegion, target, sentAtMs, false);
        return withoutStack(() => new Error(`GET ${url} from ${opts.fromRegion}: ${why}`));
      };
      const answered = (status: number, body: string, latencyMs: number): HttpResponse => {
        if (target) world.noteHealthProbe(opts.fromRegion, target, sentAtMs, status === 200);
        return { status, body, latencyMs };
      };
      const lat = world.scenario.world.api.latency;
      const latencyMs = Math.round(world.random.jittered(lat.mean, lat.jitter)) + (target ? world.faults.appLatencyMs(target) : 0);
      // A deep health check: the app answers only if it can reach its own database.
      if (!target || !world.appUp(target) || !world.aurora.up(target) || world.faults.partitioned(opts.fromRegion, target)) {
        await clock.sleep(opts.timeoutMs);
        if (!caller.alive()) return never();
        throw failed("timed out");
      }
      await clock.sleep(Math.min(latencyMs, opts.timeoutMs));
      if (!caller.alive()) return never();
      if (latencyMs >= opts.timeoutMs) throw failed("timed out");
      if (world.random.next() < world.faults.probeNoise(target)) throw failed("connection reset");
      // Deep, as for Aurora: the app's DynamoDB replica is a dependency of every request.
      if (!world.dynamo.up(target)) return answered(503, "dynamodb unavailable", latencyMs);
      if (world.random.next() < world.faults.appErrorRate(target)) return answered(500, "error", latencyMs);
      return answered(200, "ok", latencyMs);
    },
  };
}
