// SPDX-License-Identifier: Apache-2.0
// The SQLite implementation of the HistoryStore port. It shares the sample store's connection and write queue
// (SqliteSampleStore.history), so that one database has one health: a failed history write (read-only file, full
// disk) shows in the sample store's status and is retried by the caller's next batch.
import type {
  HistoryEntry,
  HistoryEventQuery,
  HistoryExpireReport,
  HistoryPage,
  HistoryRecordBatch,
  HistoryWriteReport,
  PodCursor,
  PodHistoryFilter,
  StoredNode,
  StoredPod,
} from '../domain/history.ts';
import type { HistoryStore } from '../domain/ports.ts';
import type { Db } from './db.ts';
import { EventRepo } from './event-repo.ts';
import { queryHistory } from './history-query.ts';
import { ObjectRepo, podCursor } from './object-repo.ts';
import { EXPIRE_BATCH } from './rotation.ts';
import { StoreError } from './store-error.ts';
import type { WriteQueue } from './write-queue.ts';
import { DAY_MS } from '../domain/time.ts';

/** Retention of the history, ms (defaults: events and lifecycle 30 days, deleted objects 90 days). */
export interface HistoryRetention {
  /** Kubernetes Events (by last occurrence) and pod lifecycle entries. */
  readonly eventsMs?: number;
  /** Pods and nodes, counted from their deletion; live objects are kept. */
  readonly objectsMs?: number;
}

export const DEFAULT_HISTORY_RETENTION = { eventsMs: 30 * DAY_MS, objectsMs: 90 * DAY_MS } as const;

const observedKey = (cluster: string): string => `history_observed_ms:${cluster}`;

/** HistoryStore on the sample store's SQLite connection. Build it through SqliteSampleStore. */
export class SqliteHistoryStore implements HistoryStore {
  private readonly events: EventRepo;
  private readonly objects: ObjectRepo;
  private readonly retention: Required<HistoryRetention>;

  constructor(
    private readonly deps: { readonly db: Db; readonly queue: WriteQueue },
    retention: HistoryRetention = {},
  ) {
    this.events = new EventRepo(deps.db);
    this.objects = new ObjectRepo(deps.db);
    this.retention = { ...DEFAULT_HISTORY_RETENTION, ...stripUndefined(retention) };
  }

  async record(batch: HistoryRecordBatch): Promise<HistoryWriteReport> {
    return this.write(() => this.writeBatch(batch), 'history write');
  }

  async reconcile(opts: { cluster: string; kind: 'pod' | 'node'; liveUids: ReadonlySet<string>; nowMs?: number }): Promise<number> {
    const observed = this.deps.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(observedKey(opts.cluster));
    // Never recorded: nothing stored can be stale.
    if (observed === undefined) return 0;
    const atMs = Math.min(Number(observed), opts.nowMs ?? Number.POSITIVE_INFINITY);
    return this.write(() => {
      let marked = 0;
      for (const uid of this.objects.liveUids(opts.cluster, opts.kind)) {
        if (!opts.liveUids.has(uid) && this.objects.markDeleted({ cluster: opts.cluster, kind: opts.kind, uid, atMs })) marked++;
      }
      return marked;
    }, 'history reconcile');
  }

  async queryEvents(query: HistoryEventQuery): Promise<HistoryPage<HistoryEntry>> {
    return queryHistory(this.deps.db, query);
  }

  async queryPods(query: PodHistoryFilter): Promise<HistoryPage<StoredPod, PodCursor>> {
    const items = this.objects.pods(query);
    return { items, next: podCursor(items, query.limit) };
  }

  async listNodes(cluster: string): Promise<StoredNode[]> {
    return this.objects.nodes(cluster);
  }

  async expireHistory(nowMs: number): Promise<HistoryExpireReport> {
    const eventsCutoff = nowMs - this.retention.eventsMs;
    const objectsCutoff = nowMs - this.retention.objectsMs;
    return {
      events: this.expireAll((n) => this.events.expireEvents(eventsCutoff, n)),
      lifecycle: this.expireAll((n) => this.events.expireLifecycle(eventsCutoff, n)),
      pods: this.expireAll((n) => this.objects.expire('pod', objectsCutoff, n)),
      nodes: this.expireAll((n) => this.objects.expire('node', objectsCutoff, n)),
    };
  }

  private writeBatch(b: HistoryRecordBatch): HistoryWriteReport {
    const report = { eventsInserted: 0, eventsUpdated: 0, lifecycleInserted: 0, objectsWritten: 0, objectsDeleted: 0 };
    for (const e of b.events) {
      const r = this.events.recordEvent(b.cluster, e, b.observedAtMs);
      if (r === 'inserted') report.eventsInserted++;
      else if (r === 'updated') report.eventsUpdated++;
    }
    for (const l of b.lifecycle) if (this.events.recordLifecycle(b.cluster, l)) report.lifecycleInserted++;
    for (const p of b.pods) this.objects.putPod(b.cluster, p, b.observedAtMs);
    for (const n of b.nodes) this.objects.putNode(b.cluster, n, b.observedAtMs);
    report.objectsWritten = b.pods.length + b.nodes.length;
    for (const d of b.deletions) {
      if (this.objects.markDeleted({ cluster: b.cluster, kind: d.kind, uid: d.uid, atMs: d.atMs })) report.objectsDeleted++;
    }
    this.deps.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(observedKey(b.cluster), String(b.observedAtMs));
    return report;
  }

  /** Runs a write transaction through the shared queue; a store condition is recorded in the status and thrown. */
  private write<T>(work: () => T, what: string): T {
    const result = this.deps.queue.run(work, what);
    if (result instanceof StoreError) throw result;
    return result;
  }

  /** Deletes in transactions of EXPIRE_BATCH rows; stops at the first store error (recorded in the status). */
  private expireAll(step: (batch: number) => number): number {
    let deleted = 0;
    for (;;) {
      const n = this.deps.queue.run(() => step(EXPIRE_BATCH), 'history retention');
      if (n instanceof StoreError) return deleted;
      deleted += n;
      if (n < EXPIRE_BATCH) return deleted;
    }
  }
}

function stripUndefined(r: HistoryRetention): Partial<Required<HistoryRetention>> {
  const out: { eventsMs?: number; objectsMs?: number } = {};
  if (r.eventsMs !== undefined) out.eventsMs = r.eventsMs;
  if (r.objectsMs !== undefined) out.objectsMs = r.objectsMs;
  return out;
}
