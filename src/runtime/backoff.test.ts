// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffCeilingMs, createBackoff, DEFAULT_BACKOFF } from './backoff.ts';

const ceilings: ReadonlyArray<[number, number]> = [
  [0, 1000],
  [1, 2000],
  [2, 4000],
  [3, 8000],
  [4, 16_000],
  [5, 30_000],
  [6, 30_000],
  [10_000, 30_000],
];

for (const [attempt, ceiling] of ceilings) {
  test(`ceiling of attempt ${attempt} is ${ceiling} ms (1 s doubling, capped at 30 s)`, () => {
    assert.equal(backoffCeilingMs(attempt, DEFAULT_BACKOFF), ceiling);
  });
}

test('a factor other than 2 and a base above the cap', () => {
  assert.equal(backoffCeilingMs(2, { baseMs: 100, maxMs: 10_000, factor: 3 }), 900);
  assert.equal(backoffCeilingMs(0, { baseMs: 5000, maxMs: 5000 }), 5000);
});

test('full jitter: delays are random × ceiling, so they span [0, ceiling)', () => {
  const delays = (r: number) => {
    const b = createBackoff({ ...DEFAULT_BACKOFF, random: () => r });
    return Array.from({ length: 7 }, () => b.next());
  };
  assert.deepEqual(delays(0), [0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(delays(0.5), [500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
  assert.deepEqual(delays(0.999_999), [999, 1999, 3999, 7999, 15_999, 29_999, 29_999]);
});

test('with a real random source every delay stays within its bound and below the cap', () => {
  let seed = 42;
  const lcg = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const b = createBackoff({ baseMs: 200, maxMs: 5000, random: lcg });
  for (let attempt = 0; attempt < 50; attempt++) {
    const d = b.next();
    assert.ok(Number.isInteger(d) && d >= 0 && d < backoffCeilingMs(attempt, { baseMs: 200, maxMs: 5000 }), `attempt ${attempt}: ${d}`);
  }
});

test('reset goes back to the first attempt', () => {
  const b = createBackoff({ ...DEFAULT_BACKOFF, random: () => 0.5 });
  b.next();
  b.next();
  b.next();
  assert.equal(b.attempt, 3);
  b.reset();
  assert.equal(b.attempt, 0);
  assert.equal(b.next(), 500);
});

test('invalid parameters are refused', () => {
  assert.throws(() => createBackoff({ baseMs: 0, maxMs: 10 }), RangeError);
  assert.throws(() => createBackoff({ baseMs: 10, maxMs: 5 }), RangeError);
  assert.throws(() => createBackoff({ baseMs: 10, maxMs: 50, factor: 0.5 }), RangeError);
});
