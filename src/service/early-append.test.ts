// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { entityKey, METRIC } from '../domain/series.ts';
import type { ContainerUsage } from '../sources/usage/index.ts';
import { manualClock, openTestStore, tempDir } from '../store/testing.ts';
import { EarlyAppend } from './early-append.ts';
import { SampleColumns, SeriesIdCache } from './sample-columns.ts';

const T0 = Date.UTC(2024, 0, 10);
const part = (n: number, cpu: number): ContainerUsage[] => Array.from({ length: n }, (_, i) => ({ namespace: 'ns', pod: `p${i}`, container: 'app', tsMs: T0, cpuCores: cpu, memoryWorkingSetBytes: 1 }));
const columnsOf = (containers: readonly ContainerUsage[]): SampleColumns => {
  const out = new SampleColumns();
  for (const c of containers) out.add({ kind: 'container', entity: entityKey(c.namespace, c.pod, c.container), tsMs: c.tsMs }, METRIC.cpuMillicores, c.cpuCores * 1000);
  return out;
};

test('a reset drops the batches of the attempt before it, those still queued included; a failed batch is left to the cycle', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite'), clock: manualClock(T0) });
  const appended: number[] = [];
  let failNext = false;
  const counting = Object.assign(Object.create(store) as typeof store, {
    append: (batch: Parameters<typeof store.append>[0]) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('SQLITE_BUSY'));
      }
      appended.push(batch.values.length);
      return store.append(batch);
    },
  });
  const early = new EarlyAppend({ ids: new SeriesIdCache({ store, cluster: 'c' }), store: counting, columnsOf, batchSize: 3, createAt: 1 });
  // A full batch is queued (it waits for the event loop's turn), then the source fails and the next is tried.
  early.onContainers(part(3, 5));
  early.reset();
  await early.done();
  assert.deepEqual(appended, [], 'the queued batch of the failed attempt was not stored');
  assert.deepEqual(early.rest(), []);
  // The next attempt: one batch stored, one that fails is handed back for the cycle's store, one left partial.
  early.onContainers(part(3, 1));
  await early.done();
  failNext = true;
  early.onContainers(part(3, 2));
  early.onContainers(part(1, 3));
  await early.done();
  assert.deepEqual(appended, [3]);
  assert.equal(early.samples, 3);
  assert.deepEqual(
    early.rest().map((c) => c.cpuCores),
    [2, 2, 2, 3],
  );
});
