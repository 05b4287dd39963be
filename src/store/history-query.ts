// SPDX-License-Identifier: Apache-2.0
// Reads of the event history: Kubernetes Events (by their last occurrence) and pod lifecycle entries merged newest
// first, with keyset pagination on (time, source, id). Each table is read on its own index with the cursor pushed
// into its WHERE clause, then the two pages are merged, so a page costs two index range scans of `limit` rows.
import type { PodLifecycleEventType } from '../domain/kube-ports.ts';
import {
  LIFECYCLE_TYPES,
  type HistoryCursor,
  type HistoryEntry,
  type HistoryEventQuery,
  type HistoryPage,
  type HistorySource,
  type StoredKubeEvent,
  type StoredLifecycleEvent,
} from '../domain/history.ts';
import type { Db } from './db.ts';

interface EventRow {
  id: number;
  namespace: string;
  involved_kind: string;
  involved_name: string;
  involved_uid: string | null;
  field_path: string | null;
  type: string;
  reason: string;
  message: string;
  source: string | null;
  count: number;
  first_ms: number;
  last_ms: number;
}

interface LifecycleRow {
  id: number;
  type: PodLifecycleEventType;
  namespace: string;
  pod: string;
  pod_uid: string;
  node: string | null;
  workload_kind: string;
  workload_name: string;
  container: string | null;
  reason: string | null;
  message: string | null;
  exit_code: number | null;
  restart_count: number | null;
  memory_limit_b: number | null;
  at_ms: number;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function toEvent(r: EventRow): StoredKubeEvent {
  return {
    source: 'event',
    id: r.id,
    namespace: r.namespace,
    involvedKind: r.involved_kind,
    involvedName: r.involved_name,
    involvedUid: opt(r.involved_uid),
    fieldPath: opt(r.field_path),
    type: r.type,
    reason: r.reason,
    message: r.message,
    reportingComponent: opt(r.source),
    count: r.count,
    firstAtMs: r.first_ms,
    lastAtMs: r.last_ms,
  };
}

function toLifecycle(r: LifecycleRow): StoredLifecycleEvent {
  return {
    source: 'lifecycle',
    id: r.id,
    type: r.type,
    namespace: r.namespace,
    pod: r.pod,
    podUid: r.pod_uid,
    nodeName: opt(r.node),
    workloadKind: r.workload_kind,
    workloadName: r.workload_name,
    container: opt(r.container),
    reason: opt(r.reason),
    message: opt(r.message),
    exitCode: opt(r.exit_code),
    restartCount: opt(r.restart_count),
    memoryLimitBytes: opt(r.memory_limit_b),
    atMs: r.at_ms,
  };
}

/** WHERE terms and their named parameters. */
class Where {
  readonly terms: string[] = [];
  readonly params: Record<string, unknown> = {};

  add(sql: string, params: Record<string, unknown>): void {
    for (const v of Object.values(params)) if (v === undefined) return;
    this.terms.push(sql);
    Object.assign(this.params, params);
  }

