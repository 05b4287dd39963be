// SPDX-License-Identifier: Apache-2.0
// The collection cycle over a real SQLite store: per-workload, per-namespace and cluster totals are the sums of the
// pods' usage, a rollout (new pod names) continues the same workload series, and pods the cluster view does not
// know count in their namespace and the cluster but in no workload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ClusterView, KindName } from '../domain/kube-ports.ts';
import type { Pod } from '../domain/resources.ts';
import type { ReplicaSet } from '../domain/workload-resources.ts';
import { METRIC, type SeriesPoint } from '../domain/series.ts';
import { RecordingLogger } from '../logging/recording-logger.ts';
import { createSelfMetrics } from '../metrics/registry.ts';
import { resolveWorkload } from '../sources/kube/ownership.ts';
import { createSourceSelector, type MetricsSource, type SourceSelector, type UsageSnapshot } from '../sources/usage/index.ts';
import type { ContainerUsage } from '../sources/usage/types.ts';
import { manualClock, openTestStore, tempDir } from '../store/testing.ts';
import { createCollector } from './collector.ts';

const T0 = Date.UTC(2024, 0, 10);

function pod(name: string, owner?: { kind: string; name: string }, labels: Record<string, string> = {}): Pod {
  const owners = owner ? [{ ...owner, uid: `${owner.name}-uid`, controller: true }] : [];
  return { key: `shop/${name}`, uid: name, name, namespace: 'shop', labels, owners } as unknown as Pod;
}

/** A cluster view over fixed pods and ReplicaSets, resolving workloads with the cache's own resolution. */
function viewOf(pods: readonly Pod[]): ClusterView {
  const rs = (name: string, deployment: string) => ({ name, namespace: 'shop', owners: [{ kind: 'Deployment', name: deployment, uid: 'd', controller: true }] }) as unknown as ReplicaSet;
  const replicaSets = new Map([['web-aaa', rs('web-aaa', 'web')], ['web-bbb', rs('web-bbb', 'web')]]);
  const lookup = { replicaSet: (_ns: string, name: string) => replicaSets.get(name), job: () => undefined };
  return {
    get: (kind: KindName, namespace: string | undefined, name: string) => (kind === 'pods' ? pods.find((p) => p.namespace === namespace && p.name === name) : undefined),
    workloadOf: (p: Pod) => resolveWorkload(p, lookup),
  } as unknown as ClusterView;
}

function container(podName: string, name: string, usage: { ts: number; cpu: number; mem: number }): ContainerUsage {
  return { namespace: 'shop', pod: podName, container: name, tsMs: usage.ts, cpuCores: usage.cpu, memoryWorkingSetBytes: usage.mem, memoryRssBytes: usage.mem / 2 };
}

/** A selector handing out the given snapshots in turn (the real source adapters are tested on their own). */
function selectorOf(snapshots: UsageSnapshot[]): SourceSelector {
  const state = { mode: 'auto', active: 'metrics-server', reason: 'test', sources: [] } as const;
  return {
    collect: async () => ({ snapshot: snapshots.shift(), state }),
    state: () => state,
  } as unknown as SourceSelector;
}

function snapshot(tsMs: number, containers: ContainerUsage[]): UsageSnapshot {
  return { source: 'metrics-server', collectedAtMs: tsMs, containers, nodes: [], volumes: [], errors: [] };
}

