// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './manual-clock.ts';
import { sleep } from './sleep.ts';

test('sleep resolves true after the delay', async () => {
  assert.equal(await sleep(5), true);
  assert.equal(await sleep(0, new AbortController().signal), true);
});

test('sleep resolves false at once when aborted, before or during the wait', async () => {
  const before = new AbortController();
  before.abort();
  assert.equal(await sleep(60_000, before.signal), false);
  const during = new AbortController();
  const started = Date.now();
  const pending = sleep(60_000, during.signal);
  setTimeout(() => during.abort(), 5);
  assert.equal(await pending, false);
  assert.ok(Date.now() - started < 5000);
});

test('ManualClock sleeps wake in time order as time advances, and record their delays', async () => {
  const clock = new ManualClock(1000);
  const woke: string[] = [];
  const ac = new AbortController();
  void clock.sleep(300).then((ok) => woke.push(`b:${ok}:${clock.now()}`));
  void clock.sleep(100).then((ok) => woke.push(`a:${ok}:${clock.now()}`));
  void clock.sleep(200, ac.signal).then((ok) => woke.push(`c:${ok}:${clock.now()}`));
  ac.abort();
  await clock.advance(250);
  assert.deepEqual(woke, ['c:false:1000', 'a:true:1100']);
  assert.equal(clock.now(), 1250);
  await clock.advance(100);
  assert.deepEqual(woke.slice(2), ['b:true:1300']);
  assert.deepEqual(clock.requested, [300, 100, 200]);
  assert.equal(clock.pending, 0);
});
