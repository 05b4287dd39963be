// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordingLogger } from '../logging/recording-logger.ts';
import { createBackoff } from './backoff.ts';
import { ManualClock, settle } from './manual-clock.ts';
import { runLoop, type Iteration } from './run-loop.ts';

function setup() {
  const clock = new ManualClock(1_000_000);
  const log = new RecordingLogger();
  const ac = new AbortController();
  const backoff = createBackoff({ baseMs: 1000, maxMs: 4000, random: () => 0.5 });
  return { clock, log, ac, backoff, opts: { signal: ac.signal, backoff, sleep: clock.sleep, log, clock } };
}

/** Resolves when the signal aborts, then rejects like aborted I/O does. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

test('a failing iteration is retried after growing backoff delays, and success resets the backoff', async () => {
  const { clock, log, ac, backoff, opts } = setup();
  let calls = 0;
  const iteration: Iteration = async ({ signal }) => {
    calls++;
    if (calls <= 3) throw new Error(`fail ${calls}`);
    await untilAborted(signal);
  };
  const loop = runLoop('kube.watch.pods', iteration, opts);
  await settle();
  assert.equal(calls, 1);
  assert.deepEqual(clock.requested, [500]);
  assert.equal(loop.state().status, 'backoff');
  assert.equal(loop.state().lastError?.message, 'fail 1');
  await clock.advance(500);
  await clock.advance(1000);
  await clock.advance(2000);
  assert.equal(calls, 4);
  assert.deepEqual(clock.requested, [500, 1000, 2000]);
  const s = loop.state();
  assert.equal(s.status, 'running');
  assert.equal(s.restarts, 3);
  assert.equal(s.failures, 3);
  assert.deepEqual(log.of('loop.error').map((e) => [e['attempt'], e['delayMs'], (e['err'] as Error).message]), [
    [1, 500, 'fail 1'],
    [2, 1000, 'fail 2'],
    [3, 2000, 'fail 3'],
  ]);
  assert.equal(log.entries.find((e) => e.fields['event'] === 'loop.error')?.level, 'warn');
  ac.abort();
  await loop.done;
  assert.equal(loop.state().status, 'stopped');
  assert.equal(loop.state().failures, 3, 'the abort of the healthy iteration is not a failure');
  assert.equal(backoff.attempt, 3, 'no success was reported, so the backoff was not reset');
  assert.deepEqual(log.events(), ['loop.started', 'loop.error', 'loop.error', 'loop.error', 'loop.stopped']);
});

test('markHealthy inside an iteration resets the backoff and records the success time', async () => {
  const { clock, log, ac, backoff, opts } = setup();
  let calls = 0;
  const loop = runLoop(
    'watch',
    async (ctx) => {
      calls++;
      if (calls === 1) throw new Error('connect refused');
      assert.equal(ctx.failures, 1);
      ctx.markHealthy();
      await untilAborted(ctx.signal);
    },
    opts,
  );
  await clock.advance(500);
  assert.equal(backoff.attempt, 0);
  assert.equal(loop.state().lastSuccessAt, 1_000_500);
  assert.equal(loop.state().failures, 0);
  assert.deepEqual(log.of('loop.recovered'), [{ event: 'loop.recovered', loop: 'watch', failures: 1 }]);
  ac.abort();
  await loop.done;
});

test('an iteration that returns is started again at once and counts as a success', async () => {
  const { ac, opts, clock } = setup();
  let calls = 0;
  const loop = runLoop(
    'stream',
    async () => {
      calls++;
      if (calls === 3) ac.abort();
    },
    opts,
  );
  await loop.done;
  assert.equal(calls, 3);
  assert.deepEqual(clock.requested, []);
  assert.equal(loop.state().lastSuccessAt, 1_000_000);
});

test('the loop stops when aborted during a backoff wait', async () => {
  const { ac, opts, clock, log } = setup();
  const loop = runLoop(
    'failing',
    async () => {
      throw new Error('always');
    },
    opts,
  );
  await clock.advance(500);
  await clock.advance(1000);
  assert.equal(clock.pending, 1);
  ac.abort();
  await loop.done;
  assert.equal(clock.pending, 0);
  assert.equal(loop.state().status, 'stopped');
  assert.equal(loop.state().restarts, 2);
  assert.deepEqual(log.of('loop.stopped'), [{ event: 'loop.stopped', loop: 'failing', restarts: 2 }]);
});

test('non-Error throws are normalized, and an already aborted signal runs nothing', async () => {
  const { opts, clock, log, ac } = setup();
  const loop = runLoop(
    'x',
    async () => {
      throw 'text';
    },
    opts,
  );
  await settle();
  assert.equal((log.of('loop.error')[0]?.['err'] as Error).message, 'text');
  ac.abort();
  await loop.done;
  let ran = false;
  const stopped = runLoop(
    'y',
    async () => {
      ran = true;
    },
    { ...opts, sleep: clock.sleep },
  );
  await stopped.done;
  assert.equal(ran, false);
});