test('writes workload, namespace and cluster totals that sum the pods, across a rollout', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const pods = [
    pod('web-aaa-1', { kind: 'ReplicaSet', name: 'web-aaa' }),
    pod('web-aaa-2', { kind: 'ReplicaSet', name: 'web-aaa' }),
    pod('web-bbb-1', { kind: 'ReplicaSet', name: 'web-bbb' }),
    pod('db-0', { kind: 'StatefulSet', name: 'db' }),
    pod('debug'),
  ];
  const t1 = T0 + 60_000;
  const t2 = T0 + 120_000;
  const cycles = [
    snapshot(t1, [
      container('web-aaa-1', 'app', { ts: t1, cpu: 0.1, mem: 100 }),
      container('web-aaa-1', 'sidecar', { ts: t1 - 5000, cpu: 0.02, mem: 20 }),
      container('web-aaa-2', 'app', { ts: t1, cpu: 0.3, mem: 300 }),
      container('db-0', 'postgres', { ts: t1, cpu: 1, mem: 5000 }),
      container('debug', 'sh', { ts: t1, cpu: 0.005, mem: 7 }),
      // Not (or no longer) in the cluster view: namespace and cluster only.
      container('ghost', 'app', { ts: t1, cpu: 2, mem: 9 }),
    ]),
    // The rollout replaced both web pods by one pod of the new ReplicaSet.
    snapshot(t2, [container('web-bbb-1', 'app', { ts: t2, cpu: 0.25, mem: 260 }), container('db-0', 'postgres', { ts: t2, cpu: 1.5, mem: 5100 })]),
  ];
  const collector = createCollector({
    selector: selectorOf(cycles),
    store,
    metrics: createSelfMetrics(),
    log: new RecordingLogger(),
    clock: manualClock(t2),
    cluster: 'c1',
    clusterView: viewOf(pods),
  });
  await collector.collectOnce(new AbortController().signal);
  await collector.collectOnce(new AbortController().signal);

  const points = async (kind: 'workload' | 'namespace' | 'cluster', entity: string, metric: string): Promise<[number, number][]> => {
    const r = await store.query({ selector: { cluster: 'c1', kind, entity, metrics: [metric] }, fromMs: T0, toMs: t2 + 1, stepMs: 1000, tier: 'raw' });
    assert.equal(r.series.length, 1, `${kind} ${entity} ${metric}`);
    return (r.series[0]?.points ?? []).map((p: SeriesPoint) => [p.tsMs, p.mean]);
  };
  assert.deepEqual(await points('workload', 'shop/Deployment/web', METRIC.cpuMillicores), [[t1, 420], [t2, 250]]);
  assert.deepEqual(await points('workload', 'shop/Deployment/web', METRIC.memoryWorkingSetBytes), [[t1, 420], [t2, 260]]);
  assert.deepEqual(await points('workload', 'shop/Deployment/web', METRIC.pods), [[t1, 2], [t2, 1]]);
  assert.deepEqual(await points('workload', 'shop/StatefulSet/db', METRIC.cpuMillicores), [[t1, 1000], [t2, 1500]]);
  assert.deepEqual(await points('workload', 'shop/Pod/debug', METRIC.cpuMillicores), [[t1, 5]]);
  assert.deepEqual(await points('namespace', 'shop', METRIC.cpuMillicores), [[t1, 3425], [t2, 1750]]);
  assert.deepEqual(await points('cluster', 'c1', METRIC.memoryWorkingSetBytes), [[t1, 5436], [t2, 5360]]);
  assert.deepEqual(await points('cluster', 'c1', METRIC.pods), [[t1, 5], [t2, 2]]);
  const workloads = await store.findSeries({ cluster: 'c1', kind: 'workload', metrics: [METRIC.cpuMillicores] });
  assert.deepEqual(workloads.map((s) => s.entity).sort(), ['shop/Deployment/web', 'shop/Pod/debug', 'shop/StatefulSet/db']);
  // The per-pod usage the API reads is the same sum.
  const db = collector.pod('shop', 'db-0');
  assert.deepEqual({ cpuMillicores: db?.cpuMillicores, memoryBytes: db?.memoryBytes }, { cpuMillicores: 1500, memoryBytes: 5100 });
});

test('without a cluster view, namespace and cluster totals are still written', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const t1 = T0 + 60_000;
  const collector = createCollector({
    selector: selectorOf([snapshot(t1, [container('a', 'app', { ts: t1, cpu: 0.5, mem: 10 }), container('b', 'app', { ts: t1, cpu: Number.NaN, mem: 5 })])]),
    store,
    metrics: createSelfMetrics(),
    log: new RecordingLogger(),
    clock: manualClock(t1),
    cluster: 'c1',
  });
  await collector.collectOnce(new AbortController().signal);
  assert.equal((await store.findSeries({ kind: 'workload' })).length, 0);
  const r = await store.query({ selector: { kind: 'cluster', entity: 'c1' }, fromMs: T0, toMs: t1 + 1, tier: 'raw' });
  const byMetric = Object.fromEntries(r.series.map((s) => [s.series.metric, s.points.map((p) => p.mean)]));
  // The absent CPU of pod b adds nothing; its working set counts.
  assert.deepEqual(byMetric, { [METRIC.cpuMillicores]: [500], [METRIC.memoryWorkingSetBytes]: [15], [METRIC.pods]: [2] });
});

