// A latency histogram in whole microseconds, HDR-style: exact below 1024 µs, then 512 buckets per
// power of two (< 0.2 % error). Hundreds of thousands of samples per run cost a fixed ~70 KiB, two
// runs of the same server (ABBA order) merge by adding counts, and only the non-empty buckets
// cross the IPC channel.

const LINEAR = 1024;
const SUB = 512;
const SIZE = LINEAR + 40 * SUB;

export type SparseHistogram = Array<[index: number, count: number]>;

export class Histogram {
  readonly counts = new Uint32Array(SIZE);
  total = 0;

  record(us: number): void {
    const v = us < 0 ? 0 : Math.floor(us);
    this.counts[indexOf(v)]!++;
    this.total++;
  }

  merge(other: Histogram): this {
    for (let i = 0; i < SIZE; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    return this;
  }

  /** The value (µs) at quantile q (0..1): the middle of the bucket holding it. */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return middleOf(i);
    }
    return NaN;
  }

  toSparse(): SparseHistogram {
    const out: SparseHistogram = [];
    for (let i = 0; i < SIZE; i++) if (this.counts[i]! > 0) out.push([i, this.counts[i]!]);
    return out;
  }

  static fromSparse(sparse: SparseHistogram): Histogram {
    const h = new Histogram();
    for (const [i, n] of sparse) {
      h.counts[i] = n;
      h.total += n;
    }
    return h;
  }
}

function indexOf(v: number): number {
  if (v < LINEAR) return v;
  // v >> shift lands in [SUB, 2*SUB): shift = floor(log2 v) - 9.
  const shift = 31 - Math.clz32(v) - 9;
  const i = LINEAR + (shift - 1) * SUB + ((v >>> shift) - SUB);
  return Math.min(i, SIZE - 1);
}

function middleOf(i: number): number {
  if (i < LINEAR) return i;
  const shift = Math.floor((i - LINEAR) / SUB) + 1;
  const low = (SUB + ((i - LINEAR) % SUB)) * 2 ** shift;
  return low + (2 ** shift - 1) / 2;
}
