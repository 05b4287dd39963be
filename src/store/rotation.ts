// SPDX-License-Identifier: Apache-2.0
// The rotation job's storage steps (REQUIREMENTS §2.4): merge the partial rollup rows of closed row spans into one
// row each, then delete expired rows per tier in batches of 10,000 per transaction so that readers never wait long.
// Rollups are written in the same transaction as their raw chunk, so raw data is never deleted before it is rolled
// up.
import type { TierName } from '../domain/series.ts';
import type { ChunkRepo, StoredRow } from './chunk-repo.ts';
import { decodeRollups, encodeRollups } from './rollup-codec.ts';
import { normalizeBuckets, type RollupBucket } from './rollup.ts';
import { StoreError } from './store-error.ts';
import { RAW_WINDOW_MS, type TierSpec } from './tiers.ts';
import { DAY_MS } from '../domain/time.ts';

/** Rows deleted per retention transaction. */
export const EXPIRE_BATCH = 10_000;
/** (series, span) groups merged per compaction transaction. */
export const COMPACT_BATCH = 500;

/** Runs one transaction; returns its result or the store error that stopped it. */
export type RunTransaction = <T>(work: () => T, what: string) => T | StoreError;

/** A budget of transactions shared by the steps of one rotation run. */
export interface BatchBudget {
  remaining: number;
}

/** Buckets of all rows (deleted), merged; `decimals` is shared by all rows or null. */
function takeRows(repo: ChunkRepo, tier: TierSpec, rows: readonly StoredRow[]) {
  const buckets: RollupBucket[] = [];
  let decimals: number | null | undefined;
  for (const row of rows) {
    const decoded = decodeRollups(row.data, tier.sketch);
    buckets.push(...decoded.buckets);
    decimals = decimals === undefined || decimals === decoded.decimals ? decoded.decimals : null;
    repo.deleteRow(tier.name, row.rowid);
  }
  return { buckets: normalizeBuckets(buckets), decimals: decimals ?? null };
}

function mergeWindow(repo: ChunkRepo, tier: TierSpec, group: { seriesId: number; windowStartMs: number }): number {
  const rows = repo.window(tier.name, group.seriesId, {
    startMs: group.windowStartMs,
    endMs: group.windowStartMs + tier.rowSpanMs,
  });
  const first = rows[0];
  if (rows.length === 1 && first) {
    repo.markCompacted(tier.name, first.rowid);
    return 1;
  }
  const { buckets, decimals } = takeRows(repo, tier, rows);
  const last = buckets[buckets.length - 1];
  if (!buckets[0] || !last) return rows.length;
  repo.insert({
    tier: tier.name,
    seriesId: group.seriesId,
    startMs: buckets[0].startMs,
    endMs: last.startMs,
    count: buckets.length,
    partial: false,
    data: encodeRollups(buckets, { resolutionMs: tier.resolutionMs, decimals, withSketch: tier.sketch }),
  });
  return rows.length;
}

/**
 * Merges each row span's rows into one row, for spans holding partial rows that started before the last UTC
 * midnight at least one raw window ago: once a day, so that a 7-day or 91-day span is rewritten at most daily while
 * it fills, and never holds more than a day of partial rows. Returns the rows merged.
 */
export function compactTier(
  ctx: { repo: ChunkRepo; run: RunTransaction; budget: BatchBudget },
  tier: TierSpec,
  nowMs: number,
): number | StoreError {
  if (tier.resolutionMs === 0) return 0;
  const closedBeforeMs = Math.floor((nowMs - RAW_WINDOW_MS) / DAY_MS) * DAY_MS;
  let merged = 0;
  while (ctx.budget.remaining > 0) {
    ctx.budget.remaining--;
    const result = ctx.run(() => {
      const groups = ctx.repo.partialWindows(tier.name, closedBeforeMs, COMPACT_BATCH);
      let rows = 0;
      for (const g of groups) rows += mergeWindow(ctx.repo, tier, g);
      return { groups: groups.length, rows };
    }, `compaction of ${tier.table}`);
    if (result instanceof StoreError) return result;
    merged += result.rows;
    if (result.groups < COMPACT_BATCH) break;
  }
  return merged;
}

/** Deletes rows whose newest data is older than the tier's retention. Returns rows deleted. */
export function expireTier(
  ctx: { repo: ChunkRepo; run: RunTransaction; budget: BatchBudget },
  tier: TierSpec,
  nowMs: number,
): number | StoreError {
  // A rollup row's end is its last bucket's start; the bucket's data runs one resolution further.
  const cutoffMs = nowMs - tier.retentionMs - tier.resolutionMs;
  let deleted = 0;
  while (ctx.budget.remaining > 0) {
    ctx.budget.remaining--;
    const n = ctx.run(() => ctx.repo.expire(tier.name, cutoffMs, EXPIRE_BATCH), `retention of ${tier.table}`);
    if (n instanceof StoreError) return n;
    deleted += n;
    if (n < EXPIRE_BATCH) break;
  }
  return deleted;
}

/** Empty per-tier counters. */
export function zeroByTier(): Record<TierName, number> {
  return { raw: 0, '5m': 0, '1h': 0, '1d': 0 };
}
