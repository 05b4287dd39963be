// SPDX-License-Identifier: Apache-2.0
// The history recorder: every pass (a scheduled task, ~10 s) drains what changed in the cluster cache into the
// HistoryStore in one batch: Event objects with a new count or lastSeen, pod lifecycle entries after the last
// sequence number written, and pods and nodes created, changed or deleted. Changes are found by comparing the
// cache's immutable projections by reference (an unchanged object is the same object), and only a replaced object
// has its signature built and compared, so a steady-state pass over 150,000 pods is a Map lookup per pod.
// The recorder's memory (sequence number, signatures, event counts) advances only after the batch is written: a
// failed write (full disk, read-only file; shown in the store status) is retried whole by the next pass.
import type { HistoryRecordBatch, HistoryWriteReport, LifecycleRecord, ObjectDeletion } from '../domain/history.ts';
import type { ClusterView } from '../domain/kube-ports.ts';
import type { Clock, HistoryStore } from '../domain/ports.ts';
import type { KubeEvent, Node, Pod } from '../domain/resources.ts';
import type { EventLogger } from '../logging/events.ts';
import { createScheduledTask, type ScheduledTask } from '../runtime/scheduler.ts';
import type { Sleep } from '../runtime/sleep.ts';
import { memoryLimitOf, nodeRecord, nodeSignature, podRecord, podSignature } from './history-records.ts';
import { yieldToEventLoop } from '../runtime/yield.ts';

export interface HistoryRecorderOptions {
  readonly cluster: ClusterView;
  readonly store: HistoryStore;
  /** `cluster.name` of the configuration: the `cluster` column of every row. */
  readonly clusterName: string;
  readonly clock: Clock;
}

/** Observable state of the recorder. */
export interface HistoryRecorderState {
  readonly passes: number;
  /** Lifecycle entries that left the in-memory ring before a pass could write them. */
  readonly lostLifecycle: number;
  readonly lastSeq: number;
  readonly tracked: { readonly pods: number; readonly nodes: number; readonly events: number };
  readonly lastReport?: HistoryWriteReport;
}

export interface HistoryRecorder {
  /** One pass; rejects with a `KRM_STORE_*` error when the batch cannot be written (the next pass retries it). */
  recordOnce(): Promise<HistoryWriteReport>;
  state(): HistoryRecorderState;
}

interface Seen<T> {
  ref: T;
  sig: string;
  gen: number;
}

/** Per-uid memory of one kind: the object last written and its signature, and the pass that last saw it. */
class Tracker<T extends { readonly uid: string }> {
  readonly seen = new Map<string, Seen<T>>();

  constructor(private readonly signature: (o: T) => string) {}

  /** Objects that changed since the last write; marks every listed object as seen in `gen`. */
  changed(objects: readonly T[], gen: number): Array<{ obj: T; sig: string }> {
    const out: Array<{ obj: T; sig: string }> = [];
    for (const obj of objects) {
      const s = this.seen.get(obj.uid);
      if (s) s.gen = gen;
      if (s?.ref === obj) continue;
      const sig = this.signature(obj);
      if (s && s.sig === sig) s.ref = obj;
      else out.push({ obj, sig });
    }
    return out;
  }

  /** Uids written before but not listed in pass `gen`. */
  gone(gen: number): string[] {
    const out: string[] = [];
    for (const [uid, s] of this.seen) if (s.gen !== gen) out.push(uid);
    return out;
  }

  commit(changed: ReadonlyArray<{ obj: T; sig: string }>, gone: readonly string[], gen: number): void {
    for (const { obj, sig } of changed) this.seen.set(obj.uid, { ref: obj, sig, gen });
    for (const uid of gone) this.seen.delete(uid);
  }
}

/** Pods written per transaction. */
const WRITE_CHUNK = 2000;

function addReports(a: HistoryWriteReport, b: HistoryWriteReport): HistoryWriteReport {
  return {
    eventsInserted: a.eventsInserted + b.eventsInserted,
    eventsUpdated: a.eventsUpdated + b.eventsUpdated,
    lifecycleInserted: a.lifecycleInserted + b.lifecycleInserted,
    objectsWritten: a.objectsWritten + b.objectsWritten,
    objectsDeleted: a.objectsDeleted + b.objectsDeleted,
  };
}

const eventSignature = (e: KubeEvent): string => `${e.count}|${e.lastSeenAtMs}`;

interface Pass {
  readonly gen: number;
  readonly nowMs: number;
  readonly events: ReturnType<Tracker<KubeEvent>['changed']>;
  readonly pods: ReturnType<Tracker<Pod>['changed']>;
  readonly nodes: ReturnType<Tracker<Node>['changed']>;
  readonly gone: { readonly events: string[]; readonly pods: string[]; readonly nodes: string[] };
  readonly lifecycle: LifecycleRecord[];
  readonly maxSeq: number;
  readonly lost: number;
}

class Recorder implements HistoryRecorder {
  private readonly events = new Tracker<KubeEvent>(eventSignature);
  private readonly pods = new Tracker<Pod>(podSignature);
  private readonly nodes = new Tracker<Node>(nodeSignature);
  private lastSeq = 0;
  private gen = 0;
  private passes = 0;
  private lostLifecycle = 0;
  private reconciled = false;
  private lastReport: HistoryWriteReport | undefined;

  constructor(private readonly o: HistoryRecorderOptions) {}

