// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ndjsonLines } from './ndjson.ts';

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of ndjsonLines(body)) out.push(line);
  return out;
}

test('ndjson: lines split across chunks, several lines per chunk, blank lines and CRLF', async () => {
  const lines = await collect(chunks('{"a":', '1}\n{"b":2}\n\n{"c"', ':3}\r\n'));
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
});

test('ndjson: a multi-byte character cut between chunks survives', async () => {
  const bytes = new TextEncoder().encode('{"n":"é€"}\n');
  const lines = await collect(chunks(bytes.slice(0, 7), bytes.slice(7, 9), bytes.slice(9)));
  assert.deepEqual(lines, ['{"n":"é€"}']);
});

test('ndjson: an unterminated last line is still yielded (the JSON parse decides)', async () => {
  assert.deepEqual(await collect(chunks('{"a":1}\n{"b":')), ['{"a":1}', '{"b":']);
});
