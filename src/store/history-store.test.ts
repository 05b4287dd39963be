// SPDX-License-Identifier: Apache-2.0
// The object and event history on a real SQLite file: Event deduplication and folding, idempotent lifecycle
// writes, pod and node history with deletion and reconciliation, retention through rotate(), keyset pagination
// and filters, and write failures reported through the store status.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { HistoryEntry, HistoryRecordBatch, LifecycleRecord, PodRecord } from '../domain/history.ts';
import type { KubeEvent } from '../domain/resources.ts';
import { FOLD_GAP_MS } from './event-repo.ts';
import { podQuery } from './object-repo.ts';
import { SqliteSampleStore } from './sample-store.ts';
import { StoreError } from './store-error.ts';
import { manualClock, openTestStore, tempDir } from './testing.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 10);
const C = 'default';

function anEvent(o: { uid: string; count?: number; first?: number; last?: number; reason?: string; pod?: string; type?: string; message?: string }): KubeEvent {
  const pod = o.pod ?? 'web-1';
  const reason = o.reason ?? 'BackOff';
  const message = o.message ?? 'Back-off restarting failed container';
  return {
    key: `shop/${o.uid}`,
    uid: o.uid,
    name: `${pod}.${o.uid}`,
    namespace: 'shop',
    labels: {},
    annotations: {},
    owners: [],
    type: o.type ?? 'Warning',
    reason,
    message,
    subject: { kind: 'Pod', namespace: 'shop', name: pod, uid: `uid-${pod}` },
    count: o.count ?? 1,
    firstSeenAtMs: o.first ?? T0,
    lastSeenAtMs: o.last ?? o.first ?? T0,
    reportingComponent: 'kubelet',
    dedupeKey: `Pod/shop/${pod}|${o.type ?? 'Warning'}|${reason}|kubelet|${message}`,
  };
}

function aLifecycle(o: { key: string; atMs: number; pod?: string; type?: LifecycleRecord['type']; reason?: string }): LifecycleRecord {
  const pod = o.pod ?? 'worker-0';
  return {
    type: o.type ?? 'termination',
    namespace: 'data',
    pod,
    podUid: `uid-${pod}`,
    nodeName: 'node-1',
    workload: { namespace: 'data', kind: 'StatefulSet', name: 'worker', resolved: true },
    container: 'main',
    reason: o.reason ?? 'OOMKilled',
    exitCode: 137,
    restartCount: 3,
    memoryLimitBytes: 512 * 1024 * 1024,
    atMs: o.atMs,
    dedupeKey: o.key,
  };
}

function aPodRecord(uid: string, extra: Partial<PodRecord> = {}): PodRecord {
  return {
    uid,
    namespace: 'shop',
    name: `web-${uid}`,
    workloadKind: 'Deployment',
    workloadName: 'web',
    nodeName: 'node-1',
    phase: 'Running',
    qosClass: 'Burstable',
    containers: [
      { name: 'app', init: false, sidecar: false, cpuRequestMillicores: 250, cpuLimitMillicores: 500, memoryRequestBytes: 256 << 20, memoryLimitBytes: 512 << 20 },
      { name: 'setup', init: true, sidecar: false, cpuRequestMillicores: 1000 },
    ],
    createdAtMs: T0,
    ...extra,
  };
}

function batch(parts: Partial<HistoryRecordBatch>): HistoryRecordBatch {
  return { cluster: C, events: [], lifecycle: [], pods: [], nodes: [], deletions: [], observedAtMs: T0, ...parts };
}

