// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerCalls, WorkerUnavailableError } from './worker-calls.ts';
import type { EchoRequest } from '../../test/fakes/echo-worker.ts';

const ECHO = new URL('../../test/fakes/echo-worker.ts', import.meta.url);

test('calls are answered in turn; transferred buffers move to the worker, replies may move buffers back', async () => {
  const calls = new WorkerCalls<EchoRequest, unknown>(ECHO, 'test-echo');
  try {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const answers = await Promise.all([calls.call({ op: 'echo', bytes }, [bytes.buffer]), calls.call({ op: 'count' })]);
    assert.equal(bytes.byteLength, 0, 'the buffer was moved, not copied');
    const echo = answers[0] as { sum: number; length: number; back: Uint8Array };
    assert.equal(echo.sum, 10);
    assert.equal(echo.length, 4);
    assert.deepEqual([...echo.back], [10]);
    assert.equal(answers[1], 2, 'handled in the order sent');
    assert.ok(calls.available);
  } finally {
    await calls.close();
  }
});

test("an error the handler throws rejects that call only, with its name (a SyntaxError stays one)", async () => {
  const calls = new WorkerCalls<EchoRequest, unknown>(ECHO, 'test-echo');
  try {
    await assert.rejects(calls.call({ op: 'throw', name: 'SyntaxError' }), (e) => e instanceof SyntaxError && e.message === 'bad input');
    await assert.rejects(calls.call({ op: 'throw', name: 'RangeError' }), (e) => e instanceof Error && e.name === 'RangeError');
    assert.equal(await calls.call({ op: 'count' }), 3);
    assert.ok(calls.available);
  } finally {
    await calls.close();
  }
});

test('a worker that dies fails the waiting calls and every later one, and reports once', async () => {
  const failures: Error[] = [];
  const calls = new WorkerCalls<EchoRequest, unknown>(ECHO, 'test-echo', { failed: (e) => failures.push(e) });
  try {
    const waiting = calls.call({ op: 'exit' });
    await assert.rejects(waiting, WorkerUnavailableError);
    assert.equal(calls.available, false);
    await assert.rejects(calls.call({ op: 'count' }), WorkerUnavailableError);
    assert.equal(failures.length, 1);
    assert.match(failures[0]?.message ?? '', /exited with code 3/);
  } finally {
    await calls.close();
  }
});

test('a worker module that cannot load fails its calls; close refuses what waits and is not a failure', async () => {
  const failures: Error[] = [];
  const missing = new WorkerCalls<EchoRequest, unknown>(new URL('./no-such-worker.ts', import.meta.url), 'test-missing', { failed: (e) => failures.push(e) });
  await assert.rejects(missing.call({ op: 'count' }), WorkerUnavailableError);
  assert.equal(failures.length, 1);
  await missing.close();

  const calls = new WorkerCalls<EchoRequest, unknown>(ECHO, 'test-echo', { failed: (e) => failures.push(e) });
  calls.start();
  const refused = assert.rejects(calls.call({ op: 'count' }), WorkerUnavailableError);
  await calls.close();
  await refused;
  assert.equal(failures.length, 1, 'closing is not reported as a failure');
});
