// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimedCache } from './timed-cache.ts';

test('a value is kept for maxAgeMs per key, and built again at once when its version changes', () => {
  let now = 0;
  let builds = 0;
  const cache = new TimedCache<number>({ maxAgeMs: 1000, now: () => now });
  const get = (key: string, version: number) => cache.get(key, version, () => ++builds);
  assert.equal(get('a', 1), 1);
  now = 999;
  assert.equal(get('a', 1), 1, 'still fresh');
  assert.equal(get('b', 1), 2, 'keys are separate');
  assert.equal(get('a', 2), 3, 'a new version is not delayed');
  now = 1999;
  assert.equal(get('a', 2), 4, 'too old');
});
