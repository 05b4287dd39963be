// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SeriesQuery, TierName } from '../domain/series.ts';
import { bulkRowReader } from './bulk-rows.ts';
import type { ChunkRow } from './chunk-repo.ts';
import { decodeRollupColumns, decodeRollups, encodeRollups } from './rollup-codec.ts';
import { ordinalsOf, rollupSamples } from './rollup.ts';
import { containerKeys, manualClock, openTestStore, tempDir } from './testing.ts';
import { buildTiers } from './tiers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 4, 6, 0, 0, 0);

/** A value per series and minute; each series has its own gap (a stopped container) and the last one no samples. */
function sample(id: number, i: number): number | undefined {
  if (id % 5 === 4) return undefined;
  const gapFrom = 300 + id * 500;
  if (i >= gapFrom && i < gapFrom + 200 + id * 37) return undefined;
  return Math.round((50 + id * 10) * (1 + 0.5 * Math.sin(i * 0.31 + id)) * 1000) / 1000;
}

/** A live store: three days of minute samples, heads still open, some closed spans compacted. */
async function liveStore(t: Parameters<typeof tempDir>[0]) {
  const path = join(tempDir(t), 'bulk.db');
  const clock = manualClock(T0);
  const store = await openTestStore(t, { path, clock });
  const ids = await store.resolveSeries(containerKeys(5, ['cpu_m']));
  for (let i = 0; i < 3 * 1440; i++) {
    if (i === 2 * 1440) {
      clock.set(T0 + i * MINUTE);
      await store.rotate();
    }
    const batch = { seriesIds: [] as number[], timestampsMs: [] as number[], values: [] as number[] };
    for (const id of ids) {
      const v = sample(id, i);
      if (v === undefined) continue;
      batch.seriesIds.push(id);
      batch.timestampsMs.push(T0 + i * MINUTE);
      batch.values.push(v);
    }
    await store.append(batch);
  }
  await store.flush();
  return { store, ids, path };
}

