// SPDX-License-Identifier: Apache-2.0
// Showback over a real SQLite store through GET /api/v1/costs: namespace and tenant grouping, max(request, usage)
// billing integrated over the window, storage of Bound PVCs only, the idle share, the waste ratio, requests from the
// pod history when there is one, and 400 answers naming the parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildTestApp } from '../../api/testing.ts';
import type { ClusterView, KindMap, KindName } from '../../domain/kube-ports.ts';
import type { Namespace, Node, PersistentVolumeClaim, Pod } from '../../domain/resources.ts';
import { METRIC, type Sample } from '../../domain/series.ts';
import { manualClock, openTestStore, tempDir, type AfterHook } from '../../store/testing.ts';
import { createCostsProvider } from './costs.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const GiB = 2 ** 30;
const NOW = Date.UTC(2026, 0, 20);
const C = 'default';
const PRICES = { cpuCoreHour: 0.05, memoryGiBHour: 0.01, storageGiBHour: 0.001 };

type Objects = { [K in KindName]?: KindMap[K][] };

function view(objects: Objects): ClusterView {
  const list = <K extends KindName>(kind: K, ns?: string): KindMap[K][] => ((objects[kind] ?? []) as KindMap[K][]).filter((o) => ns === undefined || o.namespace === ns);
  const get = <K extends KindName>(kind: K, ns: string | undefined, name: string) => list(kind, ns).find((o) => o.name === name);
  return { list, get } as unknown as ClusterView;
}

const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({ key: name, uid: name, name, labels, annotations: {}, owners: [] }) as unknown as Namespace;
const pvc = (namespace: string, name: string, o: { phase: string; gib: number }): PersistentVolumeClaim =>
  ({ key: `${namespace}/${name}`, uid: name, name, namespace, labels: {}, annotations: {}, owners: [], phase: o.phase, requestedBytes: o.gib * GiB }) as unknown as PersistentVolumeClaim;
const node = { key: 'n1', uid: 'n1', name: 'n1', labels: {}, annotations: {}, owners: [], allocatable: { cpuMillicores: 4000, memoryBytes: 16 * GiB } } as unknown as Node;

function pod(namespace: string, o: { cpu: number; memory: number }): Pod {
  const container = { name: 'app', requests: { cpuMillicores: o.cpu, memoryBytes: o.memory }, limits: {} };
  return { key: `${namespace}/p`, uid: `${namespace}-p`, name: 'p', namespace, phase: 'Running', containers: [container], initContainers: [] } as unknown as Pod;
}

/** One sample every 5 minutes over the last day, constant. */
const day = (value: number): Sample[] => Array.from({ length: 289 }, (_, i) => ({ tsMs: NOW - DAY + i * 5 * MIN, value }));

async function setup(t: AfterHook, withHistory = false) {
  const store = await openTestStore(t, { path: join(tempDir(t), 'krm.db'), clock: manualClock(NOW) });
  const series = [
    { entity: 'shop', metric: METRIC.cpuMillicores, samples: day(500) },
    { entity: 'shop', metric: METRIC.memoryWorkingSetBytes, samples: day(GiB) },
    { entity: 'data', metric: METRIC.cpuMillicores, samples: day(2000) },
  ];
  const ids = await store.resolveSeries(series.map((s) => ({ cluster: C, kind: 'namespace' as const, entity: s.entity, metric: s.metric })));
  await store.writeHistory({ series: series.map((s, i) => ({ seriesId: ids[i] as number, timestampsMs: s.samples.map((x) => x.tsMs), values: s.samples.map((x) => x.value) })) });
  const cluster = view({
    namespaces: [ns('shop', { tenant: 'acme' }), ns('data', { tenant: 'acme' }), ns('ops')],
    nodes: [node],
    pods: [pod('shop', { cpu: 1000, memory: 2 * GiB }), pod('data', { cpu: 1000, memory: 0 })],
    persistentvolumeclaims: [pvc('shop', 'db', { phase: 'Bound', gib: 10 }), pvc('shop', 'new', { phase: 'Pending', gib: 50 })],
  });
  const costs = createCostsProvider({ cluster, history: store, ...(withHistory ? { lifecycle: store.history } : {}), clusterName: C, clock: manualClock(NOW), prices: PRICES, tenantLabel: 'tenant' });
  const { app } = buildTestApp({ costs });
  t.after(() => app.close());
  return { app, store };
}

interface Item {
  namespace?: string;
  tenant: string;
  namespaces: string[];
  cpu_cost: number;
  memory_cost: number;
  storage_cost: number;
  idle_cost: number;
  total_cost: number;
  requested: { cpu_core_hours: number; memory_gib_hours: number };
  used: { cpu_core_hours: number; memory_gib_hours: number };
  waste_ratio: { cpu: number | null; memory: number | null };
}

interface Body {
  window: string;
  group_by: string;
  from: string;
  to: string;
  requests_basis: string;
  total_cost: number;
  items: Item[];
}

const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-3;

