// SPDX-License-Identifier: Apache-2.0
// SQL for chunk and rollup rows and head checkpoints: prepared once per tier table. Table names come from the tier
// constants, never from input.
import type { Statement } from 'better-sqlite3';
import type { TierName } from '../domain/series.ts';
import type { Db } from './db.ts';
import type { TierSpec } from './tiers.ts';

/** A row to write: raw chunk or rollup chunk. Times in ms (see the schema for their meaning per table). */
export interface ChunkRow {
  readonly tier: TierName;
  readonly seriesId: number;
  readonly startMs: number;
  readonly endMs: number;
  /** Samples (raw) or buckets (rollups). */
  readonly count: number;
  /** Rollups only: written by a live cut, to be merged by compaction. */
  readonly partial: boolean;
  readonly data: Uint8Array;
}

/** A stored row as read back. */
export interface StoredRow {
  readonly rowid: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly data: Uint8Array;
}

/** A head checkpoint row. */
export interface HeadRow {
  readonly seriesId: number;
  readonly windowStartMs: number;
  readonly data: Uint8Array;
}

interface TierStatements {
  readonly spec: TierSpec;
  readonly insert: Statement;
  readonly range: Statement;
  readonly earliest: Statement;
  readonly partialWindows: Statement | null;
  readonly deleteRow: Statement;
  readonly markCompacted: Statement;
  readonly expire: Statement;
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function prepareTier(db: Db, spec: TierSpec): TierStatements {
  const t = spec.table;
  const raw = spec.resolutionMs === 0;
  return {
    spec,
    insert: raw
      ? db.prepare(`INSERT INTO ${t} (series_id, start_ms, end_ms, count, data) VALUES (?, ?, ?, ?, ?)`)
      : db.prepare(`INSERT INTO ${t} (series_id, start_ms, end_ms, count, data, partial) VALUES (?, ?, ?, ?, ?, ?)`),
    range: db.prepare(
      `SELECT rowid, start_ms AS startMs, end_ms AS endMs, data FROM ${t} ` +
        'WHERE series_id = ? AND start_ms >= ? AND start_ms < ? AND end_ms >= ? ORDER BY start_ms',
    ),
    earliest: db.prepare(`SELECT MIN(start_ms) AS m FROM ${t} WHERE series_id = ?`).pluck(),
    partialWindows: raw
      ? null
      : db.prepare(
          `SELECT DISTINCT series_id AS seriesId, start_ms - (start_ms % ?) AS windowStartMs FROM ${t} ` +
            'WHERE partial = 1 AND start_ms < ? LIMIT ?',
        ),
    deleteRow: db.prepare(`DELETE FROM ${t} WHERE rowid = ?`),
    markCompacted: raw ? db.prepare('SELECT ?') : db.prepare(`UPDATE ${t} SET partial = 0 WHERE rowid = ?`),
    expire: db.prepare(`DELETE FROM ${t} WHERE rowid IN (SELECT rowid FROM ${t} WHERE end_ms < ? LIMIT ?)`),
  };
}

/** Row access for every tier plus the head checkpoints. */
export class ChunkRepo {
  private readonly tiers = new Map<TierName, TierStatements>();
  private readonly saveHeadStmt: Statement;
  private readonly deleteHeadStmt: Statement;
  private readonly loadHeadsStmt: Statement;

  constructor(db: Db, tiers: readonly TierSpec[]) {
    for (const spec of tiers) this.tiers.set(spec.name, prepareTier(db, spec));
    this.saveHeadStmt = db.prepare(
      'INSERT INTO head_chunks (series_id, window_start_ms, data) VALUES (?, ?, ?) ' +
        'ON CONFLICT (series_id) DO UPDATE SET window_start_ms = excluded.window_start_ms, data = excluded.data',
    );
    this.deleteHeadStmt = db.prepare('DELETE FROM head_chunks WHERE series_id = ?');
    this.loadHeadsStmt = db.prepare(
      'SELECT series_id AS seriesId, window_start_ms AS windowStartMs, data FROM head_chunks',
    );
  }

  insert(row: ChunkRow): void {
    const s = this.stmts(row.tier);
    const args = [row.seriesId, row.startMs, row.endMs, row.count, asBuffer(row.data)];
    if (s.spec.resolutionMs === 0) s.insert.run(...args);
    else s.insert.run(...args, row.partial ? 1 : 0);
  }

  /** Rows of one series whose start is in `[fromMs − row span, toMs)` and whose end is at or after `fromMs`. */
  range(tier: TierName, seriesId: number, range: { fromMs: number; toMs: number }): StoredRow[] {
    const s = this.stmts(tier);
    return s.range.all(seriesId, range.fromMs - s.spec.rowSpanMs, range.toMs, range.fromMs) as StoredRow[];
  }

  /** Rows of one series starting in `[startMs, endMs)`. */
  window(tier: TierName, seriesId: number, window: { startMs: number; endMs: number }): StoredRow[] {
    return this.stmts(tier).range.all(seriesId, window.startMs, window.endMs, window.startMs) as StoredRow[];
  }

  earliest(tier: TierName, seriesId: number): number | undefined {
    const m = this.stmts(tier).earliest.get(seriesId) as number | null;
    return m ?? undefined;
  }

  /** Distinct (series, row-span window) pairs that hold partial rows starting before `beforeMs`. */
  partialWindows(tier: TierName, beforeMs: number, limit: number): Array<{ seriesId: number; windowStartMs: number }> {
    const s = this.stmts(tier);
    if (!s.partialWindows) return [];
    return s.partialWindows.all(s.spec.rowSpanMs, beforeMs, limit) as Array<{ seriesId: number; windowStartMs: number }>;
  }

  deleteRow(tier: TierName, rowid: number): void {
    this.stmts(tier).deleteRow.run(rowid);
  }

  markCompacted(tier: TierName, rowid: number): void {
    this.stmts(tier).markCompacted.run(rowid);
  }

  /** Deletes up to `limit` rows whose end is before `cutoffMs`; returns how many. */
  expire(tier: TierName, cutoffMs: number, limit: number): number {
    return this.stmts(tier).expire.run(cutoffMs, limit).changes;
  }

  saveHead(row: HeadRow): void {
    this.saveHeadStmt.run(row.seriesId, row.windowStartMs, asBuffer(row.data));
  }

  deleteHead(seriesId: number): void {
    this.deleteHeadStmt.run(seriesId);
  }

  loadHeads(): HeadRow[] {
    return this.loadHeadsStmt.all() as HeadRow[];
  }

  private stmts(tier: TierName): TierStatements {
    const s = this.tiers.get(tier);
    if (!s) throw new RangeError(`unknown tier ${tier}`);
    return s;
  }
}
