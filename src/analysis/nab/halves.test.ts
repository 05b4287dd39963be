// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitHalves } from './halves.ts';

test('splitHalves sorts by file name, ignoring the folder, and deals the files alternately', () => {
  const names = ['real/c.csv', 'art/a.csv', 'real/b.csv', 'art/d.csv', 'art/e.csv'];
  // sorted by base name: a(1) b(2) c(0) d(3) e(4)
  assert.deepEqual(splitHalves(names), { a: [1, 0, 4], b: [2, 3] });
});

test('splitHalves covers every file exactly once and is stable for equal names', () => {
  const names = ['x/same.csv', 'y/same.csv', 'z/other.csv'];
  const { a, b } = splitHalves(names);
  assert.deepEqual([...a, ...b].sort(), [0, 1, 2]);
  assert.deepEqual(a, [2, 1]);
  assert.deepEqual(b, [0]);
  assert.deepEqual(splitHalves([]), { a: [], b: [] });
});
