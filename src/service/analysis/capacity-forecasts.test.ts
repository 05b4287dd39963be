// SPDX-License-Identifier: Apache-2.0
// The capacity step of the analysis pass over a real SQLite store (usage totals and the pod history) and a small
// cluster view: boundary cases (no data, one point, a constant series), requests derived from the pod history
// growing into exhaustion, node pools by the configured label, and the step's place in analyseCluster.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { PodRecord } from '../../domain/history.ts';
import type { ClusterView, KindMap, KindName } from '../../domain/kube-ports.ts';
import type { Namespace, Node, Pod, ResourceQuota } from '../../domain/resources.ts';
import { METRIC, type EntityKind, type Sample } from '../../domain/series.ts';
import { testContainer, testPod } from '../../domain/testing.ts';
import { manualClock, openTestStore, tempDir, type AfterHook } from '../../store/testing.ts';
import type { SqliteSampleStore } from '../../store/sample-store.ts';
import { ModelMemory } from '../../analysis/forecast/index.ts';
import { analyseCapacityForecasts, poolUsage, severityForDays } from './capacity-forecasts.ts';
import { analyseCluster, DEFAULT_ANALYSIS_SETTINGS } from './index.ts';
import { ForecastPool } from './forecast-pool.ts';
import { RecordingLogger } from '../../logging/recording-logger.ts';
import { readRequestsGrid, requestsSamples } from './requests-history.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GiB = 2 ** 30;
const NOW = Date.UTC(2026, 0, 20);
const C = 'default';

type Objects = { [K in KindName]?: KindMap[K][] };

function view(objects: Objects): ClusterView {
  const list = <K extends KindName>(kind: K, ns?: string): KindMap[K][] => ((objects[kind] ?? []) as KindMap[K][]).filter((o) => ns === undefined || o.namespace === ns);
  const get = <K extends KindName>(kind: K, ns: string | undefined, name: string) => list(kind, ns).find((o) => o.name === name);
  return { list, get, workloadOf: (p: Pod) => ({ namespace: p.namespace, kind: 'Pod', name: p.name, resolved: true }), podHistory: () => [] } as unknown as ClusterView;
}

const ns = (name: string): Namespace => ({ key: name, uid: name, name, labels: {}, annotations: {}, owners: [] }) as unknown as Namespace;

function node(name: string, pool: string): Node {
  return {
    key: name,
    uid: `uid-${name}`,
    name,
    labels: { 'node.kubernetes.io/instance-type': pool, pool: `p-${pool}` },
    annotations: {},
    owners: [],
    unschedulable: false,
    taints: [],
    capacity: {},
    allocatable: { cpuMillicores: 4000, memoryBytes: 16 * GiB },
    conditions: [],
    roles: [],
  } as unknown as Node;
}

function pod(name: string, o: { cpu: number; nodeName: string }): Pod {
  return testPod(name, { nodeName: o.nodeName, containers: [testContainer({ requests: { cpuMillicores: o.cpu, memoryBytes: GiB } })] });
}

async function storeWith(t: AfterHook, series: { kind: EntityKind; entity: string; metric: string; samples: readonly Sample[] }[]): Promise<SqliteSampleStore> {
  const store = await openTestStore(t, { path: join(tempDir(t), 'krm.db'), clock: manualClock(NOW) });
  if (series.length === 0) return store;
  const ids = await store.resolveSeries(series.map((s) => ({ cluster: C, kind: s.kind, entity: s.entity, metric: s.metric })));
  await store.writeHistory({ series: series.map((s, i) => ({ seriesId: ids[i] as number, timestampsMs: s.samples.map((x) => x.tsMs), values: s.samples.map((x) => x.value) })) });
  return store;
}

/** One sample every 5 minutes over `days` days up to NOW, of `value(h)` (h: hours since the start). */
function every5m(days: number, value: (h: number) => number): Sample[] {
  const out: Sample[] = [];
  const from = NOW - days * DAY;
  for (let ts = from; ts <= NOW; ts += 5 * 60_000) out.push({ tsMs: ts, value: value((ts - from) / HOUR) });
  return out;
}

