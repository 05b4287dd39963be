// SPDX-License-Identifier: Apache-2.0
// The history recorder over a real ClusterCache watching the simulated demo cluster, writing to a real SQLite
// file: the OOM history of data/spark-worker and the CrashLoopBackOff Warning events are persisted, a pass without
// changes writes nothing, a deleted pod keeps its history, and everything is still there after the store is
// closed and reopened (and a new recorder over it adds no duplicates).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEntry, StoredLifecycleEvent } from '../../src/domain/history.ts';
import type { HistoryStore } from '../../src/domain/ports.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { createHistoryRecorder } from '../../src/service/history-recorder.ts';
import { kubeconfigFor, startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';
import { ClusterCache } from '../../src/sources/kube/cluster-cache.ts';
import { createKubeClient } from '../../src/sources/kube/client.ts';
import { SqliteSampleStore } from '../../src/store/sample-store.ts';
import { StoreError } from '../../src/store/store-error.ts';
import { until } from '../fakes/wait.ts';

let sim: RunningSimulation;
let cache: ClusterCache;
let running: Promise<void>;
let dir: string;
const controller = new AbortController();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'krm-history-'));
  sim = await startSimulationServer({ scenario: 'demo', port: 0 });
  cache = new ClusterCache({ http: createKubeClient({ kubeconfigYaml: kubeconfigFor(sim.server), qps: 0 }).request });
  running = cache.run(controller.signal);
  await cache.whenReady(controller.signal);
});

after(async () => {
  controller.abort();
  await running;
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

const isOom = (e: HistoryEntry): e is StoredLifecycleEvent =>
  e.source === 'lifecycle' && e.type === 'termination' && e.reason === 'OOMKilled' && e.namespace === 'data' && e.workloadName === 'spark-worker';

async function everything(store: SqliteSampleStore): Promise<HistoryEntry[]> {
  return [...(await store.history.queryEvents({ cluster: 'default', limit: 100_000 })).items];
}

test('OOM terminations and Warning events of the demo are recorded, survive a reopen and are not duplicated', async () => {
  const path = join(dir, 'history.db');
  let store = await SqliteSampleStore.open({ path });
  const recorder = createHistoryRecorder({ cluster: cache, store: store.history, clusterName: 'default', clock: systemClock });
  const first = await recorder.recordOnce();
  assert.ok(first.objectsWritten >= cache.counts().pods, `every pod and node written (${first.objectsWritten})`);
  assert.ok(first.lifecycleInserted > 0 && first.eventsInserted > 0, JSON.stringify(first));

  const stored = await everything(store);
  const oom = stored.filter(isOom);
  assert.ok(oom.length > 0, 'the OOM history of data/spark-worker');
  assert.ok(oom.every((e) => e.exitCode === 137 && e.container !== undefined && e.memoryLimitBytes !== undefined && e.memoryLimitBytes > 0));
  const backOff = stored.filter((e) => e.source === 'event' && e.type === 'Warning' && e.reason === 'BackOff');
  assert.ok(backOff.length > 0, 'the CrashLoopBackOff Warning events');

  // Freeze the simulated cluster: once the watches caught up, a pass finds nothing to write.
  sim.simulation.stop();
  let quiet = false;
  for (let i = 0; i < 50 && !quiet; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const r = await recorder.recordOnce();
    quiet = r.objectsWritten + r.eventsInserted + r.eventsUpdated + r.lifecycleInserted + r.objectsDeleted === 0;
  }
  assert.ok(quiet, 'a pass with nothing to write once the cluster stands still');

  // A deleted pod keeps its history, with the deletion time.
  const victim = cache.list('pods', 'data').find((p) => p.name.startsWith('spark-worker'));
  assert.ok(victim);
  sim.simulation.store.delete('pods', victim.namespace, victim.name);
  await until(() => cache.get('pods', victim.namespace, victim.name) === undefined, 'deletion seen by the cache');
  const deletion = await recorder.recordOnce();
  assert.equal(deletion.objectsDeleted, 1);
  const deleted = await store.history.queryPods({ cluster: 'default', namespace: 'data', deleted: true, limit: 10 });
  assert.deepEqual(deleted.items.map((p) => p.uid), [victim.uid]);
  assert.deepEqual([deleted.items[0]?.workloadKind, deleted.items[0]?.workloadName], ['Deployment', 'spark-worker']);
  assert.ok((deleted.items[0]?.containers[0]?.memoryLimitBytes ?? 0) > 0, 'requests and limits outlive the pod');

  const before = await everything(store);
  await store.close();
  store = await SqliteSampleStore.open({ path });
  try {
    const reopened = await everything(store);
    assert.deepEqual(reopened, before, 'the history survives closing and reopening the store');
    assert.ok(reopened.some(isOom));
    // A restarted monitor replays the cache's ring and events: nothing is added twice.
    const again = createHistoryRecorder({ cluster: cache, store: store.history, clusterName: 'default', clock: systemClock });
    const replay = await again.recordOnce();
    assert.deepEqual([replay.lifecycleInserted, replay.eventsInserted, replay.eventsUpdated], [0, 0, 0]);
    assert.deepEqual(await everything(store), before);
  } finally {
    await store.close();
  }
});

test('a batch the store refuses is retried whole by the next pass', async () => {
  const store = await SqliteSampleStore.open({ path: join(dir, 'retry.db') });
  try {
    let refuse = true;
    // Fault injection only: the first write fails as a full disk would; everything else is the real store.
    const flaky: HistoryStore = Object.create(store.history) as HistoryStore;
    flaky.record = async (batch) => {
      if (!refuse) return store.history.record(batch);
      refuse = false;
      throw new StoreError('KRM_STORE_FULL', 'disk full (injected)', { retryable: true });
    };
    const recorder = createHistoryRecorder({ cluster: cache, store: flaky, clusterName: 'default', clock: systemClock });
    await assert.rejects(recorder.recordOnce(), (e: unknown) => e instanceof StoreError && e.code === 'KRM_STORE_FULL');
    assert.equal(recorder.state().passes, 0);
    assert.equal(recorder.state().lastSeq, 0, 'nothing marked as written');
    const r = await recorder.recordOnce();
    assert.equal(r.lifecycleInserted, new Set(cache.podHistory().map((e) => e.dedupeKey)).size, 'every lifecycle entry of the ring, none skipped');
    assert.ok(r.objectsWritten >= cache.counts().pods);
    assert.equal((await store.history.queryPods({ cluster: 'default', limit: 100_000 })).items.length, cache.counts().pods);
  } finally {
    await store.close();
  }
});
