// SPDX-License-Identifier: Apache-2.0
// The last `capacity` values kept both in arrival order (a ring) and sorted, so quantiles are O(1) to read. An
// insert or eviction is a binary search plus one block move of at most `capacity` doubles; with the capacity fixed
// (288 by default) that is constant work per sample, independent of the series length.

export class SortedWindow {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('SortedWindow capacity must be a positive integer');
    this.ring = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  /** Number of values held (at most `capacity`). */
  get size(): number {
    return this.count;
  }

  /** Adds a value, evicting the oldest one when full. */
  push(value: number): void {
    if (this.count === this.capacity) {
      const at = this.lowerBound(this.ring[this.head] as number);
      this.sorted.copyWithin(at, at + 1, this.count);
      this.count--;
    }
    const at = this.lowerBound(value);
    this.sorted.copyWithin(at + 1, at, this.count);
    this.sorted[at] = value;
    this.count++;
    this.ring[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
  }

  /** Quantile q in [0, 1] with linear interpolation between order statistics; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const pos = q * (this.count - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, this.count - 1);
    const a = this.sorted[lo] as number;
    return a + (pos - lo) * ((this.sorted[hi] as number) - a);
  }

  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