  async recordOnce(): Promise<HistoryWriteReport> {
    const { cluster } = this.o;
    // Before the first complete list, a missing object is not a deleted one.
    if (!cluster.isReady()) return this.emptyReport();
    await this.reconcileOnce();
    const pass = this.collect();
    const report = await this.write(pass);
    this.events.commit(pass.events, pass.gone.events, pass.gen);
    this.pods.commit(pass.pods, pass.gone.pods, pass.gen);
    this.nodes.commit(pass.nodes, pass.gone.nodes, pass.gen);
    this.lastSeq = pass.maxSeq;
    this.lostLifecycle += pass.lost;
    this.passes++;
    this.lastReport = report;
    return report;
  }

  state(): HistoryRecorderState {
    return {
      passes: this.passes,
      lostLifecycle: this.lostLifecycle,
      lastSeq: this.lastSeq,
      tracked: { pods: this.pods.seen.size, nodes: this.nodes.seen.size, events: this.events.seen.size },
      lastReport: this.lastReport,
    };
  }

  /** Once per process: objects deleted while the monitor was not watching are marked deleted. */
  private async reconcileOnce(): Promise<void> {
    if (this.reconciled) return;
    const { cluster, store, clusterName } = this.o;
    const uids = (list: readonly { uid: string }[]): Set<string> => new Set(list.map((o) => o.uid));
    const nowMs = this.o.clock.now();
    await store.reconcile({ cluster: clusterName, kind: 'pod', liveUids: uids(cluster.list('pods')), nowMs });
    await store.reconcile({ cluster: clusterName, kind: 'node', liveUids: uids(cluster.list('nodes')), nowMs });
    this.reconciled = true;
  }

  private collect(): Pass {
    const { cluster } = this.o;
    const gen = ++this.gen;
    const events = this.events.changed(cluster.list('events'), gen);
    const pods = this.pods.changed(cluster.list('pods'), gen);
    const nodes = this.nodes.changed(cluster.list('nodes'), gen);
    const gone = { events: this.events.gone(gen), pods: this.pods.gone(gen), nodes: this.nodes.gone(gen) };
    return { gen, nowMs: this.o.clock.now(), events, pods, nodes, gone, ...this.lifecycle() };
  }

  /** Lifecycle entries after the last written one, with the memory limit in force. */
  private lifecycle(): { lifecycle: LifecycleRecord[]; maxSeq: number; lost: number } {
    const { cluster } = this.o;
    const entries = cluster.podHistory({ afterSeq: this.lastSeq });
    const first = entries[0];
    const lost = first ? first.seq - this.lastSeq - 1 : 0;
    const lifecycle = entries.map(({ seq: _seq, ...e }): LifecycleRecord => {
      // Only the same pod (by uid): a StatefulSet pod recreated under its name may run with other limits.
      const pod = cluster.get('pods', e.namespace, e.pod);
      const limit = pod?.uid === e.podUid ? memoryLimitOf(pod, e.container) : undefined;
      return limit === undefined ? e : { ...e, memoryLimitBytes: limit };
    });
    return { lifecycle, maxSeq: entries[entries.length - 1]?.seq ?? this.lastSeq, lost };
  }

  /**
   * Writes a pass: everything but the pods in the first batch, the pods in batches of WRITE_CHUNK, one transaction
   * each, yielding to the event loop in between (the first pass over 150,000 pods would otherwise hold it for
   * seconds). Every write is idempotent, so a pass that fails half-way is simply written again by the next one.
   */
  private async write(p: Pass): Promise<HistoryWriteReport> {
    const { cluster, clusterName, store } = this.o;
    const base = { cluster: clusterName, events: [], lifecycle: [], nodes: [], deletions: [], observedAtMs: p.nowMs };
    const podsOf = (from: number) =>
      p.pods.slice(from, from + WRITE_CHUNK).map(({ obj }) => podRecord(obj, { workload: cluster.workloadOf(obj), observedAtMs: p.nowMs }));
    const first: HistoryRecordBatch = {
      ...base,
      events: p.events.map((c) => c.obj),
      lifecycle: p.lifecycle,
      pods: podsOf(0),
      nodes: p.nodes.map(({ obj }) => nodeRecord(obj)),
      deletions: [
        ...p.gone.pods.map((uid): ObjectDeletion => ({ kind: 'pod', uid, atMs: p.nowMs })),
        ...p.gone.nodes.map((uid): ObjectDeletion => ({ kind: 'node', uid, atMs: p.nowMs })),
      ],
    };
    let report = await store.record(first);
    for (let from = WRITE_CHUNK; from < p.pods.length; from += WRITE_CHUNK) {
      await yieldToEventLoop();
      report = addReports(report, await store.record({ ...base, pods: podsOf(from) }));
    }
    return report;
  }

  private emptyReport(): HistoryWriteReport {
    return { eventsInserted: 0, eventsUpdated: 0, lifecycleInserted: 0, objectsWritten: 0, objectsDeleted: 0 };
  }
}

/** A recorder over a cluster view and a history store. Run `recordOnce` from a scheduled task and at shutdown. */
export function createHistoryRecorder(opts: HistoryRecorderOptions): HistoryRecorder {
  return new Recorder(opts);
}

/** How often the recorder runs. Events and lifecycle entries wait at most this long in memory. */
export const HISTORY_INTERVAL_MS = 10_000;

/** The recorder's scheduled task; a pass that fails (store not writable) is retried by the scheduler's backoff. */
export function createHistoryTask(recorder: HistoryRecorder, deps: { clock: Clock; sleep: Sleep; log: EventLogger }): ScheduledTask {
  return createScheduledTask({
    ...deps,
    name: 'history',
    cadenceMs: HISTORY_INTERVAL_MS,
    timeoutMs: 6 * HISTORY_INTERVAL_MS,
    run: async () => {
      await recorder.recordOnce();
    },
  });
}
