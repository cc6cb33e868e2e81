// The app's HTTP endpoints as observers see them (the http probe's
// HttpClient port). `https://<region>.<record>/health` is region <region>'s
// app. What a request meets, decided when it is sent:
//   - a partition between observer and target, a dark region or a down app:
//     nothing answers, the request fails at its timeout;
//   - probe-noise on the target: probe traffic fails at that rate (503)
//     while real client traffic is fine;
//   - app-degraded: that share of requests answer 500, each one slower by
//     the fault's latency;
//   - otherwise 200 after the world's API latency.

import type { Region } from "../core/index.js";
import type { HttpClient, HttpResponse } from "../probes/http-client.js";
import { jitter } from "./world/core.js";
import type { World } from "./world/world.js";

export class HttpRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = code === "ETIMEDOUT" ? "TimeoutError" : "FetchError";
  }
}

export function simHttpClient(world: World, alive: () => boolean = () => true): HttpClient {
  const core = world.core;
  return {
    get(url: string, opts: { timeoutMs: number; fromRegion: string }): Promise<HttpResponse> {
      return new Promise((resolve, reject) => {
        if (!alive()) return;
        let host: string;
        try {
          host = new URL(url).hostname;
        } catch {
          reject(new HttpRequestError(`invalid URL ${url}`, "ERR_INVALID_URL"));
          return;
        }
        const target: Region | undefined = world.route53.regionOfHost(host);
        const latencyMs = jitter(core, core.settings.api.latency);
        const settle = (delayMs: number, fn: () => void) => core.sched.after(delayMs, () => (alive() ? fn() : undefined), true);
        if (target === undefined) {
          settle(latencyMs, () => reject(new HttpRequestError(`getaddrinfo ENOTFOUND ${host}`, "ENOTFOUND")));
          return;
        }
        const unreachable = core.partitioned(opts.fromRegion, target) || core.regionDark(target) || core.outage(target, "app");
        const totalMs = latencyMs + core.appExtraLatencyMs(target);
        if (unreachable || totalMs >= opts.timeoutMs) {
          settle(opts.timeoutMs, () => reject(new HttpRequestError(`GET ${url} timed out after ${opts.timeoutMs}ms`, "ETIMEDOUT")));
          return;
        }
        const noise = core.probeNoise(target);
        const errorRate = core.appErrorRate(target);
        let status = 200;
        let body = '{"status":"ok"}';
        if (noise > 0 && core.random.chance(noise)) {
          status = 503;
          body = "probe noise";
        } else if (errorRate > 0 && core.random.chance(errorRate)) {
          status = 500;
          body = "internal error";
        }
        settle(totalMs, () => resolve({ status, body, latencyMs: totalMs }));
      });
    },
  };
}