  in(column: string, values: readonly string[]): void {
    const names = values.map((v, i) => {
      this.params[`t${i}`] = v;
      return `@t${i}`;
    });
    this.terms.push(`${column} IN (${names.join(', ')})`);
  }
}

/** The cursor condition of one table: `source` sorts after or before the cursor's source at equal times. */
function cursorTerm(w: Where, table: { at: string; source: HistorySource }, after: HistoryCursor | undefined): void {
  if (!after) return;
  const { at, source } = table;
  const params = { cAt: after.atMs, cId: after.id };
  if (source === after.source) w.add(`(${at} < @cAt OR (${at} = @cAt AND id < @cId))`, params);
  // Descending order puts 'lifecycle' before 'event' at equal times.
  else w.add(source < after.source ? `${at} <= @cAt` : `${at} < @cAt`, { cAt: after.atMs });
}

function common(w: Where, q: HistoryEventQuery, at: string): void {
  w.add('cluster = @cluster', { cluster: q.cluster });
  w.add('namespace = @namespace', { namespace: q.namespace });
  w.add('reason = @reason', { reason: q.reason });
  w.add(`${at} >= @since`, { since: q.sinceMs });
  w.add(`${at} < @until`, { until: q.untilMs });
}

function eventWhere(q: HistoryEventQuery, types: readonly string[] | undefined): Where {
  const w = new Where();
  common(w, q, 'last_ms');
  w.add('involved_kind = @kind', { kind: q.kind });
  w.add('involved_name = @name', { name: q.name });
  w.add("involved_kind = 'Pod' AND involved_name = @pod", { pod: q.pod });
  if (types) w.in('type', types);
  cursorTerm(w, { at: 'last_ms', source: 'event' }, q.after);
  return w;
}

function lifecycleWhere(q: HistoryEventQuery, types: readonly string[] | undefined): Where {
  const w = new Where();
  common(w, q, 'at_ms');
  if (q.kind === undefined || q.kind === 'Pod') w.add('pod = @name', { name: q.name });
  else {
    w.add('workload_kind = @kind', { kind: q.kind });
    w.add('workload_name = @name', { name: q.name });
  }
  w.add('pod = @pod', { pod: q.pod });
  if (types) w.in('type', types);
  cursorTerm(w, { at: 'at_ms', source: 'lifecycle' }, q.after);
  return w;
}

/** Which tables a `types` filter reads, and the types of each; undefined means every type. */
function splitTypes(types: readonly string[] | undefined) {
  if (types === undefined) return { event: undefined, lifecycle: undefined, readEvents: true, readLifecycle: true };
  const lifecycle = types.filter((t) => (LIFECYCLE_TYPES as readonly string[]).includes(t));
  const event = types.filter((t) => !(LIFECYCLE_TYPES as readonly string[]).includes(t));
  return { event, lifecycle, readEvents: event.length > 0, readLifecycle: lifecycle.length > 0 };
}

function select(db: Db, opts: { table: string; at: string; where: Where; limit: number }): unknown[] {
  const where = opts.where.terms.length > 0 ? `WHERE ${opts.where.terms.join(' AND ')}` : '';
  const sql = `SELECT * FROM ${opts.table} ${where} ORDER BY ${opts.at} DESC, id DESC LIMIT @limit`;
  return db.prepare(sql).all({ ...opts.where.params, limit: opts.limit });
}

const timeOf = (e: HistoryEntry): number => (e.source === 'event' ? e.lastAtMs : e.atMs);

function newestFirst(a: HistoryEntry, b: HistoryEntry): number {
  return timeOf(b) - timeOf(a) || (a.source === b.source ? 0 : a.source === 'lifecycle' ? -1 : 1) || b.id - a.id;
}

/**
 * Events and lifecycle entries matching `q`, newest first. An Event row sorts by its last occurrence, so a row
 * updated between two page reads may move ahead of the cursor and not be shown again on later pages.
 */
export function queryHistory(db: Db, q: HistoryEventQuery): HistoryPage<HistoryEntry> {
  const split = splitTypes(q.types);
  const events = split.readEvents
    ? (select(db, { table: 'events', at: 'last_ms', where: eventWhere(q, split.event), limit: q.limit }) as EventRow[]).map(toEvent)
    : [];
  const lifecycle = split.readLifecycle
    ? (select(db, { table: 'pod_lifecycle', at: 'at_ms', where: lifecycleWhere(q, split.lifecycle), limit: q.limit }) as LifecycleRow[]).map(
        toLifecycle,
      )
    : [];
  const items = [...events, ...lifecycle].sort(newestFirst).slice(0, q.limit);
  const last = items[items.length - 1];
  const next = items.length === q.limit && last ? { atMs: timeOf(last), source: last.source, id: last.id } : undefined;
  return { items, next };
}
