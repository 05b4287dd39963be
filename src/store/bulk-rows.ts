// SPDX-License-Identifier: Apache-2.0
// Bulk row reads for queries over many series (a namespace's containers): one statement per tier and range over all
// the series ids instead of one per series, the rows grouped by series in JS. An analysis pass over a large cluster
// otherwise spends much of its read time crossing from JS into SQLite and back, millions of times.
import type { Statement } from 'better-sqlite3';
import type { TierName } from '../domain/series.ts';
import type { ChunkRow } from './chunk-repo.ts';
import type { Db } from './db.ts';
import type { TierSpec } from './tiers.ts';

/** Blobs per series id, in start order (stored rows first, then the pending ones). */
export type RowsBySeries = Map<number, Uint8Array[]>;

/** Reads the rows of many series of one tier overlapping `[fromMs, toMs)`, as the per-series range read does. */
export type BulkRowRead = (tier: TierName, seriesIds: readonly number[], range: { fromMs: number; toMs: number }) => RowsBySeries;

/** What {@link bulkRowReader} reads from. */
export interface BulkRowDeps {
  readonly db: Db;
  readonly tiers: readonly TierSpec[];
  /** Rows queued but not yet written, of one series and tier (the write queue's view). */
  readonly pending?: (tier: TierName, seriesId: number) => ReadonlyArray<Pick<ChunkRow, 'startMs' | 'endMs' | 'data'>>;
}

/** Ids per statement: far below SQLite's limits on a JSON argument, and a bound on the rows one call holds. */
const IDS_PER_STATEMENT = 20_000;

function prepare(db: Db, spec: TierSpec): Statement {
  // The conditions of the per-series range read (chunk-repo.ts); the ids come as one JSON array, so the statement is
  // prepared once whatever their number, and the (series_id, start_ms) index serves both the lookups and the order.
  return db
    .prepare(
      `SELECT series_id, data FROM ${spec.table} ` +
        'WHERE series_id IN (SELECT value FROM json_each(?)) AND start_ms >= ? AND start_ms < ? AND end_ms >= ? ' +
        'ORDER BY series_id, start_ms',
    )
    .raw(true);
}

/** Appends rows ordered by series id to their series' lists. */
function group(out: RowsBySeries, rows: ReadonlyArray<readonly [number, Uint8Array]>): void {
  let current: Uint8Array[] | undefined;
  let currentId = -1;
  for (const [id, data] of rows) {
    if (id !== currentId || !current) {
      currentId = id;
      current = out.get(id);
      if (!current) out.set(id, (current = []));
    }
    current.push(data);
  }
}

/** Appends the queued rows overlapping the range, after the stored ones (as the per-series read does). */
function addPending(out: RowsBySeries, deps: BulkRowDeps, q: { tier: TierName; ids: readonly number[]; fromMs: number; toMs: number }): void {
  const { pending } = deps;
  if (!pending) return;
  for (const id of new Set(q.ids)) {
    for (const row of pending(q.tier, id)) {
      if (row.startMs >= q.toMs || row.endMs < q.fromMs) continue;
      const list = out.get(id);
      if (list) list.push(row.data);
      else out.set(id, [row.data]);
    }
  }
}

/** A bulk reader over the store's tier tables; a tier's statement is prepared on its first use. */
export function bulkRowReader(deps: BulkRowDeps): BulkRowRead {
  const statements = new Map<TierName, { spec: TierSpec; stmt: Statement }>();
  const statementOf = (tier: TierName): { spec: TierSpec; stmt: Statement } => {
    let s = statements.get(tier);
    if (s) return s;
    const spec = deps.tiers.find((t) => t.name === tier);
    if (!spec) throw new RangeError(`unknown tier ${tier}`);
    s = { spec, stmt: prepare(deps.db, spec) };
    statements.set(tier, s);
    return s;
  };
  return (tier, seriesIds, range) => {
    const { spec, stmt } = statementOf(tier);
    const out: RowsBySeries = new Map();
    for (let i = 0; i < seriesIds.length; i += IDS_PER_STATEMENT) {
      const ids = JSON.stringify(seriesIds.slice(i, i + IDS_PER_STATEMENT));
      group(out, stmt.all(ids, range.fromMs - spec.rowSpanMs, range.toMs, range.fromMs) as Array<[number, Uint8Array]>);
    }
    addPending(out, deps, { tier, ids: seriesIds, ...range });
    return out;
  };
}
