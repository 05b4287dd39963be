// SPDX-License-Identifier: Apache-2.0
// Server-side downsampling: folds raw samples and rollup buckets of one series into fixed steps. Quantiles are exact
// (sorted samples) on the raw tier and come from merged sketches on rollup tiers, or, for a step of one bucket and
// stored quantiles, from the ordinals its row stores (the answer its sketch alone would give, without decoding it).
import type { ColumnField, SeriesColumns, SeriesPoint } from '../domain/series.ts';
import { decodeRollupColumns, type RollupColumns, type RollupWant } from './rollup-codec.ts';
import { STORED_QUANTILES } from './rollup-sketch-columns.ts';
import { exactQuantile, ordinalAnswer, SketchAccumulator, sketchOrdinal, sketchQuantiles, type Sketch } from './sketch.ts';

/** The output grid: step i covers `[alignedFromMs + i·stepMs, … + stepMs)`; samples outside `[fromMs, toMs)` skip. */
export interface StepGrid {
  readonly fromMs: number;
  readonly toMs: number;
  readonly alignedFromMs: number;
  readonly stepMs: number;
  readonly steps: number;
}

/** How quantiles are computed, if at all. */
export type QuantileMode = 'none' | 'exact' | 'sketch';

/** Doubles per block of a {@link ColumnSlab}: the first at most 32 KiB, doubling up to 512 KiB. */
const FIRST_BLOCK_DOUBLES = 4096;
const SLAB_DOUBLES = 65_536;

/**
 * Hands out columns as views of shared blocks: a query over a namespace makes thousands of columns of a few hundred
 * values, and an `ArrayBuffer` each costs an allocation outside the heap that the collector must track.
 */
export class ColumnSlab {
  private block = new Float64Array(0);
  private used = 0;
  private nextSize: number;

  /** `expected`: at most how many doubles the query will take, to size the first block. */
  constructor(expected: number) {
    this.nextSize = Math.max(1, Math.min(FIRST_BLOCK_DOUBLES, expected));
  }

  take(n: number): Float64Array {
    if (this.used + n > this.block.length) {
      // Blocks grow with the query, so that a small one (a few series, or a raw window of sparse steps) stays small.
      this.block = new Float64Array(Math.max(n, this.nextSize));
      this.nextSize = Math.min(SLAB_DOUBLES, this.nextSize * 2);
      this.used = 0;
    }
    const view = this.block.subarray(this.used, this.used + n);
    this.used += n;
    return view;
  }
}

/** A row read with stored quantile ordinals instead of sketches; the sketches are decoded once a step must merge. */
interface StoredRow {
  readonly blob: Uint8Array;
  readonly ordinals: ReadonlyArray<readonly number[] | null>;
  sketches: readonly Sketch[] | null;
}

/** A step holding one bucket that answers from its row's stored ordinals (`refRow`, `refBucket`). */
const STORED = null;
const SKETCHES_ONLY: RollupWant = { min: false, max: false, sum: false, sketches: true, quantiles: [] };
const EMPTY_SKETCH: Sketch = { ordinals: [], counts: [] };

/** Per-step aggregates of one series. */
export class StepAccumulator {
  private readonly count: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly sum: Float64Array;
  private readonly exact: Array<number[] | undefined> | null;
  /**
   * Per step: its one sketch as it is, {@link STORED} for one bucket of a stored row, or an accumulator once a second
   * bucket (or a raw sample) arrives.
   */
  private readonly sketches: Array<Sketch | SketchAccumulator | typeof STORED | undefined> | null;
  private readonly refRow: Int32Array;
  private readonly refBucket: Int32Array;
  private readonly rows: StoredRow[] = [];

  constructor(
    private readonly grid: StepGrid,
    mode: QuantileMode,
  ) {
    this.count = new Float64Array(grid.steps);
    this.min = new Float64Array(grid.steps).fill(Infinity);
    this.max = new Float64Array(grid.steps).fill(-Infinity);
    this.sum = new Float64Array(grid.steps);
    this.exact = mode === 'exact' ? new Array<number[] | undefined>(grid.steps) : null;
    this.sketches = mode === 'sketch' ? new Array<Sketch | SketchAccumulator | typeof STORED | undefined>(grid.steps) : null;
    this.refRow = new Int32Array(mode === 'sketch' ? grid.steps : 0);
    this.refBucket = new Int32Array(mode === 'sketch' ? grid.steps : 0);
  }

  /** Empties every step, so that the next series of a query reuses the arrays. */
  reset(): void {
    this.count.fill(0);
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.sum.fill(0);
    this.exact?.fill(undefined);
    this.sketches?.fill(undefined);
    this.rows.length = 0;
  }

