/**
 * A fixed-capacity ring of time buckets holding one mean each, so a chart's history costs the
 * same memory on day 1 and day 1000 (4 bytes a bucket: 1440 minute buckets are under 6 KB).
 *
 * Buckets are numbered (bucket n covers [n * width, (n + 1) * width) of some time axis the
 * caller owns); the ring keeps the `capacity` newest, ending at `newest`. It only ever adds to
 * its newest bucket or moves forward: a sample for an older bucket is refused, because blending
 * it into a bucket that is already closed (or that belongs to another timeline after a clock
 * jump) would corrupt a mean nobody can undo. What to do about such a sample is the caller's call.
 */
export class Ring {
  /** Means, NaN = no data; Float32 because 7 significant digits are plenty for a chart. */
  private readonly means: Float32Array;
  private newestBucket: number | undefined;
  /** Samples in the newest bucket: the only one that can still grow, so the only count we need. */
  private newestCount = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.means = new Float32Array(capacity).fill(Number.NaN);
  }

  /** The newest bucket number written, undefined while empty. */
  get newest(): number | undefined {
    return this.newestBucket;
  }

  /** How many samples the newest bucket's mean is made of (kept across restarts to weigh new ones fairly). */
  get count(): number {
    return this.newestCount;
  }

  /** Adds a sample to `bucket`; false (and nothing changes) when that bucket is older than the newest. */
  add(bucket: number, value: number): boolean {
    if (!Number.isSafeInteger(bucket) || !Number.isFinite(value)) return false;
    if (this.newestBucket !== undefined && bucket < this.newestBucket) return false;
    if (this.newestBucket === undefined || bucket > this.newestBucket) this.advanceTo(bucket);
    const slot = this.slot(bucket);
    const n = this.newestCount;
    const mean = this.means[slot] as number;
    // A running mean: a sum would need 8 bytes a bucket and grows without bound.
    this.means[slot] = n === 0 || Number.isNaN(mean) ? value : mean + (value - mean) / (n + 1);
    this.newestCount = n + 1;
    return true;
  }

  /** The mean of `bucket`, null when it holds no data or has left the ring. */
  get(bucket: number): number | null {
    const newest = this.newestBucket;
    if (newest === undefined || bucket > newest || bucket <= newest - this.capacity) return null;
    const mean = this.means[this.slot(bucket)] as number;
    return Number.isNaN(mean) ? null : mean;
  }

  /** `capacity` means for the buckets ending at `endBucket`, oldest first, null for gaps. */
  window(endBucket: number): Array<number | null> {
    const out: Array<number | null> = new Array(this.capacity);
    const first = endBucket - this.capacity + 1;
    for (let i = 0; i < this.capacity; i++) out[i] = this.get(first + i);
    return out;
  }

  /** True when any bucket still in the ring holds data. */
  hasData(): boolean {
    if (this.newestBucket === undefined) return false;
    for (const m of this.means) if (!Number.isNaN(m)) return true;
    return false;
  }

  clear(): void {
    this.means.fill(Number.NaN);
    this.newestBucket = undefined;
    this.newestCount = 0;
  }

  /**
   * Replaces the content (a saved ring coming back): `means` are the buckets ending at `newest`,
   * oldest first; the ones that do not fit are the oldest and are dropped.
   */
  restore(newest: number, means: ReadonlyArray<number | null>, count: number): void {
    this.clear();
    const keep = means.slice(Math.max(0, means.length - this.capacity));
    const first = newest - keep.length + 1;
    this.newestBucket = newest;
    keep.forEach((m, i) => {
      if (m !== null && Number.isFinite(m)) this.means[this.slot(first + i)] = m;
    });
    this.newestCount = this.get(newest) === null ? 0 : Math.max(1, Math.floor(count));
  }

  /** Clears the buckets between the newest and `bucket` (they saw no sample: gaps), then makes it the newest. */
  private advanceTo(bucket: number): void {
    const newest = this.newestBucket;
    if (newest === undefined || bucket - newest >= this.capacity) {
      // A jump past the whole ring (days offline, a clock set forward) costs one fill, not one step a bucket.
      this.means.fill(Number.NaN);
    } else {
      for (let b = newest + 1; b <= bucket; b++) this.means[this.slot(b)] = Number.NaN;
    }
    this.newestBucket = bucket;
    this.newestCount = 0;
  }

  private slot(bucket: number): number {
    // Bucket numbers may be negative (a clock before 1970): keep the slot in [0, capacity).
    return ((bucket % this.capacity) + this.capacity) % this.capacity;
  }
}
