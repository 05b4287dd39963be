// SPDX-License-Identifier: Apache-2.0
// The storage tiers, their default retention (REQUIREMENTS §2.3, profile `standard`), the raw chunk windows and the
// automatic choice of a tier for a query.
import type { TierName } from '../domain/series.ts';
import { MINUTE_MS, HOUR_MS, DAY_MS } from '../domain/time.ts';

/** One tier. All durations in ms. */
export interface TierSpec {
  readonly name: TierName;
  /** SQLite table (a constant, never user input). */
  readonly table: string;
  /** Bucket width; 0 for raw samples. */
  readonly resolutionMs: number;
  /** Longest time range of one stored row: raw chunk window or rollup compaction span. */
  readonly rowSpanMs: number;
  readonly retentionMs: number;
  /** Whether buckets keep a quantile sketch. */
  readonly sketch: boolean;
}

/** Width of a raw chunk window: 120 samples at the default 60 s interval. */
export const RAW_WINDOW_MS = 2 * HOUR_MS;

/** Most samples in one raw chunk; a denser series cuts more than one chunk per window. */
export const MAX_CHUNK_SAMPLES = 480;

/** Default retention per tier (REQUIREMENTS §2.3, profile `standard`). */
export const DEFAULT_RETENTION_MS: Readonly<Record<TierName, number>> = {
  raw: 7 * DAY_MS,
  '5m': 35 * DAY_MS,
  '1h': 180 * DAY_MS,
  '1d': 730 * DAY_MS,
};

/** Tiers finest first, with retention overrides in ms. */
export function buildTiers(retentionMs: Partial<Record<TierName, number>> = {}): readonly TierSpec[] {
  const keep = (name: TierName): number => retentionMs[name] ?? DEFAULT_RETENTION_MS[name];
  return [
    { name: 'raw', table: 'chunks_raw', resolutionMs: 0, rowSpanMs: RAW_WINDOW_MS, retentionMs: keep('raw'), sketch: false },
    // With 60 s samples a 5-minute bucket holds 5 samples: a sketch would cost more than the aggregates and answer
    // nothing the 1-hour sketches do not, so quantile queries use raw or the 1-hour tier.
    { name: '5m', table: 'rollup_5m', resolutionMs: 5 * MINUTE_MS, rowSpanMs: DAY_MS, retentionMs: keep('5m'), sketch: false },
    { name: '1h', table: 'rollup_1h', resolutionMs: HOUR_MS, rowSpanMs: 7 * DAY_MS, retentionMs: keep('1h'), sketch: true },
    { name: '1d', table: 'rollup_1d', resolutionMs: DAY_MS, rowSpanMs: 91 * DAY_MS, retentionMs: keep('1d'), sketch: true },
  ];
}

/**
 * Start of the raw chunk window holding `tsMs` for a series. Windows are shifted per series by a multiple of 5 min
 * (24 phases), so that the cuts of a large fleet spread over the window instead of all landing in one collection
 * cycle, while window edges stay on 5-minute bucket edges.
 */
export function rawWindowStart(seriesId: number, tsMs: number): number {
  const phase = (seriesId % 24) * 5 * MINUTE_MS;
  return Math.floor((tsMs - phase) / RAW_WINDOW_MS) * RAW_WINDOW_MS + phase;
}

/** What the tier choice needs to know. */
export interface TierChoiceInput {
  readonly tiers: readonly TierSpec[];
  readonly fromMs: number;
  readonly stepMs: number;
  /** Quantiles are asked: only raw and tiers with sketches qualify. */
  readonly needsQuantiles: boolean;
  /** Earliest stored timestamp per tier over the queried series (undefined: no data in that tier). */
  readonly earliestMs: (tier: TierName) => number | undefined;
}

function covers(tier: TierSpec, earliest: number | undefined, needFromMs: number): boolean {
  if (earliest === undefined) return false;
  const slackMs = Math.max(tier.resolutionMs, 5 * MINUTE_MS);
  return earliest <= needFromMs + slackMs;
}

/**
 * Picks the tier for a query: the coarsest tier whose resolution fits the step and whose data reaches back to the
 * start of the range (or to the start of the series, if it is younger); otherwise the finest tier that reaches
 * back, with a coarser step; otherwise the tier with the oldest data.
 */
export function chooseTier(input: TierChoiceInput): TierSpec {
  const tiers = input.needsQuantiles ? input.tiers.filter((t) => t.sketch || t.resolutionMs === 0) : input.tiers;
  const finest = tiers[0];
  if (!finest) throw new RangeError('no tiers configured');
  const earliest = new Map(tiers.map((t) => [t.name, input.earliestMs(t.name)]));
  const known = tiers.filter((t) => earliest.get(t.name) !== undefined);
  const fitting = tiers.filter((t) => t.resolutionMs <= input.stepMs).reverse();
  if (known.length === 0) return fitting[0] ?? finest;
  const oldest = known.reduce((a, b) => ((earliest.get(b.name) ?? 0) < (earliest.get(a.name) ?? 0) ? b : a));
  const needFromMs = Math.max(input.fromMs, earliest.get(oldest.name) ?? input.fromMs);
  const reaches = (t: TierSpec): boolean => covers(t, earliest.get(t.name), needFromMs);
  return fitting.find(reaches) ?? tiers.find(reaches) ?? oldest;
}
