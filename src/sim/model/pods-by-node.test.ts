// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupPodsByNode } from '../exporters/cluster-view.ts';
import type { Pod } from './kube-types.ts';
import { ObjectStore } from './object-store.ts';
import { PodsByNode } from './pods-by-node.ts';

function pod(namespace: string, name: string, nodeName?: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [], ...(nodeName ? { nodeName } : {}) }, status: { phase: 'Running' } } as Pod;
}

const NODES = ['n1', 'n2', 'n3'];

/** Every node's pods from the index equal a regrouping of the store's list (as sets of the stored objects). */
function assertMatchesStore(store: ObjectStore, index: PodsByNode): void {
  const grouped = groupPodsByNode(store.list<Pod>('pods'));
  for (const node of NODES) {
    const want = grouped.get(node) ?? [];
    const got = index.podsOn(node);
    assert.equal(got.length, want.length, node);
    for (const p of want) assert.ok(got.includes(p), `${node} lacks the stored ${p.metadata.name}`);
  }
}

test('the pods by node follow creates, bindings, moves, changes and deletes, starting from the pods already stored', () => {
  const store = new ObjectStore({ seed: 3, now: () => 0 });
  store.bulkLoad(() => {
    store.create(pod('a', 'p1', 'n1'));
    store.create(pod('a', 'p2', 'n1'));
    store.create(pod('b', 'p3', 'n2'));
  });
  const index = new PodsByNode(store);
  assertMatchesStore(store, index);
  assert.deepEqual(index.podsOn('n1').map((p) => p.metadata.name), ['p1', 'p2'], 'starts in store order');

  store.create(pod('b', 'pending'));
  assertMatchesStore(store, index);
  store.patch<Pod>('pods', 'b', 'pending', (p) => (p.spec.nodeName = 'n3'));
  assertMatchesStore(store, index);
  assert.deepEqual(index.podsOn('n3').map((p) => p.metadata.name), ['pending']);

  store.patch<Pod>('pods', 'a', 'p1', (p) => (p.status = { phase: 'Failed' }));
  assertMatchesStore(store, index);
  assert.deepEqual(index.podsOn('n1').map((p) => p.metadata.name), ['p1', 'p2'], 'a changed pod keeps its place');
  assert.equal(index.podsOn('n1')[0]?.status?.phase, 'Failed');

  store.patch<Pod>('pods', 'a', 'p2', (p) => (p.spec.nodeName = 'n2'));
  store.delete('pods', 'b', 'p3');
  assertMatchesStore(store, index);
  assert.deepEqual(index.podsOn('n2').map((p) => p.metadata.name), ['p2']);
  store.delete('pods', 'b', 'pending');
  assert.deepEqual(index.podsOn('n3'), []);
  assert.deepEqual(index.podsOn('no-such-node'), []);
});

test("a node's list is shared until that node's pods change", () => {
  const store = new ObjectStore({ seed: 3, now: () => 0 });
  store.create(pod('a', 'p1', 'n1'));
  store.create(pod('a', 'p2', 'n2'));
  const index = new PodsByNode(store);
  const n1 = index.podsOn('n1');
  const n2 = index.podsOn('n2');
  store.create(pod('a', 'p3', 'n2'));
  assert.equal(index.podsOn('n1'), n1, 'another node changed: the same list');
  assert.notEqual(index.podsOn('n2'), n2);
  assert.equal(index.podsOn('n2').length, 2);
});

test('an unbound pod leaves its node; pods of the same name in two namespaces are two pods; a pod without a spec breaks nothing', () => {
  const store = new ObjectStore({ seed: 3, now: () => 0 });
  const index = new PodsByNode(store);
  store.create(pod('a', 'same', 'n1'));
  store.create(pod('b', 'same', 'n1'));
  assert.deepEqual(index.podsOn('n1').map((p) => p.metadata.namespace), ['a', 'b']);
  store.patch<Pod>('pods', 'a', 'same', (p) => delete p.spec.nodeName);
  assert.deepEqual(index.podsOn('n1').map((p) => p.metadata.namespace), ['b']);
  store.delete('pods', 'b', 'same');
  store.create(pod('b', 'same', 'n2'));
  assert.deepEqual(index.podsOn('n1'), []);
  assert.deepEqual(index.podsOn('n2').map((p) => p.metadata.namespace), ['b']);
  // The API stores what it is given; the index must not throw inside the store's delivery to its watchers.
  const seen: string[] = [];
  store.watch('pods', { fromResourceVersion: store.currentResourceVersion() }, (ev) => seen.push(ev.object.metadata.name));
  store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', namespace: 'a' } } as Pod);
  assert.deepEqual(seen, ['bare']);
  assertMatchesStore(store, index);
});
