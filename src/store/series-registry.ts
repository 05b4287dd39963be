// SPDX-License-Identifier: Apache-2.0
// The `series` table with an in-memory cache in both directions (key → id, id → info): appends look ids up
// millions of times per hour, the table only when a series is new.
import type { EntityKind, SeriesId, SeriesInfo, SeriesKey, SeriesSelector } from '../domain/series.ts';
import type { Statement } from 'better-sqlite3';
import { mapIn } from '../domain/maps.ts';
import type { Db } from './db.ts';
import { SeriesKeyIndex, type EntitySeriesIds } from '../domain/series-key-index.ts';
import { compareKeys } from './key-order.ts';
import { IntMap } from './int-map.ts';
import { StatementCache } from './statement-cache.ts';

interface SeriesRow {
  id: number;
  cluster: string;
  kind: string;
  entity: string;
  metric: string;
}

function infoOf(id: SeriesId, k: SeriesKey): SeriesInfo {
  return { id, cluster: k.cluster, kind: k.kind, entity: k.entity, metric: k.metric };
}

function toInfo(r: SeriesRow): SeriesInfo {
  return { id: r.id, cluster: r.cluster, kind: r.kind as EntityKind, entity: r.entity, metric: r.metric };
}

/** Highest code point, so that `prefix + MAX_CHAR` bounds every key that starts with `prefix`. */
const MAX_CHAR = '\u{10FFFF}';

/** Most series identities kept in memory (about 100 bytes each): three times the series of 150,000 pods. */
const MAX_CACHED = 2_000_000;

/** Prepared statements kept: finds (one per selector shape and metric count) and the series inserts. */
const MAX_STATEMENTS = 64;

/** Rows per INSERT of new series: 6 parameters each, well under SQLite's 32,766. */
const INSERT_ROWS = 100;

function insertSql(rows: number): string {
  const values = new Array<string>(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ');
  return `INSERT INTO series (id, cluster, kind, entity, metric, created_ms) VALUES ${values} ON CONFLICT DO NOTHING`;
}

/** What series share but their entity: one object per (cluster, kind, metric), of which there are a few hundred. */
interface SeriesGroup {
  readonly cluster: string;
  readonly kind: EntityKind;
  readonly metric: string;
}

/**
 * The cached identities by id, as columns: a SeriesInfo object per series cost some 64 bytes more each, at close to
 * a million series. Slots are handed out in order and forgotten all at once, when the cache is cleared.
 */
class IdentityCache {
  /** Slot of each id (outside the JavaScript heap: close to a million entries at the scale envelope). */
  private readonly slotOf = new IntMap();
  private readonly groups: SeriesGroup[] = [];
  private readonly entities: string[] = [];
  private readonly groupIndex = new Map<string, Map<string, Map<string, SeriesGroup>>>();

  get size(): number {
    return this.slotOf.size;
  }

  get(id: SeriesId): SeriesInfo | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    const g = this.groups[slot] as SeriesGroup;
    return { id, cluster: g.cluster, kind: g.kind, entity: this.entities[slot] as string, metric: g.metric };
  }

  has(id: SeriesId): boolean {
    return this.slotOf.has(id);
  }

  set(info: SeriesInfo): void {
    if (this.slotOf.has(info.id)) return;
    this.slotOf.set(info.id, this.entities.length);
    this.groups.push(this.groupOf(info));
    this.entities.push(info.entity);
  }

  delete(id: SeriesId): void {
    this.slotOf.delete(id);
  }

  clear(): void {
    this.slotOf.clear();
    this.groups.length = 0;
    this.entities.length = 0;
    this.groupIndex.clear();
  }

  private groupOf(k: SeriesGroup): SeriesGroup {
    const byMetric = mapIn(mapIn(this.groupIndex, k.cluster), k.kind);
    let group = byMetric.get(k.metric);
    if (group === undefined) byMetric.set(k.metric, (group = { cluster: k.cluster, kind: k.kind, metric: k.metric }));
    return group;
  }
}

