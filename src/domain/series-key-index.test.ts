// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idIn, SeriesKeyIndex } from './series-key-index.ts';

const key = (entity: string, metric = 'cpu_m') => ({ cluster: 'c', kind: 'container' as const, entity, metric });

test('ids by key and by entity; size counts the current generation', () => {
  const index = new SeriesKeyIndex();
  index.set(key('ns/a/x'), 1);
  index.set(key('ns/a/x', 'mem_ws_b'), 2);
  index.set(key('ns/a/x'), 1);
  index.set(key('ns/b/y'), 3);
  assert.equal(index.size, 3);
  assert.equal(index.get(key('ns/a/x', 'mem_ws_b')), 2);
  assert.equal(idIn(index.entity('c', 'container', 'ns/a/x'), 'cpu_m'), 1);
  assert.equal(idIn(index.entity('c', 'container', 'ns/a/x'), 'mem_rss_b'), undefined);
  assert.equal(index.entity('c', 'node', 'ns/a/x'), undefined);
  index.set(key('ns/a/x', 'mem_ws_b'), 7);
  assert.equal(index.get(key('ns/a/x', 'mem_ws_b')), 7, 'a second set replaces the id');
  assert.equal(index.size, 3);
  index.delete(key('ns/a/x'));
  assert.equal(index.get(key('ns/a/x')), undefined);
  assert.equal(index.get(key('ns/a/x', 'mem_ws_b')), 7, 'the entity keeps its other metrics');
  assert.equal(index.size, 2);
  index.delete(key('ns/a/x'));
  assert.equal(index.size, 2, 'deleting a missing key changes nothing');
});

test('a rotation keeps the entities looked up since the one before and drops the others', () => {
  const index = new SeriesKeyIndex();
  index.set(key('used'), 1);
  index.set(key('used', 'mem_ws_b'), 2);
  index.set(key('gone'), 3);
  index.rotate();
  assert.equal(index.size, 0);
  // Looked up after the first rotation: moved to the current generation with all of its metrics.
  assert.equal(index.get(key('used')), 1);
  assert.equal(index.size, 2);
  index.set(key('new'), 4);
  index.rotate();
  assert.equal(index.get(key('used', 'mem_ws_b')), 2);
  assert.equal(index.get(key('new')), 4);
  assert.equal(index.get(key('gone')), undefined, 'not looked up for two rotations');
  index.clear();
  assert.equal(index.get(key('used')), undefined);
  assert.equal(index.size, 0);
});