const podRecord = (name: string, o: { cpu: number; createdAtMs: number; nodeName?: string; finishedAtMs?: number }): PodRecord => ({
  uid: `uid-${name}`,
  namespace: 'shop',
  name,
  workloadKind: 'Deployment',
  workloadName: 'web',
  phase: 'Running',
  containers: [{ name: 'app', init: false, sidecar: false, cpuRequestMillicores: o.cpu, memoryRequestBytes: GiB }],
  createdAtMs: o.createdAtMs,
  ...(o.nodeName === undefined ? {} : { nodeName: o.nodeName }),
  ...(o.finishedAtMs === undefined ? {} : { finishedAtMs: o.finishedAtMs }),
});

async function recordPods(store: SqliteSampleStore, pods: PodRecord[], observedAtMs: number): Promise<void> {
  await store.history.record({ cluster: C, events: [], lifecycle: [], pods, nodes: [], deletions: [], observedAtMs });
}

const cluster3 = (pods: Pod[] = []): ClusterView => view({ namespaces: [ns('shop')], nodes: [node('a', 'm5'), node('b', 'm5'), node('c', 'c6')], pods });

describe('capacity forecasts step', () => {
  it('no data: every scope is insufficient_data, no finding, nothing judged', async (t) => {
    const store = await storeWith(t, []);
    const r = await analyseCapacityForecasts({ cluster: cluster3([pod('p', { cpu: 1000, nodeName: 'a' })]), history: store, lifecycle: store.history, clusterName: C, nowMs: NOW });
    assert.ok(r.seen >= 6, String(r.seen));
    assert.equal(r.judged, 0);
    assert.deepEqual(r.findings, []);
    assert.equal(r.report.requestsHistory, 'empty');
    assert.ok(r.report.outlooks.every((o) => o.usage.status === 'insufficient_data' && o.requests?.status === 'insufficient_data'));
    // The cluster's CPU: 12 cores allocatable, 1 requested.
    const cpu = r.report.outlooks.find((o) => o.level === 'cluster' && o.resource === 'cpu');
    assert.equal(cpu?.capacity, 12_000);
    assert.equal(cpu?.currentRequests, 1000);
    assert.equal(cpu?.requestsExhaustion?.expectedDays, undefined);
  });

  it('one point: insufficient_data, no exhaustion date', async (t) => {
    const store = await storeWith(t, [{ kind: 'cluster', entity: C, metric: METRIC.cpuMillicores, samples: [{ tsMs: NOW - HOUR, value: 11_900 }] }]);
    const r = await analyseCapacityForecasts({ cluster: cluster3(), history: store, clusterName: C, nowMs: NOW });
    const cpu = r.report.outlooks.find((o) => o.level === 'cluster' && o.resource === 'cpu');
    assert.equal(cpu?.usage.status, 'insufficient_data');
    assert.equal(cpu?.usageExhaustion?.expectedDays, undefined);
    assert.equal(r.report.requestsHistory, 'unavailable');
    assert.deepEqual(r.findings, []);
  });

  it('no requests history, but requests already above 90 % of allocatable: exhausted now', async (t) => {
    const store = await storeWith(t, []);
    const r = await analyseCapacityForecasts({ cluster: cluster3([pod('big', { cpu: 11_000, nodeName: 'a' })]), history: store, clusterName: C, nowMs: NOW });
    const cpu = r.report.outlooks.find((o) => o.level === 'cluster' && o.resource === 'cpu');
    assert.equal(cpu?.requests?.status, 'insufficient_data');
    assert.equal(cpu?.requestsExhaustion?.expectedDays, 0);
    assert.equal(r.findings.find((f) => f.rule === 'cpu-requests-exhaustion' && f.entity.name === C)?.severity, 'critical');
  });

  it('a constant series at half the allocatable: a flat forecast, no exhaustion within the horizon, no finding', async (t) => {
    const store = await storeWith(t, [{ kind: 'cluster', entity: C, metric: METRIC.cpuMillicores, samples: every5m(4, () => 6000) }]);
    const r = await analyseCapacityForecasts({ cluster: cluster3(), history: store, clusterName: C, nowMs: NOW, horizonMs: 7 * DAY });
    const cpu = r.report.outlooks.find((o) => o.level === 'cluster' && o.resource === 'cpu');
    assert.equal(cpu?.usage.status, 'ok');
    assert.ok(cpu !== undefined && cpu.usage.points.length > 0);
    const last = cpu.usage.points.at(-1);
    assert.ok(last !== undefined && Math.abs(last.mean - 6000) < 1, JSON.stringify(last));
    assert.equal(cpu.usageExhaustion?.expectedDays, undefined);
    assert.equal(r.judged, 1);
    assert.deepEqual(r.findings, []);
  });

  it('a pool\'s usage is its nodes\' stored usage summed; a pool with a node that never reported has none', async (t) => {
    const store = await storeWith(t, [
      { kind: 'node', entity: 'a', metric: METRIC.cpuMillicores, samples: every5m(4, () => 1000) },
      { kind: 'node', entity: 'b', metric: METRIC.cpuMillicores, samples: every5m(4, () => 1500) },
    ]);
    const r = await analyseCapacityForecasts({ cluster: cluster3(), history: store, clusterName: C, nowMs: NOW, horizonMs: DAY });
    const pool = (entity: string, resource: 'cpu' | 'memory') => r.report.outlooks.find((o) => o.level === 'nodepool' && o.entity === entity && o.resource === resource);
    // m5 is nodes a and b: 2.5 cores every hour, forecast flat.
    const m5 = pool('m5', 'cpu');
    assert.equal(m5?.usage.status, 'ok');
    const path = m5?.usage.points;
    assert.ok(path !== undefined && path.length > 0);
    for (const i of [0, path.length - 1]) assert.ok(Math.abs((path.at(i)?.mean ?? 0) - 2500) < 1, JSON.stringify(path.at(i)));
    // c6 (node c) and memory have no stored usage.
    assert.equal(pool('c6', 'cpu')?.usage.status, 'insufficient_data');
    assert.equal(pool('m5', 'memory')?.usage.status, 'insufficient_data');
  });

  it('a quota shares its namespace\'s forecasts (the same series): forecast once, reported for both scopes', async (t) => {
    const store = await storeWith(t, [{ kind: 'namespace', entity: 'shop', metric: METRIC.cpuMillicores, samples: every5m(4, (h) => 500 + 10 * Math.sin(h)) }]);
    const quota = { key: 'shop/q', uid: 'uid-q', name: 'q', namespace: 'shop', labels: {}, annotations: {}, owners: [], hard: { 'requests.cpu': 2000 }, used: { 'requests.cpu': 900 }, scopes: [], hasScopeSelector: false } as unknown as ResourceQuota;
    const cluster = view({ namespaces: [ns('shop')], nodes: [node('a', 'm5')], pods: [pod('p', { cpu: 900, nodeName: 'a' })], resourcequotas: [quota] });
    const r = await analyseCapacityForecasts({ cluster, history: store, clusterName: C, nowMs: NOW, horizonMs: DAY });
    const nsCpu = r.report.outlooks.find((o) => o.level === 'namespace' && o.entity === 'shop' && o.resource === 'cpu');
    const quotaCpu = r.report.outlooks.find((o) => o.level === 'quota' && o.entity === 'shop/q' && o.resource === 'cpu');
    assert.equal(nsCpu?.usage.status, 'ok');
    assert.equal(quotaCpu?.usage, nsCpu?.usage);
    assert.equal(quotaCpu?.capacity, 2000);
    // A different series (the namespace's memory, absent) is not shared with the CPU one.
    const nsMemory = r.report.outlooks.find((o) => o.level === 'namespace' && o.entity === 'shop' && o.resource === 'memory');
    assert.equal(nsMemory?.usage.status, 'insufficient_data');
  });

  it('kept models: the next pass fits each series with its model alone, the same forecast; gone scopes are forgotten', async (t) => {
    const store = await storeWith(t, [{ kind: 'namespace', entity: 'shop', metric: METRIC.cpuMillicores, samples: every5m(4, (h) => 500 + 100 * Math.sin((2 * Math.PI * h) / 24) + h) }]);
    const models = new ModelMemory();
    const cluster = view({ namespaces: [ns('shop')], nodes: [node('a', 'm5')], pods: [pod('p', { cpu: 900, nodeName: 'a' })] });
    const first = await analyseCapacityForecasts({ cluster, history: store, clusterName: C, nowMs: NOW, horizonMs: DAY, models });
    // One series had a model to keep: the namespace's CPU usage (the rest are short of data).
    assert.equal(models.size, 1);
    const second = await analyseCapacityForecasts({ cluster, history: store, clusterName: C, nowMs: NOW, horizonMs: DAY, models });
    const cpuOf = (r: typeof first) => r.report.outlooks.find((o) => o.level === 'namespace' && o.resource === 'cpu')?.usage;
    assert.equal(cpuOf(first)?.status, 'ok');
    assert.deepEqual(cpuOf(second)?.points.toArray(), cpuOf(first)?.points.toArray());
    assert.equal(cpuOf(second)?.method, cpuOf(first)?.method);
    // The namespace went: its model is forgotten.
    await analyseCapacityForecasts({ cluster: view({ namespaces: [], nodes: [node('a', 'm5')], pods: [] }), history: store, clusterName: C, nowMs: NOW, horizonMs: DAY, models });
    assert.equal(models.size, 0);
  });

  it('requests from the pod history already above 90 % of allocatable: exhausted now, critical; N − 1 and pools', async (t) => {
    const store = await storeWith(t, []);
    // Four days seen; a 500 m pod created every 4 hours from 6 cores: 11 cores now, 90 % of 12 cores is 10.8.
    const records = [podRecord('base', { cpu: 6000, createdAtMs: NOW - 10 * DAY, nodeName: 'a' })];
    for (let i = 0; i < 10; i++) records.push(podRecord(`g${i}`, { cpu: 500, createdAtMs: NOW - 4 * DAY + (i + 1) * 9 * HOUR, nodeName: 'b' }));
    await recordPods(store, records, NOW - 4 * DAY);
    const pods = [pod('base', { cpu: 6000, nodeName: 'a' }), ...Array.from({ length: 10 }, (_, i) => pod(`g${i}`, { cpu: 500, nodeName: 'b' }))];
    const r = await analyseCapacityForecasts({ cluster: cluster3(pods), history: store, lifecycle: store.history, clusterName: C, nowMs: NOW });
    assert.equal(r.report.requestsHistory, 'ok');
    const cpu = r.report.outlooks.find((o) => o.level === 'cluster' && o.resource === 'cpu');
    assert.equal(cpu?.requests?.status, 'ok');
    // Already above 90 %: exhausted now, a critical finding.
    assert.equal(cpu?.requestsExhaustion?.expectedDays, 0);
    const f = r.findings.find((x) => x.rule === 'cpu-requests-exhaustion' && x.entity.kind === 'cluster' && x.entity.name === C);
    assert.equal(f?.severity, 'critical');
    assert.equal(f?.analysis, 'capacity');
    // N − 1: 11 cores on 8 left without a node do not fit.
    const n1 = r.findings.find((x) => x.rule === 'cpu-n-minus-one' && x.entity.name === C);
    assert.equal(n1?.severity, 'medium');
    // Pools by the default label: m5 (a, b) carries all the requests.
    const m5 = r.report.outlooks.find((o) => o.level === 'nodepool' && o.entity === 'm5' && o.resource === 'cpu');
    assert.equal(m5?.capacity, 8000);
    assert.equal(m5?.currentRequests, 11_000);
    assert.ok((m5?.nodesForGrowth ?? 0) >= 1, String(m5?.nodesForGrowth));
  });

  it('requests still below 90 % but growing: a future date, and the severity its days left call for', async (t) => {
    const store = await storeWith(t, []);
    // 6 cores, then a 500 m pod every 16 hours over four days: 8.5 cores now, growing about 0.75 cores a day.
    const records = [podRecord('base', { cpu: 6000, createdAtMs: NOW - 10 * DAY, nodeName: 'a' })];
    for (let i = 0; i < 5; i++) records.push(podRecord(`g${i}`, { cpu: 500, createdAtMs: NOW - 4 * DAY + (i + 1) * 16 * HOUR, nodeName: 'b' }));
    await recordPods(store, records, NOW - 4 * DAY);
    const pods = [pod('base', { cpu: 6000, nodeName: 'a' }), ...Array.from({ length: 5 }, (_, i) => pod(`g${i}`, { cpu: 500, nodeName: 'b' }))];
    const r = await analyseCapacityForecasts({ cluster: cluster3(pods), history: store, lifecycle: store.history, clusterName: C, nowMs: NOW });
    const cpu = r.report.outlooks.find((o) => o.level === 'cluster' && o.resource === 'cpu');
    const days = cpu?.requestsExhaustion?.expectedDays;
    assert.ok(days !== undefined && days > 1 && days < 14, String(days));
    const f = r.findings.find((x) => x.rule === 'cpu-requests-exhaustion' && x.entity.name === C);
    assert.equal(f?.severity, severityForDays(days));
    assert.equal(f?.evidence['current_requests'], 8500);
    // The memory requests (1 GiB a pod) stay far below 90 % of 48 GiB: no finding for memory.
    assert.equal(r.findings.find((x) => x.rule === 'memory-requests-exhaustion'), undefined);
  });

  it('requests history: starts at the first observation, counts pods from creation to end, per node', async (t) => {
    const store = await storeWith(t, []);
    await recordPods(store, [podRecord('x', { cpu: 100, createdAtMs: NOW - 30 * DAY, nodeName: 'a' }), podRecord('y', { cpu: 200, createdAtMs: NOW - 2 * HOUR, nodeName: 'b', finishedAtMs: NOW - HOUR })], NOW - 3 * HOUR);
    const grid = await readRequestsGrid({ lifecycle: store.history, cluster: C, fromMs: NOW - DAY, toMs: NOW, stepMs: HOUR });
    // Pods gone before the first observation are unknown: the series starts there, not at the window's start.
    assert.equal(grid.startMs, NOW - 3 * HOUR);
    assert.deepEqual(requestsSamples(grid, { keys: ['cluster'], resource: 'cpu' }).map((s) => s.value), [100, 300, 100, 100]);
    assert.deepEqual(requestsSamples(grid, { keys: ['node:b'], resource: 'cpu' }).map((s) => s.value), [0, 200, 0, 0]);
    const none = await readRequestsGrid({ lifecycle: store.history, cluster: 'other', fromMs: NOW - DAY, toMs: NOW, stepMs: HOUR });
    assert.deepEqual(requestsSamples(none, { keys: ['cluster'], resource: 'cpu' }), []);
  });

  it('requests history over many pages (newest first): each page added as it comes, the same sums as one read', async (t) => {
    const store = await storeWith(t, []);
    // 2,500 pods (three pages of 1,000), seen at three times: the earliest observation is on the last page read.
    const pods = Array.from({ length: 2500 }, (_, i) => podRecord(`p${i}`, { cpu: 1 + (i % 7), createdAtMs: NOW - (i % 40) * HOUR, ...(i % 5 === 0 ? { finishedAtMs: NOW - (i % 3) * HOUR } : {}) }));
    await recordPods(store, pods.slice(0, 800), NOW - 10 * HOUR);
    await recordPods(store, pods.slice(800, 1700), NOW - 5 * HOUR);
    await recordPods(store, pods.slice(1700), NOW - 2 * HOUR);
    const grid = await readRequestsGrid({ lifecycle: store.history, cluster: C, fromMs: NOW - DAY, toMs: NOW, stepMs: HOUR });
    assert.equal(grid.truncated, false);
    assert.equal(grid.startMs, NOW - 10 * HOUR);
    // Expected: at each hour from the first observation, the pods created at or before it and not yet finished.
    const expected = [];
    for (let ts = NOW - 10 * HOUR; ts <= NOW; ts += HOUR) {
      let sum = 0;
      pods.forEach((p, i) => {
        const created = NOW - (i % 40) * HOUR;
        const finished = i % 5 === 0 ? NOW - (i % 3) * HOUR : Infinity;
        if (Math.max(created, NOW - 10 * HOUR) <= ts && ts < finished) sum += 1 + (i % 7);
      });
      expected.push(sum);
    }
    assert.deepEqual(requestsSamples(grid, { keys: ['cluster'], resource: 'cpu' }).map((s) => s.value), expected);
  });

  it('a pool sums its nodes only at the hours every node reported', () => {
    const col = (ts: number[], values: number[]) => ({ timestampsMs: Float64Array.from(ts), values: Float64Array.from(values) });
    const none = col([], []);
    const usage = new Map([
      ['a', { cpu: col([0, HOUR], [1, 2]), memory: none }],
      ['b', { cpu: col([HOUR], [5]), memory: none }],
    ]);
    assert.deepEqual(poolUsage(usage, ['a', 'b'], 'cpu'), [{ tsMs: HOUR, value: 7 }]);
    assert.deepEqual(poolUsage(usage, ['a', 'b'], 'memory'), []);
  });

  it('severity by days left', () => {
    assert.deepEqual([0, 1, 1.5, 7, 8, 30].map(severityForDays), ['critical', 'critical', 'high', 'high', 'medium', 'medium']);
  });

  it('analyseCluster with forecast workers: the same report, findings and runs as forecasting in the pass', async (t) => {
    const usage = (entity: string, kind: EntityKind, level: number) => [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes].map((metric, k) => ({ kind, entity, metric, samples: every5m(14, (h) => level * (k + 1) * (1 + 0.2 * Math.sin((2 * Math.PI * h) / 24) + 0.01 * h)) }));
    const store = await storeWith(t, [...usage(C, 'cluster', 9000), ...usage('shop', 'namespace', 4000)]);
    const records = [podRecord('base', { cpu: 6000, createdAtMs: NOW - 10 * DAY, nodeName: 'a' })];
    for (let i = 0; i < 5; i++) records.push(podRecord(`g${i}`, { cpu: 500, createdAtMs: NOW - 4 * DAY + (i + 1) * 16 * HOUR, nodeName: 'b' }));
    await recordPods(store, records, NOW - 4 * DAY);
    const pods = [pod('base', { cpu: 6000, nodeName: 'a' }), ...Array.from({ length: 5 }, (_, i) => pod(`g${i}`, { cpu: 500, nodeName: 'b' }))];
    const opts = { cluster: cluster3(pods), history: store, lifecycle: store.history, clusterName: C, nowMs: NOW, settings: DEFAULT_ANALYSIS_SETTINGS };
    const log = new RecordingLogger();
    const pool = new ForecastPool({ threads: 1, log });
    t.after(() => pool.close());
    const inline = await analyseCluster(opts);
    const workers = await analyseCluster({ ...opts, forecaster: pool });
    assert.ok((inline.capacity?.outlooks ?? []).some((o) => o.usage.status === 'ok' && o.usage.method !== 'constant'));
    assert.ok(inline.findings.some((f) => f.analysis === 'capacity'));
    assert.equal(JSON.stringify(workers.capacity), JSON.stringify(inline.capacity));
    assert.equal(JSON.stringify(workers.findings), JSON.stringify(inline.findings));
    assert.deepEqual(workers.runs.map((r) => [r.analysis, r.status]), inline.runs.map((r) => [r.analysis, r.status]));
    // The workers made them (a failed worker would have handed them back to the pass, with the same answers).
    assert.deepEqual(log.of('analysis.workers_failed'), []);
  });

  it('analyseCluster: the capacity group carries the report and its run status; a custom pool label groups nodes', async (t) => {
    const store = await storeWith(t, []);
    const r = await analyseCluster({ cluster: cluster3(), history: store, clusterName: C, nowMs: NOW, settings: { ...DEFAULT_ANALYSIS_SETTINGS, only: ['capacity'], nodePoolLabel: 'pool', forecastHorizonMs: 3 * DAY } });
    assert.equal(r.runs.find((x) => x.analysis === 'capacity')?.status, 'insufficient_data');
    assert.equal(r.capacity?.horizonMs, 3 * DAY);
    assert.deepEqual([...new Set(r.capacity?.outlooks.filter((o) => o.level === 'nodepool').map((o) => o.entity))].sort(), ['p-c6', 'p-m5']);
    const none = await analyseCluster({ cluster: cluster3(), history: store, clusterName: C, nowMs: NOW, settings: { ...DEFAULT_ANALYSIS_SETTINGS, only: ['leak'] } });
    assert.equal(none.capacity, undefined);
  });
});
