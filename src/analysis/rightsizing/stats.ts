// SPDX-License-Identifier: Apache-2.0
// Small statistics over usage series shared by the strategies: cleaning, quantiles, weighted quantiles. Series are
// columns (`Float64Array`s): the analysis pass sizes thousands of containers of hundreds of points each, and an
// object per point (and a copy of it per step) was most of its time and garbage.
import type { Sample, SeriesColumn } from '../../domain/series.ts';
import { ascendingOrder, float64 } from './order.ts';
import type { UsageSeries } from './types.ts';

export { ascendingOrder };

/** Samples as columns. */
function toColumn(samples: readonly Sample[]): SeriesColumn {
  const n = samples.length;
  const timestampsMs = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = samples[i] as Sample;
    timestampsMs[i] = s.tsMs;
    values[i] = s.value;
  }
  return { timestampsMs, values };
}

/** Whether point i of a column is kept by {@link clean}. */
function kept(c: SeriesColumn, i: number, window: { fromMs: number; toMs: number }): boolean {
  const ts = c.timestampsMs[i] as number;
  return Number.isFinite(c.values[i] as number) && Number.isFinite(ts) && ts >= window.fromMs && ts <= window.toMs;
}

/**
 * Finite samples inside `[fromMs, toMs]`, in time order. When the kept points are one run (the usual case: at most
 * a point before the window's start is dropped) the answer views the input's arrays instead of copying them.
 */
export function clean(series: UsageSeries, fromMs: number, toMs: number): SeriesColumn {
  const c = 'timestampsMs' in series ? series : toColumn(series);
  const window = { fromMs, toMs };
  const n = c.values.length;
  let count = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (!kept(c, i, window)) continue;
    count++;
    if (first < 0) first = i;
    last = i;
  }
  if (count === n) return c;
  if (count === last - first + 1) return { timestampsMs: c.timestampsMs.subarray(first, last + 1), values: c.values.subarray(first, last + 1) };
  const out = { timestampsMs: new Float64Array(count), values: new Float64Array(count) };
  for (let i = first, j = 0; i <= last; i++) {
    if (!kept(c, i, window)) continue;
    out.timestampsMs[j] = c.timestampsMs[i] as number;
    out.values[j++] = c.values[i] as number;
  }
  return out;
}

/** Linear-interpolated quantile of ascending values; NaN for none. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (pos - lo);
}

export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q);
}

export function maxOf(values: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > m) m = values[i] as number;
  return values.length === 0 ? Number.NaN : m;
}


/** Values with a weight each and their {@link ascendingOrder}. */
export interface Ordered {
  readonly values: Float64Array;
  readonly weights: Float64Array;
  readonly order: Int32Array;
}

/** {@link weightedQuantiles} of values already ordered, for a caller that reuses the order. */
export function orderedQuantiles(o: Ordered, qs: readonly number[]): number[] {
  const { values: v, weights: w, order: idx } = o;
  let total = 0;
  for (let i = 0; i < w.length; i++) total += w[i] as number;
  if (idx.length === 0 || total <= 0) return qs.map(() => Number.NaN);
  const out: number[] = [];
  let acc = 0;
  let j = 0;
  for (const q of qs) {
    while (j < idx.length - 1 && acc + (w[idx[j] as number] as number) < q * total) acc += w[idx[j++] as number] as number;
    out.push(v[idx[j] as number] as number);
  }
  return out;
}

/** Each group's weighted total, summed in position order as {@link orderedQuantiles} sums it. */
function groupTotals(w: Float64Array, group: Int32Array, groups: number): Float64Array {
  const total = new Float64Array(groups);
  for (let i = 0; i < w.length; i++) {
    const g = group[i] as number;
    total[g] = (total[g] as number) + (w[i] as number);
  }
  return total;
}

/**
 * The weighted q-quantile of each group of consecutive positions (`sizes` long each; NaN for an empty group), equal
 * to {@link weightedQuantiles} of each group alone but from the whole's one order: a group's positions come in
 * that order in their own ascending order, so one pass walks every group's cumulative weight at once.
 */
export function groupQuantiles(o: Ordered, sizes: readonly number[], q: number): Float64Array {
  const group = new Int32Array(o.values.length);
  let at = 0;
  sizes.forEach((n, g) => group.fill(g, at, (at += n)));
  const total = groupTotals(o.weights, group, sizes.length);
  const out = new Float64Array(sizes.length).fill(Number.NaN);
  const acc = new Float64Array(sizes.length);
  const passed = new Int32Array(sizes.length);
  // A group is done once it has an answer, or has none to give (no points, no weight).
  const done = Uint8Array.from(sizes, (n, g) => (n === 0 || (total[g] as number) <= 0 ? 1 : 0));
  for (const i of o.order) {
    const g = group[i] as number;
    if (done[g] === 1) continue;
    const w = o.weights[i] as number;
    if ((passed[g] as number) < (sizes[g] as number) - 1 && (acc[g] as number) + w < q * (total[g] as number)) {
      acc[g] = (acc[g] as number) + w;
      passed[g] = (passed[g] as number) + 1;
    } else {
      out[g] = o.values[i] as number;
      done[g] = 1;
    }
  }
  return out;
}

/** Quantiles of values with weights: for each q, the smallest value whose cumulative weight reaches q of the total. */
export function weightedQuantiles(values: ArrayLike<number>, weights: ArrayLike<number>, qs: readonly number[]): number[] {
  const v = float64(values);
  return orderedQuantiles({ values: v, weights: float64(weights), order: ascendingOrder(v) }, qs);
}

/** One weighted quantile; see {@link weightedQuantiles} (whose `qs` must ascend). */
export function weightedQuantile(values: ArrayLike<number>, weights: ArrayLike<number>, q: number): number {
  return weightedQuantiles(values, weights, [q])[0] as number;
}

/** Median spacing of ascending sample times in ms (60 s when fewer than two). */
export function medianStepMs(timestampsMs: ArrayLike<number>): number {
  const n = timestampsMs.length;
  if (n < 2) return 60_000;
  const gaps = new Float64Array(n - 1);
  let uniform = true;
  for (let i = 1; i < n; i++) {
    gaps[i - 1] = (timestampsMs[i] as number) - (timestampsMs[i - 1] as number);
    uniform &&= gaps[i - 1] === gaps[0];
  }
  // Evenly spaced times (the common case) need no sort: the median of equal gaps is that gap.
  if (uniform && Number.isFinite(gaps[0])) return Math.max(1, gaps[0] as number);
  return Math.max(1, quantileSorted(gaps.sort(), 0.5));
}
