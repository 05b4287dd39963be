// SPDX-License-Identifier: Apache-2.0
// The analysis pass over a real SQLite store and a small cluster view: boundary cases (no data, one point, a
// constant series, a leaking series with a gap, an unavailable store), and the mapping of verdicts to findings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ClusterView, KindMap, KindName, PodLifecycleEvent } from '../../domain/kube-ports.ts';
import type { Namespace, Pod } from '../../domain/resources.ts';
import type { SeriesReader } from '../../domain/ports.ts';
import { METRIC, type Sample } from '../../domain/series.ts';
import { testContainer, testPod } from '../../domain/testing.ts';
import { manualClock, openTestStore, tempDir, type AfterHook } from '../../store/testing.ts';
import type { SqliteSampleStore } from '../../store/sample-store.ts';
import { endedInstances, instancesOf } from './containers.ts';
import { leakFinding, throttlingFinding } from './container-findings.ts';
import { analyseCluster, DEFAULT_ANALYSIS_SETTINGS, type AnalysisResult } from './index.ts';
import { directionOf, rightsizingFinding } from './rightsizing.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const MiB = 1024 * 1024;
const NOW = Date.UTC(2026, 0, 20);
const C = 'default';

type Objects = { [K in KindName]?: KindMap[K][] };

/** A cluster view over fixed objects; workloads are the pod's single owner (or the pod). */
function view(objects: Objects, lifecycle: readonly PodLifecycleEvent[] = []): ClusterView {
  const list = <K extends KindName>(kind: K, ns?: string): KindMap[K][] => ((objects[kind] ?? []) as KindMap[K][]).filter((o) => ns === undefined || o.namespace === ns);
  const get = <K extends KindName>(kind: K, ns: string | undefined, name: string) => list(kind, ns).find((o) => o.name === name);
  const workloadOf = (p: Pod) => ({ namespace: p.namespace, kind: p.owners[0]?.kind ?? 'Pod', name: p.owners[0]?.name ?? p.name, resolved: true });
  return { list, get, workloadOf, podHistory: () => lifecycle } as unknown as ClusterView;
}

const ns = (name: string): Namespace => ({ key: name, uid: name, name, labels: {}, annotations: {}, owners: [] }) as unknown as Namespace;

function pod(name: string, o: { memLimit?: number; cpuLimit?: number; startedAtMs?: number } = {}): Pod {
  const limits = { ...(o.cpuLimit === undefined ? {} : { cpuMillicores: o.cpuLimit }), ...(o.memLimit === undefined ? {} : { memoryBytes: o.memLimit }) };
  return testPod(name, {
    owners: [{ kind: 'Deployment', name: 'web', uid: 'd', controller: true }],
    nodeName: 'n1',
    containers: [testContainer({ requests: { cpuMillicores: 500, memoryBytes: 512 * MiB }, limits })],
    containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { kind: 'running' } }],
    startedAtMs: o.startedAtMs ?? NOW - 3 * 24 * HOUR,
  });
}

async function storeWith(t: AfterHook, series: { entity: string; metric: string; samples: readonly Sample[] }[]): Promise<SqliteSampleStore> {
  // The store's clock decides which tiers still hold the range: it reads at the analyses' time.
  const store = await openTestStore(t, { path: join(tempDir(t), 'krm.db'), clock: manualClock(NOW) });
  if (series.length === 0) return store;
  const ids = await store.resolveSeries(series.map((s) => ({ cluster: C, kind: 'container' as const, entity: s.entity, metric: s.metric })));
  await store.writeHistory({
    series: series.map((s, i) => ({ seriesId: ids[i] as number, timestampsMs: s.samples.map((x) => x.tsMs), values: s.samples.map((x) => x.value) })),
  });
  return store;
}

/** One sample a minute from `fromMs` to NOW, of `value(t)` (t in hours since `fromMs`); `gap` samples are absent. */
function minutes(fromMs: number, value: (h: number) => number, gap?: { fromMs: number; toMs: number }): Sample[] {
  const out: Sample[] = [];
  for (let ts = fromMs; ts <= NOW; ts += MIN) {
    if (gap !== undefined && ts >= gap.fromMs && ts < gap.toMs) continue;
    out.push({ tsMs: ts, value: value((ts - fromMs) / HOUR) });
  }
  return out;
}