void describe('bulk row reads', () => {
  void it('answer every tier exactly as one read per series does, gaps and empty series included', async (t) => {
    const { store, ids } = await liveStore(t);
    const end = T0 + 3 * DAY;
    const shapes: Array<Omit<SeriesQuery, 'seriesIds'>> = [
      { fromMs: end - 90 * MINUTE, toMs: end, stepMs: 1000, tier: 'raw' },
      { fromMs: T0 + 7 * MINUTE, toMs: end, stepMs: 5 * MINUTE, tier: '5m' },
      { fromMs: T0, toMs: end, stepMs: HOUR, tier: '1h', quantiles: [0.5, 0.95] },
      { fromMs: T0 + 30 * MINUTE, toMs: end, stepMs: 3 * HOUR, tier: '1h' },
      { fromMs: T0, toMs: end, stepMs: DAY, tier: '1d', quantiles: [0.99] },
      { fromMs: T0, toMs: end, stepMs: HOUR, quantiles: [0.9] },
    ];
    for (const shape of shapes) {
      const bulk = await store.query({ ...shape, seriesIds: ids });
      const one = await Promise.all(ids.map((id) => store.query({ ...shape, seriesIds: [id] })));
      assert.equal(bulk.tier, one[0]?.tier);
      assert.deepEqual(
        bulk.series,
        one.map((r) => r.series[0]),
        `tier ${shape.tier ?? 'auto'}, step ${shape.stepMs}`,
      );
      const empty = bulk.series.find((s) => s.series.id % 5 === 4);
      assert.deepEqual(empty?.points, [], 'a series without samples has no points');
      assert.ok(bulk.series.some((s) => s.points.length > 0), 'the comparison is not between empty answers');
    }
  });

  void it('answer in columns the same steps and values as in points, on every tier', async (t) => {
    const { store, ids } = await liveStore(t);
    const end = T0 + 3 * DAY;
    const shapes: Array<Omit<SeriesQuery, 'seriesIds'>> = [
      { fromMs: end - 90 * MINUTE, toMs: end, stepMs: 1000, tier: 'raw', quantiles: [0.5] },
      { fromMs: end - 90 * MINUTE, toMs: end, stepMs: 10 * MINUTE, tier: 'raw' },
      { fromMs: T0 + 7 * MINUTE, toMs: end, stepMs: 5 * MINUTE, tier: '5m' },
      { fromMs: T0, toMs: end, stepMs: HOUR, tier: '1h', quantiles: [0.5, 0.95] },
      { fromMs: T0 + 30 * MINUTE, toMs: end, stepMs: 3 * HOUR, tier: '1h', quantiles: [0.99] },
      { fromMs: T0, toMs: end, stepMs: DAY, tier: '1d' },
      { fromMs: T0, toMs: end, stepMs: HOUR },
    ];
    const fields = ['count', 'min', 'max', 'mean'] as const;
    for (const shape of shapes) {
      const points = await store.query({ ...shape, seriesIds: ids });
      const cols = await store.queryColumns({ ...shape, seriesIds: ids, fields });
      const { series: _p, ...pointsMeta } = points;
      const { series: _c, ...colsMeta } = cols;
      assert.deepEqual(colsMeta, pointsMeta);
      assert.equal(cols.series.length, points.series.length);
      points.series.forEach((ps, k) => {
        const cs = cols.series[k];
        assert.deepEqual(cs?.series, ps.series);
        // Rebuilt as points, the columns give the same objects (NaN quantiles included).
        const rebuilt = Array.from(cs?.timestampsMs ?? [], (tsMs, i) => {
          const p = { tsMs, count: cs?.fields.count?.[i], min: cs?.fields.min?.[i], max: cs?.fields.max?.[i], mean: cs?.fields.mean?.[i] };
          return shape.quantiles ? { ...p, quantiles: cs?.quantiles.map((q) => q[i]) } : p;
        });
        assert.deepEqual(rebuilt, ps.points, `tier ${shape.tier ?? 'auto'}, step ${shape.stepMs}, series ${ps.series.id}`);
      });
      assert.ok(cols.series.some((s) => s.timestampsMs.length > 0), 'the comparison is not between empty answers');
    }
    // Only the fields asked are filled.
    const one = await store.queryColumns({ fromMs: T0, toMs: end, stepMs: HOUR, tier: '1h', seriesIds: ids, fields: ['max'] });
    assert.deepEqual(Object.keys(one.series[0]?.fields ?? {}), ['max']);
    assert.deepEqual(one.series[0]?.quantiles, []);
  });

  void it('keeps a series asked twice and a selector query in step with the per-series path', async (t) => {
    const { store, ids } = await liveStore(t);
    const q = { fromMs: T0, toMs: T0 + 3 * DAY, stepMs: HOUR, tier: '1h' as const };
    const twice = await store.query({ ...q, seriesIds: [ids[1] ?? 0, ids[1] ?? 0, ids[2] ?? 0] });
    const single = await store.query({ ...q, seriesIds: [ids[1] ?? 0] });
    assert.deepEqual(twice.series[0], single.series[0]);
    assert.deepEqual(twice.series[1], single.series[0]);
    // More series than one bulk read takes: the batches together answer as one read per series does.
    const many = ids.flatMap((id) => Array.from({ length: 120 }, () => id));
    const perId = new Map((await Promise.all(ids.map((id) => store.query({ ...q, seriesIds: [id] })))).map((r) => [r.series[0]?.series.id, r.series[0]]));
    assert.deepEqual((await store.query({ ...q, seriesIds: many })).series, many.map((id) => perId.get(id)));
    const bySelector = await store.query({ ...q, selector: { kind: 'container', entityPrefix: 'shop/' } });
    assert.equal(bySelector.series.length, ids.length);
    for (const s of bySelector.series) assert.deepEqual(s, (await store.query({ ...q, seriesIds: [s.series.id] })).series[0]);
  });

  void it('reads stored rows of many series in start order, then the pending rows that overlap the range', async (t) => {
    const { ids, path } = await liveStore(t);
    const db = new Database(path, { readonly: true });
    t.after(() => db.close());
    const empty = ids.find((id) => id % 5 === 4) ?? 0;
    const [a = 0, b = 0] = ids.filter((id) => id !== empty);
    const pendingRow = (startMs: number, endMs: number): ChunkRow => ({ tier: '5m', seriesId: b, startMs, endMs, count: 1, partial: true, data: new Uint8Array([startMs % 251]) });
    const pending = [pendingRow(T0 + 3 * DAY, T0 + 3 * DAY + HOUR), pendingRow(T0 - 2 * DAY, T0 - DAY)];
    const read = bulkRowReader({ db, tiers: buildTiers(), pending: (tier: TierName, id: number) => (tier === '5m' && id === b ? pending : []) });
    const range = { fromMs: T0 + HOUR, toMs: T0 + 4 * DAY };
    const rows = read('5m', [a, b, empty, b], range);
    const perSeries = db.prepare('SELECT data FROM rollup_5m WHERE series_id = ? AND start_ms >= ? AND start_ms < ? AND end_ms >= ? ORDER BY start_ms').pluck();
    const stored = (id: number) => perSeries.all(id, range.fromMs - DAY, range.toMs, range.fromMs) as Uint8Array[];
    assert.ok(stored(a).length >= 3);
    assert.deepEqual(rows.get(a), stored(a));
    assert.deepEqual(rows.get(b), [...stored(b), pending[0]?.data], 'the pending row before the range is left out, and added once');
    assert.equal(rows.has(empty), false);
    assert.equal(read('1h', [], range).size, 0);
    assert.throws(() => read('2h' as TierName, [a], range), /unknown tier/);
  });

  void it('reads through the series index, without sorting', async (t) => {
    const { path } = await liveStore(t);
    const db = new Database(path, { readonly: true });
    t.after(() => db.close());
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT series_id, data FROM rollup_1h WHERE series_id IN (SELECT value FROM json_each(?)) ' +
          'AND start_ms >= ? AND start_ms < ? AND end_ms >= ? ORDER BY series_id, start_ms',
      )
      .all('[1,2]', 0, 1, 0) as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail).join('\n');
    assert.match(details, /USING INDEX rollup_1h_series/);
    assert.doesNotMatch(details, /TEMP B-TREE/);
  });
});