function count(path: string, sql: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

const ids = (items: readonly HistoryEntry[]): string[] => items.map((e) => `${e.source}:${e.id}`);

void describe('history store', () => {
  void it('deduplicates Events: an updated object grows its row, a recreated one folds in, a later one starts a row', async (t) => {
    const path = join(tempDir(t), 'h.db');
    const store = await openTestStore(t, { path, clock: manualClock(T0) });
    const h = store.history;
    let r = await h.record(batch({ events: [anEvent({ uid: 'a', count: 1 })] }));
    assert.equal(r.eventsInserted, 1);
    r = await h.record(batch({ events: [anEvent({ uid: 'a', count: 1 })] }));
    assert.deepEqual([r.eventsInserted, r.eventsUpdated], [0, 0], 'the same object again changes nothing');
    r = await h.record(batch({ events: [anEvent({ uid: 'a', count: 4, last: T0 + 20 * MINUTE })] }));
    assert.equal(r.eventsUpdated, 1);
    // The API server recreated the Event after its TTL: a new uid of the same series, within the fold gap.
    await h.record(batch({ events: [anEvent({ uid: 'b', count: 2, first: T0 + 80 * MINUTE, last: T0 + 90 * MINUTE })] }));
    // Replayed objects (a relist, a restart of the monitor) add nothing.
    await h.record(batch({ events: [anEvent({ uid: 'a', count: 4, last: T0 + 20 * MINUTE }), anEvent({ uid: 'b', count: 2, first: T0 + 80 * MINUTE, last: T0 + 90 * MINUTE })] }));
    // The condition comes back a day later: a new row.
    await h.record(batch({ events: [anEvent({ uid: 'c', count: 1, first: T0 + DAY })] }));
    // A different message is a different series.
    await h.record(batch({ events: [anEvent({ uid: 'd', first: T0 + 5 * MINUTE, message: 'other' })] }));
    const page = await h.queryEvents({ cluster: C, limit: 10 });
    const events = page.items.filter((e) => e.source === 'event');
    assert.equal(events.length, 3);
    const [latest, folded, other] = events;
    assert.deepEqual([latest?.count, latest?.firstAtMs], [1, T0 + DAY]);
    assert.deepEqual([folded?.count, folded?.firstAtMs, folded?.lastAtMs], [6, T0, T0 + 90 * MINUTE]);
    assert.equal(other?.message, 'other');
    assert.equal(count(path, 'SELECT COUNT(*) FROM event_objects'), 4);
    assert.ok(T0 + DAY - (T0 + 90 * MINUTE) > FOLD_GAP_MS);
  });

  void it('writes lifecycle entries once per dedupeKey, across reopen', async (t) => {
    const path = join(tempDir(t), 'h.db');
    const entry = aLifecycle({ key: 'uid-worker-0|termination|main|1', atMs: T0 + HOUR });
    let store = await SqliteSampleStore.open({ path, clock: manualClock(T0) });
    assert.equal((await store.history.record(batch({ lifecycle: [entry, entry] }))).lifecycleInserted, 1);
    await store.close();
    store = await openTestStore(t, { path, clock: manualClock(T0) });
    assert.equal((await store.history.record(batch({ lifecycle: [entry] }))).lifecycleInserted, 0);
    const page = await store.history.queryEvents({ cluster: C, limit: 10 });
    assert.equal(page.items.length, 1);
    const stored = page.items[0];
    assert.equal(stored?.source, 'lifecycle');
    if (stored?.source !== 'lifecycle') return;
    assert.deepEqual(
      [stored.type, stored.reason, stored.exitCode, stored.restartCount, stored.memoryLimitBytes, stored.workloadKind, stored.atMs],
      ['termination', 'OOMKilled', 137, 3, 512 * 1024 * 1024, 'StatefulSet', T0 + HOUR],
    );
  });

  void it('keeps pods and nodes after deletion; reconcile marks those gone while not watching', async (t) => {
    const path = join(tempDir(t), 'h.db');
    const clock = manualClock(T0);
    let store = await SqliteSampleStore.open({ path, clock });
    const node = {
      uid: 'n1',
      name: 'node-1',
      instanceType: 'm5.xlarge',
      zone: 'eu-west-1a',
      roles: ['worker'],
      capacity: { cpuMillicores: 4000, memoryBytes: 16 << 30, pods: 110 },
      allocatable: { cpuMillicores: 3900, memoryBytes: 15 << 30, pods: 110 },
      labels: { 'node.kubernetes.io/instance-type': 'm5.xlarge' },
      createdAtMs: T0 - DAY,
    };
    await store.history.record(batch({ pods: [aPodRecord('p1'), aPodRecord('p2'), aPodRecord('p3')], nodes: [node], observedAtMs: T0 }));
    // p1 moves to another node (rewritten, first seen kept); p2 is deleted.
    const r = await store.history.record(
      batch({ pods: [aPodRecord('p1', { nodeName: 'node-2' })], deletions: [{ kind: 'pod', uid: 'p2', atMs: T0 + HOUR }], observedAtMs: T0 + HOUR }),
    );
    assert.deepEqual([r.objectsWritten, r.objectsDeleted], [1, 1]);
    await store.close();
    // Restarted: p3 and the node vanished while the monitor was down; they are marked deleted at the last observation.
    store = await openTestStore(t, { path, clock });
    assert.equal(await store.history.reconcile({ cluster: C, kind: 'pod', liveUids: new Set(['p1']) }), 1);
    assert.equal(await store.history.reconcile({ cluster: C, kind: 'node', liveUids: new Set() }), 1);
    const all = await store.history.queryPods({ cluster: C, limit: 10 });
    const byUid = new Map(all.items.map((p) => [p.uid, p]));
    assert.equal(byUid.get('p1')?.nodeName, 'node-2');
    assert.equal(byUid.get('p1')?.firstSeenMs, T0);
    assert.equal(byUid.get('p1')?.deletedAtMs, undefined);
    assert.equal(byUid.get('p2')?.deletedAtMs, T0 + HOUR);
    assert.equal(byUid.get('p3')?.deletedAtMs, T0 + HOUR, 'last observation before the restart');
    assert.deepEqual(byUid.get('p2')?.containers.map((c) => c.name), ['app', 'setup']);
    assert.equal(count(path, "SELECT cpu_request_m FROM pod_history WHERE uid = 'p1'"), 250, 'init containers do not add to the sums');
    const deleted = await store.history.queryPods({ cluster: C, limit: 10, deleted: true });
    assert.deepEqual(deleted.items.map((p) => p.uid).sort(), ['p2', 'p3']);
    // A clock that resumed before the last observation (the demo's scenario clock): gone at its now, not in its future,
    // and never before it was first seen.
    await store.history.record(batch({ pods: [aPodRecord('p4')], observedAtMs: T0 + 2 * HOUR }));
    await store.history.record(batch({ pods: [aPodRecord('p5')], observedAtMs: T0 + 4 * HOUR }));
    assert.equal(await store.history.reconcile({ cluster: C, kind: 'pod', liveUids: new Set(['p1']), nowMs: T0 + 3 * HOUR }), 2);
    const gone = new Map((await store.history.queryPods({ cluster: C, limit: 10, deleted: true })).items.map((p) => [p.uid, p.deletedAtMs]));
    assert.equal(gone.get('p4'), T0 + 3 * HOUR);
    assert.equal(gone.get('p5'), T0 + 4 * HOUR);
    const [n1] = await store.history.listNodes(C);
    assert.deepEqual([n1?.instanceType, n1?.zone, n1?.allocatable.cpuMillicores, n1?.deletedAtMs], ['m5.xlarge', 'eu-west-1a', 3900, T0 + HOUR]);
  });

  void it('retention deletes old events, lifecycle entries and long-deleted objects during rotate()', async (t) => {
    const path = join(tempDir(t), 'h.db');
    const clock = manualClock(T0);
    const store = await openTestStore(t, { path, clock, historyRetention: { eventsMs: 7 * DAY, objectsMs: 30 * DAY } });
    await store.history.record(
      batch({
        events: [anEvent({ uid: 'old', first: T0 }), anEvent({ uid: 'new', first: T0 + 9 * DAY, reason: 'Unhealthy' })],
        lifecycle: [aLifecycle({ key: 'old', atMs: T0 }), aLifecycle({ key: 'new', atMs: T0 + 9 * DAY })],
        pods: [aPodRecord('gone'), aPodRecord('recent'), aPodRecord('live')],
        deletions: [
          { kind: 'pod', uid: 'gone', atMs: T0 },
          { kind: 'pod', uid: 'recent', atMs: T0 + 9 * DAY },
        ],
      }),
    );
    clock.set(T0 + 31 * DAY);
    const report = await store.rotate();
    assert.deepEqual(report.deletedHistory, { events: 2, lifecycle: 2, pods: 1, nodes: 0 });
    assert.equal(count(path, 'SELECT COUNT(*) FROM event_objects'), 0, 'event objects go with their rows');
    const pods = await store.history.queryPods({ cluster: C, limit: 10 });
    assert.deepEqual(pods.items.map((p) => p.uid).sort(), ['live', 'recent']);
    clock.set(T0 + 10 * DAY);
    assert.deepEqual((await store.rotate()).deletedHistory, { events: 0, lifecycle: 0, pods: 0, nodes: 0 });
  });

  void it('pages newest first with a keyset cursor over both sources, and filters', async (t) => {
    const path = join(tempDir(t), 'h.db');
    const store = await openTestStore(t, { path, clock: manualClock(T0) });
    const events = Array.from({ length: 12 }, (_, i) => anEvent({ uid: `e${i}`, first: T0 + (i % 6) * MINUTE, reason: `R${i}`, pod: i % 2 ? 'web-1' : 'web-2' }));
    const lifecycle = Array.from({ length: 9 }, (_, i) => aLifecycle({ key: `l${i}`, atMs: T0 + (i % 6) * MINUTE, pod: i % 3 ? 'worker-0' : 'worker-1', type: i % 2 ? 'restart' : 'termination' }));
    await store.history.record(batch({ events, lifecycle }));
    const all = await store.history.queryEvents({ cluster: C, limit: 100 });
    assert.equal(all.items.length, 21);
    assert.equal(all.next, undefined);
    const times = all.items.map((e) => (e.source === 'event' ? e.lastAtMs : e.atMs));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const paged: HistoryEntry[] = [];
    let after = undefined as Parameters<typeof store.history.queryEvents>[0]['after'];
    for (let i = 0; i < 10; i++) {
      const page = await store.history.queryEvents({ cluster: C, limit: 4, after });
      paged.push(...page.items);
      after = page.next;
      if (!after) break;
    }
    assert.deepEqual(ids(paged), ids(all.items), 'pages join up without gaps or repeats');
    const warnings = await store.history.queryEvents({ cluster: C, limit: 100, types: ['Warning'] });
    assert.equal(warnings.items.length, 12);
    const terminations = await store.history.queryEvents({ cluster: C, limit: 100, types: ['termination'] });
    assert.deepEqual([...new Set(terminations.items.map((e) => e.source === 'lifecycle' && e.type))], ['termination']);
    assert.equal(terminations.items.length, 5);
    const pod = await store.history.queryEvents({ cluster: C, limit: 100, pod: 'web-1' });
    assert.equal(pod.items.length, 6);
    const worker = await store.history.queryEvents({ cluster: C, limit: 100, kind: 'StatefulSet', name: 'worker' });
    assert.equal(worker.items.length, 9, 'lifecycle entries match their workload');
    const window = await store.history.queryEvents({ cluster: C, limit: 100, sinceMs: T0 + 2 * MINUTE, untilMs: T0 + 4 * MINUTE, reason: 'OOMKilled' });
    assert.equal(window.items.length, 3);
    const none = await store.history.queryEvents({ cluster: 'other', limit: 100 });
    assert.equal(none.items.length, 0);
  });

  void it('a failed history write is reported in the status and does not lose what is stored', async (t) => {
    const path = join(tempDir(t), 'h.db');
    const seeded = await SqliteSampleStore.open({ path, clock: manualClock(T0) });
    await seeded.history.record(batch({ lifecycle: [aLifecycle({ key: 'k1', atMs: T0 })] }));
    await seeded.close();
    const store = await openTestStore(t, { path, clock: manualClock(T0), readonly: true });
    await assert.rejects(
      store.history.record(batch({ lifecycle: [aLifecycle({ key: 'k2', atMs: T0 })] })),
      (e: unknown) => e instanceof StoreError && e.code === 'KRM_STORE_READONLY',
    );
    assert.equal(store.status().writable, false);
    assert.equal(store.status().lastError?.code, 'KRM_STORE_READONLY');
    assert.equal((await store.history.queryEvents({ cluster: C, limit: 10 })).items.length, 1, 'reads still work');
  });

  void it('a namespace\'s pods are read through the namespace index, not by scanning every pod of the cluster', async (t) => {
    const path = join(tempDir(t), 'h.db');
    const store = await openTestStore(t, { path, clock: manualClock(T0) });
    // Many pods in other namespaces, a few in shop: the answer is the same either way, the plan is not.
    const pods = Array.from({ length: 300 }, (_, i) => ({ ...aPodRecord(`o${i}`), namespace: `ns-${i % 30}` }));
    await store.history.record(batch({ pods: [...pods, aPodRecord('s1'), aPodRecord('s2')], observedAtMs: T0 }));
    const page = await store.history.queryPods({ cluster: C, namespace: 'shop', fromMs: T0 - DAY, deleted: false, limit: 10 });
    assert.deepEqual(page.items.map((p) => p.uid).sort(), ['s1', 's2']);
    const db = new Database(path, { readonly: true });
    t.after(() => db.close());
    for (const filter of [{ namespace: 'shop' }, { namespace: 'shop', fromMs: T0, deleted: true }, { namespace: 'shop', after: { firstSeenMs: T0, uid: 'x' } }]) {
      const q = podQuery({ cluster: C, limit: 1000, ...filter });
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(q.params) as { detail: string }[]).map((r) => r.detail).join('; ');
      assert.match(plan, /USING INDEX pod_history_namespace/, plan);
    }
  });

  void it('the pods a namespace lost are read through the index of deleted pods, a page at a time', async (t) => {
    const path = join(tempDir(t), 'h.db');
    const store = await openTestStore(t, { path, clock: manualClock(T0) });
    // Live pods in shop and elsewhere, and deleted ones in both: only shop's deleted pods answer.
    const pods = Array.from({ length: 120 }, (_, i) => ({ ...aPodRecord(`p${String(i).padStart(3, '0')}`), namespace: i % 2 === 0 ? 'shop' : 'other' }));
    await store.history.record(batch({ pods, observedAtMs: T0 }));
    const gone = pods.filter((_, i) => i % 3 === 0);
    await store.history.record(batch({ deletions: gone.map((p) => ({ kind: 'pod' as const, uid: p.uid, atMs: T0 + HOUR })), observedAtMs: T0 + HOUR }));
    const seen: string[] = [];
    for (let after: { firstSeenMs: number; uid: string } | undefined, n = 0; n < 10; n++) {
      const page = await store.history.queryPods({ cluster: C, namespace: 'shop', fromMs: T0, deleted: true, limit: 7, ...(after === undefined ? {} : { after }) });
      seen.push(...page.items.map((p) => p.uid));
      if (page.next === undefined) break;
      after = page.next;
    }
    assert.deepEqual(seen, gone.filter((p) => p.namespace === 'shop').map((p) => p.uid).sort().reverse());
    const db = new Database(path, { readonly: true });
    t.after(() => db.close());
    for (const filter of [{ fromMs: T0 }, { fromMs: T0, after: { firstSeenMs: T0, uid: 'x' } }]) {
      const q = podQuery({ cluster: C, namespace: 'shop', deleted: true, limit: 1000, ...filter });
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(q.params) as { detail: string }[]).map((r) => r.detail).join('; ');
      assert.match(plan, /USING INDEX pod_history_namespace_deleted/, plan);
      assert.doesNotMatch(plan, /TEMP B-TREE/, plan);
    }
  });

  void it('the pods of a whole cluster are read a page at a time in index order, without sorting every pod per page', async (t) => {
    const path = join(tempDir(t), 'h.db');
    const store = await openTestStore(t, { path, clock: manualClock(T0) });
    const pods = Array.from({ length: 250 }, (_, i) => ({ ...aPodRecord(`p${String(i).padStart(3, '0')}`), namespace: `ns-${i % 7}` }));
    await store.history.record(batch({ pods, observedAtMs: T0 }));
    // Paged by the keyset: every pod once, newest first (all seen at T0: by uid, descending).
    const seen: string[] = [];
    for (let after: { firstSeenMs: number; uid: string } | undefined, n = 0; n < 10; n++) {
      const page = await store.history.queryPods({ cluster: C, fromMs: T0 - DAY, limit: 100, ...(after === undefined ? {} : { after }) });
      seen.push(...page.items.map((p) => p.uid));
      const last = page.items.at(-1);
      if (page.next === undefined || last === undefined) break;
      after = { firstSeenMs: last.firstSeenMs, uid: last.uid };
    }
    assert.deepEqual(seen, pods.map((p) => p.uid).sort().reverse());
    const db = new Database(path, { readonly: true });
    t.after(() => db.close());
    for (const filter of [{}, { fromMs: T0, toMs: T0 + 1 }, { after: { firstSeenMs: T0, uid: 'x' } }]) {
      const q = podQuery({ cluster: C, limit: 1000, ...filter });
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(q.params) as { detail: string }[]).map((r) => r.detail).join('; ');
      assert.match(plan, /USING (COVERING )?INDEX pod_history_cluster_seen/, plan);
      assert.doesNotMatch(plan, /TEMP B-TREE/, plan);
    }
  });
});
