// SPDX-License-Identifier: Apache-2.0
// The deadline aborts on time or with the caller, and leaves no timer or listener behind once the work is done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { withDeadline } from './deadline.ts';

/** Work that only ends by being aborted, as a request to a server that never answers (checks the signal first, as fetch does). */
const untilAborted = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });

test('aborts with a TimeoutError after the timeout', async () => {
  const caller = new AbortController();
  const err = await withDeadline(caller.signal, 20, untilAborted).catch((e: unknown) => e);
  assert.ok(err instanceof DOMException);
  assert.equal(err.name, 'TimeoutError');
  assert.ok(getEventListeners(caller.signal, 'abort').length <= 1, 'one listener on the caller at most');
});

test("aborts with the caller's reason, also when the caller was aborted before", async () => {
  const caller = new AbortController();
  const pending = withDeadline(caller.signal, 60_000, untilAborted).catch((e: unknown) => e);
  caller.abort(new Error('stopping'));
  assert.equal(((await pending) as Error).message, 'stopping');
  const before = new AbortController();
  before.abort(new Error('already'));
  assert.equal(((await withDeadline(before.signal, 60_000, untilAborted).catch((e: unknown) => e)) as Error).message, 'already');
});

test('a request that settles releases its timer and listener at once', async () => {
  const caller = new AbortController();
  let inner: AbortSignal | undefined;
  const value = await withDeadline(caller.signal, 50, async (s) => {
    inner = s;
    return 42;
  });
  assert.equal(value, 42);
  assert.ok(getEventListeners(caller.signal, 'abort').length <= 1);
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(inner?.aborted, false, 'the timer was cleared: no abort after the work was done');
  // Without a timeout the caller's signal is passed as it is.
  await withDeadline(caller.signal, undefined, async (s) => assert.equal(s, caller.signal));
});

test('many requests under one signal: one listener on it, and all abort with it', async () => {
  const caller = new AbortController();
  const pending = Array.from({ length: 50 }, () => withDeadline(caller.signal, 60_000, untilAborted).catch((e: unknown) => (e as Error).message));
  assert.equal(getEventListeners(caller.signal, 'abort').length, 1);
  caller.abort(new Error('cycle over'));
  assert.deepEqual(new Set(await Promise.all(pending)), new Set(['cycle over']));
});
