// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IntMap } from './int-map.ts';

test('set, get, has, delete and size, against a Map, through growth, deletions and reuse', () => {
  const m = new IntMap();
  const ref = new Map<number, number>();
  // A deterministic mix: sequential ids, ids a power of two apart, overwrites and deletions.
  let seed = 7;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 20_000; i++) {
    const r = rand();
    const key = r < 0.4 ? i : r < 0.6 ? (i % 512) * 4096 : Math.floor(rand() * 3000);
    if (rand() < 0.3) assert.equal(m.delete(key), ref.delete(key));
    else {
      m.set(key, i);
      ref.set(key, i);
    }
  }
  assert.equal(m.size, ref.size);
  for (const [k, v] of ref) assert.equal(m.get(k), v);
  for (let k = 0; k < 30_000; k++) assert.equal(m.has(k), ref.has(k));
  assert.equal(m.get(-1), undefined);
});

test('keys outside 0..2^31-2 are kept too', () => {
  const m = new IntMap();
  for (const k of [2 ** 31 - 1, 2 ** 31, 2 ** 40, 2 ** 53 - 1]) m.set(k, 3);
  m.set(5, 1);
  assert.equal(m.size, 5);
  assert.equal(m.get(2 ** 40), 3);
  assert.equal(m.delete(2 ** 40), true);
  assert.equal(m.has(2 ** 40), false);
  const seen: number[] = [];
  m.forEach((_v, k) => seen.push(k));
  assert.deepEqual(seen.sort((a, b) => a - b), [5, 2 ** 31 - 1, 2 ** 31, 2 ** 53 - 1]);
});

test('forEach visits every entry once, also when it deletes as it goes', () => {
  const m = new IntMap();
  for (let k = 0; k < 1000; k++) m.set(k * 3, k);
  const seen = new Set<number>();
  m.forEach((v, k) => {
    assert.equal(v * 3, k);
    assert.ok(!seen.has(k));
    seen.add(k);
    if (k % 2 === 0) m.delete(k);
  });
  assert.equal(seen.size, 1000);
  assert.equal(m.size, 500);
  assert.equal(m.get(3), 1);
  assert.equal(m.get(6), undefined);
});

test('deleted entries are dropped when the table is rebuilt, so churn does not grow it', () => {
  const m = new IntMap();
  for (let k = 0; k < 1000; k++) m.set(k, k);
  const grown = m.allocatedBytes;
  // Ids keep increasing as series come and go, the live count stays at 1,000.
  for (let k = 1000; k < 200_000; k++) {
    m.delete(k - 1000);
    m.set(k, k);
  }
  assert.equal(m.size, 1000);
  assert.equal(m.get(199_999), 199_999);
  assert.equal(m.get(5), undefined);
  assert.ok(m.allocatedBytes <= grown * 2, `${m.allocatedBytes} bytes after churn, ${grown} before`);
  m.clear();
  assert.equal(m.size, 0);
  assert.equal(m.get(199_999), undefined);
});
