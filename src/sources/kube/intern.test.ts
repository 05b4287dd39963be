// SPDX-License-Identifier: Apache-2.0
// Shared projection parts: equal values are shared, different ones never are, and the tables stay bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CandidatePool, sameData, timeKey } from './intern.ts';
import { projectPod } from './project-pod.ts';

test('sameData compares plain data: nested objects, arrays, undefined fields, field counts', () => {
  assert.equal(sameData({ a: 1, b: [1, { c: 'x' }], d: undefined }, { a: 1, b: [1, { c: 'x' }], d: undefined }), true);
  assert.equal(sameData({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'y' }] }), false);
  assert.equal(sameData({ a: 1 }, { a: 1, b: 2 }), false);
  assert.equal(sameData({ a: 1, b: 2 }, { a: 1 }), false);
  assert.equal(sameData([1, 2], [1, 2, 3]), false);
  assert.equal(sameData({ a: 0 }, { a: '0' }), false);
  assert.equal(sameData(undefined, {}), false);
});

test('a pool hands out the first of equal values and keeps different values under one key apart', () => {
  const pool = new CandidatePool<string, { v: number }>({ maxEntries: 10, perKey: 2 });
  const a = pool.share('k', { v: 1 });
  assert.equal(pool.share('k', { v: 1 }), a);
  const b = pool.share('k', { v: 2 });
  assert.notEqual(b, a);
  assert.deepEqual(b, { v: 2 });
  assert.equal(pool.share('k', { v: 2 }), b);
  // Past perKey distinct values a key keeps no more, but every value is still returned as it is.
  const c = { v: 3 };
  assert.equal(pool.share('k', c), c);
  assert.notEqual(pool.share('k', { v: 3 }), c);
  assert.equal(pool.share('k', { v: 1 }), a);
});

test('a full pool starts over: values handed out stay as they were, new ones are shared again', () => {
  const pool = new CandidatePool<number, { v: number }>({ maxEntries: 2, perKey: 1 });
  const one = pool.share(1, { v: 1 });
  pool.share(2, { v: 2 });
  const three = pool.share(3, { v: 3 });
  assert.deepEqual(one, { v: 1 });
  assert.equal(pool.share(3, { v: 3 }), three);
  assert.notEqual(pool.share(1, { v: 1 }), one, 'the table started over when it was full');
});

function replica(name: string, startedAt: string, image = 'ghcr.io/acme/web:1.2.3'): unknown {
  return {
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      labels: { app: 'web', 'pod-template-hash': '5d8f' },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5d8f', uid: 'rs-uid', controller: true }],
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'web', image, resources: { requests: { cpu: '250m', memory: '256Mi' } } }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: startedAt }],
      containerStatuses: [{ name: 'web', ready: true, restartCount: 0, started: true, state: { running: { startedAt } } }],
    },
  };
}

test('replicas of one workload share containers, labels, owners, conditions and statuses; their own fields stay apart', () => {
  const a = projectPod(replica('web-5d8f-a', '2026-01-01T10:00:00Z'));
  const b = projectPod(replica('web-5d8f-b', '2026-01-01T10:00:00Z'));
  assert.ok(a && b);
  assert.equal(b.containers, a.containers);
  assert.equal(b.labels, a.labels);
  assert.equal(b.owners, a.owners);
  assert.equal(b.conditions[0], a.conditions[0]);
  assert.equal(b.containerStatuses[0], a.containerStatuses[0]);
  assert.equal(b.initContainers, a.initContainers);
  assert.notEqual(b.key, a.key);
  assert.equal(b.uid, 'uid-web-5d8f-b');

  const later = projectPod(replica('web-5d8f-c', '2026-01-01T10:00:07Z', 'ghcr.io/acme/web:1.2.4'));
  assert.ok(later);
  assert.notEqual(later.containers, a.containers);
  assert.equal(later.containers[0]?.image, 'ghcr.io/acme/web:1.2.4');
  assert.equal(later.conditions[0]?.lastTransitionAtMs, Date.parse('2026-01-01T10:00:07Z'));
  assert.equal(later.containerStatuses[0]?.state.kind, 'running');
  assert.notEqual(later.containerStatuses[0], a.containerStatuses[0]);
  assert.deepEqual(later.labels, a.labels);
});

test('time keys are small integers of the second, wrap after 2^24 seconds, and absent times get a fixed key (collisions cost sharing only: the pools compare values)', () => {
  const t = Date.parse('2026-12-07T03:00:00Z');
  assert.equal(timeKey(t), timeKey(t + 999), 'one second, one key');
  assert.notEqual(timeKey(t), timeKey(t + 1000));
  assert.equal(timeKey(t), timeKey(t + 16_777_216_000), 'wraps after 2^24 s');
  for (const k of [timeKey(t), timeKey(0), timeKey(-1500), timeKey(undefined), timeKey(Number.NaN)]) {
    assert.ok(Number.isInteger(k) && k >= 0 && k < 2 ** 24, `${k} is below 2^24`);
    assert.ok(k * 64 + 63 < 2 ** 30, 'with a type in six bits, still a small integer');
  }
  assert.equal(timeKey(undefined), 2 ** 24 - 1);
});
