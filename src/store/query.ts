// SPDX-License-Identifier: Apache-2.0
// Range queries: choose the tier, read the rows of the series (stored and still pending; one bulk read per batch of
// series where the source has one), merge the in-memory head, and fold everything into steps: rollup buckets
// through a dense per-step accumulator (only the asked columns decoded; sketches only for quantiles that the rows
// do not store), raw samples sparsely (raw-points.ts).
import type {
  ColumnField,
  ColumnQuery,
  ColumnQueryResult,
  QueriedSeries,
  SeriesColumns,
  SeriesInfo,
  SeriesPoint,
  SeriesQuery,
  SeriesQueryResult,
  TierName,
} from '../domain/series.ts';
import type { BulkRowRead, RowsBySeries } from './bulk-rows.ts';
import { decodeChunk, type DecodedChunk } from './chunk-codec.ts';
import { pointColumns, rawPoints } from './raw-points.ts';
import { decodeRollupColumns, type RollupWant } from './rollup-codec.ts';
import { STORED_QUANTILES } from './rollup-sketch-columns.ts';
import { SKETCH_RELATIVE_ACCURACY } from './sketch.ts';
import { ColumnSlab, StepAccumulator, type QuantileMode, type StepGrid } from './step-accumulator.ts';
import { chooseTier, type TierSpec } from './tiers.ts';

/** Points per series when the query gives no step. */
export const DEFAULT_POINTS = 300;
/** Upper bound on points per series; a smaller step is widened. */
export const MAX_POINTS = 20_000;
const MIN_STEP_MS = 1000;

/** Where a query reads from. */
export interface QuerySources {
  readonly tiers: readonly TierSpec[];
  /** Blobs of the rows of one series overlapping `[fromMs, toMs)`, stored or pending, in any order. */
  rows(tier: TierName, seriesId: number, range: { fromMs: number; toMs: number }): Uint8Array[];
  /**
   * The same rows for many series at once, in one read (optional): a query over more than one series uses it
   * instead of {@link rows}, so that a namespace costs one statement, not one per series.
   */
  readonly rowsMany?: BulkRowRead;
  /** Samples buffered in memory for a series. */
  head(seriesId: number): DecodedChunk | undefined;
  /** Earliest timestamp of a series in a tier, head included. */
  earliest(tier: TierName, seriesId: number): number | undefined;
}

function requestedStep(q: SeriesQuery): number {
  const rangeMs = q.toMs - q.fromMs;
  const asked = q.stepMs ?? Math.ceil(rangeMs / DEFAULT_POINTS / MIN_STEP_MS) * MIN_STEP_MS;
  return Math.max(MIN_STEP_MS, asked, Math.ceil(rangeMs / MAX_POINTS));
}

interface ReadContext {
  readonly src: QuerySources;
  readonly q: SeriesQuery;
  readonly series: readonly SeriesInfo[];
}

function pickTier(ctx: ReadContext, stepMs: number): TierSpec {
  const { src, q, series } = ctx;
  if (q.tier) {
    const forced = src.tiers.find((t) => t.name === q.tier);
    if (!forced) throw new RangeError(`unknown tier ${q.tier}`);
    if ((q.quantiles?.length ?? 0) > 0 && forced.resolutionMs > 0 && !forced.sketch) {
      throw new RangeError(`tier ${q.tier} keeps no quantile sketches`);
    }
    return forced;
  }
  const earliestMs = (tier: TierName): number | undefined => {
    let min: number | undefined;
    for (const s of series) {
      const e = src.earliest(tier, s.id);
      if (e !== undefined && (min === undefined || e < min)) min = e;
    }
    return min;
  };
  const needsQuantiles = (q.quantiles?.length ?? 0) > 0;
  return chooseTier({ tiers: src.tiers, fromMs: q.fromMs, stepMs, earliestMs, needsQuantiles });
}

function addSamples(acc: StepAccumulator, c: DecodedChunk): void {
  for (let i = 0; i < c.values.length; i++) acc.addSample(c.timestampsMs[i] as number, c.values[i] as number);
}

interface Target {
  readonly tier: TierSpec;
  readonly grid: StepGrid;
}

