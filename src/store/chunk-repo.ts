// SPDX-License-Identifier: Apache-2.0
// SQL for chunk and rollup rows, head checkpoints and tombstones, and the sample log: prepared once per tier table. Table names come from the tier
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

/** A head checkpoint row; `data` is empty for a tombstone (the head was cut, no newer checkpoint yet). */
export interface HeadRow {
  readonly seriesId: number;
  readonly windowStartMs: number;
  readonly data: Uint8Array;
  /** The last cut of the series ended here: logged samples at or before it are in a raw chunk. */
  readonly cutUntilMs?: number | null;
}

/** Replaces a cut head's checkpoint: see migrations/0004_sample_log.sql. */
export interface Tombstone {
  readonly seriesId: number;
  readonly windowStartMs: number;
  readonly cutUntilMs: number;
  /** Newest sample log row that can hold samples of the cut head. */
  readonly cutLogId: number;
}

/** A row of the sample log. */
export interface LogRow {
  readonly id: number;
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
  private readonly loadHeadsStmt: Statement;
  private readonly tombstoneStmt: Statement;
  private readonly log: { insert: Statement; ids: Statement; one: Statement; truncate: Statement; dropTombstones: Statement; lastId: Statement };

  constructor(db: Db, tiers: readonly TierSpec[]) {
    for (const spec of tiers) this.tiers.set(spec.name, prepareTier(db, spec));
    this.saveHeadStmt = db.prepare(
      'INSERT INTO head_chunks (series_id, window_start_ms, data) VALUES (?, ?, ?) ' +
        'ON CONFLICT (series_id) DO UPDATE SET window_start_ms = excluded.window_start_ms, data = excluded.data',
    );
    this.loadHeadsStmt = db.prepare(
      'SELECT series_id AS seriesId, window_start_ms AS windowStartMs, data, cut_until_ms AS cutUntilMs FROM head_chunks',
    );
    this.tombstoneStmt = db.prepare(
      "INSERT INTO head_chunks (series_id, window_start_ms, data, cut_until_ms, cut_log_id) VALUES (?, ?, X'', ?, ?) " +
        'ON CONFLICT (series_id) DO UPDATE SET window_start_ms = excluded.window_start_ms, data = excluded.data, ' +
        'cut_until_ms = excluded.cut_until_ms, cut_log_id = excluded.cut_log_id',
    );
    this.log = {
      insert: db.prepare('INSERT INTO sample_log (id, data) VALUES (?, ?)'),
      ids: db.prepare('SELECT id FROM sample_log ORDER BY id').pluck(),
      one: db.prepare('SELECT data FROM sample_log WHERE id = ?').pluck(),
      truncate: db.prepare('DELETE FROM sample_log WHERE id <= ?'),
      dropTombstones: db.prepare('DELETE FROM head_chunks WHERE length(data) = 0 AND cut_log_id <= ?'),
      lastId: db.prepare('SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM sample_log UNION ALL SELECT MAX(cut_log_id) FROM head_chunks)').pluck(),
    };
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

  loadHeads(): HeadRow[] {
    return this.loadHeadsStmt.all() as HeadRow[];
  }

  saveTombstone(t: Tombstone): void {
    this.tombstoneStmt.run(t.seriesId, t.windowStartMs, t.cutUntilMs, t.cutLogId);
  }

  insertLog(row: LogRow): void {
    this.log.insert.run(row.id, asBuffer(row.data));
  }

  /**
   * Sample log rows in id order, one read at a time (not a cursor: the caller may run other statements, such as
   * the series registry's lookups, between rows).
   */
  *logRows(): Generator<LogRow> {
    for (const id of this.log.ids.all() as number[]) {
      const data = this.log.one.get(id) as Uint8Array | undefined;
      if (data) yield { id, data };
    }
  }

  /** Deletes log rows up to `id` and the tombstones that only those rows needed. */
  truncateLog(id: number): void {
    this.log.truncate.run(id);
    this.log.dropTombstones.run(id);
  }

  /** Highest log id ever used (rows or tombstones), 0 when none: ids are never reused. */
  lastLogId(): number {
    return (this.log.lastId.get() as number | null) ?? 0;
  }

  private stmts(tier: TierName): TierStatements {
    const s = this.tiers.get(tier);
    if (!s) throw new RangeError(`unknown tier ${tier}`);
    return s;
  }
}