  /** Adds one raw sample. */
  addSample(tsMs: number, value: number): void {
    if (tsMs < this.grid.fromMs || tsMs >= this.grid.toMs) return;
    const i = Math.floor((tsMs - this.grid.alignedFromMs) / this.grid.stepMs);
    this.fold(i, { count: 1, min: value, max: value, sum: value });
    if (this.exact) this.listOf(i).push(value);
    else if (this.sketches) this.sketchOf(i).addOrdinal(sketchOrdinal(value));
  }

  /**
   * Adds the buckets of one decoded rollup row, by start time; `bucketFromMs` is the range start aligned to the bucket
   * width. Columns the reader skipped (empty) are not folded. With quantile ordinals and no sketches, a step keeps a
   * reference to its bucket; `blob` is the row, decoded again for its sketches if a second bucket joins the step.
   */
  addRollups(c: RollupColumns, o: { bucketFromMs: number; blob: Uint8Array }): void {
    const row = this.storedRow(c, o.blob);
    const { alignedFromMs, stepMs, steps, toMs } = this.grid;
    for (let j = 0; j < c.starts.length; j++) {
      const start = c.starts[j] as number;
      if (start < o.bucketFromMs || start >= toMs) continue;
      const i = Math.floor((start - alignedFromMs) / stepMs);
      if (i < 0 || i >= steps) continue;
      this.foldBucket(i, c, j);
      if (this.sketches) this.addBucketSketch(i, { c, row, j });
    }
  }

  private foldBucket(i: number, c: RollupColumns, j: number): void {
    this.count[i] = (this.count[i] ?? 0) + (c.counts[j] as number);
    if (c.mins.length > 0 && (c.mins[j] as number) < (this.min[i] ?? Infinity)) this.min[i] = c.mins[j] as number;
    if (c.maxs.length > 0 && (c.maxs[j] as number) > (this.max[i] ?? -Infinity)) this.max[i] = c.maxs[j] as number;
    if (c.sums.length > 0) this.sum[i] = (this.sum[i] ?? 0) + (c.sums[j] as number);
  }

  /** Index of the row in {@link rows} when its buckets answer from stored ordinals, else −1. */
  private storedRow(c: RollupColumns, blob: Uint8Array): number {
    if (!this.sketches || c.sketches || !c.quantileOrdinals) return -1;
    this.rows.push({ blob, ordinals: c.quantileOrdinals, sketches: null });
    return this.rows.length - 1;
  }

  private addBucketSketch(i: number, o: { c: RollupColumns; row: number; j: number }): void {
    const sketches = this.sketches as Array<Sketch | SketchAccumulator | typeof STORED | undefined>;
    const s = o.c.sketches?.[o.j];
    if (s !== undefined) {
      // A step of one rollup bucket (hourly points over the 1 h tier) keeps its sketch: no accumulator per step.
      if (sketches[i] === undefined) sketches[i] = s;
      else this.sketchOf(i).addSketch(s);
    } else if (o.row >= 0) {
      if (sketches[i] !== undefined) {
        this.sketchOf(i).addSketch(this.rowSketch(o.row, o.j));
        return;
      }
      sketches[i] = STORED;
      this.refRow[i] = o.row;
      this.refBucket[i] = o.j;
    }
  }

  /** Bucket `j`'s sketch of a stored row, the row's sketches decoded on first need. */
  private rowSketch(row: number, j: number): Sketch {
    const r = this.rows[row] as StoredRow;
    r.sketches ??= decodeRollupColumns(r.blob, SKETCHES_ONLY).sketches ?? [];
    return r.sketches[j] ?? EMPTY_SKETCH;
  }

  /** Points of the steps that have samples. */
  points(quantiles: readonly number[]): SeriesPoint[] {
    const out: SeriesPoint[] = [];
    for (let i = 0; i < this.grid.steps; i++) {
      const count = this.count[i] ?? 0;
      if (count === 0) continue;
      const min = this.min[i] ?? NaN;
      const max = this.max[i] ?? NaN;
      const tsMs = this.grid.alignedFromMs + i * this.grid.stepMs;
      const mean = (this.sum[i] ?? 0) / count;
      if (quantiles.length === 0) out.push({ tsMs, count, min, max, mean });
      else out.push({ tsMs, count, min, max, mean, quantiles: this.quantilesOf(i, quantiles, { min, max }) });
    }
    return out;
  }

