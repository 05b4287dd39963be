// SPDX-License-Identifier: Apache-2.0
// Turning the samples of one series into rows: the rollup rows of every tier (for a live cut or a bulk history
// write) and the raw chunks of a bulk write. Coarser tiers are merged from the finer buckets, which gives exactly
// the same aggregates and sketches as computing them from the samples.
import type { HistorySeries } from '../domain/series.ts';
import { ChunkEncoder } from './chunk-codec.ts';
import type { ChunkRow } from './chunk-repo.ts';
import { fromScaled, MAX_SCALED, toScaled } from './precision.ts';
import { encodeRollups } from './rollup-codec.ts';
import { coarsen, ordinalsOf, rollupSamples, splitBySpan, type RollupBucket, type SampleColumns } from './rollup.ts';
import { MAX_CHUNK_SAMPLES, RAW_WINDOW_MS, rawWindowStart, type TierSpec } from './tiers.ts';

/** The samples of one series with its storage precision. */
export interface SeriesSamples {
  readonly seriesId: number;
  readonly decimals: number | null;
  readonly samples: SampleColumns;
}

function rollupRow(tier: TierSpec, input: SeriesSamples, part: { group: readonly RollupBucket[]; partial: boolean }): ChunkRow {
  const { group, partial } = part;
  return {
    tier: tier.name,
    seriesId: input.seriesId,
    startMs: group[0]?.startMs ?? 0,
    endMs: group[group.length - 1]?.startMs ?? 0,
    count: group.length,
    partial,
    data: encodeRollups(group, { resolutionMs: tier.resolutionMs, decimals: input.decimals, withSketch: tier.sketch }),
  };
}

/**
 * Rollup rows of ascending samples for every rollup tier (tiers finest first, each resolution a multiple of the
 * previous one), one row per tier and row span.
 */
export function rollupRows(input: SeriesSamples, tiers: readonly TierSpec[], partial: boolean): ChunkRow[] {
  const rows: ChunkRow[] = [];
  if (input.samples.values.length === 0) return rows;
  const ordinals = ordinalsOf(input.samples.values);
  let finer: { buckets: RollupBucket[]; sketch: boolean } | null = null;
  for (const tier of tiers) {
    if (tier.resolutionMs === 0) continue;
    // Merge the finer tier's buckets when they carry what this tier needs; else start again from the samples.
    const buckets: RollupBucket[] =
      finer && (finer.sketch || !tier.sketch)
        ? coarsen(finer.buckets, tier.resolutionMs)
        : rollupSamples(input.samples, tier.resolutionMs, tier.sketch ? ordinals : null);
    finer = { buckets, sketch: tier.sketch };
    for (const group of splitBySpan(buckets, tier.rowSpanMs)) rows.push(rollupRow(tier, input, { group, partial }));
  }
  return rows;
}

/** Keeps finite samples with strictly ascending timestamps, values rounded to the stored precision. */
export function cleanHistory(h: HistorySeries, decimals: number | null): { columns: SampleColumns; dropped: number } {
  const n = h.values.length;
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  let kept = 0;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = h.timestampsMs[i] ?? NaN;
    let v = h.values[i] ?? NaN;
    if (!Number.isFinite(v) || !(t > last)) continue;
    if (decimals !== null) {
      const scaled = toScaled(v, decimals);
      if (Math.abs(scaled) <= MAX_SCALED) v = fromScaled(scaled, decimals);
    }
    ts[kept] = t;
    values[kept++] = v;
    last = t;
  }
  return { columns: { timestampsMs: ts.subarray(0, kept), values: values.subarray(0, kept) }, dropped: n - kept };
}

/** Encodes the samples from index `from` up to the end of their raw window (or a full chunk). */
function windowChunk(input: SeriesSamples, from: number): { row: ChunkRow; to: number } {
  const { timestampsMs: ts, values } = input.samples;
  const windowEnd = rawWindowStart(input.seriesId, ts[from] as number) + RAW_WINDOW_MS;
  const enc = new ChunkEncoder(input.decimals);
  let to = from;
  while (to < values.length && (ts[to] as number) < windowEnd && enc.count < MAX_CHUNK_SAMPLES) {
    enc.append(ts[to] as number, values[to] as number);
    to++;
  }
  const row: ChunkRow = {
    tier: 'raw',
    seriesId: input.seriesId,
    startMs: enc.firstTs,
    endMs: enc.lastTs,
    count: enc.count,
    partial: false,
    data: enc.toBytes(),
  };
  return { row, to };
}

/** Raw chunk rows of ascending samples at or after `rawFromMs`, one per raw window. */
export function rawRows(input: SeriesSamples, rawFromMs: number): ChunkRow[] {
  const { timestampsMs: ts, values } = input.samples;
  const rows: ChunkRow[] = [];
  let from = 0;
  while (from < values.length && (ts[from] as number) < rawFromMs) from++;
  while (from < values.length) {
    const { row, to } = windowChunk(input, from);
    rows.push(row);
    from = to;
  }
  return rows;
}
