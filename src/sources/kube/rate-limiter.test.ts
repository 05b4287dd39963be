// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRateLimiter } from './rate-limiter.ts';

function fakeTime(): { clock: { now: () => number }; advance(ms: number): void; sleeps: number[]; sleep: (ms: number) => Promise<boolean> } {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    clock: { now: () => t },
    advance: (ms) => {
      t += ms;
    },
    sleeps,
    sleep: async (ms) => {
      sleeps.push(ms);
      return true;
    },
  };
}

test('rate limiter: the burst passes at once, then requests are spaced 1/qps apart', async () => {
  const time = fakeTime();
  const limiter = createRateLimiter({ qps: 50, burst: 100, clock: time.clock, sleep: time.sleep });
  const signal = new AbortController().signal;
  for (let i = 0; i < 100; i++) await limiter.acquire(signal);
  assert.deepEqual(time.sleeps, []);
  await limiter.acquire(signal);
  await limiter.acquire(signal);
  await limiter.acquire(signal);
  assert.deepEqual(time.sleeps, [20, 40, 60], 'each reservation waits for its own token');
});

test('rate limiter: idle time refills the bucket up to the burst', async () => {
  const time = fakeTime();
  const limiter = createRateLimiter({ qps: 10, burst: 2, clock: time.clock, sleep: time.sleep });
  const signal = new AbortController().signal;
  await limiter.acquire(signal);
  await limiter.acquire(signal);
  await limiter.acquire(signal);
  assert.deepEqual(time.sleeps, [100]);
  time.advance(10_000);
  await limiter.acquire(signal);
  await limiter.acquire(signal);
  assert.deepEqual(time.sleeps, [100], 'refilled to 2 tokens, not 100');
  await limiter.acquire(signal);
  assert.deepEqual(time.sleeps, [100, 100]);
});

test('rate limiter: qps 0 disables the limit', async () => {
  const time = fakeTime();
  const limiter = createRateLimiter({ qps: 0, burst: 1, clock: time.clock, sleep: time.sleep });
  for (let i = 0; i < 10; i++) await limiter.acquire(new AbortController().signal);
  assert.deepEqual(time.sleeps, []);
});
