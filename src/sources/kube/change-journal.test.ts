// SPDX-License-Identifier: Apache-2.0
// The change journal answers exactly the changes after a revision while it holds them, and "read the list again"
// once it does not (wrapped, reset by a relist, or asked without a revision).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeJournal } from './change-journal.ts';
import { KindStore } from './kind-store.ts';
import type { ObjectBase } from '../../domain/resources.ts';

const names = (feed: { changed?: readonly { name: string }[] }) => feed.changed?.map((c) => c.name);

test('changes after a revision, until the ring wraps past it', () => {
  const j = new ChangeJournal(4);
  const start = j.since();
  assert.equal(start.changed, undefined, 'no revision: read the list');
  j.record('ns', 'a');
  j.record(undefined, 'node-1');
  const mid = j.since(start.revision);
  assert.deepEqual(mid.changed, [{ namespace: 'ns', name: 'a' }, { name: 'node-1' }]);
  assert.deepEqual(j.since(mid.revision).changed, [], 'nothing since the current revision');
  for (const n of ['b', 'c', 'd']) j.record('ns', n);
  assert.deepEqual(names(j.since(mid.revision)), ['b', 'c', 'd']);
  assert.equal(j.since(start.revision).changed, undefined, 'five changes, four held: the first is gone');
  assert.equal(j.since(mid.revision + 99).changed, undefined, 'a revision from the future is not trusted');
});

test('a reset (relist) sends every reader back to the list, even one that was current', () => {
  const j = new ChangeJournal(8);
  j.record('ns', 'a');
  const current = j.since(0);
  j.reset();
  assert.equal(j.since(current.revision).changed, undefined);
  const after = j.since();
  j.record('ns', 'b');
  assert.deepEqual(names(j.since(after.revision)), ['b']);
});

test('a kind store journals upserts and removals, and a relist resets it', () => {
  const obj = (name: string): ObjectBase => ({ key: `ns/${name}`, uid: name, name, namespace: 'ns', labels: {}, annotations: {}, owners: [] });
  const store = new KindStore<ObjectBase>();
  store.replace([obj('a'), obj('b')]);
  const r0 = store.changesSince().revision;
  store.upsert(obj('c'));
  store.remove(obj('a'));
  store.remove(obj('zz'));
  assert.deepEqual(names(store.changesSince(r0)), ['c', 'a'], 'removing an unknown object is no change');
  const r1 = store.changesSince(r0).revision;
  store.replace([obj('b')]);
  assert.equal(store.changesSince(r1).changed, undefined);
});
