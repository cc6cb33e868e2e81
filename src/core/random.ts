// One seeded PRNG for everything random in the simulator, so a seed replays
// a scenario byte for byte. Math.random() is never used in sim paths.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

/** mulberry32: small, fast, good enough for simulation noise; not for secrets. */
export class SeededRandom implements Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** mean ± jitter, uniformly, never below zero. */
  jittered(mean: number, jitter: number): number {
    return Math.max(0, mean + (this.next() * 2 - 1) * jitter);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError("pick from an empty list");
    return item;
  }

  /** A derived, independent stream (e.g. one per region) from this one. */
  fork(): SeededRandom {
    return new SeededRandom(Math.floor(this.next() * 4_294_967_296));
  }
}
