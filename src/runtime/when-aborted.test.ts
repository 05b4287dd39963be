// SPDX-License-Identifier: Apache-2.0
// Abort callbacks share one listener per signal, run once, and can be cancelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { whenAborted } from './when-aborted.ts';

test('many callbacks, one listener; cancelled ones are not called; each runs once', () => {
  const ac = new AbortController();
  const calls: number[] = [];
  const cancels = Array.from({ length: 30 }, (_, i) => whenAborted(ac.signal, () => calls.push(i)));
  assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
  for (let i = 0; i < 30; i += 2) cancels[i]?.();
  ac.abort();
  ac.abort();
  assert.deepEqual(calls, Array.from({ length: 15 }, (_, k) => 2 * k + 1));
});

test('an already aborted signal calls back at once', () => {
  const ac = new AbortController();
  ac.abort();
  let called = 0;
  whenAborted(ac.signal, () => called++);
  assert.equal(called, 1);
});
