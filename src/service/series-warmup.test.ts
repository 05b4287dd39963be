// SPDX-License-Identifier: Apache-2.0
// The series warm-up over a real SQLite store and the real collector: after it, a first cycle finds every series it
// writes (the warm-up's keys are the collector's), pods that will not be sampled get none, a pod is looked at once,
// the container metrics follow the source the cycles will use, and later runs wait for a source that answers and a
// store that can write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ClusterView, KindName } from '../domain/kube-ports.ts';
import type { Pod } from '../domain/resources.ts';
import { METRIC } from '../domain/series.ts';
import { RecordingLogger } from '../logging/recording-logger.ts';
import { createSelfMetrics } from '../metrics/registry.ts';
import { resolveWorkload } from '../sources/kube/ownership.ts';
import type { SelectionState, SourceSelector, UsageSnapshot } from '../sources/usage/index.ts';
import type { ContainerUsage, UsageSourceName } from '../sources/usage/types.ts';
import { manualClock, openTestStore, tempDir } from '../store/testing.ts';
import type { SqliteSampleStore } from '../store/sample-store.ts';
import { createCollector } from './collector.ts';

const T0 = Date.UTC(2024, 0, 10);

interface PodSpec {
  name: string;
  containers: string[];
  node?: string;
  phase?: string;
  replicaSet?: string;
  /** Restartable init containers (native sidecars). */
  sidecars?: string[];
  /** The containers' state (default running). */
  state?: 'running' | 'waiting';
  deleting?: boolean;
  uid?: string;
}

function pod(s: PodSpec): Pod {
  const owners = s.replicaSet ? [{ kind: 'ReplicaSet', name: s.replicaSet, uid: `${s.replicaSet}-uid`, controller: true }] : [];
  const containers = s.containers.map((name) => ({ name }));
  const initContainers = [{ name: 'migrate' }, ...(s.sidecars ?? []).map((name) => ({ name, restartPolicy: 'Always' }))];
  const containerStatuses = [...s.containers, ...(s.sidecars ?? [])].map((name) => ({ name, ready: true, restartCount: 0, state: { kind: s.state ?? 'running' } }));
  const base = { key: `shop/${s.name}`, uid: s.uid ?? s.name, name: s.name, namespace: 'shop', labels: {}, owners, nodeName: s.node, phase: s.phase ?? 'Running' };
  return { ...base, containers, initContainers, containerStatuses, ...(s.deleting ? { deletingAtMs: T0 } : {}) } as unknown as Pod;
}

/** A cluster view over a mutable list of pods (replaced objects, as the cache replaces them). */
function viewOf(pods: Pod[]): ClusterView {
  const lookup = { replicaSet: (_ns: string, name: string) => ({ name, namespace: 'shop', owners: [{ kind: 'Deployment', name: 'web', uid: 'd', controller: true }] }), job: () => undefined };
  return {
    list: (kind: KindName) => (kind === 'pods' ? pods : []),
    get: (kind: KindName, namespace: string | undefined, name: string) => (kind === 'pods' ? pods.find((p) => p.namespace === namespace && p.name === name) : undefined),
    workloadOf: (p: Pod) => resolveWorkload(p, lookup as never),
  } as unknown as ClusterView;
}

/** A selector in `mode`, whose active source is `active()`, handing out one snapshot per cycle. */
function selectorOf(mode: SelectionState['mode'], active: () => UsageSourceName | undefined, more: { snapshots?: UsageSnapshot[]; sources?: SelectionState['sources'] } = {}): SourceSelector {
  const { snapshots = [], sources = [] } = more;
  const state = (): SelectionState => {
    const a = active();
    return { mode, reason: 'test', sources, ...(a === undefined ? {} : { active: a }) };
  };
  return { collect: async () => ({ snapshot: snapshots.shift(), state: state() }), state } as SourceSelector;
}

/** What the kubelet source reports of a pod's running containers on its first read: CPU, working set and RSS. */
function usage(p: Pod, tsMs: number): ContainerUsage[] {
  return p.containerStatuses.map((c) => ({ namespace: p.namespace, pod: p.name, container: c.name, tsMs, cpuCores: 0.1, memoryWorkingSetBytes: 100, memoryRssBytes: 50 }));
}

