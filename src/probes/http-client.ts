// The HTTP port the http probe uses. Production wraps fetch with an abort
// timeout; the simulated world answers from the state of each region's app
// (outages, gray failures, partitions, probe noise).

export interface HttpResponse {
  status: number;
  body: string;
  latencyMs: number;
}

export interface HttpClient {
  /**
   * GET `url` as seen from `fromRegion` (the observer). Rejects on timeout,
   * connection failure or partition; a response with any status resolves.
   */
  get(url: string, opts: { timeoutMs: number; fromRegion: string }): Promise<HttpResponse>;
}
