// SPDX-License-Identifier: Apache-2.0
// Replaying a real cluster dump. testdata/kube-real-1_35-excerpt.json is an excerpt of real Kubernetes 1.35 API
// output from github.com/newrelic/nri-kubernetes (Apache-2.0, copyright 2020 New Relic); see testdata/README.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Node, Pod } from '../kube-types.ts';
import { ObjectStore } from '../object-store.ts';
import { loadDump } from './dump.ts';
import { createDynamics } from './dynamics.ts';
import { parseScenario } from './schema.ts';

const NOW = Date.parse('2026-06-26T10:15:00Z');
const excerpt = readFileSync(new URL('./testdata/kube-real-1_35-excerpt.json', import.meta.url), 'utf8');

function load(input: unknown): { store: ObjectStore; loaded: ReturnType<typeof loadDump> } {
  const store = new ObjectStore({ seed: 1, now: () => NOW });
  return { store, loaded: loadDump(input, { store, nowMs: NOW }) };
}

test('objects are loaded as they are: names, uids, labels and status kept, resourceVersion reassigned', () => {
  const { store, loaded } = load(excerpt);
  const original = (JSON.parse(excerpt) as { items: Pod[] }).items.find((i) => i.metadata.name === 'coredns-7d764666f9-qdcxt') as Pod;
  const pod = store.get<Pod>('pods', 'kube-system', 'coredns-7d764666f9-qdcxt') as Pod;
  assert.equal(pod.metadata.uid, original.metadata.uid);
  assert.deepEqual(pod.metadata.labels, original.metadata.labels);
  assert.deepEqual(pod.metadata.ownerReferences, original.metadata.ownerReferences);
  assert.deepEqual(pod.status, original.status);
  assert.notEqual(pod.metadata.resourceVersion, original.metadata.resourceVersion);
  assert.equal(store.count('pods'), 5);
  assert.deepEqual(store.list('namespaces').map((n) => n.metadata.name), ['kube-system', 'scraper']);
  assert.equal(loaded.stats.pendingPods, 1);
  assert.deepEqual(loaded.skipped, []);
});

test('nodes and running containers are handed to the usage model with steady profiles from requests', () => {
  const { loaded } = load(excerpt);
  assert.deepEqual(loaded.nodes.map((n) => [n.name, n.cpuCores, n.maxPods]), [['datagen-1-35', 14, 110]]);
  assert.equal(loaded.nodes[0]?.memoryBytes, 8024304 * 1024);
  const coredns = loaded.containers.find((c) => c.container === 'coredns');
  assert.deepEqual(coredns?.requests, { cpuCores: 0.1, memoryBytes: 70 * 2 ** 20 });
  assert.deepEqual(coredns?.limits, { memoryBytes: 170 * 2 ** 20 });
  assert.deepEqual(coredns?.profile, { kind: 'steady' });
  assert.equal(coredns?.startedAtMs, Date.parse('2026-06-26T10:12:40Z'));
  // The restarting alpine container is terminated at the capture instant, the failed Job pod is done: neither runs.
  assert.ok(!loaded.containers.some((c) => c.pod === 'e2e-container-creating' || c.pod === 'e2e-failjob-28dqq'));
  assert.ok(loaded.containers.every((c) => c.node === 'datagen-1-35'));
  assert.equal(loaded.logs.get('scraper', 'e2e-failjob-28dqq', 'main'), 'batch');
});

test('typed lists, unserved kinds and the events.k8s.io view', () => {
  const podList = { apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'p', namespace: 'a', uid: 'u-1' }, spec: { containers: [{ name: 'c', image: 'x:1' }] }, status: { phase: 'Pending' } }] };
  const other = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'a' } }, { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e', namespace: 'a' } }] };
  const { store, loaded } = load([podList, other]);
  assert.equal(store.get<Pod>('pods', 'a', 'p')?.metadata.uid, 'u-1');
  assert.deepEqual(loaded.skipped.map((s) => `${s.kind}:${s.reason}`), ['Secret:kind not served by the simulator', 'Event:derived view, not stored']);
});

test('a loaded dump can be driven by the dynamics', () => {
  const { store, loaded } = load(excerpt);
  const dyn = createDynamics({ store, scenario: parseScenario({ name: 'dump', nodePools: [{ name: 'x', count: 0, capacity: { cpu: '1', memory: '1Gi' } }] }), built: loaded });
  const pod = store.get<Pod>('pods', 'kube-system', 'coredns-7d764666f9-qdcxt') as Pod;
  dyn.onOomKill({ namespace: 'kube-system', pod: pod.metadata.name, container: 'coredns', atMs: NOW + 60_000 });
  dyn.tick(NOW + 120_000);
  assert.equal(store.get<Pod>('pods', 'kube-system', pod.metadata.name)?.status.containerStatuses?.[0]?.lastState.terminated?.reason, 'OOMKilled');
  assert.equal(store.get<Node>('nodes', undefined, 'datagen-1-35')?.status.nodeInfo.kubeletVersion, 'v1.35.0');
});
