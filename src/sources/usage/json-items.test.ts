// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonItemStream } from './json-items.ts';

/** Every element of a whole body's items array, fed in one chunk. */
function eachJsonItem(body: Uint8Array, each: (item: unknown) => void): void {
  const stream = new JsonItemStream(each);
  stream.push(body);
  stream.end();
}

function items(body: string): unknown[] {
  const out: unknown[] = [];
  eachJsonItem(Buffer.from(body), (item) => out.push(item));
  return out;
}

const tricky = {
  // An `items` key nested deeper, and the string "items" as a value, come before the real one.
  metadata: { items: [{ not: 'these' }], note: 'items', resourceVersion: '7' },
  kind: 'PodMetricsList',
  items: [
    { metadata: { name: 'a', namespace: 'ns', labels: { 'x/y': '} ] { [ "quoted" \\ back' } }, containers: [{ name: 'c', usage: { cpu: '1m' } }] },
    { metadata: { name: 'ünï-😀', namespace: 'ns' }, containers: [], nested: [[1, [2]], { deep: { er: [] } }] },
    { metadata: { name: 'escaped "}]"', namespace: 'ns\\' }, containers: [{ name: '\n\t\u0001' }] },
  ],
  trailer: { after: ['items'] },
};

test('every element of the top-level items array, parsed alone, equals what JSON.parse gives', () => {
  for (const body of [JSON.stringify(tricky), JSON.stringify(tricky, null, 2), JSON.stringify(tricky, null, '\t')]) {
    assert.deepEqual(items(body), tricky.items);
  }
  assert.deepEqual(items('{"items":[]}'), []);
  assert.deepEqual(items(' { "items" : [ {"a":1} , {"b":[2]} ] } '), [{ a: 1 }, { b: [2] }]);
});

test('a body without a top-level items array, a truncated one or a bad element throws a SyntaxError', () => {
  const cases = [
    '{"kind":"Status","metadata":{"items":[{"a":1}]}}',
    '{"note":"items","list":[{"a":1}]}',
    '',
    '{"items":[{"a":1},{"b":',
    '{"items":[{"a":1}',
    '{"items":[{"a":1,}]}',
  ];
  for (const body of cases) assert.throws(() => items(body), SyntaxError, body);
});

test('a body given as a view into a larger buffer is read from its own bytes only', () => {
  const whole = Buffer.from(`xxxx${JSON.stringify({ items: [{ n: 1 }] })}yyyy`);
  const out: unknown[] = [];
  eachJsonItem(whole.subarray(4, whole.length - 4), (item) => out.push(item));
  assert.deepEqual(out, [{ n: 1 }]);
});

test('fed in chunks of any size, the stream gives the same elements as the whole body', () => {
  const body = Buffer.from(JSON.stringify(tricky));
  for (let size = 1; size <= 64; size++) {
    const out: unknown[] = [];
    const stream = new JsonItemStream((item) => out.push(item));
    for (let at = 0; at < body.length; at += size) stream.push(body.subarray(at, at + size));
    stream.end();
    assert.deepEqual(out, tricky.items, `chunks of ${size} bytes`);
  }
  const truncated = new JsonItemStream(() => undefined);
  truncated.push(body.subarray(0, body.length - 40));
  assert.throws(() => truncated.end(), SyntaxError);
});