/** The row range a tier is read over: rollup tiers from the bucket holding the range start. */
function rowRange(t: Target): { fromMs: number; toMs: number } {
  const { tier, grid } = t;
  if (tier.resolutionMs === 0) return { fromMs: grid.fromMs, toMs: grid.toMs };
  return { fromMs: Math.floor(grid.fromMs / tier.resolutionMs) * tier.resolutionMs, toMs: grid.toMs };
}

/** Folds one series' rollup rows and head into its accumulator. */
function foldRollups(src: QuerySources, t: Target & { acc: StepAccumulator; id: number; blobs: readonly Uint8Array[]; want: RollupWant }): void {
  const { acc, want } = t;
  const bucketFromMs = rowRange(t).fromMs;
  for (const blob of t.blobs) acc.addRollups(decodeRollupColumns(blob, want), { bucketFromMs, blob });
  const head = src.head(t.id);
  if (head) addSamples(acc, head);
}

/** The points of one series on the raw tier: its chunks, then its head. */
function rawSeries(src: QuerySources, t: { grid: StepGrid; id: number; blobs: readonly Uint8Array[]; quantiles: readonly number[] }): SeriesPoint[] {
  const chunks = t.blobs.map((blob) => decodeChunk(blob));
  const head = src.head(t.id);
  if (head) chunks.push(head);
  return rawPoints(t.grid, chunks, t.quantiles);
}

const NO_ROWS: readonly Uint8Array[] = [];
/** Series per bulk read. */
const SERIES_PER_READ = 256;

/** Rows of every series: one bulk read when the source has one and more than one series is asked. */
function readRows(src: QuerySources, t: Target, series: readonly SeriesInfo[]): (id: number) => readonly Uint8Array[] {
  const range = rowRange(t);
  if (!src.rowsMany || series.length < 2) return (id) => src.rows(t.tier.name, id, range);
  const rows: RowsBySeries = src.rowsMany(t.tier.name, series.map((s) => s.id), range);
  return (id) => rows.get(id) ?? NO_ROWS;
}

/** The points of one series from its rows and head. */
function seriesPoints(src: QuerySources, t: Plan & { id: number; blobs: readonly Uint8Array[] }): SeriesPoint[] {
  const { grid, quantiles } = t;
  if (grid.steps === 0) return [];
  if (t.tier.resolutionMs === 0) return rawSeries(src, { grid, id: t.id, blobs: t.blobs, quantiles });
  const acc = new StepAccumulator(grid, t.mode);
  foldRollups(src, { ...t, acc });
  return acc.points(quantiles);
}

/** What every series of one query shares: tier, step grid and quantile mode. */
interface Plan {
  readonly tier: TierSpec;
  readonly grid: StepGrid;
  readonly mode: QuantileMode;
  readonly quantiles: readonly number[];
  /** The columns of the rollup rows to decode. */
  readonly want: RollupWant;
}

/**
 * The rollup columns a query needs: min and max for its fields or as the bounds of its quantiles, sum for the mean,
 * and for quantiles the stored ordinals when the rows store every asked one, else the sketches.
 */
function rollupWant(p: { mode: QuantileMode; quantiles: readonly number[] }, fields: readonly ColumnField[] | undefined): RollupWant {
  const sketch = p.mode === 'sketch';
  const stored = p.quantiles.map((q) => STORED_QUANTILES.indexOf(q));
  const fromStored = sketch && stored.every((k) => k >= 0);
  const has = (f: ColumnField) => fields === undefined || fields.includes(f);
  return { min: sketch || has('min'), max: sketch || has('max'), sum: has('mean'), sketches: sketch && !fromStored, quantiles: fromStored ? stored : [] };
}