test('a pod gone for two cache generations resolves to the same series when it comes back, from the store\'s own index', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const asked: string[] = [];
  const spy = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'resolveSeries') {
        return async (keys: { entity: string; metric: string }[]) => {
          asked.push(...keys.map((k) => `${k.entity}|${k.metric}`));
          return target.resolveSeries(keys as never);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const cycles = 130;
  const snaps = Array.from({ length: cycles }, (_, i) => {
    const ts = T0 + i * 60_000;
    // `gone` is collected in the first cycle only and comes back in the last one.
    const cs = [container('web-aaa-1', 'app', { ts, cpu: 0.1, mem: 1e8 }), ...(i === 0 || i === cycles - 1 ? [container('gone-1', 'app', { ts, cpu: 0.2, mem: 2e8 })] : [])];
    return snapshot(ts, cs);
  });
  let now = T0;
  const collector = createCollector({ selector: selectorOf(snaps), store: spy, metrics: createSelfMetrics(), log: new RecordingLogger(), clock: { now: () => now }, cluster: 'c', clusterView: viewOf([]) });
  const first = new Map<string, number>();
  for (let i = 0; i < cycles; i++) {
    await collector.collectOnce(AbortSignal.timeout(5000));
    now += 60_000;
    if (i === 0) for (const s of await store.findSeries({ entityPrefix: 'shop/gone-1' })) first.set(s.metric, s.id);
  }
  const goneAsks = asked.filter((k) => k.startsWith('shop/gone-1/app|'));
  const steadyAsks = asked.filter((k) => k.startsWith('shop/web-aaa-1/app|'));
  assert.equal(steadyAsks.length, new Set(steadyAsks).size, 'a pod collected every cycle is asked for once');
  // The SQLite store answers from its own index (SeriesIdCache keeps no copy; sample-columns.test.ts covers the
  // generations of the cache kept for a store without one): the returning pod is not asked for again.
  assert.equal(goneAsks.length, new Set(goneAsks).size, 'asked for once');
  assert.ok(goneAsks.length > 0);
  const again = new Map((await store.findSeries({ entityPrefix: 'shop/gone-1' })).map((s) => [s.metric, s.id]));
  assert.deepEqual(again, first, 'the same series ids: nothing duplicated');
});

/**
 * A kubelet-like selector: each cycle reads its containers in parts of five, reported as they come (then only counted
 * in the snapshot) or returned at the end.
 */
function partsSelector(onEnd: () => Promise<void>, reportParts: boolean): SourceSelector {
  const state = { mode: 'kubelet', active: 'kubelet', reason: 'test', sources: [] } as const;
  let cycle = 0;
  return {
    async collect(req: { onContainers?: (c: readonly ContainerUsage[]) => void }) {
      const ts = T0 + 60_000 * cycle++;
      const all: ContainerUsage[] = [];
      for (let node = 0; node < 4; node++) {
        const part = Array.from({ length: 5 }, (_, i) => container(`p${node}-${i}`, 'app', { ts, cpu: 0.1 + node, mem: 1e6 }));
        all.push(...part);
        if (reportParts) req.onContainers?.(part);
        // The next node's answer takes a while: the batches handed over meanwhile get stored.
        for (let tick = 0; tick < 3; tick++) await new Promise((r) => setImmediate(r));
      }
      await onEnd();
      const containers = reportParts ? { containers: [], reported: all.length } : { containers: all };
      return { snapshot: { source: 'kubelet', collectedAtMs: ts, ...containers, nodes: [], volumes: [], errors: [] }, state };
    },
    state: () => state,
  } as unknown as SourceSelector;
}

