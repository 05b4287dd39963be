// SPDX-License-Identifier: Apache-2.0
// The incrementally maintained order equals a fresh sort after every kind of change the watch makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../domain/resources.ts';
import { KindStore } from '../../sources/kube/kind-store.ts';
import { podStoreView } from '../../../test/support/pod-store-view.ts';
import { compareKeys } from './keyset.ts';
import { PodOrderCache } from './pod-order.ts';

const mk = (name: string, ns = 'a'): Pod => ({ key: `${ns}/${name}`, name, namespace: ns }) as unknown as Pod;

test('incremental updates (modify, add, delete, relist order) match a fresh sort', () => {
  const store = new KindStore<Pod>();
  store.replace(Array.from({ length: 200 }, (_, i) => mk(`p${i}`, i % 3 === 0 ? 'b' : 'a')));
  let cpu = (p: Pod): number | undefined => (p.name.length * 131 + Number(p.name.slice(1))) % 17;
  let collectedAt = 1;
  const cluster = podStoreView(store);
  const usage = { pod: (ns: string, name: string) => { const v = cpu(mk(name, ns)); return v === undefined ? undefined : { cpuMillicores: v, memoryBytes: v * 2 }; }, collectedAtMs: () => collectedAt };
  const cache = new PodOrderCache({ cluster, usage, refreshMs: 0 });
  const ids = (c: PodOrderCache, sort: 'cpu' | 'name') => c.entries({ sort, hash: sort }).map((e) => `${e.value}|${e.id}`);
  const steps: (() => void)[] = [
    () => store.upsert({ ...(store.get('a/p5') as Pod) }),
    () => store.remove(store.get('a/p7') as Pod),
    () => store.upsert(mk('new')),
    () => { store.upsert(mk('gone')); store.upsert({ ...(store.get('a/p8') as Pod) }); store.remove(store.get('a/gone') as Pod); store.upsert(mk('p7')); },
    () => store.replace([...store.list()].reverse().slice(3)),
    () => { collectedAt = 2; cpu = (p) => (p.name === 'p3' ? undefined : Number(p.name.slice(1)) % 5); },
  ];
  for (const step of steps) {
    ids(cache, 'cpu');
    ids(cache, 'name');
    step();
    const fresh = new PodOrderCache({ cluster, usage, refreshMs: 0 });
    assert.deepEqual(ids(cache, 'cpu'), ids(fresh, 'cpu'));
    assert.deepEqual(ids(cache, 'name'), ids(fresh, 'name'));
    for (const sort of ['cpu', 'name'] as const) {
      assert.ok(cache.entries({ sort, hash: sort }).every((e) => store.get(e.pod.key) === e.pod), 'entries hold the current pod objects');
    }
    const bySortKeys = [...cache.entries({ sort: 'cpu', hash: 'cpu' })].sort(compareKeys).map((e) => `${e.value}|${e.id}`);
    assert.deepEqual(ids(cache, 'cpu'), bySortKeys);
    assert.equal(cache.entries({ sort: 'cpu', hash: 'b-only', filter: (p) => p.namespace === 'b' }).length, store.list('b').length);
    // The namespace index path gives the same entries, in the same order, as filtering the cluster-wide order.
    const viaIndex = cache.entries({ sort: 'cpu', hash: 'ns-b', namespace: 'b' }).map((e) => `${e.value}|${e.id}`);
    assert.deepEqual(viaIndex, ids(cache, 'cpu').filter((x) => x.includes('|b\u0000')));
    // A source that answers single values (podValue, as the collector does) gives the same orders.
    const byValue = { ...usage, podValue: (ns: string, name: string, which: 'cpu' | 'memory') => { const u = usage.pod(ns, name); return u === undefined ? undefined : which === 'cpu' ? u.cpuMillicores : u.memoryBytes; } };
    const valued = new PodOrderCache({ cluster, usage: { ...byValue, pod: () => { throw new Error('podValue is used instead'); } }, refreshMs: 0 });
    assert.deepEqual(ids(valued, 'cpu'), ids(fresh, 'cpu'));
  }
});

