// SPDX-License-Identifier: Apache-2.0
// The predictive half of the detector, in the spirit of HTM's sequence memory and of contextOSE's value contexts:
// values are quantised into a few levels over the range seen so far, and the next level is predicted from the
// recent levels and from the hour of day. Predictions back off from the most specific context to the least with
// Witten-Bell interpolation (the weight of a context is total / (total + distinct successors)), the PPM-style rule
// that needs no tuning: uniform → order 0 → order 1 … order L (recent levels) → hour of day.
// The raw anomaly score is 1 − P(observed level), where an adjacent level earns half credit, so a value near a bin
// edge is not a surprise.
import { DAY_MS } from '../../domain/time.ts';

export interface ContextModelOptions {
  /** Number of levels the value range is cut into (contextOSE uses 3 bits: 8). */
  readonly levels: number;
  /** Longest context of recent levels. */
  readonly order: number;
  /** Time-of-day buckets (24: hourly). */
  readonly hourBuckets: number;
  /** A context's counts are halved when its total reaches this, so the model keeps adapting on endless streams. */
  readonly countCap: number;
}

/** Counts per context: `levels` successor counts, then the total, then the number of distinct successors. */
class CountTable {
  readonly counts: Float64Array;
  constructor(
    private readonly levels: number,
    contexts: number,
    private readonly cap: number,
  ) {
    this.counts = new Float64Array(contexts * (levels + 2));
  }

  /** Witten-Bell interpolation of this context's estimate with the lower-order estimate `lower`. */
  interpolate(context: number, level: number, lower: number): number {
    const base = context * (this.levels + 2);
    const total = this.counts[base + this.levels] as number;
    if (total === 0) return lower;
    const distinct = this.counts[base + this.levels + 1] as number;
    const weight = total / (total + distinct);
    return weight * ((this.counts[base + level] as number) / total) + (1 - weight) * lower;
  }

  add(context: number, level: number): void {
    const base = context * (this.levels + 2);
    const c = this.counts;
    if (c[base + level] === 0) c[base + this.levels + 1] = (c[base + this.levels + 1] as number) + 1;
    c[base + level] = (c[base + level] as number) + 1;
    const total = (c[base + this.levels] as number) + 1;
    c[base + this.levels] = total;
    if (total >= this.cap) {
      for (let i = 0; i <= this.levels; i++) c[base + i] = (c[base + i] as number) / 2;
    }
  }
}

export class ContextModel {
  private readonly orders: CountTable[] = [];
  private readonly hours: CountTable;
  private readonly modulus: number;
  /** The last `order` levels packed in base `levels`, most recent in the lowest digit. */
  private context = 0;
  private seen = 0;

  constructor(private readonly options: ContextModelOptions) {
    const { levels, order, hourBuckets, countCap } = options;
    for (let o = 0; o <= order; o++) this.orders.push(new CountTable(levels, levels ** o, countCap));
    this.hours = new CountTable(levels, hourBuckets, countCap);
    this.modulus = levels ** order;
  }

  /** The level of `value` in [low, high]; 0 when the range is empty. */
  levelOf(value: number, low: number, high: number): number {
    if (!(high > low)) return 0;
    const level = Math.floor(((value - low) / (high - low)) * this.options.levels);
    return Math.min(this.options.levels - 1, Math.max(0, level));
  }

  /** Raw anomaly score of `level` at `timestampMs` (NaN: no time-of-day context), then learns it. */
  observe(level: number, timestampMs: number): number {
    const hour = this.hourOf(timestampMs);
    let p = this.probability(level, hour);
    if (level > 0) p += 0.5 * this.probability(level - 1, hour);
    if (level < this.options.levels - 1) p += 0.5 * this.probability(level + 1, hour);
    this.learn(level, hour);
    return 1 - Math.min(1, p);
  }

  private hourOf(timestampMs: number): number {
    if (!Number.isFinite(timestampMs)) return -1;
    const msOfDay = ((timestampMs % DAY_MS) + DAY_MS) % DAY_MS;
    return Math.floor((msOfDay / DAY_MS) * this.options.hourBuckets);
  }

  private probability(level: number, hour: number): number {
    let p = 1 / this.options.levels;
    const usable = Math.min(this.options.order, this.seen);
    let divisor = 1;
    for (let o = 0; o <= usable; o++) {
      p = (this.orders[o] as CountTable).interpolate(this.context % divisor, level, p);
      divisor *= this.options.levels;
    }
    return hour >= 0 ? this.hours.interpolate(hour, level, p) : p;
  }

  private learn(level: number, hour: number): void {
    const usable = Math.min(this.options.order, this.seen);
    let divisor = 1;
    for (let o = 0; o <= usable; o++) {
      (this.orders[o] as CountTable).add(this.context % divisor, level);
      divisor *= this.options.levels;
    }
    if (hour >= 0) this.hours.add(hour, level);
    this.context = (this.context * this.options.levels + level) % this.modulus;
    this.seen++;
  }
}
