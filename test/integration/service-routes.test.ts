// SPDX-License-Identifier: Apache-2.0
// The usage routes over an in-memory cluster view: label selectors, phase and node filters, sorting by usage,
// cursor pagination, and the 400 answers for bad parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkloadRef } from '../../src/domain/kube-ports.ts';
import type { Pod } from '../../src/domain/resources.ts';
import type { LatestUsage } from '../../src/api/routes/pods.ts';
import { buildTestApp } from '../../src/api/testing.ts';
import { KindStore } from '../../src/sources/kube/kind-store.ts';
import { podStoreView } from '../support/pod-store-view.ts';

function pod(name: string, o: { phase?: string; node?: string; labels?: Record<string, string> } = {}): Pod {
  const container = { name: 'c', image: 'i', requests: { cpuMillicores: 100, memoryBytes: 1000 }, limits: {}, livenessProbe: false, readinessProbe: false, startupProbe: false, privileged: false, preStopHook: false };
  return {
    key: `shop/${name}`, uid: name, name, namespace: 'shop', labels: o.labels ?? {}, annotations: {}, owners: [],
    nodeName: o.node ?? 'n1', phase: o.phase ?? 'Running', hasAffinity: false, topologySpreadConstraints: 0, pvcNames: [], conditions: [],
    containers: [container], initContainers: [], containerStatuses: [], initContainerStatuses: [],
  };
}

const PODS = [
  pod('a', { labels: { app: 'web', tier: 'front' } }),
  pod('b', { labels: { app: 'web' }, node: 'n2' }),
  pod('c', { labels: { app: 'db' }, phase: 'Pending' }),
  pod('d', { labels: {} }),
];
const CPU: Record<string, number> = { a: 10, b: 30, c: 20 };

const workloadOf = (p: Pod): WorkloadRef => ({ namespace: p.namespace, kind: 'Pod', name: p.name, resolved: true });
const fixedPods = new KindStore<Pod>();
fixedPods.replace(PODS);
const view = podStoreView(fixedPods, { workloadOf, isReady: () => true });

const usage: LatestUsage = {
  pod: (_ns, name) => (CPU[name] === undefined ? undefined : { cpuMillicores: CPU[name], memoryBytes: 1 }),
  node: () => undefined,
  collectedAtMs: () => 0,
};

async function names(query: string): Promise<string[]> {
  const { app } = buildTestApp({ clusterView: view, latestUsage: usage });
  const res = await app.inject({ method: 'GET', url: `/api/v1/pods?${query}` });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { items: { name: string }[] }).items.map((i) => i.name);
}

test('filters by label selector, phase and node', async () => {
  assert.deepEqual(await names('labelSelector=app%3Dweb'), ['a', 'b']);
  assert.deepEqual(await names('labelSelector=app%20in%20(db,web),tier'), ['a']);
  assert.deepEqual(await names('labelSelector=!app'), ['d']);
  assert.deepEqual(await names('labelSelector=app!%3Dweb'), ['c', 'd']);
  assert.deepEqual(await names('phase=Pending'), ['c']);
  assert.deepEqual(await names('node=n2'), ['b']);
});

test('sorts by usage, highest first, pods without usage last', async () => {
  assert.deepEqual(await names('sort=cpu'), ['b', 'c', 'a', 'd']);
});

test('pages with a cursor until the end', async () => {
  const { app } = buildTestApp({ clusterView: view, latestUsage: usage });
  const seen: string[] = [];
  let url = '/api/v1/pods?limit=3';
  for (;;) {
    const body = (await app.inject({ method: 'GET', url })).json() as { items: { name: string }[]; continue: string | null; total: number };
    assert.equal(body.total, 4);
    seen.push(...body.items.map((i) => i.name));
    if (body.continue === null) break;
    url = `/api/v1/pods?limit=3&continue=${body.continue}`;
  }
  assert.deepEqual(seen, ['a', 'b', 'c', 'd']);
  const wrongSort = await app.inject({ method: 'GET', url: `${url.replace('limit=3', 'sort=cpu')}` });
  assert.equal(wrongSort.statusCode, url.includes('continue') ? 400 : 200);
});

test('bad parameters are 400 KRM_API_BAD_REQUEST', async () => {
  const { app } = buildTestApp({ clusterView: view, latestUsage: usage });
  for (const q of ['limit=abc', 'limit=1001', 'labelSelector=%3D%3Dx', 'sort=name&sort=cpu']) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/pods?${q}` });
    assert.equal(res.statusCode, 400, q);
    assert.equal((res.json() as { error: { code: string } }).error.code, 'KRM_API_BAD_REQUEST', q);
  }
});

test('keyset pages stay stable while pods are added and removed between pages; a cursor of another query is 400', async () => {
  const live = new KindStore<Pod>();
  live.replace(Array.from({ length: 50 }, (_, i) => pod(`p${String(i).padStart(2, '0')}`)));
  const cpu = (name: string): number => (Number(name.slice(1)) * 37) % 23;
  const liveView = podStoreView(live, { workloadOf });
  const liveUsage: LatestUsage = { pod: (_ns, name) => ({ cpuMillicores: cpu(name), memoryBytes: 1 }), node: () => undefined, collectedAtMs: () => 0 };
  const { app } = buildTestApp({ clusterView: liveView, latestUsage: liveUsage });
  const throughout = new Set(live.list().map((p) => p.name).filter((n) => Number(n.slice(1)) % 5 !== 0));
  const seen: string[] = [];
  let cursor: string | null = null;
  let round = 0;
  do {
    const url: string = `/api/v1/pods?sort=cpu&limit=7${cursor === null ? '' : `&continue=${cursor}`}`;
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { items: { name: string }[]; continue: string | null };
    seen.push(...body.items.map((i) => i.name));
    cursor = body.continue;
    // Between pages: remove a pod not kept throughout, and add new ones that sort anywhere.
    const gone = live.list().find((p) => p.name === `p${String(round * 5).padStart(2, '0')}`);
    if (gone !== undefined) live.remove(gone);
    live.upsert(pod(`n${round}`));
    round++;
  } while (cursor !== null);
  const kept = seen.filter((n) => throughout.has(n));
  assert.equal(new Set(kept).size, kept.length, 'no pod is repeated');
  assert.deepEqual(new Set(kept), throughout, 'no pod that existed throughout is skipped');
  const values = seen.filter((n) => n.startsWith('p')).map(cpu);
  assert.deepEqual(values, [...values].sort((a, b) => b - a), 'pages follow the sort');

  const first = (await app.inject({ method: 'GET', url: '/api/v1/pods?sort=cpu&limit=3' })).json() as { continue: string };
  for (const other of ['sort=memory', 'sort=cpu&namespace=shop', 'sort=cpu&labelSelector=app', 'sort=cpu&phase=Running']) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/pods?${other}&continue=${first.continue}` });
    assert.equal(res.statusCode, 400, other);
    const error = (res.json() as { error: { code: string; details: { parameter: string } } }).error;
    assert.equal(error.code, 'KRM_API_BAD_REQUEST', other);
    assert.equal(error.details.parameter, 'continue', other);
  }
  const sameQueryOtherLimit = await app.inject({ method: 'GET', url: `/api/v1/pods?sort=cpu&limit=5&continue=${first.continue}` });
  assert.equal(sameQueryOtherLimit.statusCode, 200, 'limit may change between pages');
});
