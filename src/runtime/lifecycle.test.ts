// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { RecordingLogger } from '../logging/recording-logger.ts';
import { createLifecycle, type ProcessLike, type ShutdownSignal } from './lifecycle.ts';
import { ManualClock, settle } from './manual-clock.ts';

class FakeProcess extends EventEmitter implements ProcessLike {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
  send(sig: ShutdownSignal): void {
    this.emit(sig);
  }
}

function setup(hardTimeoutMs?: number) {
  const proc = new FakeProcess();
  const clock = new ManualClock(0);
  const log = new RecordingLogger();
  const lifecycle = createLifecycle({ process: proc, log, clock, sleep: clock.sleep, hardTimeoutMs });
  return { proc, clock, log, lifecycle };
}

test('SIGTERM aborts the root signal, then runs closers in reverse registration order', async () => {
  const { proc, log, lifecycle } = setup();
  const order: string[] = [];
  lifecycle.onClose('store', () => {
    order.push(`store (root aborted: ${lifecycle.signal.aborted})`);
  });
  lifecycle.onClose('http', async () => {
    await settle(1);
    order.push('http');
  });
  lifecycle.onClose('loops', () => {
    order.push('loops');
  });
  assert.equal(proc.listenerCount('SIGTERM'), 0, 'creating the lifecycle installs nothing');
  lifecycle.listen();
  assert.equal(proc.listenerCount('SIGTERM'), 1);
  assert.equal(proc.listenerCount('SIGINT'), 1);
  proc.send('SIGTERM');
  assert.equal(lifecycle.signal.aborted, true);
  assert.equal(await lifecycle.stopped, 0);
  assert.deepEqual(order, ['loops', 'http', 'store (root aborted: true)']);
  assert.deepEqual(proc.exits, [], 'a clean shutdown leaves the exit to the caller');
  assert.equal(proc.listenerCount('SIGTERM'), 0, 'handlers are removed afterwards');
  assert.deepEqual(log.events(), ['lifecycle.signal', 'lifecycle.closed', 'lifecycle.closed', 'lifecycle.closed', 'lifecycle.stopped']);
  assert.deepEqual(log.of('lifecycle.closed').map((e) => e['closer']), ['loops', 'http', 'store']);
});

test('shutdown is idempotent and SIGINT works like SIGTERM', async () => {
  const { proc, lifecycle } = setup();
  let closes = 0;
  lifecycle.onClose('x', () => {
    closes++;
  });
  lifecycle.listen();
  proc.send('SIGINT');
  const again = lifecycle.shutdown('test');
  assert.equal(await again, 0);
  assert.equal(await lifecycle.shutdown('test'), 0);
  assert.equal(closes, 1);
});

test('a failing closer is logged, the others still run, and the exit code is 3', async () => {
  const { log, lifecycle } = setup();
  const closed: string[] = [];
  lifecycle.onClose('store', () => {
    closed.push('store');
  });
  lifecycle.onClose('http', () => {
    throw new Error('close failed');
  });
  assert.equal(await lifecycle.shutdown('test'), 3);
  assert.deepEqual(closed, ['store']);
  const failed = log.entries.find((e) => e.fields['event'] === 'lifecycle.close_failed');
  assert.equal(failed?.level, 'error');
  assert.equal((failed?.fields['err'] as Error).message, 'close failed');
  assert.equal(log.of('lifecycle.stopped')[0]?.['exitCode'], 3);
});

test('a closer that hangs makes the hard timeout exit the process with code 3', async () => {
  const { proc, clock, log, lifecycle } = setup(10_000);
  lifecycle.onClose('store', () => undefined);
  lifecycle.onClose('http', () => new Promise<void>(() => undefined));
  lifecycle.listen();
  proc.send('SIGTERM');
  await clock.advance(9_999);
  assert.deepEqual(proc.exits, []);
  await clock.advance(1);
  assert.deepEqual(proc.exits, [3]);
  assert.deepEqual(log.of('lifecycle.timeout'), [{ event: 'lifecycle.timeout', timeoutMs: 10_000, pending: 'http' }]);
});

test('the hard timer is cancelled after a clean shutdown', async () => {
  const { proc, clock, lifecycle } = setup(10_000);
  lifecycle.onClose('a', () => undefined);
  assert.equal(await lifecycle.shutdown('test'), 0);
  await clock.advance(20_000);
  assert.deepEqual(proc.exits, []);
  assert.equal(clock.pending, 0);
});

test('a second signal during shutdown exits at once', async () => {
  const { proc, lifecycle } = setup();
  lifecycle.onClose('slow', () => new Promise<void>(() => undefined));
  lifecycle.listen();
  proc.send('SIGTERM');
  await settle();
  assert.deepEqual(proc.exits, []);
  proc.send('SIGINT');
  assert.deepEqual(proc.exits, [3]);
});