async function run(store: SeriesReader, cluster: ClusterView): Promise<AnalysisResult> {
  return analyseCluster({ cluster, history: store, clusterName: C, nowMs: NOW, settings: { ...DEFAULT_ANALYSIS_SETTINGS, prices: { cpuCoreHour: 0.05, memGiBHour: 0.01 } } });
}

const statusOf = (r: AnalysisResult, analysis: string) => r.runs.find((x) => x.analysis === analysis)?.status;

describe('analyseCluster boundaries', () => {
  it('no data: no findings, and the analyses say so instead of "ok"', async (t) => {
    const store = await storeWith(t, []);
    const r = await run(store, view({ namespaces: [ns('shop')], pods: [pod('web-1', { memLimit: GiB(1), cpuLimit: 1000 })] }));
    assert.deepEqual(r.findings, []);
    assert.equal(statusOf(r, 'leak'), 'insufficient_data');
    assert.equal(statusOf(r, 'rightsizing'), 'insufficient_data');
    assert.equal(statusOf(r, 'throttling'), 'insufficient_data');
    assert.equal(r.recommendations.length, 1);
    assert.equal(r.recommendations[0]?.status, 'not-enough-data');
  });

  it('one point: not enough to judge anything', async (t) => {
    const entity = 'shop/web-1/app';
    const store = await storeWith(t, [
      { entity, metric: METRIC.memoryWorkingSetBytes, samples: [{ tsMs: NOW - MIN, value: 300 * MiB }] },
      { entity, metric: METRIC.cpuMillicores, samples: [{ tsMs: NOW - MIN, value: 100 }] },
    ]);
    const r = await run(store, view({ namespaces: [ns('shop')], pods: [pod('web-1', { memLimit: GiB(1) })] }));
    assert.deepEqual(r.findings, []);
    assert.equal(statusOf(r, 'leak'), 'insufficient_data');
    assert.equal(r.recommendations[0]?.status, 'not-enough-data');
  });

  it('a constant series over two days: no leak, and an over-provisioned workload with savings', async (t) => {
    const entity = 'shop/web-1/app';
    const from = NOW - 2 * 24 * HOUR;
    const store = await storeWith(t, [
      { entity, metric: METRIC.memoryWorkingSetBytes, samples: minutes(from, () => 100 * MiB) },
      { entity, metric: METRIC.cpuMillicores, samples: minutes(from, () => 20) },
    ]);
    const r = await run(store, view({ namespaces: [ns('shop')], pods: [pod('web-1', { memLimit: GiB(1), startedAtMs: from })] }));
    assert.equal(statusOf(r, 'leak'), 'ok');
    assert.equal(r.findings.filter((f) => f.analysis === 'leak').length, 0);
    const rec = r.recommendations[0];
    assert.equal(rec?.status, 'ok');
    assert.ok((rec?.monthlySavings ?? 0) > 0, `savings ${rec?.monthlySavings}`);
    const f = r.findings.find((x) => x.analysis === 'rightsizing');
    assert.equal(f?.rule, 'over-provisioned');
    assert.deepEqual(f?.entity, { kind: 'workload', namespace: 'shop', name: 'Deployment/web', container: 'app' });
    assert.match(f?.explanation ?? '', /saving \d+\.\d\d per month\.$/);
  });

  it('a leaking series with a two-hour gap: a leak finding with the time to OOM', async (t) => {
    const entity = 'shop/web-1/app';
    const from = NOW - 20 * HOUR;
    const gap = { fromMs: NOW - 10 * HOUR, toMs: NOW - 8 * HOUR };
    const store = await storeWith(t, [{ entity, metric: METRIC.memoryWorkingSetBytes, samples: minutes(from, (h) => 200 * MiB + h * 20 * MiB, gap) }]);
    const r = await run(store, view({ namespaces: [ns('shop')], pods: [pod('web-1', { memLimit: GiB(1), startedAtMs: from })] }));
    const leak = r.findings.find((f) => f.analysis === 'leak');
    assert.ok(leak, JSON.stringify(r.runs));
    assert.equal(leak.rule, 'memory-leak');
    assert.equal(leak.entity.name, 'web-1');
    assert.equal(leak.evidence['workload'], 'Deployment/web');
    const ttl = leak.evidence['timeToOomHours'];
    // 1 GiB − (200 + 20 × 20) MiB left at 20 MiB/h: about 21 h.
    assert.ok(typeof ttl === 'number' && Math.abs(ttl - 21.2) < 1.5, `time to OOM ${ttl}`);
    assert.match(leak.explanation, /reaches the memory limit in about \d+\.\d h/);
  });

  it("with the store's read worker: the same findings and recommendations, the reads answered by the worker", async (t) => {
    const from = NOW - 20 * HOUR;
    const series = ['web-1', 'web-2'].flatMap((name, k) => [
      { entity: `shop/${name}/app`, metric: METRIC.memoryWorkingSetBytes, samples: minutes(from, (h) => 200 * MiB + h * (k + 1) * 15 * MiB) },
      { entity: `shop/${name}/app`, metric: METRIC.cpuMillicores, samples: minutes(from, (h) => 40 + 30 * Math.sin(h)) },
    ]);
    const store = await storeWith(t, series);
    const cluster = view({ namespaces: [ns('shop'), ns('empty')], pods: ['web-1', 'web-2'].map((name) => pod(name, { memLimit: GiB(1), cpuLimit: 200, startedAtMs: from })) });
    const own = await run(store, cluster);
    store.startReadWorker();
    const offloaded = await run(store, cluster);
    assert.ok(store.readWorkerStats().answered > 0, JSON.stringify(store.readWorkerStats()));
    assert.ok(own.findings.some((f) => f.analysis === 'leak'), 'a finding to compare');
    assert.deepStrictEqual(offloaded.findings, own.findings);
    assert.deepStrictEqual(offloaded.recommendations, own.recommendations);
  });

  it('a restart splits the instances: the sawtooth of a restarted container is no leak of the pod', async (t) => {
    const entity = 'shop/web-1/app';
    const from = NOW - 24 * HOUR;
    const restartAt = NOW - 12 * HOUR;
    // Each instance is flat; read as one series the restart would look like a step, not a trend.
    const store = await storeWith(t, [{ entity, metric: METRIC.memoryWorkingSetBytes, samples: minutes(from, (h) => (h < 12 ? 100 : 400) * MiB) }]);
    const restart = { seq: 1, type: 'restart', namespace: 'shop', pod: 'web-1', podUid: 'uid-web-1', container: 'app', atMs: restartAt, dedupeKey: 'r1', workload: { namespace: 'shop', kind: 'Deployment', name: 'web', resolved: true } } as PodLifecycleEvent;
    const r = await run(store, view({ namespaces: [ns('shop')], pods: [pod('web-1', { memLimit: GiB(1), startedAtMs: from })] }, [restart]));
    assert.equal(r.findings.filter((f) => f.analysis === 'leak').length, 0);
    assert.equal(statusOf(r, 'leak'), 'ok');
  });

  it('an unreadable store: every analysis is unavailable, nothing is found', async () => {
    const broken: SeriesReader = {
      findSeries: () => Promise.reject(new Error('disk I/O error')),
      query: () => Promise.reject(new Error('disk I/O error')),
      queryColumns: () => Promise.reject(new Error('disk I/O error')),
    };
    const r = await run(broken, view({ namespaces: [ns('shop')], pods: [pod('web-1')] }));
    assert.deepEqual(r.findings, []);
    assert.ok(r.runs.length > 0 && r.runs.every((x) => x.status === 'unavailable'), JSON.stringify(r.runs));
    assert.match(r.runs[0]?.message ?? '', /disk I\/O error/);
  });

  it('honours an aborted signal', async (t) => {
    const store = await storeWith(t, []);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      analyseCluster({ cluster: view({ namespaces: [ns('shop')] }), history: store, clusterName: C, nowMs: NOW, settings: DEFAULT_ANALYSIS_SETTINGS, signal: ac.signal }),
      (e: Error) => e.name === 'AbortError',
    );
  });
});

