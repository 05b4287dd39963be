// SPDX-License-Identifier: Apache-2.0
// SQL for Kubernetes Events and pod lifecycle entries (migrations/0002_history.sql). An Event object updated in
// place (count and lastSeen grow) adds only its increase to its row; a new Event object of the same series (same
// involved object, type, reason, reporter and message) folds into the series' latest row when it follows within
// FOLD_GAP_MS, as the API server recreates Events after their TTL while the condition persists. Lifecycle entries
// are keyed by their dedupeKey, so writing one twice is a no-op.
import type { LifecycleRecord } from '../domain/history.ts';
import type { KubeEvent } from '../domain/resources.ts';
import type { Db } from './db.ts';

/**
 * Longest quiet period between two Event objects of one series that still folds them into one row: the default
 * Event TTL of the API server (1 h), so a condition that keeps firing stays one row, and one that comes back
 * later starts a new row.
 */
export const FOLD_GAP_MS = 3_600_000;

/** What writing one Event did. */
export type EventWrite = 'inserted' | 'updated' | 'unchanged';

interface ObjectRow {
  event_id: number;
  count: number;
  last_ms: number;
}

interface SeriesRow {
  id: number;
  last_ms: number;
}

/** Occurrence times of an Event: the Event's own first/last seen, else its creation, else the observation. */
function timesOf(e: KubeEvent, observedAtMs: number): { first: number; last: number } {
  const first = e.firstSeenAtMs ?? e.lastSeenAtMs ?? e.createdAtMs ?? observedAtMs;
  return { first, last: Math.max(first, e.lastSeenAtMs ?? first) };
}

function prepare(db: Db) {
  return {
    object: db.prepare('SELECT event_id, count, last_ms FROM event_objects WHERE cluster = ? AND uid = ?'),
    series: db.prepare('SELECT id, last_ms FROM events WHERE cluster = ? AND dedupe_key = ? ORDER BY last_ms DESC LIMIT 1'),
    insert: db.prepare(
      'INSERT INTO events (cluster, dedupe_key, namespace, involved_kind, involved_name, involved_uid, field_path, type, ' +
        'reason, message, source, count, first_ms, last_ms) VALUES (@cluster, @key, @namespace, @kind, @name, @uid, @fieldPath, ' +
        '@type, @reason, @message, @source, @count, @first, @last)',
    ),
    grow: db.prepare(
      'UPDATE events SET count = count + @add, first_ms = MIN(first_ms, @first), last_ms = MAX(last_ms, @last), ' +
        'involved_uid = COALESCE(@uid, involved_uid) WHERE id = @id',
    ),
    putObject: db.prepare(
      'INSERT INTO event_objects (cluster, uid, event_id, count, last_ms) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (cluster, uid) DO UPDATE SET count = excluded.count, last_ms = excluded.last_ms',
    ),
    lifecycle: db.prepare(
      'INSERT OR IGNORE INTO pod_lifecycle (cluster, dedupe_key, type, namespace, pod, pod_uid, node, workload_kind, ' +
        'workload_name, container, reason, message, exit_code, restart_count, memory_limit_b, at_ms) VALUES (@cluster, ' +
        '@dedupeKey, @type, @namespace, @pod, @podUid, @nodeName, @workloadKind, @workloadName, @container, @reason, ' +
        '@message, @exitCode, @restartCount, @memoryLimitBytes, @atMs)',
    ),
    expireEvents: db.prepare('DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE last_ms < ? LIMIT ?)'),
    expireLifecycle: db.prepare('DELETE FROM pod_lifecycle WHERE rowid IN (SELECT rowid FROM pod_lifecycle WHERE at_ms < ? LIMIT ?)'),
  };
}

/** Descriptive columns of a new event row. */
function insertParams(e: KubeEvent) {
  return {
    key: e.dedupeKey,
    namespace: e.subject.namespace ?? e.namespace,
    kind: e.subject.kind ?? '',
    name: e.subject.name ?? '',
    uid: e.subject.uid ?? null,
    fieldPath: e.subject.fieldPath ?? null,
    type: e.type,
    reason: e.reason ?? '',
    message: e.message ?? '',
    source: e.reportingComponent ?? null,
  };
}

/** Prepared statements of the event and lifecycle tables. */
export class EventRepo {
  private readonly s: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.s = prepare(db);
  }

  /** Writes one Event object; call inside a transaction. */
  recordEvent(cluster: string, e: KubeEvent, observedAtMs: number): EventWrite {
    const { first, last } = timesOf(e, observedAtMs);
    const count = Math.max(1, e.count);
    const uid = e.subject.uid ?? null;
    const known = this.s.object.get(cluster, e.uid) as ObjectRow | undefined;
    if (known) {
      if (count <= known.count && last <= known.last_ms) return 'unchanged';
      this.s.grow.run({ add: Math.max(0, count - known.count), first, last, uid, id: known.event_id });
      this.s.putObject.run(cluster, e.uid, known.event_id, Math.max(count, known.count), Math.max(last, known.last_ms));
      return 'updated';
    }
    const series = this.s.series.get(cluster, e.dedupeKey) as SeriesRow | undefined;
    if (series && first <= series.last_ms + FOLD_GAP_MS) {
      this.s.grow.run({ add: count, first, last, uid, id: series.id });
      this.s.putObject.run(cluster, e.uid, series.id, count, last);
      return 'updated';
    }
    const id = this.s.insert.run({ ...insertParams(e), cluster, count, first, last }).lastInsertRowid;
    this.s.putObject.run(cluster, e.uid, id, count, last);
    return 'inserted';
  }

  /** Writes one lifecycle entry unless its dedupeKey is stored; returns true when inserted. */
  recordLifecycle(cluster: string, r: LifecycleRecord): boolean {
    const info = this.s.lifecycle.run({
      cluster,
      dedupeKey: r.dedupeKey,
      type: r.type,
      namespace: r.namespace,
      pod: r.pod,
      podUid: r.podUid,
      nodeName: r.nodeName ?? null,
      workloadKind: r.workload.kind,
      workloadName: r.workload.name,
      container: r.container ?? null,
      reason: r.reason ?? null,
      message: r.message ?? null,
      exitCode: r.exitCode ?? null,
      restartCount: r.restartCount ?? null,
      memoryLimitBytes: r.memoryLimitBytes ?? null,
      atMs: r.atMs,
    });
    return info.changes > 0;
  }

  /** Deletes up to `batch` event rows last seen before `cutoffMs` (their objects go by cascade). */
  expireEvents(cutoffMs: number, batch: number): number {
    return this.s.expireEvents.run(cutoffMs, batch).changes;
  }

  /** Deletes up to `batch` lifecycle entries before `cutoffMs`. */
  expireLifecycle(cutoffMs: number, batch: number): number {
    return this.s.expireLifecycle.run(cutoffMs, batch).changes;
  }
}
