// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSemaphore } from './semaphore.ts';

test('semaphore: one permit at a time, FIFO, release is idempotent', async () => {
  const gate = createSemaphore(1);
  const signal = new AbortController().signal;
  const order: string[] = [];
  const first = await gate.acquire(signal);
  const second = gate.acquire(signal).then((r) => (order.push('second'), r));
  const third = gate.acquire(signal).then((r) => (order.push('third'), r));
  assert.equal(gate.waiting, 2);
  first();
  first();
  const releaseSecond = await second;
  assert.deepEqual(order, ['second']);
  assert.equal(gate.waiting, 1);
  releaseSecond();
  (await third)();
  assert.deepEqual(order, ['second', 'third']);
  const again = await gate.acquire(signal);
  again();
});

test('semaphore: an aborted waiter leaves the queue and rejects with the reason', async () => {
  const gate = createSemaphore(1);
  const release = await gate.acquire(new AbortController().signal);
  const c = new AbortController();
  const waiting = gate.acquire(c.signal);
  c.abort(new Error('shutdown'));
  await assert.rejects(waiting, /shutdown/);
  assert.equal(gate.waiting, 0);
  release();
  (await gate.acquire(new AbortController().signal))();
  await assert.rejects(gate.acquire(AbortSignal.abort(new Error('already'))), /already/);
});
