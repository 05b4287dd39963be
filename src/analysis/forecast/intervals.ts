// SPDX-License-Identifier: Apache-2.0
// Prediction intervals from the empirical distribution of the model's own h-step errors. No normality is assumed:
// usage errors are skewed (bursts go up, not down) and heavy-tailed. Quantiles are read at a few checkpoint
// horizons and interpolated between them. Beyond the last checkpoint with enough errors they widen as the spread was
// seen to grow between the last two trusted checkpoints, h^κ with κ clamped to [0, ½]: a mean-reverting series whose
// errors have stopped growing is not widened, and nothing widens faster than a random walk's √h.

/** Error quantiles probed, in the order of {@link Band}: 95 % and 80 % central intervals. */
export const PROBS = [0.025, 0.1, 0.9, 0.975] as const;

/** Fewest errors from which a checkpoint's quantiles are trusted. */
export const MIN_ERRORS = 30;

/**
 * Fewest non-overlapping horizon-long windows the errors of a checkpoint must span. Errors h slots ahead from
 * neighbouring origins share most of their path, so n errors hold about n ÷ h independent outcomes; a week-ahead band
 * read off ten days of errors would stand on one or two weeks of luck. Below this the band comes from a shorter
 * checkpoint, widened as described above.
 */
export const MIN_WINDOWS = 4;

/** Offsets added to the point forecast: [lower95, lower80, upper80, upper95]. */
export type Band = readonly [number, number, number, number];

function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/**
 * The band of one error sample. A typed array sorts numerically without a comparator, about ten times faster than
 * an array of numbers with one: a pass builds a band table for each of tens of thousands of forecasts.
 */
export function bandOf(errors: ArrayLike<number>): Band {
  const sorted = Float64Array.from(errors).sort();
  return [quantileSorted(sorted, PROBS[0]), quantileSorted(sorted, PROBS[1]), quantileSorted(sorted, PROBS[2]), quantileSorted(sorted, PROBS[3])];
}

/** Bands per checkpoint horizon, from the checkpoints with enough errors. */
export interface BandTable {
  readonly horizons: readonly number[];
  readonly bands: readonly Band[];
  /** Errors behind each band. */
  readonly counts: readonly number[];
}

/** The entries of an aligned error array that are not NaN, in a new array. */
export function present(errors: Float64Array | undefined): Float64Array {
  if (errors === undefined) return new Float64Array(0);
  let n = 0;
  for (let i = 0; i < errors.length; i++) if (!Number.isNaN(errors[i] as number)) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i] as number;
    if (!Number.isNaN(e)) out[k++] = e;
  }
  return out;
}

export function bandTable(checkpoints: readonly number[], errors: readonly Float64Array[]): BandTable {
  const horizons: number[] = [];
  const bands: Band[] = [];
  const counts: number[] = [];
  checkpoints.forEach((h, i) => {
    const e = present(errors[i]);
    if (e.length < Math.max(MIN_ERRORS, MIN_WINDOWS * h)) return;
    horizons.push(h);
    bands.push(bandOf(e));
    counts.push(e.length);
  });
  return { horizons, bands, counts };
}

/**
 * What a band is read from: the checkpoint horizons and their bands (a path keeps these, not the errors' counts), and
 * the table's {@link growthExponent} when already known (a path computes it once, not per point).
 */
export type BandBounds = Pick<BandTable, 'horizons' | 'bands'> & { readonly growth?: number };

/** Growth exponent κ of the band's width between the last two trusted checkpoints, in [0, ½]; ½ with only one. */
export function growthExponent(table: BandBounds): number {
  const n = table.horizons.length;
  if (n < 2) return 0.5;
  const b0 = table.bands[n - 2] as Band;
  const b1 = table.bands[n - 1] as Band;
  const w0 = b0[3] - b0[0];
  const w1 = b1[3] - b1[0];
  if (!(w0 > 0 && w1 > 0)) return 0.5;
  const k = Math.log(w1 / w0) / Math.log((table.horizons[n - 1] as number) / (table.horizons[n - 2] as number));
  return Math.min(0.5, Math.max(0, k));
}

/** The band at horizon k (slots): interpolated inside the table, extrapolated outside it; undefined for an empty table. */
export function bandAt(table: BandBounds, k: number): Band | undefined {
  if (table.horizons.length === 0) return undefined;
  const out: [number, number, number, number] = [0, 0, 0, 0];
  bandInto(table, k, out);
  return out;
}

/**
 * Writes the band at horizon k into `out` (0: lower 95 %, 1: lower 80 %, 2: upper 80 %, 3: upper 95 %), zeros for an
 * empty table: each part as the interpolation or the widening of the table's bands makes it.
 */
export function bandInto(table: BandBounds, k: number, out: number[]): void {
  const { horizons, bands } = table;
  if (horizons.length === 0) {
    out.fill(0, 0, 4);
    return;
  }
  const first = horizons[0] as number;
  if (k <= first) return scaleInto(bands[0] as Band, Math.sqrt(k / first), out);
  for (let i = 1; i < horizons.length; i++) {
    const h = horizons[i] as number;
    if (k > h) continue;
    const h0 = horizons[i - 1] as number;
    const a = bands[i - 1] as Band;
    const b = bands[i] as Band;
    const t = (k - h0) / (h - h0);
    for (let j = 0; j < 4; j++) out[j] = (a[j] as number) + ((b[j] as number) - (a[j] as number)) * t;
    return;
  }
  const last = horizons[horizons.length - 1] as number;
  scaleInto(bands[bands.length - 1] as Band, (k / last) ** (table.growth ?? growthExponent(table)), out);
}

function scaleInto(b: Band, f: number, out: number[]): void {
  for (let j = 0; j < 4; j++) out[j] = (b[j] as number) * f;
}
