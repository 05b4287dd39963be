// SPDX-License-Identifier: Apache-2.0
// The points of a forecast, kept as what makes them: the point forecasts, one double a slot, and the model's band
// table (a few checkpoint horizons), from which each interval is read when asked. A pass forecasts usage and
// requests for every capacity scope (some 40,000 forecasts of 336 hourly points at the scale envelope) and the API
// serves the last pass's, so they stay in memory from one pass to the next: as one object per point they took about
// 0.7 GiB of peak RSS, as five doubles a point 0.55 GiB; one double a point is a fifth of that, and every value is the
// double it was (the bands are computed as they were when the path was written out). A flat path (a series that never
// changed) keeps its one value. Points are made when asked for, one at a time.
import { bandPart, type BandBounds } from './intervals.ts';

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

/** A forecast's path: `length` points, the first at `firstTsMs`, one every `stepMs`. */
export class ForecastPath implements Iterable<ForecastPoint> {
  private constructor(
    /** Time of the first point, and between points. */
    private readonly time: { readonly firstTsMs: number; readonly stepMs: number },
    /** The means and bands; undefined for a flat path. */
    private readonly model: PathModel | undefined,
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
    return new ForecastPath({ firstTsMs: at.firstTsMs, stepMs: at.stepMs }, { means: model.means, bands: { horizons: model.bands.horizons, bands: model.bands.bands }, floor: model.floor }, undefined);
  }

  /** The path rebuilt from {@link toParts}. */
  static fromParts(p: PathParts): ForecastPath {
    const time = { firstTsMs: p.firstTsMs, stepMs: p.stepMs };
    if (p.model !== undefined) return ForecastPath.modelled(time, p.model);
    if (p.flat !== undefined) return new ForecastPath(time, undefined, { value: p.flat.value, length: p.flat.length });
    throw new RangeError('forecast path parts hold neither a model nor a flat value');
  }

  /** The path as plain data, sharing its means (see {@link PathParts}). */
  toParts(): PathParts {
    const { firstTsMs, stepMs } = this.time;
    return this.model === undefined ? { firstTsMs, stepMs, flat: this.flat as { value: number; length: number } } : { firstTsMs, stepMs, model: this.model };
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
    const bound = (j: 0 | 1 | 2 | 3): number => Math.max(floor, mean + bandPart(bands, k + 1, j));
    return { tsMs, mean: Math.max(floor, mean), lower95: bound(0), lower80: bound(1), upper80: bound(2), upper95: bound(3) };
  }

  /** Time of the first point whose `field` is at least `limit` (no point made: a pass asks this of every forecast). */
  firstAtLeast(field: 'mean' | 'upper95', limit: number): number | undefined {
    if (this.flat !== undefined) return this.flat.length > 0 && this.flat.value >= limit ? this.time.firstTsMs : undefined;
    const { means, bands, floor } = this.model as PathModel;
    for (let k = 0; k < means.length; k++) {
      const mean = means[k] as number;
      const v = field === 'mean' ? mean : mean + bandPart(bands, k + 1, 3);
      if (Math.max(floor, v) >= limit) return this.time.firstTsMs + k * this.time.stepMs;
    }
    return undefined;
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