test('containers a source reports while it reads are stored before it ends, each sample once', async (t) => {
  const cpuSeries = { kind: 'container' as const, metrics: [METRIC.cpuMillicores] };
  const run = async (reportParts: boolean, createAt?: number): Promise<{ before: number[]; samples: number[]; points: number[] }> => {
    const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
    const before: number[] = [];
    const onEnd = async (): Promise<void> => {
      // What the store holds when the source returns: the series of the full batches of ten stored, with their sample.
      const series = await store.findSeries(cpuSeries);
      const read = await store.query({ seriesIds: series.map((s) => s.id), fromMs: T0, toMs: T0 + 3_600_000 });
      before.push(read.series.reduce((n, s) => n + s.points.length, 0));
    };
    const log = new RecordingLogger();
    const early = { earlyBatch: 10, ...(createAt === undefined ? {} : { earlyCreateAt: createAt }) };
    const collector = createCollector({ selector: partsSelector(onEnd, reportParts), store, metrics: createSelfMetrics(), log, clock: manualClock(T0), cluster: 'c', ...early });
    for (let i = 0; i < 2; i++) await collector.collectOnce(new AbortController().signal);
    const samples = log.entries.filter((e) => e.fields['event'] === 'collection.done').map((e) => Number(e.fields['samples']));
    const series = await store.findSeries(cpuSeries);
    const read = await store.query({ seriesIds: series.map((s) => s.id), fromMs: T0, toMs: T0 + 3_600_000 });
    return { before, samples, points: read.series.map((s) => s.points.length) };
  };
  const whole = await run(false);
  assert.deepEqual(whole.before, [0, 20]);
  // Series created as each batch comes (createAt 1): cycle 1 has 20 early samples before the end; cycle 2 those 20
  // plus 20 more. A batch of ten containers brings 30 new series (CPU, working set, RSS).
  const eager = await run(true, 1);
  assert.deepEqual(eager.before, [20, 40]);
  // Batches of new series wait until 60 are due: the first batch waits, the second brings both in, in one creation.
  const paired = await run(true, 60);
  assert.deepEqual(paired.before, [20, 40]);
  // One more and the two batches' 60 are not enough: both wait for the cycle's own store.
  const short = await run(true, 61);
  assert.deepEqual(short.before, [0, 40]);
  // The default waits for far more than this cycle has: the first cycle's new series are all created by the cycle's
  // own store; in cycle 2 the series are known and the batches go in early.
  const waiting = await run(true);
  assert.deepEqual(waiting.before, [0, 40]);
  // The same samples are stored every way, and every container series has one point per cycle.
  for (const r of [eager, paired, short, waiting]) {
    assert.deepEqual(r.samples, whole.samples);
    assert.equal(r.points.length, 20);
    assert.ok(r.points.every((n) => n === 2));
  }
  assert.ok(whole.samples.length === 2 && whole.samples.every((n) => n > 60), String(whole.samples));
});

test('a source that fails part way adds nothing to the pods the next one reports; a failed early batch is stored at the end', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite') });
  const T1 = T0 + 1000;
  const part = (n: number, ts: number, cpu: number): ContainerUsage[] => Array.from({ length: n }, (_, i) => container(`p${i}`, 'app', { ts, cpu, mem: 1e6 }));
  const breaksOff: MetricsSource = {
    name: 'metrics-server',
    async collect(req) {
      req.onContainers?.(part(12, T0, 5));
      for (let tick = 0; tick < 5; tick++) await new Promise((r) => setImmediate(r));
      throw Object.assign(new Error('stream reset'), { code: 'KRM_KUBE_TRANSPORT' });
    },
  };
  const kubelet: MetricsSource = {
    name: 'kubelet',
    async collect(req) {
      const all = part(4, T1, 1);
      req.onContainers?.(all.slice(0, 2));
      for (let tick = 0; tick < 5; tick++) await new Promise((r) => setImmediate(r));
      req.onContainers?.(all.slice(2));
      return { source: 'kubelet', collectedAtMs: T1, containers: [], reported: 4, nodes: [], volumes: [], errors: [] };
    },
  };
  // The kubelet's first early append fails (a busy disk): its batch must still reach the store, once.
  let failed = 0;
  const flaky = Object.assign(Object.create(store) as typeof store, {
    append: (batch: Parameters<typeof store.append>[0]) => {
      if (failed > 0 || !Array.from(batch.timestampsMs).includes(T1)) return store.append(batch);
      failed++;
      return Promise.reject(new Error('SQLITE_BUSY'));
    },
  });
  const selector = createSourceSelector({ metricsServer: breaksOff, kubelet });
  const collector = createCollector({ selector, store: flaky, metrics: createSelfMetrics(), log: new RecordingLogger(), clock: manualClock(T0), cluster: 'c', earlyBatch: 2, earlyCreateAt: 1 });
  await collector.collectOnce(new AbortController().signal);
  assert.equal(failed, 1, 'an early append of the kubelet failed');
  assert.deepEqual([0, 1, 2, 3].map((i) => collector.pod('shop', `p${i}`)?.cpuMillicores), [1000, 1000, 1000, 1000], "the kubelet's usage alone");
  assert.equal(collector.pod('shop', 'p4'), undefined, 'a pod only the failed source reported is not in the cycle');
  assert.equal(collector.lastCollection()?.containers, 4);
  const series = await store.findSeries({ kind: 'container', metrics: [METRIC.cpuMillicores] });
  const read = await store.query({ seriesIds: series.map((s) => s.id), fromMs: T1, toMs: T1 + 1 });
  const kubeletPoints = read.series.filter((s) => s.points.length > 0).map((s) => [s.series.entity, s.points.map((p) => [p.count, p.mean])]);
  assert.deepEqual(kubeletPoints.sort(), [0, 1, 2, 3].map((i) => [`shop/p${i}/app`, [[1, 1000]]]), 'every container of the kubelet once, the failed batch too');
});
