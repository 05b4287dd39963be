// SPDX-License-Identifier: Apache-2.0
// The points of a forecast, kept as what makes them: the point forecasts, one double a slot, and the model's band
// table (a few checkpoint horizons), from which each interval is read when asked. A pass forecasts usage and
// requests for every capacity scope (some 40,000 forecasts of 336 hourly points at the scale envelope) and the API
// serves the last pass's, so they stay in memory from one pass to the next: as one object per point they took about
// 0.7 GiB of peak RSS, as five doubles a point 0.55 GiB; one double a point and the table take about a quarter of
// that, and every value is the double it was (the bands are computed as they were when the path was written out). A flat path (a series that never
// changed) keeps its one value. Points are made when asked for, one at a time.
import { bandInto, growthExponent, type BandBounds } from './intervals.ts';

/** One slot of a forecast: the point forecast and its 80 % and 95 % prediction intervals. */
export interface ForecastPoint {
  readonly tsMs: number;
  readonly mean: number;
  readonly lower80: number;
  readonly upper80: number;
  readonly lower95: number;
  readonly upper95: number;
}

/** A modelled path: slot k + 1 after the last sample at index k, before the floor; the bands; the floor. */
export interface PathModel {
  readonly means: Float64Array;
  readonly bands: BandBounds;
  /** Every value is at least this (0 for usage and requests; −Infinity when negative values are allowed). */
  readonly floor: number;
}

/**
 * A path as plain data (what {@link ForecastPath.toParts} gives and {@link ForecastPath.fromParts} takes): a forecast
 * made in a worker thread crosses to the pass this way, its means' buffer transferred rather than copied.
 */
export interface PathParts {
  readonly firstTsMs: number;
  readonly stepMs: number;
  readonly model?: PathModel;
  readonly flat?: { readonly value: number; readonly length: number };
}

/**
 * An upper bound on mean + upper 95 % band over a path's points: the largest mean plus the largest band the table
 * gives between horizon 1 and the path's length (inside the table no band exceeds its largest entry or 0; beyond it
 * the last entry widens by (k / last)^κ, at most at the last point). NaN means are no points; an infinite one makes
 * the bound infinite, and the caller then reads every point.
 */
function boundOfUpper(means: Float64Array, table: Required<BandBounds>): number {
  let maxMean = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < means.length; k++) if ((means[k] as number) > maxMean) maxMean = means[k] as number;
  const { horizons, bands } = table;
  let band = 0;
  for (const b of bands) band = Math.max(band, b[3]);
  const last = horizons[horizons.length - 1];
  const lastUpper = bands[bands.length - 1]?.[3] ?? 0;
  if (last !== undefined && means.length > last && lastUpper > 0) band = Math.max(band, lastUpper * (means.length / last) ** table.growth);
  return maxMean + band;
}

/** A path's model as kept, with {@link boundOfUpper}. */
type KeptModel = PathModel & { readonly upperBound: number };

/** Index of the first point whose `field` (after the floor) is at least `limit`. */
function firstIndexAtLeast(m: KeptModel, field: 'mean' | 'upper95', limit: number): number | undefined {
  const { means, bands, floor } = m;
  // Most paths stay far below the limit: a bound on every point says so without the band of each (a power apiece).
  if (field === 'upper95' && floor < limit && m.upperBound + Math.abs(m.upperBound) * 1e-9 < limit) return undefined;
  for (let k = 0; k < means.length; k++) {
    const mean = means[k] as number;
    if (field === 'upper95') bandInto(bands, k + 1, SCRATCH);
    const v = field === 'mean' ? mean : mean + (SCRATCH[3] as number);
    if (Math.max(floor, v) >= limit) return k;
  }
  return undefined;
}

/** The band being read (one path is read at a time, in one thread). */
const SCRATCH = [0, 0, 0, 0];

/** A forecast's path: `length` points, the first at `firstTsMs`, one every `stepMs`. */
export class ForecastPath implements Iterable<ForecastPoint> {
  private constructor(
    /** Time of the first point, and between points. */
    private readonly time: { readonly firstTsMs: number; readonly stepMs: number },
    /** The means and bands (with their growth exponent); undefined for a flat path. */
    private readonly model: KeptModel | undefined,
    private readonly flat: { readonly value: number; readonly length: number } | undefined,
  ) {}

