// SPDX-License-Identifier: Apache-2.0
// The store's read worker (read-offload.ts): the same answers as the store's own thread, with the rows still queued
// and the heads' samples included, and the store's thread answering again when a write committed meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ColumnQuery, ColumnQueryResult } from '../domain/series.ts';
import { containerKeys, manualClock, openTestStore, tempDir } from './testing.ts';
import type { SqliteSampleStore } from './sample-store.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);

/** Three days of a minute's samples per series, written straight into the tiers (raw for the last day). */
async function seeded(store: SqliteSampleStore, ids: readonly number[]): Promise<void> {
  const timestampsMs: number[] = [];
  for (let ts = NOW - 3 * 24 * HOUR; ts < NOW - 3 * HOUR; ts += MIN) timestampsMs.push(ts);
  await store.writeHistory({
    rawFromMs: NOW - 24 * HOUR,
    series: ids.map((seriesId, k) => ({ seriesId, timestampsMs, values: timestampsMs.map((ts, i) => 100 + k * 10 + ((i * 7919) % 97) + Math.sin(ts / HOUR)) })),
  });
}

/** Appends a minute's samples of every series over [fromMs, toMs). */
async function appendMinutes(store: SqliteSampleStore, ids: readonly number[], range: { fromMs: number; toMs: number }): Promise<void> {
  for (let ts = range.fromMs; ts < range.toMs; ts += MIN) {
    await store.append({ seriesIds: [...ids], timestampsMs: ids.map(() => ts), values: ids.map((_, k) => 50 + k + (ts / MIN) % 13) });
  }
}

/** Queries on every tier, with fields, quantiles and the raw window the analyses read. */
function queries(): ColumnQuery[] {
  const selector = { cluster: 'default', kind: 'container' as const, entityPrefix: 'shop/' };
  return [
    { selector, fields: ['mean', 'max', 'min', 'count'], fromMs: NOW - 3 * 24 * HOUR, toMs: NOW + 1, stepMs: HOUR, tier: '1h', quantiles: [0.95] },
    { selector, fields: ['mean', 'max'], fromMs: NOW - 30 * HOUR, toMs: NOW + 1, stepMs: 5 * MIN, tier: '5m' },
    { selector, fields: ['max'], fromMs: NOW - 4 * HOUR, toMs: NOW + 1, stepMs: 1000, tier: 'raw' },
    { selector: { ...selector, metrics: ['mem_ws_b'] }, fields: ['mean'], fromMs: NOW - 2 * HOUR, toMs: NOW + 1, stepMs: 5 * MIN, tier: '5m' },
  ];
}

async function answers(store: SqliteSampleStore): Promise<ColumnQueryResult[]> {
  const out: ColumnQueryResult[] = [];
  for (const q of queries()) out.push(await store.queryColumns(q));
  return out;
}

test('the read worker answers as the store does: stored rows, rows still queued and the heads', async (t) => {
  const path = join(tempDir(t), 'krm.db');
  const clock = manualClock(NOW - 3 * HOUR);
  const store = await openTestStore(t, { path, clock, busyTimeoutMs: 1 });
  const ids = await store.resolveSeries(containerKeys(4));
  await seeded(store, ids);
  // Samples appended in the last three hours: the heads of the open windows hold some, the cut ones wait in the
  // queue, since another connection holds the write lock.
  const blocker = new Database(path);
  t.after(() => blocker.close());
  blocker.exec('BEGIN IMMEDIATE');
  await appendMinutes(store, ids, { fromMs: NOW - 3 * HOUR, toMs: NOW });
  clock.set(NOW);
  assert.ok(store.status().pendingChunks > 0, 'rows wait in the queue');
  store.startReadWorker();
  const offloaded = await answers(store);
  const stats = store.readWorkerStats();
  assert.equal(stats.answered, queries().length, 'the worker answered every query');
  await store.stopReadWorker();
  const own = await answers(store);
  assert.deepStrictEqual(offloaded, own);
  // A series asked twice has its queued rows counted once, as the store's own read does.
  const twice: ColumnQuery = { seriesIds: [ids[0] as number, ids[0] as number], fields: ['count', 'mean'], fromMs: NOW - 3 * HOUR, toMs: NOW + 1, stepMs: HOUR, tier: '1h' };
  const ownTwice = await store.queryColumns(twice);
  store.startReadWorker();
  assert.deepStrictEqual(await store.queryColumns(twice), ownTwice);
  assert.equal(store.readWorkerStats().answered, 1);
  await store.stopReadWorker();
  // The answers hold the queued rows and the heads: the newest raw step is the last append.
  const raw = own[2]?.series[0];
  assert.equal(raw?.timestampsMs.at(-1), NOW - MIN);
  blocker.exec('ROLLBACK');
});

test('a write committed while the worker reads: the store answers again with it', async (t) => {
  const path = join(tempDir(t), 'krm.db');
  const store = await openTestStore(t, { path, clock: manualClock(NOW) });
  const ids = await store.resolveSeries(containerKeys(2));
  await seeded(store, ids);
  store.startReadWorker();
  const q = queries()[0] as ColumnQuery;
  await store.queryColumns(q);
  // Asked, then (the worker answering meanwhile from the file as it is) a write of the last three hours commits
  // before the answer is taken.
  const asked = store.queryColumns(q);
  const until = Date.now() + 300;
  while (Date.now() < until) {
    // Holds this thread, so that the worker has read and answered before the write below.
  }
  const timestampsMs = Array.from({ length: 180 }, (_, i) => NOW - 3 * HOUR + i * MIN);
  await store.writeHistory({ series: ids.map((seriesId) => ({ seriesId, timestampsMs, values: timestampsMs.map(() => 1e6) })) });
  const answered = await asked;
  assert.equal(store.readWorkerStats().retried, 1);
  await store.stopReadWorker();
  assert.deepStrictEqual(answered, await store.queryColumns(q));
  assert.equal(Math.max(...(answered.series[0]?.fields.max ?? [])), 1e6, 'the answer holds the write');
});

test('a worker that cannot open the file is closed, and the store answers its queries', async (t) => {
  const dir = tempDir(t);
  const store = await openTestStore(t, { path: join(dir, 'krm.db'), clock: manualClock(NOW) });
  const ids = await store.resolveSeries(containerKeys(2));
  await seeded(store, ids);
  const q = queries()[1] as ColumnQuery;
  const own = await store.queryColumns(q);
  // The store keeps its open file; the worker looks for it by name.
  renameSync(join(dir, 'krm.db'), join(dir, 'moved.db'));
  store.startReadWorker();
  assert.deepStrictEqual(await store.queryColumns(q), own);
  const until = Date.now() + 10_000;
  while (store.readWorkerStats().running && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(store.readWorkerStats(), { running: false, answered: 0, retried: 0 });
  assert.deepStrictEqual(await store.queryColumns(q), own);
});

test('without a tier, or once stopped, the store answers itself', async (t) => {
  const store = await openTestStore(t, { path: join(tempDir(t), 'krm.db'), clock: manualClock(NOW) });
  const ids = await store.resolveSeries(containerKeys(2));
  await seeded(store, ids);
  store.startReadWorker();
  const { tier: _, ...auto } = queries()[0] as ColumnQuery;
  await store.queryColumns(auto);
  assert.deepEqual(store.readWorkerStats(), { running: true, answered: 0, retried: 0 });
  await store.stopReadWorker();
  assert.equal(store.readWorkerStats().running, false);
});