test('the pod list follows changes after refreshMs; a new collection reorders at once', () => {
  const store = new KindStore<Pod>();
  store.replace([mk('a1'), mk('a2')]);
  let nowMs = 0;
  let collectedAt = 1;
  let cpu = 1;
  const cluster = podStoreView(store);
  const usage = { pod: (_ns: string, name: string) => ({ cpuMillicores: name === 'a1' ? cpu : 5, memoryBytes: 0 }), collectedAtMs: () => collectedAt };
  const cache = new PodOrderCache({ cluster, usage, refreshMs: 1000, now: () => nowMs });
  const names = (sort: 'name' | 'cpu') => cache.entries({ sort, hash: sort }).map((e) => e.pod.name);
  assert.deepEqual(names('name'), ['a1', 'a2']);
  store.upsert(mk('a3'));
  nowMs = 999;
  assert.deepEqual(names('name'), ['a1', 'a2'], 'within refreshMs the last list is served');
  nowMs = 1000;
  assert.deepEqual(names('name'), ['a1', 'a2', 'a3']);
  assert.deepEqual(names('cpu'), ['a2', 'a3', 'a1']);
  cpu = 9;
  collectedAt = 2;
  assert.deepEqual(names('cpu'), ['a1', 'a2', 'a3'], 'a new collection is not delayed');
});

test('more changes than splicing pays for (the journal holds 16,384): the orders are rebuilt from the list', () => {
  const store = new KindStore<Pod>();
  store.replace([mk('a1'), mk('a2'), mk('a3')]);
  const usage = { pod: () => undefined, collectedAtMs: () => 1 };
  let nowMs = 0;
  const cache = new PodOrderCache({ cluster: podStoreView(store), usage, refreshMs: 1000, now: () => nowMs });
  const order = () => cache.entries({ sort: 'name', hash: 'name' });
  const names = () => order().map((e) => e.pod.name);
  assert.deepEqual(names(), ['a1', 'a2', 'a3']);
  // The changes that matter come first and then fall out of the journal: only a rebuild from the list can show them
  // (the journal's own bounds are tested in change-journal.test.ts).
  store.upsert(mk('a0'));
  store.remove(store.get('a/a2') as Pod);
  for (let i = 0; i < 20_000; i++) store.upsert(mk('a1'));
  nowMs = 1000;
  assert.deepEqual(names(), ['a0', 'a1', 'a3']);
  assert.equal(order()[1]?.pod, store.get('a/a1'));
  // Held by the journal but too many to splice one by one: a new order, with the same content as a splice would give.
  const before = order();
  for (let i = 0; i < 1500; i++) store.upsert(mk(`b${i}`));
  nowMs = 2000;
  assert.notEqual(order(), before, 'rebuilt, not spliced');
  assert.equal(order().length, 1503);
  const small = order();
  store.upsert(mk('c'));
  nowMs = 3000;
  assert.equal(order(), small, 'a few changes are spliced into the same order');
  assert.equal(order().length, 1504);
});

test('a usage order built by ready() in slices equals one built at once, with the pods changed meanwhile', async () => {
  const store = new KindStore<Pod>();
  store.replace(Array.from({ length: 1000 }, (_, i) => mk(`p${i}`, i % 7 === 0 ? 'b' : 'a')));
  let collectedAt = 1;
  const usage = { pod: (_ns: string, name: string) => (name === 'p3' ? undefined : { cpuMillicores: Number(name.slice(1)) % 13, memoryBytes: 0 }), collectedAtMs: () => collectedAt };
  const cluster = podStoreView(store);
  const cache = new PodOrderCache({ cluster, usage, refreshMs: 0, buildSlice: 64 });
  const ids = (c: PodOrderCache) => c.entries({ sort: 'cpu', hash: 'cpu' }).map((e) => `${e.value}|${e.id}`);
  const pending = cache.ready('cpu');
  assert.ok(pending, 'not built yet');
  assert.equal(cache.ready('cpu'), pending, 'one build at a time');
  // The watch changes pods while the build yields.
  store.upsert(mk('late'));
  store.remove(store.get('a/p5') as Pod);
  await pending;
  assert.equal(cache.ready('cpu'), undefined, 'built');
  assert.deepEqual(ids(cache), ids(new PodOrderCache({ cluster, usage, refreshMs: 0 })));
  assert.ok(ids(cache).some((x) => x.endsWith('|a\u0000late')) && !ids(cache).some((x) => x.endsWith('|a\u0000p5')), 'the changes made during the build are in');
  // A collection during the build: the order is built again for it.
  const again = cache.ready('cpu');
  assert.equal(again, undefined);
  collectedAt = 2;
  const rebuild = cache.ready('cpu');
  assert.ok(rebuild);
  collectedAt = 3;
  await rebuild;
  assert.deepEqual(ids(cache), ids(new PodOrderCache({ cluster, usage, refreshMs: 0 })));
  assert.equal(cache.ready('cpu'), undefined, 'built for the newest collection');
});
