// SPDX-License-Identifier: Apache-2.0
// Range queries: choose the tier, read the rows of each series (stored and still pending), merge the in-memory
// head, and fold everything into steps.
import type { QueriedSeries, SeriesInfo, SeriesQuery, SeriesQueryResult, TierName } from '../domain/series.ts';
import { decodeChunk, type DecodedChunk } from './chunk-codec.ts';
import { decodeRollups } from './rollup-codec.ts';
import { SKETCH_RELATIVE_ACCURACY } from './sketch.ts';
import { StepAccumulator, type QuantileMode, type StepGrid } from './step-accumulator.ts';
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

function readSeries(src: QuerySources, target: { tier: TierSpec; grid: StepGrid; acc: StepAccumulator }, id: number): void {
  const { tier, grid, acc } = target;
  if (tier.resolutionMs === 0) {
    for (const blob of src.rows(tier.name, id, grid)) addSamples(acc, decodeChunk(blob));
  } else {
    const bucketFromMs = Math.floor(grid.fromMs / tier.resolutionMs) * tier.resolutionMs;
    for (const blob of src.rows(tier.name, id, { fromMs: bucketFromMs, toMs: grid.toMs })) {
      for (const b of decodeRollups(blob, acc.wantsSketches).buckets) acc.addBucket(b, bucketFromMs);
    }
  }
  const head = src.head(id);
  if (head) addSamples(acc, head);
}

/** Runs a query over already resolved series. */
export function runQuery(src: QuerySources, q: SeriesQuery, series: readonly SeriesInfo[]): SeriesQueryResult {
  const step = requestedStep(q);
  const tier = pickTier({ src, q, series }, step);
  const stepMs = tier.resolutionMs > 0 ? Math.ceil(step / tier.resolutionMs) * tier.resolutionMs : step;
  // Steps start at the range start, moved back to a bucket edge on rollup tiers so each bucket falls in one step.
  const alignedFromMs = tier.resolutionMs > 0 ? Math.floor(q.fromMs / tier.resolutionMs) * tier.resolutionMs : q.fromMs;
  const steps = Math.max(0, Math.ceil((q.toMs - alignedFromMs) / stepMs));
  const grid: StepGrid = { fromMs: q.fromMs, toMs: q.toMs, alignedFromMs, stepMs, steps };
  const quantiles = q.quantiles ?? [];
  let mode: QuantileMode = 'none';
  if (quantiles.length > 0) mode = tier.resolutionMs === 0 ? 'exact' : 'sketch';
  const out: QueriedSeries[] = series.map((info) => {
    const acc = new StepAccumulator(grid, mode);
    if (steps > 0) readSeries(src, { tier, grid, acc }, info.id);
    return { series: info, points: acc.points(quantiles) };
  });
  const approximate = mode === 'sketch';
  return {
    tier: tier.name,
    stepMs,
    approximateQuantiles: approximate,
    quantileRelativeError: approximate ? SKETCH_RELATIVE_ACCURACY : 0,
    series: out,
  };
}
