// SPDX-License-Identifier: Apache-2.0
// The series warm-up over a real SQLite store and the real collector: after it, a first cycle finds every series it
// writes (the warm-up's keys are the collector's), pods that will not be sampled get none, a pod is looked at once,
// and the container metrics follow the source the cycles use.
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
}

function pod(s: PodSpec): Pod {
  const owners = s.replicaSet ? [{ kind: 'ReplicaSet', name: s.replicaSet, uid: `${s.replicaSet}-uid`, controller: true }] : [];
  const containers = s.containers.map((name) => ({ name }));
  return { key: `shop/${s.name}`, uid: s.name, name: s.name, namespace: 'shop', labels: {}, owners, nodeName: s.node, phase: s.phase ?? 'Running', containers } as unknown as Pod;
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
function selectorOf(mode: SelectionState['mode'], active: () => UsageSourceName | undefined, snapshots: UsageSnapshot[] = []): SourceSelector {
  const state = (): SelectionState => {
    const a = active();
    return { mode, reason: 'test', sources: [], ...(a === undefined ? {} : { active: a }) };
  };
  return { collect: async () => ({ snapshot: snapshots.shift(), state: state() }), state } as SourceSelector;
}

/** What the kubelet source reports of a container on its first read: CPU, working set and RSS, no throttling yet. */
function usage(p: Pod, tsMs: number): ContainerUsage[] {
  return p.containers.map((c) => ({ namespace: p.namespace, pod: p.name, container: c.name, tsMs, cpuCores: 0.1, memoryWorkingSetBytes: 100, memoryRssBytes: 50 }));
}

async function seriesCount(store: SqliteSampleStore): Promise<number> {
  return (await store.findSeries({})).length;
}

test('after the warm-up, the first cycle finds every series it writes (containers and totals) and creates none', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const pods = [
    pod({ name: 'web-aaa-1', containers: ['app', 'sidecar'], node: 'n1', replicaSet: 'web-aaa' }),
    pod({ name: 'web-aaa-2', containers: ['app', 'sidecar'], node: 'n2', replicaSet: 'web-aaa' }),
    pod({ name: 'debug', containers: ['sh'], node: 'n1' }),
  ];
  const snapshot: UsageSnapshot = { source: 'kubelet', collectedAtMs: T0, containers: pods.flatMap((p) => usage(p, T0)), nodes: [], volumes: [], errors: [] };
  const log = new RecordingLogger();
  const collector = createCollector({ selector: selectorOf('kubelet', () => undefined, [snapshot]), store, metrics: createSelfMetrics(), log, clock: manualClock(T0), cluster: 'c1', clusterView: viewOf(pods) });

  const report = await collector.warmSeries();
  // 5 containers × 3 metrics; totals of 2 workloads (web, the bare pod), the namespace and the cluster × 3 metrics.
  assert.deepEqual(report, { pods: 3, keys: 15 + 12, registered: 27 });
  assert.equal(await seriesCount(store), 27);
  assert.ok(log.events().includes('collection.series_warmed'));

  await collector.collectOnce(new AbortController().signal);
  assert.equal(await seriesCount(store), 27, 'the cycle wrote a series the warm-up did not register');
  const totals = await store.queryColumns({ selector: { cluster: 'c1', kind: 'workload', entity: 'shop/Deployment/web' }, fromMs: T0 - 1, toMs: T0 + 1, fields: ['max'] });
  assert.deepEqual(totals.series.map((s) => [s.series.metric, s.fields.max?.[0]]).sort(), [
    [METRIC.cpuMillicores, 400],
    [METRIC.memoryWorkingSetBytes, 400],
    [METRIC.pods, 2],
  ]);
});

test('pods that will not be sampled get no series; a pod is looked at once, again only when it changed', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const pods = [
    pod({ name: 'unscheduled', containers: ['app'], phase: 'Pending' }),
    pod({ name: 'done', containers: ['job'], node: 'n1', phase: 'Succeeded' }),
    pod({ name: 'starting', containers: ['app'], node: 'n1', phase: 'Pending' }),
  ];
  const collector = createCollector({ selector: selectorOf('metrics-server', () => undefined), store, metrics: createSelfMetrics(), log: new RecordingLogger(), clock: manualClock(T0), cluster: 'c1', clusterView: viewOf(pods) });

  const first = await collector.warmSeries();
  assert.equal(first.pods, 1);
  const entities = new Set((await store.findSeries({ kind: 'container' })).map((s) => s.entity));
  assert.deepEqual([...entities], ['shop/starting/app']);
  assert.deepEqual(await collector.warmSeries(), { pods: 0, keys: 0, registered: 0 });

  // The cache replaces a changed pod's object: it is looked at again, and only its new container is registered.
  pods[2] = pod({ name: 'starting', containers: ['app', 'proxy'], node: 'n1', phase: 'Running' });
  const again = await collector.warmSeries();
  assert.equal(again.pods, 1);
  assert.equal(again.registered, 2);
  const metrics = (await store.findSeries({ kind: 'container', entity: 'shop/starting/proxy' })).map((s) => s.metric).sort();
  assert.deepEqual(metrics, [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes]);
});

test('the container metrics follow the source: those of every source until one answered, then its own', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const pods = [pod({ name: 'api-0', containers: ['app'], node: 'n1' })];
  const source: { active?: UsageSourceName } = {};
  const collector = createCollector({ selector: selectorOf('auto', () => source.active), store, metrics: createSelfMetrics(), log: new RecordingLogger(), clock: manualClock(T0), cluster: 'c1', clusterView: viewOf(pods) });
  const containerMetrics = async () => (await store.findSeries({ kind: 'container' })).map((s) => s.metric).sort();

  await collector.warmSeries();
  assert.deepEqual(await containerMetrics(), [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes]);
  source.active = 'kubelet';
  const switched = await collector.warmSeries();
  assert.equal(switched.registered, 1);
  assert.deepEqual(await containerMetrics(), [METRIC.cpuMillicores, METRIC.memoryRssBytes, METRIC.memoryWorkingSetBytes].sort());
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