function GiB(n: number): number {
  return n * 1024 * MiB;
}

describe('instances and restarts', () => {
  it('splits samples at the restarts; the current instance is kept even without samples', () => {
    const column = { timestampsMs: Float64Array.of(0, 10, 20, 30), values: Float64Array.of(1, 1, 1, 1) };
    const inst = instancesOf(column, [{ atMs: 15, oomKilled: false }, { atMs: 40, oomKilled: true }], 0);
    assert.deepEqual(
      inst.map((i) => [i.startedAtMs, 'timestampsMs' in i.samples ? Array.from(i.samples.timestampsMs) : []]),
      [
        [0, [0, 10]],
        [15, [20, 30]],
        [40, []],
      ],
    );
  });
  it('takes the peak before each restart', () => {
    const peaks = { timestampsMs: Float64Array.of(0, 10, 20, 30), values: Float64Array.of(5, 9, 3, 7) };
    const ended = endedInstances(peaks, [{ atMs: 15, oomKilled: true }, { atMs: 35, oomKilled: false }]);
    assert.deepEqual(ended, [
      { endedAtMs: 15, peakBytes: 9, oomKilled: true },
      { endedAtMs: 35, peakBytes: 7, oomKilled: false },
    ]);
  });
});

describe('mapping to findings', () => {
  const ctx = { clusterName: C, nowMs: NOW };
  const ref = { namespace: 'shop', pod: 'cart-1', container: 'app', workload: 'Deployment/cart' };
  it('only a leak verdict makes a leak finding', () => {
    assert.equal(leakFinding(ctx, ref, { status: 'insufficient-data', reason: 'x' }), undefined);
  });
  it('throttling below the thresholds makes none; above, one naming the limit to set', () => {
    assert.equal(throttlingFinding(ctx, ref, { severity: undefined, sustainedRatio: 0.1, explanation: 'low' }), undefined);
    const f = throttlingFinding(ctx, ref, { severity: 'high', sustainedRatio: 0.6, classification: 'limit-too-low', recommendedLimitMillicores: 1200, explanation: '60 % of CPU periods throttled' });
    assert.equal(f?.severity, 'high');
    assert.equal(f?.action, 'Raise the CPU limit to 1200m, or remove it.');
    assert.equal(f?.evidence['workload'], 'Deployment/cart');
  });
  it('tells over-, under- and mis-sized requests apart; an unset request counts as raised', () => {
    assert.equal(directionOf({ current: { cpuRequest: 1000, memRequest: 100 }, recommended: { cpuRequest: 100, memRequest: 100 } }), 'over-provisioned');
    assert.equal(directionOf({ current: { cpuRequest: 100, memRequest: 100 }, recommended: { cpuRequest: 200, memRequest: 100 } }), 'under-provisioned');
    assert.equal(directionOf({ current: { cpuRequest: 1000, memRequest: 100 }, recommended: { cpuRequest: 100, memRequest: 200 } }), 'mis-sized');
    assert.equal(directionOf({ current: {}, recommended: { cpuRequest: 100, memRequest: 200 } }), 'under-provisioned');
  });
  it('an info-level or not-enough-data recommendation makes no finding', () => {
    const base = { cluster: C, namespace: 'ml', workload: { kind: 'Deployment', name: 'nb' }, container: 'app', strategy: 'krm' as const, current: { cpuRequest: 1000 }, confidence: 'medium' as const, explanation: 'x.', notes: [], detectedAtMs: NOW };
    assert.equal(rightsizingFinding({ ...base, status: 'ok', recommended: { cpuRequest: 950 }, severity: 'info' }), undefined);
    assert.equal(rightsizingFinding({ ...base, status: 'not-enough-data', severity: 'info' }), undefined);
    const f = rightsizingFinding({ ...base, status: 'ok', recommended: { cpuRequest: 100 }, severity: 'high', monthlySavings: 32.4 });
    assert.equal(f?.explanation, 'x, saving 32.40 per month.');
  });
});
