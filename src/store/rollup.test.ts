// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rollupRows } from './build-rows.ts';
import { decodeRollups, encodeRollups } from './rollup-codec.ts';
import { coarsen, normalizeBuckets, ordinalsOf, rollupSamples, type RollupBucket } from './rollup.ts';
import {
  exactQuantile,
  mergeSketches,
  SKETCH_RELATIVE_ACCURACY,
  sketchFromOrdinals,
  sketchOrdinal,
  sketchQuantile,
  type Sketch,
} from './sketch.ts';
import { buildTiers } from './tiers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2024, 2, 1);

/** Deterministic pseudo-random numbers (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Two days of 60 s CPU-like samples in millicores (3 decimals) with gaps and spikes. */
function usage(seed: number): { timestampsMs: number[]; values: number[] } {
  const r = rng(seed);
  const timestampsMs: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < 2 * 1440; i++) {
    if (r() < 0.03) continue; // absent samples
    const daily = 1 + 0.5 * Math.sin((2 * Math.PI * i) / 1440);
    const spike = r() < 0.01 ? 20 : 1;
    timestampsMs.push(T0 + i * MINUTE + Math.floor(r() * 2) * 1000);
    values.push(Math.round(250 * daily * spike * Math.exp(0.4 * (r() - 0.5)) * 1000) / 1000);
  }
  return { timestampsMs, values };
}

function within(actual: number, expected: number, rel: number): boolean {
  return Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-12;
}

void describe('quantile sketch', () => {
  void it('answers every quantile within the relative accuracy, for positive, zero and negative values', () => {
    const r = rng(7);
    const values = Array.from({ length: 5000 }, () => Math.exp(8 * r() - 4) * (r() < 0.1 ? -1 : 1));
    values.push(0, 0, 0);
    const sketch = sketchFromOrdinals(values.map(sketchOrdinal));
    const sorted = [...values].sort((a, b) => a - b);
    const bounds = { min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
    for (const q of [0, 0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1]) {
      const exact = exactQuantile(sorted, q);
      const approx = sketchQuantile(sketch, q, bounds);
      assert.ok(within(approx, exact, SKETCH_RELATIVE_ACCURACY), `q=${q}: ${approx} vs ${exact}`);
    }
  });

  void it('merges exactly: the merge of two sketches is the sketch of the union', () => {
    const a = [1, 2, 3, 1000, 0.5];
    const b = [2, 2, 5e9, -3, 0];
    const merged = mergeSketches(sketchFromOrdinals(a.map(sketchOrdinal)), sketchFromOrdinals(b.map(sketchOrdinal)));
    assert.deepEqual(merged, sketchFromOrdinals([...a, ...b].map(sketchOrdinal)));
  });
});

void describe('rollups', () => {
  void it('match brute force per bucket (count, min, max, mean) and percentiles within sketch accuracy', () => {
    const s = usage(42);
    const buckets = rollupSamples(s, HOUR, ordinalsOf(s.values));
    const decoded = decodeRollups(encodeRollups(buckets, { resolutionMs: HOUR, decimals: 3, withSketch: true }), true);
    assert.equal(decoded.decimals, 3);
    for (const b of decoded.buckets) {
      const inBucket = s.values.filter((_, i) => Math.floor((s.timestampsMs[i] ?? 0) / HOUR) * HOUR === b.startMs);
      const sorted = [...inBucket].sort((x, y) => x - y);
      assert.equal(b.count, inBucket.length);
      assert.equal(b.min, sorted[0]);
      assert.equal(b.max, sorted[sorted.length - 1]);
      const mean = inBucket.reduce((x, y) => x + y, 0) / inBucket.length;
      assert.ok(Math.abs(b.sum / b.count - mean) < 1e-6, `mean ${b.sum / b.count} vs ${mean}`);
      for (const q of [0.5, 0.95, 0.99]) {
        const approx = b.sketch ? sketchQuantile(b.sketch, q, b) : NaN;
        assert.ok(within(approx, exactQuantile(sorted, q), SKETCH_RELATIVE_ACCURACY));
      }
    }
  });

  void it('give the same result computed directly or merged from finer buckets, and across partial rows', () => {
    const s = usage(3);
    const ords = ordinalsOf(s.values);
    const direct = rollupSamples(s, HOUR, ords);
    const noSum = (bs: RollupBucket[]) => bs.map((b) => ({ ...b, sum: Math.round(b.sum * 1000) }));
    assert.deepEqual(noSum(coarsen(rollupSamples(s, 5 * MINUTE, ords), HOUR)), noSum(direct));
    const cut = Math.floor(s.values.length / 3) + 1;
    const part = (from: number, to?: number) => ({
      timestampsMs: s.timestampsMs.slice(from, to),
      values: s.values.slice(from, to),
    });
    const halves = [...rollupSamples(part(0, cut), HOUR, ords.slice(0, cut)), ...rollupSamples(part(cut), HOUR, ords.slice(cut))];
    const merged = normalizeBuckets(halves);
    assert.equal(merged.length, direct.length);
    merged.forEach((b, i) => {
      const d = direct[i] as RollupBucket;
      assert.deepEqual([b.startMs, b.count, b.min, b.max, b.sketch], [d.startMs, d.count, d.min, d.max, d.sketch]);
      assert.ok(Math.abs(b.sum - d.sum) < 1e-6);
    });
  });

  void it('p95 over two days from 1-hour sketches is within the accuracy of the exact p95', () => {
    const s = usage(11);
    const rows = rollupRows({ seriesId: 1, decimals: 3, samples: s }, buildTiers(), false);
    const hourRows = rows.filter((r) => r.tier === '1h');
    const buckets = hourRows.flatMap((r) => decodeRollups(r.data, true).buckets);
    let sketch: Sketch = { ordinals: [], counts: [] };
    for (const b of buckets) if (b.sketch) sketch = mergeSketches(sketch, b.sketch);
    const sorted = [...s.values].sort((a, b) => a - b);
    const bounds = { min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      assert.ok(within(sketchQuantile(sketch, q, bounds), exactQuantile(sorted, q), SKETCH_RELATIVE_ACCURACY));
    }
    assert.equal(Math.max(...buckets.map((b) => b.max)), bounds.max, 'peak is exact');
  });

  void it('split rows at row-span edges: the 5m tier writes one row per day', () => {
    const tiers = buildTiers();
    const rows = rollupRows({ seriesId: 1, decimals: 3, samples: usage(5) }, tiers, false);
    const count = (tier: string) => rows.filter((r) => r.tier === tier).length;
    assert.equal(count('5m'), 2);
    assert.ok(count('1h') >= 1 && count('1h') <= 2);
    assert.equal(count('1d'), 1);
    for (const r of rows) {
      const span = tiers.find((t) => t.name === r.tier)?.rowSpanMs ?? 1;
      assert.equal(Math.floor(r.startMs / span), Math.floor(r.endMs / span), `${r.tier} row crosses its span`);
    }
  });

  void it('fall back to float columns for values that are not exact at the declared decimals', () => {
    const buckets: RollupBucket[] = [
      { startMs: T0, count: 2, min: 1e-9, max: 1e300, sum: 1e300, sketch: null },
      { startMs: T0 + HOUR * 3, count: 1, min: Math.PI, max: Math.PI, sum: Math.PI, sketch: null },
    ];
    const out = decodeRollups(encodeRollups(buckets, { resolutionMs: HOUR, decimals: 3, withSketch: false }), true);
    assert.equal(out.decimals, null);
    assert.deepEqual(out.buckets, buckets);
  });
});
