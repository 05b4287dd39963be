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
  const x = Float64Array.from(s.x);
  const y = Float64Array.from(s.y);
  const m = stride === 1 ? allSlopes(x, y, slopes) : strideSlopes({ x, y }, slopes, stride);
  return medianSelect(slopes.subarray(0, m));
}

/** Every pair's slope into `out`, in the order i < j; the count written. The hot loop of a leak pass. */
function allSlopes(x: Float64Array, y: Float64Array, out: Float64Array): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    for (let j = i + 1; j < n; j++) {
      const dx = (x[j] as number) - xi;
      if (dx !== 0) out[m++] = ((y[j] as number) - yi) / dx;
    }
  }
  return m;
}

/** Every `stride`-th pair's slope (pairs numbered in the order i < j), for series with too many pairs. */
function strideSlopes(s: { x: Float64Array; y: Float64Array }, out: Float64Array, stride: number): number {
  const { x, y } = s;
  const n = x.length;
  let m = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      if (k % stride !== 0) continue;
      const dx = (x[j] as number) - (x[i] as number);
      if (dx !== 0) out[m++] = ((y[j] as number) - (y[i] as number)) / dx;
    }
  }
  return m;
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

/** Merges the sorted runs of `width` of `src` pairwise into `dst`; the pairs i < j with src[i] > src[j] across runs. */
function mergeRuns(src: Float64Array, dst: Float64Array, width: number): number {
  const n = src.length;
  let inversions = 0;
  for (let lo = 0; lo < n; lo += 2 * width) {
    const mid = Math.min(lo + width, n);
    const hi = Math.min(lo + 2 * width, n);
    let i = lo;
    let j = mid;
    let k = lo;
    // Equal values take the left one first, so that a tie is never counted.
    while (i < mid && j < hi) {
      if ((src[j] as number) < (src[i] as number)) {
        inversions += mid - i;
        dst[k++] = src[j++] as number;
      } else dst[k++] = src[i++] as number;
    }
    while (i < mid) dst[k++] = src[i++] as number;
    while (j < hi) dst[k++] = src[j++] as number;
  }
  return inversions;
}

/** Pairs i < j with a[i] > a[j], counted by a bottom-up merge sort (reorders `a`). */
function strictInversions(a: Float64Array): number {
  let src: Float64Array = a;
  let dst: Float64Array = new Float64Array(a.length);
  let inversions = 0;
  for (let width = 1; width < a.length; width *= 2) {
    inversions += mergeRuns(src, dst, width);
    [src, dst] = [dst, src];
  }
  return inversions;
}

/** S = Σ sign(yj − yi) over i < j, pair by pair: the reference, and the way for series with NaN. */
function pairwiseS(y: Float64Array): number {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const yi = y[i] as number;
    for (let j = i + 1; j < n; j++) {
      const d = (y[j] as number) - yi;
      if (d > 0) s++;
      else if (d < 0) s--;
    }
  }
  return s;
}

/**
 * Mann–Kendall S and its variance under independence, with the correction for tied values. S is counted in
 * O(n log n) (Knight's method): rising pairs are all pairs minus the falling (inverted) and the tied ones.
 */
function mannKendallS(values: ArrayLike<number>): { s: number; variance: number } {
  const y = Float64Array.from(values);
  const n = y.length;
  const counts = new Map<number, number>();
  let hasNaN = false;
  for (let i = 0; i < n; i++) {
    const v = y[i] as number;
    if (v !== v) hasNaN = true;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let ties = 0;
  let tiedPairs = 0;
  for (const t of counts.values()) {
    if (t > 1) ties += t * (t - 1) * (2 * t + 5);
    tiedPairs += (t * (t - 1)) / 2;
  }
  let s: number;
  if (hasNaN) s = pairwiseS(y);
  else {
    const falling = strictInversions(y);
    s = (n * (n - 1)) / 2 - tiedPairs - falling - falling;
  }
  return { s, variance: (n * (n - 1) * (2 * n + 5) - ties) / 18 };
}

/** Continuity-corrected z of S under a variance. */
function zOf(stat: number, v: number): number {
  if (v <= 0) return 0;
  if (stat > 0) return (stat - 1) / Math.sqrt(v);
  return stat < 0 ? (stat + 1) / Math.sqrt(v) : 0;
}

/**
 * One-sided p-value of an increasing trend by the plain Mann–Kendall test (no autocorrelation correction). The
 * Hamed–Rao correction only inflates the variance, so this is a lower bound of {@link mannKendallHamedRao}'s
 * p-value: a series not significant here is not significant there, and costs no Theil–Sen slope.
 */
export function mannKendallP(y: ArrayLike<number>): number {
  const { s, variance } = mannKendallS(y);
  return normalTail(zOf(s, variance));
}

/**
 * Autocorrelations of a series at lags 1..maxLag (biased estimator, as in the Hamed–Rao paper). The mean and the
 * denominator do not depend on the lag, so they are computed once.
 */
function autocorrelations(v: readonly number[], maxLag: number): Float64Array {
  const n = v.length;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const d = new Float64Array(n);
  let den = 0;
  for (let i = 0; i < n; i++) {
    d[i] = (v[i] as number) - mean;
    den += (d[i] as number) ** 2;
  }
  const out = new Float64Array(maxLag + 1);
  if (den === 0) return out;
  for (let lag = 1; lag <= maxLag; lag++) {
    let num = 0;
    for (let i = 0; i + lag < n; i++) num += (d[i] as number) * (d[i + lag] as number);
    out[lag] = num / den;
  }
  return out;
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
  const rhos = autocorrelations(r, maxLag);
  let sum = 0;
  for (let k = 1; k <= maxLag; k++) {
    const rho = rhos[k] as number;
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
  const z = zOf(stat, variance * factor);
  return { slope, s: stat, z, pIncreasing: normalTail(z), varianceFactor: factor };
}
