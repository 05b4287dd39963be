// SPDX-License-Identifier: Apache-2.0
// The points of a forecast, kept as columns. A pass forecasts usage and requests for every capacity scope (about
// 80,000 forecasts of 168 hourly points at the scale envelope) and the API serves the last pass's, so they stay in
// memory from one pass to the next: as one object per point (and an array of them) they took about 0.7 GiB of peak
// RSS. Columns hold them with no objects for the collector to trace, in single precision: in doubles the report of a
// full-size pass (14-day hourly paths) held 0.55 GiB, more than a third of the monitor's memory budget. Single
// precision keeps 7 significant digits, far inside any forecast's error; an exhaustion date (or a node count from the
// upper bound) can differ from the double's only where the path comes within 1 part in 16 million of the limit. A
// flat path (a series that never changed) keeps its one value exactly. Points are made when asked for, one at a time.

/** One slot of a forecast: the point forecast and its 80 % and 95 % prediction intervals. */
export interface ForecastPoint {
  readonly tsMs: number;
  readonly mean: number;
  readonly lower80: number;
  readonly upper80: number;
  readonly lower95: number;
  readonly upper95: number;
}

/** Values per point: mean, lower95, lower80, upper80, upper95. */
export const FIELDS = 5;

/**
 * A path as plain data (what {@link ForecastPath.toParts} gives and {@link ForecastPath.fromParts} takes): a forecast
 * made in a worker thread crosses to the pass this way, its values' buffer transferred rather than copied.
 */
export interface PathParts {
  readonly firstTsMs: number;
  readonly stepMs: number;
  readonly values?: Float32Array;
  readonly flat?: { readonly value: number; readonly length: number };
}

/** A forecast's path: `length` points, the first at `firstTsMs`, one every `stepMs`. */
export class ForecastPath implements Iterable<ForecastPoint> {
  private constructor(
    /** Time of the first point, and between points. */
    private readonly time: { readonly firstTsMs: number; readonly stepMs: number },
    /** mean, lower95, lower80, upper80, upper95 of point k at k × FIELDS; undefined for a flat path. */
    private readonly values: Float32Array | undefined,
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
   * A path from its values: for point k, mean, lower95, lower80, upper80 and upper95 at k × {@link FIELDS}, as
   * {@link valuesFor} allocates them.
   */
  static fromValues(at: { firstTsMs: number; stepMs: number }, values: Float32Array): ForecastPath {
    return new ForecastPath({ firstTsMs: at.firstTsMs, stepMs: at.stepMs }, values, undefined);
  }

  /** The value columns of a path of `length` points, to fill and hand to {@link fromValues}. */
  static valuesFor(length: number): Float32Array {
    return new Float32Array(length * FIELDS);
  }

  /** The path rebuilt from {@link toParts}; values that are not whole points are refused. */
  static fromParts(p: PathParts): ForecastPath {
    const time = { firstTsMs: p.firstTsMs, stepMs: p.stepMs };
    if (p.values !== undefined && p.values.length % FIELDS === 0) return new ForecastPath(time, p.values, undefined);
    if (p.flat !== undefined) return new ForecastPath(time, undefined, { value: p.flat.value, length: p.flat.length });
    throw new RangeError('forecast path parts hold neither whole points nor a flat value');
  }

  /** The path as plain data, sharing its values (see {@link PathParts}). */
  toParts(): PathParts {
    const { firstTsMs, stepMs } = this.time;
    return this.values === undefined ? { firstTsMs, stepMs, flat: this.flat as { value: number; length: number } } : { firstTsMs, stepMs, values: this.values };
  }

  get length(): number {
    return this.flat?.length ?? (this.values as Float32Array).length / FIELDS;
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
    const v = this.values as Float32Array;
    const i = k * FIELDS;
    return { tsMs, mean: v[i] as number, lower95: v[i + 1] as number, lower80: v[i + 2] as number, upper80: v[i + 3] as number, upper95: v[i + 4] as number };
  }

  /** Time of the first point whose `field` is at least `limit` (no point made: a pass asks this of every forecast). */
  firstAtLeast(field: 'mean' | 'upper95', limit: number): number | undefined {
    if (this.flat !== undefined) return this.flat.length > 0 && this.flat.value >= limit ? this.time.firstTsMs : undefined;
    const v = this.values as Float32Array;
    for (let k = 0, i = field === 'mean' ? 0 : 4; k < this.length; k++, i += FIELDS) if ((v[i] as number) >= limit) return this.time.firstTsMs + k * this.time.stepMs;
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
