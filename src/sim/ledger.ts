// Every write the simulated clients had acknowledged, per region and per
// simulated second, so a loss window (fromMs, toMs] is counted in writes as
// well as in milliseconds. A second's writes are spread evenly over the
// second that ends at its tick, so a window shorter than a second still
// counts its share instead of rounding to zero.

export class WriteLedger {
  private readonly acked = new Map<string, number[]>();

  record(region: string, nowMs: number, count: number): void {
    if (count <= 0) return;
    let series = this.acked.get(region);
    if (!series) this.acked.set(region, (series = []));
    const s = Math.floor(nowMs / 1000);
    series[s] = (series[s] ?? 0) + count;
  }

  /** Writes `region` acknowledged in (fromMs, toMs]. */
  between(region: string, fromMs: number, toMs: number): number {
    const series = this.acked.get(region);
    if (!series || toMs <= fromMs) return 0;
    let total = 0;
    for (let s = Math.max(0, Math.floor(fromMs / 1000)); s <= Math.ceil(toMs / 1000) && s < series.length; s++) {
      const n = series[s];
      if (!n) continue;
      // The writes of tick s are spread over (s*1000 - 1000, s*1000].
      const overlapMs = Math.min(toMs, s * 1000) - Math.max(fromMs, s * 1000 - 1000);
      if (overlapMs > 0) total += (n * overlapMs) / 1000;
    }
    return total;
  }
}