function planOf(src: QuerySources, q: SeriesQuery & { fields?: readonly ColumnField[] }, series: readonly SeriesInfo[]): Plan {
  const step = requestedStep(q);
  const tier = pickTier({ src, q, series }, step);
  const stepMs = tier.resolutionMs > 0 ? Math.ceil(step / tier.resolutionMs) * tier.resolutionMs : step;
  // Steps start at the range start, moved back to a bucket edge on rollup tiers so each bucket falls in one step.
  const alignedFromMs = tier.resolutionMs > 0 ? Math.floor(q.fromMs / tier.resolutionMs) * tier.resolutionMs : q.fromMs;
  const steps = Math.max(0, Math.ceil((q.toMs - alignedFromMs) / stepMs));
  const quantiles = q.quantiles ?? [];
  let mode: QuantileMode = 'none';
  if (quantiles.length > 0) mode = tier.resolutionMs === 0 ? 'exact' : 'sketch';
  const want = rollupWant({ mode, quantiles }, q.fields);
  return { tier, grid: { fromMs: q.fromMs, toMs: q.toMs, alignedFromMs, stepMs, steps }, mode, quantiles, want };
}

/** One series' output from its rows: points or columns. */
type Shape<R> = (src: QuerySources, t: Plan & { id: number; blobs: readonly Uint8Array[] }) => R;

/** Folds every series through `shape`, reading their rows in batches. */
function eachSeries<R>(src: QuerySources, p: Plan, o: { series: readonly SeriesInfo[]; shape: Shape<R> }): Array<{ series: SeriesInfo; out: R }> {
  const out: Array<{ series: SeriesInfo; out: R }> = [];
  const { series, shape } = o;
  // Series are read in batches, so that a query over every series holds the rows of one batch at a time.
  for (let b = 0; b < series.length; b += SERIES_PER_READ) {
    const batch = series.slice(b, b + SERIES_PER_READ);
    const rowsOf = p.grid.steps > 0 ? readRows(src, p, batch) : () => NO_ROWS;
    for (const info of batch) out.push({ series: info, out: shape(src, { ...p, id: info.id, blobs: rowsOf(info.id) }) });
  }
  return out;
}

function resultMeta(p: Plan): Omit<SeriesQueryResult, 'series'> {
  const approximate = p.mode === 'sketch';
  return { tier: p.tier.name, stepMs: p.grid.stepMs, approximateQuantiles: approximate, quantileRelativeError: approximate ? SKETCH_RELATIVE_ACCURACY : 0 };
}

/** Runs a query over already resolved series. */
export function runQuery(src: QuerySources, q: SeriesQuery, series: readonly SeriesInfo[]): SeriesQueryResult {
  const p = planOf(src, q, series);
  const out: QueriedSeries[] = eachSeries(src, p, { series, shape: seriesPoints }).map((s) => ({ series: s.series, points: s.out }));
  return { ...resultMeta(p), series: out };
}

type ColumnsOnly = Omit<SeriesColumns, 'series'>;

/**
 * The columns of every series of one query: rollup steps straight from one accumulator whose arrays every series
 * reuses, raw points copied; all columns are views of a few shared blocks.
 */
function seriesColumns(p: Plan, o: { fields: readonly ColumnField[]; series: number }): Shape<ColumnsOnly> {
  const { fields } = o;
  const perSeries = p.grid.steps * (fields.length + p.quantiles.length + 1);
  const slab = new ColumnSlab(Math.max(1, perSeries * o.series));
  // Made on the first series: most of a pass's queries (namespaces without containers of a kind) match none.
  let acc: StepAccumulator | undefined;
  return (src, t) => {
    if (p.grid.steps === 0 || p.tier.resolutionMs === 0) return pointColumns(seriesPoints(src, t), { fields, quantiles: t.quantiles.length, slab });
    if (acc === undefined) acc = new StepAccumulator(p.grid, p.mode);
    else acc.reset();
    foldRollups(src, { ...t, acc });
    return acc.columns({ fields, quantiles: t.quantiles, slab });
  };
}

/** Runs a columnar query over already resolved series: the same steps and values as {@link runQuery}. */
export function runColumnQuery(src: QuerySources, q: ColumnQuery, series: readonly SeriesInfo[]): ColumnQueryResult {
  const p = planOf(src, q, series);
  const shape = seriesColumns(p, { fields: q.fields, series: series.length });
  const out: SeriesColumns[] = eachSeries(src, p, { series, shape }).map((s) => ({ series: s.series, ...s.out }));
  return { ...resultMeta(p), series: out };
}
