// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SampleStore } from '../domain/ports.ts';
import type { SeriesId, SeriesKey } from '../domain/series.ts';
import { openTestStore, tempDir } from '../store/testing.ts';
import { CACHE_GENERATION_CYCLES, SampleColumns, SeriesIdCache } from './sample-columns.ts';

function cycle(entities: readonly string[], tsMs: number): SampleColumns {
  const cols = new SampleColumns();
  for (const entity of entities) {
    const key = { kind: 'container' as const, entity, tsMs };
    cols.add(key, 'cpu_m', 10);
    cols.add(key, 'mem_ws_b', 2048);
  }
  return cols;
}

/** Counts the keys a store is asked to resolve; `local` keeps the store's own index lookup, else hides it. */
function counting(store: SampleStore, local: boolean): { store: SampleStore; asked: SeriesKey[] } {
  const asked: SeriesKey[] = [];
  const wrapped: SampleStore = Object.create(store) as SampleStore;
  wrapped.resolveSeries = (keys) => {
    asked.push(...keys);
    return store.resolveSeries(keys);
  };
  if (!local) Object.defineProperty(wrapped, 'seriesOfEntity', { value: undefined });
  return { store: wrapped, asked };
}

for (const local of [true, false]) {
  const how = local ? "through the SQLite store's own index" : 'through its own cache (a store without an index)';
  test(`series ids resolve once per key and match the store's, ${how}`, async (t) => {
    const real = await openTestStore(t, { path: join(tempDir(t), 'ids.db') });
    const { store, asked } = counting(real, local);
    const ids = new SeriesIdCache({ store, cluster: 'c1' });
    const first = await ids.resolve(cycle(['ns/a/x', 'ns/b/y'], 1000));
    assert.equal(asked.length, 4);
    assert.equal(new Set(first).size, 4);
    // The next cycle asks only for the new container's two series and answers the old ones with the same ids.
    const second = await ids.resolve(cycle(['ns/a/x', 'ns/b/y', 'ns/c/z'], 2000));
    assert.equal(asked.length, 6);
    assert.deepEqual(second.slice(0, 4), first);
    const direct: SeriesId[] = await real.resolveSeries([{ cluster: 'c1', kind: 'container', entity: 'ns/c/z', metric: 'mem_ws_b' }]);
    assert.equal(second[5], direct[0]);
  });
}

test('the own cache forgets an entity unseen for two generations and asks the store again', async (t) => {
  const real = await openTestStore(t, { path: join(tempDir(t), 'gen.db') });
  const { store, asked } = counting(real, false);
  const ids = new SeriesIdCache({ store, cluster: 'c1' });
  const before = await ids.resolve(cycle(['ns/old/x'], 1000));
  for (let c = 0; c < 2 * CACHE_GENERATION_CYCLES; c++) await ids.resolve(cycle(['ns/kept/y'], 2000 + c));
  const askedBefore = asked.length;
  const after = await ids.resolve(cycle(['ns/old/x'], 9_000_000));
  assert.equal(asked.length, askedBefore + 2);
  assert.deepEqual(after, before);
});
