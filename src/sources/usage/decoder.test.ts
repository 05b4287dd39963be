// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordingLogger } from '../../logging/recording-logger.ts';
import { createDecodePool } from './decode-pool.ts';
import { DecodeSession, inlineDecoder } from './decoder.ts';

const list = JSON.stringify({
  kind: 'PodMetricsList',
  items: [
    { metadata: { name: 'a', namespace: 'ns' }, timestamp: '2026-01-15T10:00:00Z', containers: [{ name: 'c', usage: { cpu: '100m', memory: '1Mi' } }] },
    { metadata: { name: 'b', namespace: 'ns' }, timestamp: 'not a time', containers: [{ name: 'd', usage: { cpu: '2', memory: '1Gi' } }, { name: 'bad', usage: {} }] },
  ],
});
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));

test('a PodMetrics stream gives each item once its last byte came, whatever the chunks; ended or closed, it is released', () => {
  const session = new DecodeSession();
  for (const size of [1, 7, 64, list.length]) {
    session.handle({ op: 'pods-open', stream: size, nowMs: 5 });
    const keys: string[] = [];
    for (let at = 0; at < list.length; at += size) {
      const items = session.handle({ op: 'pods-chunk', stream: size, chunk: bytes(list.slice(at, at + size)) }) as { namespace: string; pod: string; tsMs: number; containers: unknown[] }[];
      for (const i of items) keys.push(`${i.namespace}/${i.pod}@${i.tsMs}:${i.containers.length}`);
    }
    session.handle({ op: 'pods-end', stream: size });
    assert.deepEqual(keys, [`ns/a@${Date.parse('2026-01-15T10:00:00Z')}:1`, 'ns/b@5:1'], `chunks of ${size}`);
  }
  session.handle({ op: 'pods-open', stream: 99, nowMs: 0 });
  session.handle({ op: 'pods-close', stream: 99 });
  assert.equal(session.openStreams, 0);
});

test('a truncated list is a SyntaxError at its end, and the stream is released; an unknown stream is an error', () => {
  const session = new DecodeSession();
  session.handle({ op: 'pods-open', stream: 1, nowMs: 0 });
  session.handle({ op: 'pods-chunk', stream: 1, chunk: bytes(list.slice(0, list.length - 3)) });
  assert.throws(() => session.handle({ op: 'pods-end', stream: 1 }), SyntaxError);
  assert.equal(session.openStreams, 0);
  assert.throws(() => session.handle({ op: 'pods-chunk', stream: 1, chunk: bytes('[]') }), /no PodMetrics stream 1/);
});

test('a summary that is not JSON rejects with a SyntaxError, in the calling thread and in the worker alike', async () => {
  const pool = createDecodePool();
  try {
    for (const decoder of [inlineDecoder(), pool]) await assert.rejects(decoder.summary(bytes('{"node":'), 'n1', 0), SyntaxError);
    assert.ok(pool.inWorker, 'a bad body is not a worker failure');
  } finally {
    await pool.close();
  }
});

test('a worker that cannot start: the bodies it held fail, later ones are decoded in the calling thread, logged once', async () => {
  const log = new RecordingLogger();
  const pool = createDecodePool({ log, workerUrl: new URL('./no-such-decode-worker.ts', import.meta.url) });
  const summary = JSON.stringify({ node: { nodeName: 'n1', cpu: { usageNanoCores: 5e8 }, memory: { workingSetBytes: 1024 } }, pods: [] });
  try {
    await assert.rejects(pool.summary(bytes(summary), 'n1', 0), { name: 'WorkerUnavailableError' });
    assert.equal(pool.inWorker, false);
    const part = await pool.summary(bytes(summary), 'n1', 0);
    assert.equal(part.node?.cpuCores, 0.5);
    const stream = pool.podMetrics(0);
    assert.equal((await stream.push(bytes(list))).length, 2);
    await stream.end();
    assert.equal(log.of('collection.decode_worker_failed').length, 1);
  } finally {
    await pool.close();
  }
});

test('a stream opened before the worker fails: its parts reject, nothing is left unhandled', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): number => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const pool = createDecodePool({ workerUrl: new URL('./no-such-decode-worker.ts', import.meta.url) });
  try {
    const stream = pool.podMetrics(0);
    // The list's first chunk has not come yet when the worker fails to start.
    while (pool.inWorker) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setImmediate(r));
    await assert.rejects(stream.push(bytes(list)), { name: 'WorkerUnavailableError' });
    stream.close();
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await pool.close();
  }
});
