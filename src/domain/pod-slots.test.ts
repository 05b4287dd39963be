// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodSlots } from './pod-slots.ts';

test('a pod keeps its slot and values; new slots start at zero and the columns grow', () => {
  const p = new PodSlots(['a', 'b'] as const, 2);
  const x = p.slot('ns', 'x');
  p.column('a')[x] = 1.5;
  assert.equal(p.slot('ns', 'x'), x, 'the same pod, the same slot');
  assert.equal(p.find('ns', 'y'), -1);
  const slots = ['y', 'z', 'w'].map((name) => p.slot('other', name));
  assert.equal(p.size, 4);
  assert.equal(new Set([x, ...slots]).size, 4, 'distinct slots past the initial capacity of 2');
  assert.equal(p.column('a')[x], 1.5, 'values survive the growth');
  assert.deepEqual(slots.map((s) => [p.namespaceOf(s), p.nameOf(s), p.column('b')[s]]), [['other', 'y', 0], ['other', 'z', 0], ['other', 'w', 0]]);
  assert.deepEqual([...p.slots()].sort(), [x, ...slots].sort());
});

test('a swept slot is freed, reused for the next pod with its columns zeroed, and its name forgotten', () => {
  const p = new PodSlots(['a'] as const);
  const x = p.slot('ns', 'x');
  const y = p.slot('ns', 'y');
  p.column('a')[x] = 7;
  p.sweep((s) => s === y);
  assert.equal(p.size, 1);
  assert.equal(p.find('ns', 'x'), -1);
  const z = p.slot('ns2', 'z');
  assert.equal(z, x, 'the freed slot is reused');
  assert.equal(p.column('a')[z], 0);
  assert.deepEqual([p.namespaceOf(z), p.nameOf(z)], ['ns2', 'z']);
  p.sweep(() => false);
  assert.equal(p.size, 0);
  assert.deepEqual([...p.slots()], []);
});