  /**
   * The same steps as {@link points}, as columns: one `Float64Array` per asked field and quantile, with no object per
   * step (each value computed as `points` computes it).
   */
  columns(o: { fields: readonly ColumnField[]; quantiles: readonly number[]; slab: ColumnSlab }): Omit<SeriesColumns, 'series'> {
    const { fields, quantiles, slab } = o;
    let n = 0;
    for (let i = 0; i < this.grid.steps; i++) if ((this.count[i] ?? 0) > 0) n++;
    const timestampsMs = slab.take(n);
    const cols: Partial<Record<ColumnField, Float64Array>> = {};
    for (const f of fields) cols[f] = slab.take(n);
    const qCols = quantiles.map(() => slab.take(n));
    let k = 0;
    for (let i = 0; i < this.grid.steps; i++) {
      const count = this.count[i] ?? 0;
      if (count === 0) continue;
      timestampsMs[k] = this.grid.alignedFromMs + i * this.grid.stepMs;
      this.fillStep({ i, k, count, cols });
      if (qCols.length > 0) this.fillQuantiles({ i, k, quantiles, qCols });
      k++;
    }
    return { timestampsMs, fields: cols, quantiles: qCols };
  }

  private fillStep(o: { i: number; k: number; count: number; cols: Partial<Record<ColumnField, Float64Array>> }): void {
    const { i, k, count, cols } = o;
    if (cols.count) cols.count[k] = count;
    if (cols.min) cols.min[k] = this.min[i] ?? NaN;
    if (cols.max) cols.max[k] = this.max[i] ?? NaN;
    if (cols.mean) cols.mean[k] = (this.sum[i] ?? 0) / count;
  }

  private fillQuantiles(o: { i: number; k: number; quantiles: readonly number[]; qCols: Float64Array[] }): void {
    const { i, k, qCols } = o;
    const qs = this.quantilesOf(i, o.quantiles, { min: this.min[i] ?? NaN, max: this.max[i] ?? NaN });
    for (let j = 0; j < qCols.length; j++) (qCols[j] as Float64Array)[k] = qs[j] as number;
  }

  private quantilesOf(i: number, qs: readonly number[], bounds: { min: number; max: number }): number[] {
    const values = this.exact?.[i];
    if (values) {
      values.sort((a, b) => a - b);
      return qs.map((q) => exactQuantile(values, q));
    }
    const acc = this.sketches?.[i];
    if (acc === undefined) return qs.map(() => NaN);
    if (acc === STORED) return this.storedQuantiles(i, qs, bounds) ?? this.sketchOf(i).quantiles(qs, bounds);
    // A lone sketch answers as an accumulator holding only it does (SketchAccumulator.quantiles).
    return acc instanceof SketchAccumulator ? acc.quantiles(qs, bounds) : sketchQuantiles(acc, qs, bounds);
  }

  /**
   * The quantiles of a step of one stored bucket: each the clamped value of the stored ordinal, as the walk of that
   * bucket's sketch alone answers; null when a quantile is not stored (the sketch then answers).
   */
  private storedQuantiles(i: number, qs: readonly number[], bounds: { min: number; max: number }): number[] | null {
    const row = this.rows[this.refRow[i] as number] as StoredRow;
    const j = this.refBucket[i] as number;
    const out = new Array<number>(qs.length);
    for (let k = 0; k < qs.length; k++) {
      const col = row.ordinals[STORED_QUANTILES.indexOf(qs[k] as number)];
      if (!col) return null;
      out[k] = ordinalAnswer(col[j] as number, bounds);
    }
    return out;
  }

  private fold(i: number, a: { count: number; min: number; max: number; sum: number }): void {
    if (i < 0 || i >= this.grid.steps) return;
    this.count[i] = (this.count[i] ?? 0) + a.count;
    if (a.min < (this.min[i] ?? Infinity)) this.min[i] = a.min;
    if (a.max > (this.max[i] ?? -Infinity)) this.max[i] = a.max;
    this.sum[i] = (this.sum[i] ?? 0) + a.sum;
  }

  private listOf(i: number): number[] {
    const exact = this.exact as Array<number[] | undefined>;
    return (exact[i] ??= []);
  }

  private sketchOf(i: number): SketchAccumulator {
    const sketches = this.sketches as Array<Sketch | SketchAccumulator | typeof STORED | undefined>;
    const held = sketches[i];
    if (held instanceof SketchAccumulator) return held;
    const acc = new SketchAccumulator();
    if (held === STORED) acc.addSketch(this.rowSketch(this.refRow[i] as number, this.refBucket[i] as number));
    else if (held !== undefined) acc.addSketch(held);
    sketches[i] = acc;
    return acc;
  }
}
