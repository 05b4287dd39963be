// SPDX-License-Identifier: Apache-2.0
// The `series` table with an in-memory cache in both directions (key → id, id → info): appends look ids up
// millions of times per hour, the table only when a series is new.
import type { EntityKind, SeriesId, SeriesInfo, SeriesKey, SeriesSelector } from '../domain/series.ts';
import type { Db } from './db.ts';

interface SeriesRow {
  id: number;
  cluster: string;
  kind: string;
  entity: string;
  metric: string;
}

function keyString(k: SeriesKey): string {
  return `${k.cluster}\u0000${k.kind}\u0000${k.entity}\u0000${k.metric}`;
}

function toInfo(r: SeriesRow): SeriesInfo {
  return { id: r.id, cluster: r.cluster, kind: r.kind as EntityKind, entity: r.entity, metric: r.metric };
}

/** Highest code point, so that `prefix + MAX_CHAR` bounds every key that starts with `prefix`. */
const MAX_CHAR = '\u{10FFFF}';

/** Most series identities kept in memory (about 300 bytes each): three times the series of 150,000 pods. */
const MAX_CACHED = 2_000_000;

/** Series identities. */
export class SeriesRegistry {
  private readonly byKey = new Map<string, SeriesId>();
  private readonly byId = new Map<SeriesId, SeriesInfo>();
  private readonly selectActive;
  private readonly selectKey;
  private readonly selectId;
  private loaded = false;
  private readonly insert;

  constructor(private readonly db: Db) {
    this.selectActive = db.prepare(
      'SELECT s.id, s.cluster, s.kind, s.entity, s.metric FROM series s JOIN head_chunks h ON h.series_id = s.id',
    );
    this.selectKey = db.prepare('SELECT id FROM series WHERE cluster = ? AND kind = ? AND entity = ? AND metric = ?');
    this.selectId = db.prepare('SELECT id, cluster, kind, entity, metric FROM series WHERE id = ?');
    this.insert = db.prepare(
      'INSERT INTO series (cluster, kind, entity, metric, created_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id',
    );
  }

  /** Ids of the keys, inserting new series in one transaction; throws the SQLite error when it cannot write. */
  resolve(keys: readonly SeriesKey[], nowMs: number): SeriesId[] {
    this.loadActive();
    const ids: SeriesId[] = new Array<SeriesId>(keys.length);
    const missing: number[] = [];
    keys.forEach((k, i) => {
      // A miss is most likely new; create() reads the id of one that exists after all.
      const id = this.byKey.get(keyString(k));
      if (id === undefined) missing.push(i);
      else ids[i] = id;
    });
    if (missing.length === 0) return ids;
    try {
      this.db.transaction(() => {
        for (const i of missing) ids[i] = this.create(keys[i] as SeriesKey, nowMs);
      })();
    } catch (e) {
      // The transaction rolled back: forget the ids it handed out. A database that cannot be written (read-only,
      // full) still resolves series that exist, by reading them; a key that is really new gets the SQLite error.
      for (const i of missing) this.forget(keys[i] as SeriesKey);
      for (const i of missing) {
        const k = keys[i] as SeriesKey;
        const row = this.selectKey.get(k.cluster, k.kind, k.entity, k.metric) as { id: number } | undefined;
        if (row === undefined) throw e;
        ids[i] = this.remember({ id: row.id, cluster: k.cluster, kind: k.kind, entity: k.entity, metric: k.metric }).id;
      }
    }
    return ids;
  }

  /** Info of one id, from the cache or the table. */
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
    return (this.db.prepare(sql).all(...args) as SeriesRow[]).map((r) => this.remember(toInfo(r)));
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

  private create(k: SeriesKey, nowMs: number): SeriesId {
    const existing = this.byKey.get(keyString(k));
    if (existing !== undefined) return existing;
    // Another connection (a second process on the same file) may have created it since the cache was loaded.
    const row = (this.insert.get(k.cluster, k.kind, k.entity, k.metric, nowMs) ?? this.selectKey.get(k.cluster, k.kind, k.entity, k.metric)) as { id: number };
    return this.remember({ id: row.id, cluster: k.cluster, kind: k.kind, entity: k.entity, metric: k.metric }).id;
  }

  private forget(k: SeriesKey): void {
    const id = this.byKey.get(keyString(k));
    this.byKey.delete(keyString(k));
    if (id !== undefined) this.byId.delete(id);
  }

  private remember(info: SeriesInfo): SeriesInfo {
    // A cache, not the table: under pod churn series keep being created, and everything here can be read again.
    if (this.byId.size >= MAX_CACHED) {
      this.byKey.clear();
      this.byId.clear();
    }
    this.byKey.set(keyString(info), info.id);
    this.byId.set(info.id, info);
    return info;
  }
}
