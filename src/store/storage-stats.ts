// SPDX-License-Identifier: Apache-2.0
// What each tier holds and occupies on disk, for diagnostics and benchmarks (bytes per stored sample).
import type { Db } from './db.ts';
import type { TierName } from '../domain/series.ts';
import type { TierSpec } from './tiers.ts';

/** Storage of one tier: `items` are samples (raw) or buckets (rollups); bytes include the tier's indexes. */
export interface TierStorage {
  readonly rows: number;
  readonly items: number;
  readonly payloadBytes: number;
  readonly diskBytes: number;
}

/**
 * Rows, payload bytes and bytes on disk (table and index pages, from `dbstat`) per tier. Reads every page of the
 * chunk tables: for diagnostics and benchmarks, not for a health probe.
 */
export function tierStorage(db: Db, tiers: readonly TierSpec[]): Record<TierName, TierStorage> {
  const out = {} as Record<TierName, TierStorage>;
  const pages = db.prepare('SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name = ? AND aggregate = TRUE').pluck();
  for (const t of tiers) {
    const row = db
      .prepare(`SELECT COUNT(*) AS rows, COALESCE(SUM(count), 0) AS items, COALESCE(SUM(length(data)), 0) AS payload FROM ${t.table}`)
      .get() as { rows: number; items: number; payload: number };
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?").pluck().all(t.table) as string[];
    let diskBytes = pages.get(t.table) as number;
    for (const name of indexes) diskBytes += pages.get(name) as number;
    out[t.name] = { rows: row.rows, items: row.items, payloadBytes: row.payload, diskBytes };
  }
  return out;
}
