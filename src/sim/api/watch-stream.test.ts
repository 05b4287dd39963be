// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { WatchStream } from './watch-stream.ts';

/** A response that is always full (write returns false) and throws on a write after end, as Node's does. */
class FullResponse extends EventEmitter {
  writableEnded = false;
  writes = 0;
  write(): boolean {
    if (this.writableEnded) throw Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' });
    this.writes++;
    return false;
  }
  end(): void {
    this.writableEnded = true;
  }
}

test('a watch whose response was ended while it waited for drain (timeout, server stop) writes nothing more', async () => {
  const res = new FullResponse();
  const stream = new WatchStream(res as unknown as ServerResponse, (e) => JSON.stringify(e.object));
  stream.push({ type: 'ADDED', object: { a: 1 } } as never);
  await new Promise((r) => setImmediate(r));
  assert.equal(res.writes, 1, 'the first batch went out and the stream waits for drain');
  stream.push({ type: 'ADDED', object: { a: 2 } } as never);
  res.end(); // the owner ends it before 'close' is emitted
  assert.doesNotThrow(() => res.emit('drain'));
  stream.push({ type: 'ADDED', object: { a: 3 } } as never);
  await new Promise((r) => setImmediate(r));
  assert.equal(res.writes, 1);
});
