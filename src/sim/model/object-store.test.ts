// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectStore, type StoreEvent } from './object-store.ts';
import type { KubeObject } from './kube-types.ts';
import { parseLabelSelector } from './selectors.ts';

function pod(namespace: string, name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [] }, status: { phase: 'Running' } };
}

function newStore(eventWindow = 1000): ObjectStore {
  return new ObjectStore({ seed: 7, now: () => Date.parse('2026-01-01T00:00:00Z'), eventWindow });
}

test('create assigns uid, resourceVersion and creationTimestamp; duplicate names conflict', () => {
  const s = newStore();
  const p = s.create(pod('a', 'p1'));
  assert.match(p.metadata.uid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(p.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(Number(p.metadata.resourceVersion), s.currentResourceVersion());
  assert.throws(() => s.create(pod('a', 'p1')), (e: Error & { code?: number }) => e.code === 409);
});

test('same seed gives the same uids', () => {
  const a = newStore().create(pod('a', 'p'));
  const b = newStore().create(pod('a', 'p'));
  assert.equal(a.metadata.uid, b.metadata.uid);
});

test('generateName appends a 5-character suffix', () => {
  const p = newStore().create({ ...pod('a', ''), metadata: { name: '', namespace: 'a', generateName: 'web-' } });
  assert.match(p.metadata.name, /^web-[a-z0-9]{5}$/);
});

test('replace with a stale resourceVersion is a 409 Conflict', () => {
  const s = newStore();
  const v1 = s.create(pod('a', 'p'));
  const v2 = s.replace({ ...v1, status: { phase: 'Failed' } }, { expectedResourceVersion: v1.metadata.resourceVersion });
  assert.notEqual(v2.metadata.resourceVersion, v1.metadata.resourceVersion);
  assert.throws(
    () => s.replace({ ...v1 }, { expectedResourceVersion: v1.metadata.resourceVersion }),
    (e: Error & { code?: number; reason?: string }) => e.code === 409 && e.reason === 'Conflict',
  );
});

test('pages follow key order and resume from continue tokens; remainingItemCount counts the rest', () => {
  const s = newStore();
  for (const ns of ['b', 'a']) for (let i = 0; i < 5; i++) s.create(pod(ns, `p${i}`));
  const first = s.page('pods', { limit: 4 });
  assert.deepEqual(first.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`), ['a/p0', 'a/p1', 'a/p2', 'a/p3']);
  assert.equal(first.remainingItemCount, 6);
  const second = s.page('pods', { limit: 4, continueToken: first.continueToken });
  assert.deepEqual(second.items.map((o) => o.metadata.name), ['p4', 'p0', 'p1', 'p2']);
  assert.equal(second.resourceVersion, first.resourceVersion);
  const third = s.page('pods', { limit: 4, continueToken: second.continueToken });
  assert.equal(third.items.length, 2);
  assert.equal(third.continueToken, undefined);
  const nsOnly = s.page('pods', { namespace: 'b', limit: 10 });
  assert.equal(nsOnly.items.length, 5);
});

test('a continue token older than the retained window is 410 Expired', () => {
  const s = newStore();
  for (let i = 0; i < 3; i++) s.create(pod('a', `p${i}`));
  const first = s.page('pods', { limit: 1 });
  s.create(pod('a', 'late'));
  s.compact();
  assert.throws(() => s.page('pods', { limit: 1, continueToken: first.continueToken }), (e: Error & { code?: number }) => e.code === 410);
  assert.throws(() => s.page('pods', { continueToken: 'garbage' }), (e: Error & { code?: number }) => e.code === 400);
});

test('watch resumes from a version, honours selectors and expires old versions', () => {
  const s = newStore(2);
  const p = s.create(pod('a', 'p', { app: 'web' }));
  const rv = Number(p.metadata.resourceVersion);
  const seen: StoreEvent[] = [];
  const stop = s.watch('pods', { fromResourceVersion: rv - 1, filter: parseLabelSelector('app=web') }, (e) => seen.push(e));
  s.patch('pods', 'a', 'p', (d) => {
    d.metadata.labels = { app: 'db' };
  });
  s.create(pod('a', 'q', { app: 'web' }));
  stop();
  s.create(pod('a', 'r', { app: 'web' }));
  assert.deepEqual(seen.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED p', 'DELETED p', 'ADDED q']);
  for (let i = 0; i < 10; i++) s.create(pod('a', `x${i}`));
  assert.throws(() => s.watch('pods', { fromResourceVersion: rv }, () => undefined), (e: Error & { code?: number }) => e.code === 410);
});

test('watch from version 0 starts with the current objects', () => {
  const s = newStore();
  s.create(pod('a', 'p'));
  s.create(pod('b', 'q'));
  const seen: string[] = [];
  s.watch('pods', { namespace: 'b' }, (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
  assert.deepEqual(seen, ['ADDED q']);
});

test('patch works on a copy: objects handed out before stay unchanged', () => {
  const s = newStore();
  const before = s.create(pod('a', 'p'));
  s.patch<KubeObject>('pods', 'a', 'p', (d) => {
    (d.status as { phase: string }).phase = 'Failed';
  });
  assert.equal((before.status as { phase: string }).phase, 'Running');
  assert.equal((s.get('pods', 'a', 'p')?.status as { phase: string }).phase, 'Failed');
});