/** Series identities. */
export class SeriesRegistry {
  private readonly byKey = new SeriesKeyIndex();
  private readonly byId = new IdentityCache();
  private readonly selectActive;
  private readonly selectKey;
  private readonly selectId;
  private readonly selectMaxId;
  private loaded = false;
  private readonly statements: StatementCache;

  constructor(private readonly db: Db) {
    this.statements = new StatementCache(db, MAX_STATEMENTS);
    this.selectActive = db.prepare(
      'SELECT s.id, s.cluster, s.kind, s.entity, s.metric FROM series s JOIN head_chunks h ON h.series_id = s.id',
    );
    this.selectKey = db.prepare('SELECT id FROM series WHERE cluster = ? AND kind = ? AND entity = ? AND metric = ?');
    this.selectId = db.prepare('SELECT id, cluster, kind, entity, metric FROM series WHERE id = ?');
    this.selectMaxId = db.prepare('SELECT max(id) AS id FROM series');
  }

  /** Ids of the keys, inserting new series in one transaction; throws the SQLite error when it cannot write. */
  resolve(keys: readonly SeriesKey[], nowMs: number): SeriesId[] {
    this.loadActive();
    const ids: SeriesId[] = new Array<SeriesId>(keys.length);
    // Positions of the keys not cached: a miss is most likely new (createMany() reads the id of one that exists).
    const missing: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const id = this.byKey.get(keys[i] as SeriesKey);
      if (id === undefined) missing.push(i);
      else ids[i] = id;
    }
    if (missing.length === 0) return ids;
    // Sorted as the UNIQUE index orders them, so that repeats of a key are neighbours and inserts go in index order.
    missing.sort((a, b) => compareKeys(keys[a] as SeriesKey, keys[b] as SeriesKey));
    const unique: SeriesKey[] = [];
    const slot: number[] = new Array<number>(missing.length);
    missing.forEach((i, n) => {
      const k = keys[i] as SeriesKey;
      if (unique.length === 0 || compareKeys(unique[unique.length - 1] as SeriesKey, k) !== 0) unique.push(k);
      slot[n] = unique.length - 1;
    });
    const created = this.createOrRead(unique, nowMs);
    missing.forEach((i, n) => (ids[i] = created[slot[n] as number] as SeriesId));
    return ids;
  }

  /** Ids of sorted keys not cached: inserted in one transaction, or read when the database cannot be written. */
  private createOrRead(newKeys: readonly SeriesKey[], nowMs: number): SeriesId[] {
    try {
      // IMMEDIATE: the write lock is taken (waiting up to busy_timeout) before max(id) is read; a deferred transaction
      // that read first could not wait for it and failed at once with SQLITE_BUSY when another process was writing.
      return this.db.transaction(() => this.createMany(newKeys, nowMs)).immediate();
    } catch (e) {
      // The transaction rolled back: forget the ids it handed out. A database that cannot be written (read-only,
      // full) still resolves series that exist, by reading them; a key that is really new gets the SQLite error.
      for (const k of newKeys) this.forget(k);
      return newKeys.map((k) => {
        const id = this.readId(k);
        if (id === undefined) throw e;
        return id;
      });
    }
  }

  /** Info of one id, from the cache or the table. */
  /** The cached ids of one entity's series (no I/O; a miss says nothing about the table). */
  cachedOfEntity(cluster: string, kind: EntityKind, entity: string): EntitySeriesIds | undefined {
    return this.byKey.entity(cluster, kind, entity);
  }

  info(id: SeriesId): SeriesInfo | undefined {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const row = this.selectId.get(id) as SeriesRow | undefined;
    return row ? this.remember(toInfo(row)) : undefined;
  }

  /** Series matching a selector, ordered by id. */
  find(sel: SeriesSelector): SeriesInfo[] {
    const where: string[] = [];
    const args: string[] = [];
    const eq = (column: string, v: string | undefined): void => {
      if (v === undefined) return;
      where.push(`${column} = ?`);
      args.push(v);
    };
    eq('cluster', sel.cluster);
    eq('kind', sel.kind);
    eq('entity', sel.entity);
    if (sel.entityPrefix !== undefined) {
      where.push('entity >= ? AND entity < ?');
      args.push(sel.entityPrefix, sel.entityPrefix + MAX_CHAR);
    }
    if (sel.metrics) {
      where.push(`metric IN (${sel.metrics.map(() => '?').join(', ') || 'NULL'})`);
      args.push(...sel.metrics);
    }
    const sql = `SELECT id, cluster, kind, entity, metric FROM series${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    // A series row never changes: one already cached is reused rather than remembered again.
    return (this.statement(sql).all(...args) as SeriesRow[]).map((r) => (this.byId.has(r.id) ? toInfo(r) : this.remember(toInfo(r))));
  }

  /**
   * A prepared statement per distinct selector shape (and series insert size): an analysis pass asks thousands of
   * namespace-scoped finds of a handful of shapes, and preparing each again was a fifth of its SQLite time.
   */
  private statement(sql: string): Statement {
    return this.statements.get(sql);
  }

  /**
   * Reads the series with a row in `head_chunks` (open heads and cut tombstones: those of the current raw window,
   * which the restore at open and the next collections touch again) into the cache, once. A key missing from the cache is then inserted
   * without a point lookup first: the first collection of a large cluster creates hundreds of thousands of series,
   * and a lookup per key would only miss. The cache need not be complete: an insert that meets an existing series
   * (one idle for a while, or created by another process) falls back to reading its id.
   */
  loadActive(): void {
    if (this.loaded) return;
    for (const row of this.selectActive.iterate() as IterableIterator<SeriesRow>) this.remember(toInfo(row));
    this.loaded = true;
  }

  /**
   * Inserts new series, given sorted as the UNIQUE index orders them, INSERT_ROWS per statement: in that order the
   * index grows at its right edge instead of touching a random page per row, and one statement per row was most of
   * a large cluster's first collection. Ids are handed out here, from the table's largest in this same write
   * transaction, so nothing needs to come back (RETURNING cost a third of the insert). A batch that met existing
   * series (created by another process, or idle and not cached) inserted fewer rows: its keys' ids are read instead
   * (the ones it did insert read back as the ids given). Returns the ids in the order of `newKeys`.
   */
  private createMany(newKeys: readonly SeriesKey[], nowMs: number): SeriesId[] {
    const out = new Array<SeriesId>(newKeys.length);
    const args: (string | number)[] = [];
    let next = ((this.selectMaxId.get() as { id: number | null }).id ?? 0) + 1;
    for (let at = 0; at < newKeys.length; at += INSERT_ROWS) {
      const batch = newKeys.slice(at, at + INSERT_ROWS);
      args.length = 0;
      batch.forEach((p, n) => args.push(next + n, p.cluster, p.kind, p.entity, p.metric, nowMs));
      const inserted = this.statement(insertSql(batch.length)).run(...args).changes;
      if (inserted === batch.length) batch.forEach((p, n) => (out[at + n] = this.remember(infoOf(next + n, p)).id));
      else batch.forEach((p, n) => (out[at + n] = this.readId(p) as SeriesId));
      next += batch.length;
    }
    return out;
  }

  /** The id of an existing series, read from the table into the cache. */
  private readId(k: SeriesKey): SeriesId | undefined {
    const row = this.selectKey.get(k.cluster, k.kind, k.entity, k.metric) as { id: number } | undefined;
    return row === undefined ? undefined : this.remember(infoOf(row.id, k)).id;
  }

  private forget(k: SeriesKey): void {
    const id = this.byKey.get(k);
    this.byKey.delete(k);
    if (id !== undefined) this.byId.delete(id);
  }

  private remember(info: SeriesInfo): SeriesInfo {
    // A cache, not the table: under pod churn series keep being created, and everything here can be read again.
    // The key index rotates its generations (the series in use stay, the churned ones go), since the collector looks
    // up every key of every cycle in it; the identities by id are only read by queries and are simply dropped.
    // (Series rows are never deleted, so the two need not be dropped together.)
    if (this.byKey.size >= MAX_CACHED / 2) this.byKey.rotate();
    if (this.byId.size >= MAX_CACHED) this.byId.clear();
    this.byKey.set(info, info.id);
    this.byId.set(info);
    return info;
  }

}
