// SPDX-License-Identifier: Apache-2.0
// The incrementally maintained order equals a fresh sort after every kind of change the watch makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { Pod } from '../../domain/resources.ts';
import { compareKeys } from './keyset.ts';
import { PodOrderCache } from './pod-order.ts';

const mk = (name: string, ns = 'a'): Pod => ({ key: `${ns}/${name}`, name, namespace: ns }) as unknown as Pod;

test('incremental updates (modify, add, delete, relist order) match a fresh sort', () => {
  const store = new Map<string, Pod>();
  for (let i = 0; i < 200; i++) store.set(`a/p${i}`, mk(`p${i}`, i % 3 === 0 ? 'b' : 'a'));
  let cpu = (p: Pod): number | undefined => (p.name.length * 131 + Number(p.name.slice(1))) % 17;
  let collectedAt = 1;
  const cluster = { list: (_kind: string, ns?: string) => [...store.values()].filter((p) => ns === undefined || p.namespace === ns) } as unknown as ClusterView;
  const usage = { pod: (ns: string, name: string) => { const v = cpu(mk(name, ns)); return v === undefined ? undefined : { cpuMillicores: v, memoryBytes: v * 2 }; }, collectedAtMs: () => collectedAt };
  const cache = new PodOrderCache({ cluster, usage, refreshMs: 0 });
  const ids = (c: PodOrderCache, sort: 'cpu' | 'name') => c.entries({ sort, hash: sort }).map((e) => `${e.value}|${e.id}`);
  const steps: (() => void)[] = [
    () => store.set('a/p5', { ...(store.get('a/p5') as Pod) }),
    () => store.delete('a/p7'),
    () => store.set('a/new', mk('new')),
    () => { const all = [...store.entries()].reverse(); store.clear(); for (const [k, v] of all) store.set(k, v); },
    () => { collectedAt = 2; cpu = (p) => (p.name === 'p3' ? undefined : Number(p.name.slice(1)) % 5); },
  ];
  for (const step of steps) {
    ids(cache, 'cpu');
    ids(cache, 'name');
    step();
    const fresh = new PodOrderCache({ cluster, usage, refreshMs: 0 });
    assert.deepEqual(ids(cache, 'cpu'), ids(fresh, 'cpu'));
    assert.deepEqual(ids(cache, 'name'), ids(fresh, 'name'));
    const bySortKeys = [...cache.entries({ sort: 'cpu', hash: 'cpu' })].sort(compareKeys).map((e) => `${e.value}|${e.id}`);
    assert.deepEqual(ids(cache, 'cpu'), bySortKeys);
    assert.equal(cache.entries({ sort: 'cpu', hash: 'b-only', filter: (p) => p.namespace === 'b' }).length, [...store.values()].filter((p) => p.namespace === 'b').length);
    // The namespace index path gives the same entries, in the same order, as filtering the cluster-wide order.
    const viaIndex = cache.entries({ sort: 'cpu', hash: 'ns-b', namespace: 'b' }).map((e) => `${e.value}|${e.id}`);
    assert.deepEqual(viaIndex, ids(cache, 'cpu').filter((x) => x.includes('|b\u0000')));
  }
});

test('the pod list follows changes after refreshMs; a new collection reorders at once', () => {
  const pods = [mk('a1'), mk('a2')];
  let nowMs = 0;
  let collectedAt = 1;
  let cpu = 1;
  const cluster = { list: () => [...pods] } as unknown as ClusterView;
  const usage = { pod: (_ns: string, name: string) => ({ cpuMillicores: name === 'a1' ? cpu : 5, memoryBytes: 0 }), collectedAtMs: () => collectedAt };
  const cache = new PodOrderCache({ cluster, usage, refreshMs: 1000, now: () => nowMs });
  const names = (sort: 'name' | 'cpu') => cache.entries({ sort, hash: sort }).map((e) => e.pod.name);
  assert.deepEqual(names('name'), ['a1', 'a2']);
  pods.push(mk('a3'));
  nowMs = 999;
  assert.deepEqual(names('name'), ['a1', 'a2'], 'within refreshMs the last list is served');
  nowMs = 1000;
  assert.deepEqual(names('name'), ['a1', 'a2', 'a3']);
  assert.deepEqual(names('cpu'), ['a2', 'a3', 'a1']);
  cpu = 9;
  collectedAt = 2;
  assert.deepEqual(names('cpu'), ['a1', 'a2', 'a3'], 'a new collection is not delayed');
});