test('costs per namespace: max(request, usage) over 24 h, Bound storage only, idle share and waste', async (t) => {
  const { app } = await setup(t);
  const res = await app.inject({ url: '/api/v1/costs' });
  assert.equal(res.statusCode, 200);
  const body = res.json<Body>();
  assert.equal(body.window, '24h');
  assert.equal(body.from, new Date(NOW - DAY).toISOString());
  assert.equal(body.requests_basis, 'current');
  const shop = body.items.find((i) => i.namespace === 'shop');
  const data = body.items.find((i) => i.namespace === 'data');
  assert.ok(shop !== undefined && data !== undefined);
  // shop: 1 core requested, 0.5 used → billed 24 core-hours; 2 GiB requested, 1 GiB used → 48 GiB-hours; 10 GiB Bound.
  assert.ok(close(shop.cpu_cost, 24 * 0.05), String(shop.cpu_cost));
  assert.ok(close(shop.memory_cost, 48 * 0.01), String(shop.memory_cost));
  assert.ok(close(shop.storage_cost, 240 * 0.001), String(shop.storage_cost));
  assert.ok(close(shop.waste_ratio.cpu ?? Number.NaN, 0.5));
  assert.ok(close(shop.waste_ratio.memory ?? Number.NaN, 0.5));
  assert.ok(close(shop.used.cpu_core_hours, 12) && close(shop.requested.cpu_core_hours, 24));
  // data uses twice its request: billed at usage, negative waste.
  assert.ok(close(data.cpu_cost, 48 * 0.05), String(data.cpu_cost));
  assert.ok(close(data.waste_ratio.cpu ?? Number.NaN, -1));
  assert.equal(data.waste_ratio.memory, null);
  // Idle: 4 cores and 16 GiB priced for a day (8.64) minus 4.08 allocated, shared by allocated cost.
  const idle = 8.64 - 4.08;
  assert.ok(close(shop.idle_cost + data.idle_cost, idle), `${shop.idle_cost} + ${data.idle_cost}`);
  assert.ok(close(shop.idle_cost, (idle * 1.68) / 4.08));
  assert.ok(close(shop.total_cost, 1.2 + 0.48 + 0.24 + shop.idle_cost));
  // Most expensive first; a namespace without usage costs nothing.
  assert.deepEqual(body.items.map((i) => i.namespace), ['data', 'shop', 'ops']);
  assert.equal(body.items.find((i) => i.namespace === 'ops')?.total_cost, 0);
  const one = (await app.inject({ url: '/api/v1/costs?namespace=shop' })).json<Body>();
  assert.deepEqual(one.items.map((i) => i.namespace), ['shop']);
});

test('costs per tenant: namespaces grouped by the tenant label; an unlabelled namespace is its own tenant', async (t) => {
  const { app } = await setup(t);
  const body = (await app.inject({ url: '/api/v1/costs?group_by=tenant&window=7d' })).json<Body>();
  assert.equal(body.window, '7d');
  assert.equal(body.group_by, 'tenant');
  const acme = body.items.find((i) => i.tenant === 'acme');
  assert.deepEqual(acme?.namespaces.sort(), ['data', 'shop']);
  assert.deepEqual(body.items.map((i) => i.tenant).sort(), ['acme', 'ops']);
  // Waste over the tenant: (48 − 60) ÷ 48 core-hours requested vs used.
  assert.ok(close(acme?.waste_ratio.cpu ?? Number.NaN, (48 - 60) / 48), String(acme?.waste_ratio.cpu));
  assert.ok(close(body.total_cost, body.items.reduce((a, i) => a + i.total_cost, 0)));
});

test('costs: requests from the pod history when it covers the window', async (t) => {
  const { app, store } = await setup(t, true);
  // shop ran 3 cores for the whole day according to the history (the live pod says 1).
  await store.history.record({
    cluster: C,
    events: [],
    lifecycle: [],
    pods: [{ uid: 'h', namespace: 'shop', name: 'h', workloadKind: 'Deployment', workloadName: 'h', phase: 'Running', containers: [{ name: 'app', init: false, sidecar: false, cpuRequestMillicores: 3000 }], createdAtMs: NOW - 2 * DAY }],
    nodes: [],
    deletions: [],
    observedAtMs: NOW - 2 * DAY,
  });
  const body = (await app.inject({ url: '/api/v1/costs' })).json<Body>();
  assert.equal(body.requests_basis, 'history');
  const shop = body.items.find((i) => i.namespace === 'shop');
  assert.ok(close(shop?.requested.cpu_core_hours ?? 0, 72), String(shop?.requested.cpu_core_hours));
});

test('costs: bad parameters are 400s naming the parameter', async (t) => {
  const { app } = await setup(t);
  for (const [q, parameter] of [['window=1y', 'window'], ['group_by=workload', 'group_by']]) {
    const res = await app.inject({ url: `/api/v1/costs?${q}` });
    assert.equal(res.statusCode, 400, q);
    assert.equal(res.json<{ error: { details: { parameter: string } } }>().error.details.parameter, parameter);
  }
});
