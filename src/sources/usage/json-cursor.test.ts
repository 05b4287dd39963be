// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonCursor, NotScanned } from './json-cursor.ts';

/** Reads `{"keep": <string>, ...}` objects in an array, skipping every other key, as the PodMetrics scan does. */
function keeps(text: string): (string | undefined)[] {
  const cur = new JsonCursor(text);
  const out: (string | undefined)[] = [];
  cur.array(() => {
    let kept: string | undefined;
    cur.object((key) => (key === 'keep' ? (kept = cur.stringOrSkip()) : cur.skip()));
    out.push(kept);
  });
  cur.end();
  return out;
}

test('reads the values asked for and skips the rest, whatever the spacing, nesting and escapes', () => {
  const docs = [
    { keep: 'a', other: { deep: [1, 2, { x: 'y"z' }], e: 'q\\\\' }, n: -1.5e3, t: true, f: false, z: null },
    { skip: [], keep: 'b\\"c\u00e9\n', tail: {} },
    { keep: 12 },
    {},
  ];
  for (const text of [JSON.stringify(docs), JSON.stringify(docs, null, 2), JSON.stringify(docs, null, '\t')]) {
    assert.deepEqual(keeps(text), ['a', 'b\\"c\u00e9\n', undefined, undefined]);
  }
});

test('malformed text is NotScanned, never a wrong value', () => {
  for (const bad of ['[{"keep":"a"}', '[{"keep":"a}]', '[{"keep" "a"}]', '[{"keep":"a",}]x', '[{"keep":"a"}] x', '[{"keep":"a"} {"keep":"b"}]', '']) {
    assert.throws(() => keeps(bad), NotScanned, bad);
  }
});