async function seriesCount(store: SqliteSampleStore): Promise<number> {
  return (await store.findSeries({})).length;
}

test('after the warm-up, the first cycle finds every series it writes (containers and totals) and creates none', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const pods = [
    pod({ name: 'web-aaa-1', containers: ['app', 'sidecar'], node: 'n1', replicaSet: 'web-aaa' }),
    pod({ name: 'web-aaa-2', containers: ['app', 'sidecar'], node: 'n2', replicaSet: 'web-aaa' }),
    pod({ name: 'debug', containers: ['sh'], node: 'n1', sidecars: ['proxy'] }),
  ];
  const snapshot: UsageSnapshot = { source: 'kubelet', collectedAtMs: T0, containers: pods.flatMap((p) => usage(p, T0)), nodes: [], volumes: [], errors: [] };
  const log = new RecordingLogger();
  const collector = createCollector({ selector: selectorOf('kubelet', () => undefined, { snapshots: [snapshot] }), store, metrics: createSelfMetrics(), log, clock: manualClock(T0), cluster: 'c1', clusterView: viewOf(pods) });

  const report = await collector.warmSeries();
  // 6 containers (a native sidecar among them, not the plain init container) × 3 metrics; totals of 2 workloads (web,
  // the bare pod), the namespace and the cluster × 3 metrics.
  assert.deepEqual(report, { pods: 3, keys: 18 + 12, registered: 30 });
  assert.equal(await seriesCount(store), 30);
  assert.ok(log.events().includes('collection.series_warmed'));

  await collector.collectOnce(new AbortController().signal);
  assert.equal(await seriesCount(store), 30, 'the cycle wrote a series the warm-up did not register');
  const totals = await store.queryColumns({ selector: { cluster: 'c1', kind: 'workload', entity: 'shop/Deployment/web' }, fromMs: T0 - 1, toMs: T0 + 1, fields: ['max'] });
  assert.deepEqual(totals.series.map((s) => [s.series.metric, s.fields.max?.[0]]).sort(), [
    [METRIC.cpuMillicores, 400],
    [METRIC.memoryWorkingSetBytes, 400],
    [METRIC.pods, 2],
  ]);
});

test('pods that will not be sampled get no series; a pod is looked at once, again when it was re-created', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const pods = [
    pod({ name: 'unscheduled', containers: ['app'], phase: 'Pending' }),
    pod({ name: 'pulling', containers: ['app'], node: 'n1', phase: 'Pending', state: 'waiting' }),
    pod({ name: 'crashing', containers: ['app'], node: 'n1', state: 'waiting' }),
    pod({ name: 'done', containers: ['job'], node: 'n1', phase: 'Succeeded' }),
    pod({ name: 'leaving', containers: ['app'], node: 'n1', deleting: true }),
    pod({ name: 'api-0', containers: ['app'], node: 'n1' }),
  ];
  const collector = createCollector({ selector: selectorOf('metrics-server', () => 'metrics-server'), store, metrics: createSelfMetrics(), log: new RecordingLogger(), clock: manualClock(T0), cluster: 'c1', clusterView: viewOf(pods) });

  const first = await collector.warmSeries();
  assert.equal(first.pods, 1);
  const entities = new Set((await store.findSeries({ kind: 'container' })).map((s) => s.entity));
  assert.deepEqual([...entities], ['shop/api-0/app']);
  assert.deepEqual(await collector.warmSeries(), { pods: 0, keys: 0, registered: 0 });

  // A pod re-created under the same name (a new uid) is looked at again: its series exist already.
  pods[5] = pod({ name: 'api-0', containers: ['app'], node: 'n2', uid: 'api-0-2' });
  const again = await collector.warmSeries();
  assert.deepEqual([again.pods, again.registered], [1, 0]);
  // A crash-looping pod whose container runs again is warmed then: its container's two series and its own workload's
  // three (a bare pod is its own workload).
  pods[2] = pod({ name: 'crashing', containers: ['app'], node: 'n1' });
  const recovered = await collector.warmSeries();
  assert.deepEqual([recovered.pods, recovered.registered], [1, 5]);
});

