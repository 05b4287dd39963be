// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SeriesPoint } from '../domain/series.ts';
import { exactQuantile, SKETCH_RELATIVE_ACCURACY } from './sketch.ts';
import { containerKeys, manualClock, openTestStore, tempDir } from './testing.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Aligned to the raw windows of series 1 (phase 5 min) plus some slack; any epoch works.
const T0 = Date.UTC(2024, 4, 6, 0, 0, 0);

/** A CPU-like value in millicores (3 decimals) for series `id` at minute `i`. */
function cpu(id: number, i: number): number {
  const x = Math.sin(i * 0.37 + id) * 0.5 + Math.sin(i / 240) * 0.3 + 1;
  return Math.round((100 + 20 * id) * x * 1000) / 1000;
}

async function appendMinutes(store: { append: (b: never) => Promise<unknown> }, ids: number[], range: { from: number; to: number }) {
  for (let i = range.from; i < range.to; i++) {
    const batch = { seriesIds: ids, timestampsMs: ids.map(() => T0 + i * MINUTE), values: ids.map((id) => cpu(id, i)) };
    await store.append(batch as never);
  }
}

function rowCount(path: string, table: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

void describe('SqliteSampleStore: ingest, restart and durability', () => {
  void it('serves appended samples from the head and from cut chunks, exactly at the stored precision', async (t) => {
    const store = await openTestStore(t, { path: join(tempDir(t), 'a.db'), clock: manualClock(T0 + 5 * HOUR) });
    const ids = await store.resolveSeries(containerKeys(2, ['cpu_m']));
    await appendMinutes(store, ids, { from: 0, to: 300 });
    const res = await store.query({ seriesIds: ids, fromMs: T0, toMs: T0 + 300 * MINUTE, stepMs: MINUTE });
    assert.equal(res.tier, 'raw');
    for (const s of res.series) {
      assert.equal(s.points.length, 300);
      s.points.forEach((p, i) => assert.equal(p.mean, cpu(s.series.id, i)));
    }
    assert.ok(store.status().writable);
    assert.equal(store.status().counters.appended, 600);
  });

  void it('counts absent (NaN), out-of-order and unknown-series samples instead of storing them', async (t) => {
    const store = await openTestStore(t, { path: join(tempDir(t), 'a.db') });
    const [id] = await store.resolveSeries(containerKeys(1, ['cpu_m']));
    const result = await store.append({
      seriesIds: [id ?? 0, id ?? 0, id ?? 0, id ?? 0, 999],
      timestampsMs: [T0, T0 + MINUTE, T0 - 30_000, T0 + 2 * MINUTE, T0],
      values: [1, NaN, 2, Infinity, 5],
    });
    assert.deepEqual(result, { accepted: 1, absent: 2, outOfOrder: 1, unknownSeries: 1 });
    const late = await store.append({ seriesIds: [id ?? 0], timestampsMs: [T0 - MINUTE], values: [3] });
    assert.equal(late.outOfOrder, 1);
    const res = await store.query({ seriesIds: [id ?? 0], fromMs: T0 - HOUR, toMs: T0 + HOUR, stepMs: MINUTE });
    assert.deepEqual(res.series[0]?.points.map((p) => [p.tsMs, p.mean]), [[T0, 1]]);
  });

  void it('keeps every appended sample across a clean restart and resumes the same head chunks', async (t) => {
    const path = join(tempDir(t), 'r.db');
    const clock = manualClock(T0);
    const first = await openTestStore(t, { path, clock });
    const ids = await first.resolveSeries(containerKeys(3, ['cpu_m']));
    await appendMinutes(first, ids, { from: 0, to: 150 }); // crosses a raw window: some chunks are cut
    await first.flush();
    await appendMinutes(first, ids, { from: 150, to: 170 }); // not flushed: in the sample log, checkpointed by close
    await first.close();
    assert.equal(rowCount(path, 'sample_log'), 0, 'a clean shutdown checkpoints every head and empties the log');

    const second = await openTestStore(t, { path, clock });
    assert.equal(second.logStatus().replay.rows, 0);
    const range = { seriesIds: ids, fromMs: T0, toMs: T0 + DAY, stepMs: MINUTE };
    for (const s of (await second.query(range)).series) {
      assert.equal(s.points.length, 170, 'every appended sample, nothing more');
      assert.equal(s.points[169]?.mean, cpu(s.series.id, 169));
    }
    // Appending resumes the same head chunks: after the next cut there is one chunk per window, not two.
    await appendMinutes(second, ids, { from: 170, to: 400 });
    await second.flush();
    const points = (await second.query(range)).series.map((s) => s.points.length);
    assert.deepEqual(points, [400, 400, 400]);
    await second.close();
    const chunks = rowCount(path, 'chunks_raw');
    assert.ok(chunks <= 3 * 4, `${chunks} raw chunks for 3 series over 4 windows`);
  });

  void it('reports the database size including the write-ahead log', async (t) => {
    const store = await openTestStore(t, { path: join(tempDir(t), 's.db') });
    const ids = await store.resolveSeries(containerKeys(1));
    await appendMinutes(store, ids, { from: 0, to: 10 });
    await store.flush();
    assert.ok((await store.sizeBytes()) > 4096);
  });
});

void describe('SqliteSampleStore: tiers and queries', () => {
  async function history(t: Parameters<typeof tempDir>[0], days: number) {
    const now = T0 + days * DAY;
    const store = await openTestStore(t, { path: join(tempDir(t), 'h.db'), clock: manualClock(now) });
    const ids = await store.resolveSeries(containerKeys(2));
    const n = days * 1440;
    const series = ids.map((id) => ({
      seriesId: id,
      timestampsMs: Array.from({ length: n }, (_, i) => T0 + i * MINUTE),
      values: Array.from({ length: n }, (_, i) => (id % 2 === 0 ? Math.round(cpu(id, i) * 2 ** 20) : cpu(id, i))),
    }));
    const report = await store.writeHistory({ series, rawFromMs: now - DAY });
    assert.equal(report.samples, n * ids.length);
    return { store, ids, now, series };
  }

  void it('picks raw for short ranges and rollups for long ones, and widens the step when raw is gone', async (t) => {
    const { store, ids, now } = await history(t, 14);
    const q = (fromMs: number, stepMs?: number) => store.query({ seriesIds: ids, fromMs, toMs: now, stepMs });
    assert.equal((await q(now - 6 * HOUR, MINUTE)).tier, 'raw');
    assert.equal((await q(now - 6 * HOUR, 5 * MINUTE)).tier, '5m');
    const wide = await q(now - 3 * DAY, MINUTE);
    assert.deepEqual([wide.tier, wide.stepMs], ['5m', 5 * MINUTE]);
    const long = await q(now - 14 * DAY);
    assert.equal(long.tier, '1h');
    assert.ok(long.series.every((s) => s.points.length > 100 && s.points.length <= 400));
    assert.equal((await q(now - 14 * DAY, DAY)).tier, '1d');
    assert.equal((await store.query({ seriesIds: ids, fromMs: now - DAY, toMs: now, tier: '1h' })).tier, '1h');
  });

  void it('answers 14-day percentiles and peaks from rollups within the sketch accuracy', async (t) => {
    const { store, ids, now, series } = await history(t, 14);
    const res = await store.query({ seriesIds: ids, fromMs: T0, toMs: now, stepMs: 14 * DAY, quantiles: [0.5, 0.9, 0.95, 0.99] });
    assert.equal(res.approximateQuantiles, true);
    for (const s of res.series) {
      const values = series.find((x) => x.seriesId === s.series.id)?.values ?? [];
      const sorted = [...values].sort((a, b) => a - b);
      const p = s.points[0] as SeriesPoint;
      assert.equal(p.count, values.length);
      assert.equal(p.max, sorted[sorted.length - 1], 'peak is exact');
      [0.5, 0.9, 0.95, 0.99].forEach((q, i) => {
        const exact = exactQuantile(sorted, q);
        const rel = Math.abs((p.quantiles?.[i] ?? NaN) - exact) / exact;
        assert.ok(rel <= SKETCH_RELATIVE_ACCURACY, `q${q}: relative error ${rel}`);
      });
    }
  });

  void it('gives the same minute-level answers from raw chunks and from exact raw quantiles', async (t) => {
    const { store, ids, now, series } = await history(t, 2);
    const q = { seriesIds: [ids[0] ?? 0], fromMs: now - HOUR, toMs: now, stepMs: HOUR, quantiles: [0.5] };
    assert.equal((await store.query(q)).tier, '1h', 'a 1-hour step reads the 1-hour tier');
    const res = await store.query({ ...q, tier: 'raw' });
    assert.deepEqual([res.tier, res.approximateQuantiles], ['raw', false]);
    const values = series[0]?.values.slice(-60) ?? [];
    const p = res.series[0]?.points[0];
    assert.equal(p?.count, 60);
    assert.equal(p?.quantiles?.[0], exactQuantile([...values].sort((a, b) => a - b), 0.5));
  });
});

void describe('SqliteSampleStore: rotation', () => {
  void it('compacts partial rollup rows of closed spans without changing query results', async (t) => {
    const path = join(tempDir(t), 'c.db');
    const clock = manualClock(T0);
    const store = await openTestStore(t, { path, clock });
    const ids = await store.resolveSeries(containerKeys(2, ['cpu_m']));
    await appendMinutes(store, ids, { from: 0, to: 3 * 1440 });
    clock.set(T0 + 3 * DAY + 3 * HOUR);
    const q = { seriesIds: ids, fromMs: T0, toMs: T0 + 3 * DAY, stepMs: HOUR, quantiles: [0.95] };
    const before = await store.query(q);
    const partialBefore = rowCount(path, 'rollup_5m');
    const report = await store.rotate();
    assert.ok(report.cutHeads > 0 && report.compactedRows > 0);
    const rounded = (r: typeof before) =>
      r.series.map((s) => s.points.map((p) => ({ ...p, mean: Math.round(p.mean * 1e6) / 1e6 })));
    assert.deepEqual(rounded(await store.query(q)), rounded(before));
    assert.ok(rowCount(path, 'rollup_5m') < partialBefore);
    assert.equal(rowCount(path, 'rollup_5m'), 2 * 3, 'one 5m row per series and day');
  });

  void it('deletes expired rows per tier in bounded batches', async (t) => {
    const path = join(tempDir(t), 'x.db');
    const clock = manualClock(T0 + 12 * DAY);
    const retentionMs = { raw: 1 * DAY, '5m': 3 * DAY, '1h': 5 * DAY, '1d': 100 * DAY };
    const store = await openTestStore(t, { path, clock, retentionMs });
    const ids = await store.resolveSeries(containerKeys(3));
    const n = 12 * 1440;
    const series = ids.map((seriesId) => ({
      seriesId,
      timestampsMs: Array.from({ length: n }, (_, i) => T0 + i * MINUTE),
      values: Array.from({ length: n }, (_, i) => cpu(seriesId, i)),
    }));
    await store.writeHistory({ series });
    const limited = await store.rotate({ maxBatches: 1 });
    assert.equal(limited.truncated, true);
    const full = await store.rotate();
    assert.equal(full.truncated, false);
    const oldest = (tier: '5m' | '1h' | 'raw') =>
      store.query({ seriesIds: ids, fromMs: T0, toMs: clock.now(), tier, stepMs: tier === 'raw' ? HOUR : undefined });
    const firstTs = async (tier: '5m' | '1h' | 'raw') => (await oldest(tier)).series[0]?.points[0]?.tsMs ?? NaN;
    assert.ok((await firstTs('raw')) >= clock.now() - 1 * DAY - 2 * HOUR);
    assert.ok((await firstTs('5m')) >= clock.now() - 3 * DAY - DAY);
    assert.ok((await firstTs('1h')) >= clock.now() - 5 * DAY - 7 * DAY);
    assert.ok((await firstTs('1h')) < clock.now() - 5 * DAY, '1h kept longer than 5m');
  });
});