void describe('rollup columns', () => {
  void it('decode to the same buckets as the bucket decoder, with or without sketches', () => {
    const ts = Float64Array.from({ length: 600 }, (_, i) => T0 + i * MINUTE + (i > 300 ? 3 * HOUR : 0));
    const values = Float64Array.from({ length: 600 }, (_, i) => Math.round(1000 * (20 + 10 * Math.sin(i / 7))) / 1000);
    const buckets = rollupSamples({ timestampsMs: ts, values }, HOUR, ordinalsOf(values));
    for (const decimals of [3, null]) {
      const blob = encodeRollups(buckets, { resolutionMs: HOUR, decimals, withSketch: true });
      for (const withSketch of [true, false]) {
        const c = decodeRollupColumns(blob, withSketch);
        const asBuckets = c.starts.map((startMs, i) => ({
          startMs,
          count: c.counts[i],
          min: c.mins[i],
          max: c.maxs[i],
          sum: c.sums[i],
          sketch: c.sketches ? c.sketches[i] : null,
        }));
        assert.deepEqual(asBuckets, decodeRollups(blob, withSketch).buckets);
        assert.equal(c.sketches === null, !withSketch);
      }
    }
    assert.deepEqual(decodeRollupColumns(encodeRollups([], { resolutionMs: HOUR, decimals: 3, withSketch: true }), true).starts, []);
  });
});
