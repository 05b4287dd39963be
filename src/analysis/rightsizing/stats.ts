// SPDX-License-Identifier: Apache-2.0
// Small statistics over usage samples shared by the strategies: cleaning, quantiles, weighted quantiles.
import type { Sample } from '../../domain/series.ts';
import { lowerBound } from '../../domain/sorted.ts';

/** Finite samples inside `[fromMs, toMs]`, in time order. */
export function clean(samples: readonly Sample[], fromMs: number, toMs: number): Sample[] {
  return samples.filter((s) => Number.isFinite(s.value) && Number.isFinite(s.tsMs) && s.tsMs >= fromMs && s.tsMs <= toMs);
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

export function quantile(values: readonly number[], q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q);
}

export function maxOf(values: readonly number[]): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > m) m = v;
  return values.length === 0 ? Number.NaN : m;
}

/**
 * Positions of `values` in ascending order of value, ties in position order: what a stable comparator sort of the
 * positions gives, but from a typed-array sort of the values (no comparator call per comparison) and one binary
 * search per value, each tie group filled in position order. With a NaN (no order) it falls back to that sort.
 */
export function ascendingOrder(values: ArrayLike<number>): Int32Array {
  const n = values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const sorted = Float64Array.from(values).sort();
  if (n > 0 && Number.isNaN(sorted[n - 1])) return order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const placed = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const first = lowerBound(sorted, values[i] as number);
    const k = placed[first] as number;
    order[first + k] = i;
    placed[first] = k + 1;
  }
  return order;
}

/** Quantiles of values with weights: for each q, the smallest value whose cumulative weight reaches q of the total. */
export function weightedQuantiles(values: ArrayLike<number>, weights: ArrayLike<number>, qs: readonly number[]): number[] {
  const idx = ascendingOrder(values);
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i] as number;
  if (idx.length === 0 || total <= 0) return qs.map(() => Number.NaN);
  const out: number[] = [];
  let acc = 0;
  let j = 0;
  for (const q of qs) {
    while (j < idx.length - 1 && acc + (weights[idx[j] as number] as number) < q * total) acc += weights[idx[j++] as number] as number;
    out.push(values[idx[j] as number] as number);
  }
  return out;
}

/** One weighted quantile; see {@link weightedQuantiles} (whose `qs` must ascend). */
export function weightedQuantile(values: ArrayLike<number>, weights: ArrayLike<number>, q: number): number {
  return weightedQuantiles(values, weights, [q])[0] as number;
}

/** Median spacing of sample times in ms (60 s when fewer than two samples). */
export function medianStepMs(samples: readonly Sample[]): number {
  if (samples.length < 2) return 60_000;
  const gaps: number[] = [];
  for (let i = 1; i < samples.length; i++) gaps.push((samples[i] as Sample).tsMs - (samples[i - 1] as Sample).tsMs);
  return Math.max(1, quantile(gaps, 0.5));
}