  /** No points (a forecast short of data). */
  static empty(): ForecastPath {
    return new ForecastPath({ firstTsMs: 0, stepMs: 0 }, undefined, { value: 0, length: 0 });
  }

  /** `length` points of the same value with zero-width bands. */
  static flat(at: { firstTsMs: number; stepMs: number; length: number; value: number }): ForecastPath {
    return new ForecastPath({ firstTsMs: at.firstTsMs, stepMs: at.stepMs }, undefined, { value: at.value, length: at.length });
  }

  /**
   * A path of a model's point forecasts and band table: point k's mean is max(floor, means[k]), its bounds
   * max(floor, means[k] + the band at horizon k + 1).
   */
  static modelled(at: { firstTsMs: number; stepMs: number }, model: PathModel): ForecastPath {
    const { horizons, bands } = model.bands;
    const table = { horizons, bands, growth: growthExponent({ horizons, bands }) };
    return new ForecastPath({ firstTsMs: at.firstTsMs, stepMs: at.stepMs }, { means: model.means, bands: table, floor: model.floor, upperBound: boundOfUpper(model.means, table) }, undefined);
  }

  /** The path rebuilt from {@link toParts}; a model whose means are not doubles or whose bands do not match its horizons is refused. */
  static fromParts(p: PathParts): ForecastPath {
    const time = { firstTsMs: p.firstTsMs, stepMs: p.stepMs };
    const m = p.model;
    if (m !== undefined && m.means instanceof Float64Array && m.bands.bands.length === m.bands.horizons.length) return ForecastPath.modelled(time, m);
    if (p.flat !== undefined) return new ForecastPath(time, undefined, { value: p.flat.value, length: p.flat.length });
    throw new RangeError('forecast path parts hold neither a whole model nor a flat value');
  }

  /** The path as plain data, sharing its means (see {@link PathParts}). */
  toParts(): PathParts {
    const { firstTsMs, stepMs } = this.time;
    if (this.model === undefined) return { firstTsMs, stepMs, flat: this.flat as { value: number; length: number } };
    const { means, bands, floor } = this.model;
    return { firstTsMs, stepMs, model: { means, bands: { horizons: bands.horizons, bands: bands.bands }, floor } };
  }

  get length(): number {
    return this.flat?.length ?? (this.model as PathModel).means.length;
  }

  /** Point k (negative counts from the end, as Array.at), or undefined outside the path. */
  at(index: number): ForecastPoint | undefined {
    const k = index < 0 ? this.length + index : index;
    if (k < 0 || k >= this.length) return undefined;
    const tsMs = this.time.firstTsMs + k * this.time.stepMs;
    if (this.flat !== undefined) {
      const v = this.flat.value;
      return { tsMs, mean: v, lower95: v, lower80: v, upper80: v, upper95: v };
    }
    const { means, bands, floor } = this.model as PathModel;
    const mean = means[k] as number;
    bandInto(bands, k + 1, SCRATCH);
    const [b0, b1, b2, b3] = SCRATCH as [number, number, number, number];
    return { tsMs, mean: Math.max(floor, mean), lower95: Math.max(floor, mean + b0), lower80: Math.max(floor, mean + b1), upper80: Math.max(floor, mean + b2), upper95: Math.max(floor, mean + b3) };
  }

  /** Time of the first point whose `field` is at least `limit` (no point made: a pass asks this of every forecast). */
  firstAtLeast(field: 'mean' | 'upper95', limit: number): number | undefined {
    if (this.flat !== undefined) return this.flat.length > 0 && this.flat.value >= limit ? this.time.firstTsMs : undefined;
    const k = firstIndexAtLeast(this.model as KeptModel, field, limit);
    return k === undefined ? undefined : this.time.firstTsMs + k * this.time.stepMs;
  }

  map<T>(fn: (p: ForecastPoint) => T): T[] {
    const out: T[] = [];
    for (const p of this) out.push(fn(p));
    return out;
  }

  *[Symbol.iterator](): Iterator<ForecastPoint> {
    for (let k = 0; k < this.length; k++) yield this.at(k) as ForecastPoint;
  }

  /** The points as objects (tests, and callers that keep a few). */
  toArray(): ForecastPoint[] {
    return [...this];
  }

  /** Plain points in JSON (a dump of the pass's report), not the columns. */
  toJSON(): ForecastPoint[] {
    return this.toArray();
  }
}