test('the container metrics follow the source: the first configured one before any answered, then the active one', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const pods = [pod({ name: 'api-0', containers: ['app'], node: 'n1' })];
  const source: { active?: UsageSourceName } = {};
  // `auto` with Prometheus not configured: metrics-server is tried first.
  const candidates: SelectionState['sources'] = [
    { name: 'prometheus', status: 'disabled' },
    { name: 'metrics-server', status: 'unknown' },
    { name: 'kubelet', status: 'unknown' },
  ];
  const collector = createCollector({ selector: selectorOf('auto', () => source.active, { sources: candidates }), store, metrics: createSelfMetrics(), log: new RecordingLogger(), clock: manualClock(T0), cluster: 'c1', clusterView: viewOf(pods) });
  const containerMetrics = async () => (await store.findSeries({ kind: 'container' })).map((s) => s.metric).sort();

  await collector.warmSeries();
  assert.deepEqual(await containerMetrics(), [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes]);
  // Later runs wait for a source that answers.
  pods.push(pod({ name: 'api-1', containers: ['app'], node: 'n1' }));
  assert.deepEqual(await collector.warmSeries(), { pods: 0, keys: 0, registered: 0 });
  source.active = 'kubelet';
  const switched = await collector.warmSeries();
  assert.deepEqual([switched.pods, switched.registered], [2, 1 + 3 + 3]);
  assert.deepEqual(await containerMetrics(), [METRIC.cpuMillicores, METRIC.cpuMillicores, METRIC.memoryRssBytes, METRIC.memoryRssBytes, METRIC.memoryWorkingSetBytes, METRIC.memoryWorkingSetBytes].sort());
});

test('in auto mode with Prometheus configured, the first run registers its metrics (RSS too)', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const pods = [pod({ name: 'api-0', containers: ['app'], node: 'n1' })];
  const candidates: SelectionState['sources'] = [{ name: 'prometheus', status: 'unknown' }, { name: 'metrics-server', status: 'unknown' }];
  const collector = createCollector({ selector: selectorOf('auto', () => undefined, { sources: candidates }), store, metrics: createSelfMetrics(), log: new RecordingLogger(), clock: manualClock(T0), cluster: 'c1', clusterView: viewOf(pods) });
  await collector.warmSeries();
  const metrics = (await store.findSeries({ kind: 'container' })).map((s) => s.metric).sort();
  assert.deepEqual(metrics, [METRIC.cpuMillicores, METRIC.memoryRssBytes, METRIC.memoryWorkingSetBytes].sort());
});

test('a store that cannot write is left alone', async (t) => {
  const real = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const store = new Proxy(real, { get: (target, prop, receiver) => (prop === 'status' ? () => ({ ...target.status(), writable: false }) : Reflect.get(target, prop, receiver)) });
  const pods = [pod({ name: 'api-0', containers: ['app'], node: 'n1' })];
  const collector = createCollector({ selector: selectorOf('kubelet', () => 'kubelet'), store, metrics: createSelfMetrics(), log: new RecordingLogger(), clock: manualClock(T0), cluster: 'c1', clusterView: viewOf(pods) });
  assert.deepEqual(await collector.warmSeries(), { pods: 0, keys: 0, registered: 0 });
  assert.equal(await seriesCount(real), 0);
});

test('a stopped warm-up rejects before registering', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const pods = [pod({ name: 'api-0', containers: ['app'], node: 'n1' })];
  const collector = createCollector({ selector: selectorOf('kubelet', () => undefined), store, metrics: createSelfMetrics(), log: new RecordingLogger(), clock: manualClock(T0), cluster: 'c1', clusterView: viewOf(pods) });
  const stop = new AbortController();
  stop.abort();
  await assert.rejects(collector.warmSeries(stop.signal), { name: 'AbortError' });
  assert.equal(await seriesCount(store), 0);
});
