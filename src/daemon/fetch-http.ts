// The production HTTP client for probes: fetch with an abort timeout.

import type { HttpClient } from "../probes/index.js";

export const fetchHttp: HttpClient = {
  async get(url, { timeoutMs }) {
    const started = performance.now();
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual", headers: { "user-agent": "failover-probe" } });
    const body = await res.text();
    return { status: res.status, body: body.slice(0, 64 * 1024), latencyMs: Math.round(performance.now() - started) };
  },
};
