// SPDX-License-Identifier: Apache-2.0
// Robust trend statistics for evenly resampled series: the Theil–Sen slope (median of pairwise slopes, insensitive
// to outliers and to the spikes of garbage collectors) and the Mann–Kendall trend test with the Hamed & Rao (1998)
// variance correction. Minute-level memory series are strongly autocorrelated; the plain Mann–Kendall test assumes
// independent points and then calls almost any wander a significant trend. Hamed–Rao inflates the variance of S by
// the effective sample size computed from the significant autocorrelations of the ranks of the detrended series.
import { normalTail } from './normal-tail.ts';

/** Points of a series; `x` ascending (e.g. hours), `y` values, same length. */
export interface XY {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/** Moves the k-th smallest value to index k, smaller ones before it and larger ones after it (Hoare's select). */
function selectKth(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i++] = a[j] as number;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Median of many values in linear time (reorders them): the Theil–Sen slope's median runs once per container. */
function medianSelect(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  selectKth(values, mid);
  const upper = values[mid] as number;
  if (n % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if ((values[i] as number) > lower) lower = values[i] as number;
  return (lower + upper) / 2;
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

/** Pairs beyond which the slope is estimated from a deterministic stride sample of pairs (bounded cost). */
const MAX_PAIRS = 250_000;

/** Theil–Sen slope: the median of (yj − yi) / (xj − xi) over pairs i < j with distinct x. NaN below 2 points. */
export function theilSenSlope(s: XY): number {
  const n = s.x.length;
  const total = (n * (n - 1)) / 2;
  const stride = total > MAX_PAIRS ? Math.ceil(total / MAX_PAIRS) : 1;
  // Typed storage: a leak pass over a large cluster computes this for every container (41,000 pairs for a day of
  // 5-minute points), and a plain array of boxed numbers with a comparator sort dominated the pass.
  const slopes = new Float64Array(Math.ceil(total / stride));
  let m = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      if (k % stride !== 0) continue;
      const dx = (s.x[j] as number) - (s.x[i] as number);
      if (dx !== 0) slopes[m++] = ((s.y[j] as number) - (s.y[i] as number)) / dx;
    }
  }
  return medianSelect(slopes.subarray(0, m));
}

/** Intercept matching a slope: median of y − slope·x. */
export function theilSenIntercept(s: XY, slope: number): number {
  const r: number[] = [];
  for (let i = 0; i < s.x.length; i++) r.push((s.y[i] as number) - slope * (s.x[i] as number));
  return median(r);
}

/** Ranks 1..n with ties given their average rank. */
export function ranks(values: ArrayLike<number>): number[] {
  const idx = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const out = new Array<number>(values.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && values[idx[j + 1] as number] === values[idx[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[idx[k] as number] = rank;
    i = j + 1;
  }
  return out;
}

function sign(v: number): number {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** Mann–Kendall S and its variance under independence, with the correction for tied values. */
function mannKendallS(y: ArrayLike<number>): { s: number; variance: number } {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) s += sign((y[j] as number) - (y[i] as number));
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(y[i] as number, (counts.get(y[i] as number) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) if (t > 1) ties += t * (t - 1) * (2 * t + 5);
  return { s, variance: (n * (n - 1) * (2 * n + 5) - ties) / 18 };
}

/** Autocorrelation of a series at a lag (biased estimator, as in the Hamed–Rao paper). */
function autocorrelation(v: readonly number[], lag: number): number {
  const n = v.length;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = v[i] as number;
    den += (d - mean) ** 2;
    if (i + lag < n) num += (d - mean) * ((v[i + lag] as number) - mean);
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Hamed–Rao variance inflation n/n*: from the autocorrelations of the ranks of the series detrended with its
 * Theil–Sen slope, keeping only lags whose autocorrelation is significant at 5 % (two-sided, ±1.96/√n).
 */
export function hamedRaoFactor(s: XY, slope: number): number {
  const n = s.x.length;
  const detrended: number[] = [];
  for (let i = 0; i < n; i++) detrended.push((s.y[i] as number) - slope * (s.x[i] as number));
  const r = ranks(detrended);
  const bound = 1.96 / Math.sqrt(n);
  const maxLag = Math.min(n - 1, Math.max(1, Math.floor(n / 3)));
  let sum = 0;
  for (let k = 1; k <= maxLag; k++) {
    const rho = autocorrelation(r, k);
    if (Math.abs(rho) > bound) sum += (n - k) * (n - k - 1) * (n - k - 2) * rho;
  }
  const factor = 1 + (2 / (n * (n - 1) * (n - 2))) * sum;
  // A negative or tiny factor comes from sampling noise in short series; never let the correction shrink the variance.
  return Math.max(1, factor);
}

/** Result of the corrected Mann–Kendall test. */
export interface TrendTest {
  /** Theil–Sen slope in y units per x unit. */
  readonly slope: number;
  readonly s: number;
  /** Continuity-corrected z with the Hamed–Rao variance. */
  readonly z: number;
  /** One-sided p-value for an increasing trend. */
  readonly pIncreasing: number;
  /** The variance inflation factor n/n* applied (1 = no autocorrelation found). */
  readonly varianceFactor: number;
}

/** Mann–Kendall test of a monotone trend, corrected for autocorrelation (Hamed–Rao). Needs at least 4 points. */
export function mannKendallHamedRao(s: XY): TrendTest | undefined {
  const n = s.x.length;
  if (n < 4 || s.y.length !== n) return undefined;
  const slope = theilSenSlope(s);
  const { s: stat, variance } = mannKendallS(s.y);
  const factor = hamedRaoFactor(s, slope);
  const v = variance * factor;
  const z = v <= 0 ? 0 : stat > 0 ? (stat - 1) / Math.sqrt(v) : stat < 0 ? (stat + 1) / Math.sqrt(v) : 0;
  return { slope, s: stat, z, pIncreasing: normalTail(z), varianceFactor: factor };
}
