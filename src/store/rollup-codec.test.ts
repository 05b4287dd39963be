// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ColumnField, SeriesInfo, SeriesPoint, TierName } from '../domain/series.ts';
import type { DecodedChunk } from './chunk-codec.ts';
import { runColumnQuery, runQuery, type QuerySources } from './query.ts';
import { decodeRollupColumns, decodeRollups, encodeRollups, type RollupWant } from './rollup-codec.ts';
import { STORED_QUANTILES } from './rollup-sketch-columns.ts';
import { ordinalsOf, rollupSamples, type RollupBucket } from './rollup.ts';
import { mergeSketches, ordinalAnswer, sketchFromOrdinals, sketchOrdinal, sketchQuantiles, type Sketch } from './sketch.ts';
import { buildTiers } from './tiers.ts';
import { createRng } from '../sim/model/uid.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2024, 2, 1);
const EMPTY: Sketch = { ordinals: [], counts: [] };

/** Deterministic pseudo-random numbers in [0, 1): the simulator's seeded generator. */
const rng = createRng;

const sk = (vs: number[]): Sketch => sketchFromOrdinals(vs.map(sketchOrdinal));

// Version 1 rows written by the version 1 encoder (kept as bytes: databases in the field hold such rows).
const V1_SCALED = [
  { startMs: T0, count: 4, min: 0, max: 2.5, sum: 4.75, sketch: sk([0, 1.25, 1, 2.5]) },
  { startMs: T0 + HOUR, count: 3, min: -3.125, max: 7, sum: 3.875, sketch: sk([-3.125, 0, 7]) },
  { startMs: T0 + 4 * HOUR, count: 2, min: 120, max: 130, sum: 250, sketch: EMPTY },
  { startMs: T0 + 5 * HOUR, count: 5, min: 1000, max: 5000.5, sum: 12000.5, sketch: sk([1000, 2000, 2000, 2000, 5000.5]) },
];
const V1_FLOAT = [
  { startMs: T0, count: 2, min: 1e-9, max: 1e300, sum: 1e300, sketch: sk([1e-9, 1e300]) },
  { startMs: T0 + 2 * HOUR, count: 1, min: Math.PI, max: Math.PI, sum: Math.PI, sketch: sk([Math.PI]) },
];
const V1_SCALED_HEX =
  '010280dddb01048090fcf4be630666046803c4133ffe4e2bff802209f702ebffc8a4fff372bd3894fbcfff99ec5ffe95bcd10007ffa1fffe' +
  '0001400103fff4a003960038c00c01f806500010c002c0';
const V1_FLOAT_HEX =
  '010380dddb01028090fcf4be63a0e17bf089705f4136b4ae0fdf8603fc2f18bee3707cfc6fc8791000eb3cf8fb171f7111621c1f3f1bf21e' +
  '44003acf3e3ec5c7dc4458857ffa3fbf41ffe7c579081118';
const V1_PLAIN_HEX = '010080dddb01048090fcf4be630666046803c4133ffe4e2bff802209f702ebffc8a4fff372bd3894fbcfff99ec5ffe95bcd0';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

/** Random values spanning orders of magnitude, with zeros and negatives; rounded to 3 decimals when `scaled`. */
function value(r: () => number, scaled: boolean): number {
  const u = r();
  if (u < 0.08) return 0;
  const v = Math.pow(10, 8 * r() - 3) * (u < 0.2 ? -1 : 1);
  return scaled ? Math.round(v * 1000) / 1000 : v;
}

/** Samples at random minutes of `hours` hours from `fromMs`, some hours absent. */
function samples(r: () => number, o: { fromMs: number; hours: number; scaled: boolean }): { timestampsMs: number[]; values: number[] } {
  const timestampsMs: number[] = [];
  const values: number[] = [];
  for (let h = 0; h < o.hours; h++) {
    if (r() < 0.06) continue;
    const perHour = 1 + Math.floor(r() * (r() < 0.2 ? 60 : 8));
    const minutes = [...new Set(Array.from({ length: perHour }, () => Math.floor(r() * 60)))].sort((a, b) => a - b);
    for (const m of minutes) {
      timestampsMs.push(o.fromMs + h * HOUR + m * MINUTE);
      values.push(value(r, o.scaled));
    }
  }
  return { timestampsMs, values };
}

function bucketsOf(r: () => number, o: { fromMs: number; hours: number; scaled: boolean }): RollupBucket[] {
  const s = samples(r, o);
  // Some buckets lost their sketch (an empty one answers NaN).
  return rollupSamples(s, HOUR, ordinalsOf(s.values)).map((b) => (r() < 0.05 ? { ...b, sketch: EMPTY } : b));
}

interface TestSeries {
  readonly id: number;
  readonly rows: Uint8Array[];
  readonly head: DecodedChunk | undefined;
}

/**
 * One series of 10 days of hourly buckets: compacted rows of random lengths, some series with a live row whose buckets
 * share starts with compacted ones, some with head samples inside bucketed hours, and series 1 with version 1 rows.
 */
function series(r: () => number, id: number): TestSeries {
  const scaled = r() < 0.7;
  const decimals = scaled ? 3 : null;
  const all = bucketsOf(r, { fromMs: T0, hours: 240, scaled });
  const rows: Uint8Array[] = [];
  for (let at = 0; at < all.length; ) {
    const len = 1 + Math.floor(r() * 72);
    rows.push(encodeRollups(all.slice(at, at + len), { resolutionMs: HOUR, decimals, withSketch: true }));
    at += len;
  }
  if (id % 3 === 0) {
    const from = T0 + Math.floor(r() * 200) * HOUR;
    rows.push(encodeRollups(bucketsOf(r, { fromMs: from, hours: 30, scaled }), { resolutionMs: HOUR, decimals, withSketch: true }));
  }
  // Version 1 rows before the others (a sketch, then a stored bucket in a step) and after them.
  if (id === 1) rows.unshift(hex(V1_SCALED_HEX), hex(V1_FLOAT_HEX));
  if (id === 2) rows.push(hex(V1_SCALED_HEX), hex(V1_FLOAT_HEX));
  let head: DecodedChunk | undefined;
  if (id % 4 === 1) {
    const s = samples(r, { fromMs: T0 + 230 * HOUR, hours: 10, scaled });
    head = { timestampsMs: Float64Array.from(s.timestampsMs), values: Float64Array.from(s.values) };
  }
  return { id, rows, head };
}

function sourcesOf(all: readonly TestSeries[]): QuerySources {
  const byId = new Map(all.map((s) => [s.id, s]));
  return {
    tiers: buildTiers(),
    rows: (_tier: TierName, id: number) => byId.get(id)?.rows ?? [],
    head: (id: number) => byId.get(id)?.head,
    earliest: () => T0,
  };
}

function infoOf(id: number): SeriesInfo {
  return { id, cluster: 'c', kind: 'container', entity: `ns/pod-${id}/app`, metric: 'cpu_m' };
}

interface RefStep {
  count: number;
  min: number;
  max: number;
  sum: number;
  sketch: Sketch;
}

/**
 * Brute force over the decoded rows and head, independent of the accumulator: per step the merged sketch of every
 * bucket and sample in it, answered with the step's min and max.
 */
function reference(s: TestSeries, o: { fromMs: number; toMs: number; stepMs: number; quantiles: readonly number[] }): SeriesPoint[] {
  const aligned = Math.floor(o.fromMs / HOUR) * HOUR;
  const steps = new Map<number, RefStep>();
  const add = (tsMs: number, b: Omit<RefStep, 'sketch'> & { sketch: Sketch | null }) => {
    const i = Math.floor((tsMs - aligned) / o.stepMs);
    const st = steps.get(i) ?? { count: 0, min: Infinity, max: -Infinity, sum: 0, sketch: EMPTY };
    st.count += b.count;
    st.min = Math.min(st.min, b.min);
    st.max = Math.max(st.max, b.max);
    st.sum += b.sum;
    if (b.sketch) st.sketch = mergeSketches(st.sketch, b.sketch);
    steps.set(i, st);
  };
  for (const row of s.rows) {
    for (const b of decodeRollups(row, true).buckets) if (b.startMs >= aligned && b.startMs < o.toMs) add(b.startMs, b);
  }
  const h = s.head;
  for (let k = 0; h && k < h.values.length; k++) {
    const ts = h.timestampsMs[k] as number;
    const v = h.values[k] as number;
    if (ts >= o.fromMs && ts < o.toMs) add(ts, { count: 1, min: v, max: v, sum: v, sketch: sk([v]) });
  }
  return [...steps.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, st]) => {
      const point = { tsMs: aligned + i * o.stepMs, count: st.count, min: st.min, max: st.max, mean: st.sum / st.count };
      if (o.quantiles.length === 0) return point;
      return { ...point, quantiles: sketchQuantiles(st.sketch, o.quantiles, st) };
    });
}

/** Compares as bits: every value the same double (NaN as NaN). */
function sameValues(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Object.is(actual[i], expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

/** Byte offset of the sketches of a version 2 row (after the header and every column length it lists). */
function sketchOffset(blob: Uint8Array): number {
  let pos = 0;
  const varUint = () => {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = blob[pos++] as number;
      v += (b & 127) * scale;
      if (b < 128) return v;
      scale *= 128;
    }
  };
  varUint();
  const flags = blob[pos++] as number;
  varUint();
  varUint();
  varUint();
  if ((flags & 1) === 0) varUint();
  let total = 0;
  for (let k = 0; k < 4 + STORED_QUANTILES.length; k++) total += varUint();
  return pos + total;
}

void describe('rollup format version 2', () => {
  void it('round-trips buckets in scaled and float mode, with and without sketches', () => {
    for (const scaled of [true, false]) {
      const buckets = bucketsOf(rng(scaled ? 5 : 6), { fromMs: T0, hours: 100, scaled });
      for (const withSketch of [true, false]) {
        const blob = encodeRollups(buckets, { resolutionMs: HOUR, decimals: 3, withSketch });
        const expected = withSketch ? buckets : buckets.map((b) => ({ ...b, sketch: null }));
        const decoded = decodeRollups(blob, true);
        // Scaled sums come back at the metric's decimals; every other field as written.
        const noSum = (bs: readonly RollupBucket[]) => bs.map((b) => ({ ...b, sum: Math.round(b.sum * 1000) }));
        assert.deepEqual(noSum(decoded.buckets), noSum(expected));
        assert.equal(decoded.decimals, scaled ? 3 : null);
      }
    }
    assert.deepEqual(decodeRollups(encodeRollups([], { resolutionMs: HOUR, decimals: 3, withSketch: true }), true).buckets, []);
  });

  void it('stores per bucket the ordinal whose clamped value is the lone sketch walk, bit for bit', () => {
    const buckets = bucketsOf(rng(17), { fromMs: T0, hours: 500, scaled: false });
    const want: RollupWant = { min: false, max: false, sum: false, sketches: false, quantiles: STORED_QUANTILES.map((_, k) => k) };
    const c = decodeRollupColumns(encodeRollups(buckets, { resolutionMs: HOUR, decimals: null, withSketch: true }), want);
    let empties = 0;
    buckets.forEach((b, j) => {
      if (b.sketch?.ordinals.length === 0) empties++;
      STORED_QUANTILES.forEach((q, k) => {
        const stored = ordinalAnswer(c.quantileOrdinals?.[k]?.[j] as number, b);
        const walked = sketchQuantiles(b.sketch ?? EMPTY, [q], b)[0] as number;
        assert.ok(Object.is(stored, walked), `bucket ${j} q=${q}: ${stored} vs ${walked}`);
      });
    });
    assert.ok(empties > 5, 'empty sketches covered');
  });

  void it('decodes only the asked columns', () => {
    const buckets = bucketsOf(rng(23), { fromMs: T0, hours: 48, scaled: true });
    const blob = encodeRollups(buckets, { resolutionMs: HOUR, decimals: 3, withSketch: true });
    const c = decodeRollupColumns(blob, { min: false, max: true, sum: false, sketches: false, quantiles: [2] });
    assert.deepEqual(c.starts, buckets.map((b) => b.startMs));
    assert.deepEqual(c.counts, buckets.map((b) => b.count));
    assert.deepEqual(c.maxs, buckets.map((b) => b.max));
    assert.deepEqual([c.mins, c.sums, c.sketches], [[], [], null]);
    assert.deepEqual(c.quantileOrdinals?.map((col) => col !== null), [false, false, true, false]);
    // The sketches are not touched: cut off, the same columns still decode.
    const cut = decodeRollupColumns(blob.subarray(0, sketchOffset(blob)), { min: true, max: true, sum: true, sketches: false, quantiles: [0, 1, 2, 3] });
    const full = decodeRollupColumns(blob, { min: true, max: true, sum: true, sketches: false, quantiles: [0, 1, 2, 3] });
    assert.deepEqual(cut, full);
  });

  void it('still reads version 1 rows, answering quantiles from their sketches', () => {
    assert.deepEqual(decodeRollups(hex(V1_SCALED_HEX), true), { decimals: 3, buckets: V1_SCALED });
    assert.deepEqual(decodeRollups(hex(V1_FLOAT_HEX), true), { decimals: null, buckets: V1_FLOAT });
    assert.deepEqual(decodeRollups(hex(V1_PLAIN_HEX), true), { decimals: 3, buckets: V1_SCALED.map((b) => ({ ...b, sketch: null })) });
    const c = decodeRollupColumns(hex(V1_SCALED_HEX), { min: false, max: false, sum: false, sketches: false, quantiles: [2] });
    assert.equal(c.quantileOrdinals, null);
    assert.deepEqual(c.sketches, V1_SCALED.map((b) => b.sketch));
    assert.throws(() => decodeRollupColumns(Uint8Array.of(3, 0, 0, 0), true), /unsupported rollup version 3/);
  });
});

void describe('queries over stored quantiles', () => {
  const r = rng(20240301);
  const all = Array.from({ length: 24 }, (_, i) => series(r, i + 1));
  const src = sourcesOf(all);
  const infos = all.map((s) => infoOf(s.id));
  const fromMs = T0 + 30 * MINUTE;
  const toMs = T0 + 245 * HOUR;

  for (const stepMs of [HOUR, 2 * HOUR]) {
    for (const quantiles of [STORED_QUANTILES, [0.95], [0.99, 0.5], [0.8], [0.95, 0.8]]) {
      void it(`answer as the merged sketches do: step ${stepMs / HOUR} h, quantiles ${quantiles.join(',')}`, () => {
        const q = { fromMs, toMs, stepMs, quantiles, tier: '1h' as const };
        const points = runQuery(src, q, infos);
        const fields: ColumnField[] = ['count', 'min', 'max', 'mean'];
        const cols = runColumnQuery(src, { ...q, fields }, infos);
        let checked = 0;
        all.forEach((s, n) => {
          const ref = reference(s, { fromMs, toMs, stepMs, quantiles });
          const got = points.series[n]?.points ?? [];
          assert.equal(got.length, ref.length);
          got.forEach((p, k) => {
            const e = ref[k] as SeriesPoint;
            sameValues([p.tsMs, p.count, p.min, p.max, p.mean], [e.tsMs, e.count, e.min, e.max, e.mean], `series ${s.id} point ${k}`);
            sameValues(p.quantiles ?? [], e.quantiles ?? [], `series ${s.id} point ${k} quantiles`);
            checked++;
          });
          const c = cols.series[n];
          assert.ok(c);
          sameValues(c.timestampsMs, ref.map((p) => p.tsMs), 'timestamps');
          for (const f of fields) sameValues(c.fields[f] ?? [], ref.map((p) => p[f]), `series ${s.id} ${f}`);
          quantiles.forEach((_, j) => sameValues(c.quantiles[j] ?? [], ref.map((p) => p.quantiles?.[j] ?? NaN), `series ${s.id} q${j}`));
        });
        assert.ok(checked > 2000, `${checked} points`);
      });
    }
  }

  void it('fill only the asked fields from fewer columns, with the same values', () => {
    const q = { fromMs, toMs, stepMs: HOUR, quantiles: [0.95], tier: '1h' as const };
    const mean = runColumnQuery(src, { ...q, fields: ['mean'] }, infos);
    const every = runColumnQuery(src, { ...q, fields: ['count', 'min', 'max', 'mean'] }, infos);
    const maxOnly = runColumnQuery(src, { ...q, quantiles: [], fields: ['max'] }, infos);
    mean.series.forEach((c, n) => {
      const e = every.series[n];
      assert.ok(e);
      assert.deepEqual(Object.keys(c.fields), ['mean']);
      sameValues(c.fields.mean ?? [], e.fields.mean ?? [], 'mean');
      sameValues(c.quantiles[0] ?? [], e.quantiles[0] ?? [], 'p95');
      sameValues(maxOnly.series[n]?.fields.max ?? [], e.fields.max ?? [], 'max');
    });
  });

  void it('answer a step of one bucket without its sketches; a quantile not stored needs them', () => {
    // One series, no overlapping rows and no head: every hourly step holds one bucket. Its rows lose their sketches.
    const buckets = bucketsOf(rng(99), { fromMs: T0, hours: 72, scaled: true });
    const blob = encodeRollups(buckets, { resolutionMs: HOUR, decimals: 3, withSketch: true });
    const whole = sourcesOf([{ id: 1, rows: [blob], head: undefined }]);
    const cut = sourcesOf([{ id: 1, rows: [blob.subarray(0, sketchOffset(blob))], head: undefined }]);
    const ask = (s: QuerySources, quantiles: number[]) =>
      runColumnQuery(s, { fromMs: T0, toMs: T0 + 72 * HOUR, stepMs: HOUR, quantiles, tier: '1h', fields: ['mean'] }, [infoOf(1)]).series[0]?.quantiles;
    const stored = ask(cut, [0.5, 0.99]);
    assert.deepEqual(stored, ask(whole, [0.5, 0.99]));
    assert.ok(stored?.[0]?.some((v) => !Number.isNaN(v)));
    // 0.8 is not stored: it reads the sketches, which the cut rows no longer hold.
    assert.notDeepEqual(ask(cut, [0.8]), ask(whole, [0.8]));
    assert.ok(ask(cut, [0.8])?.[0]?.every((v) => Number.isNaN(v)));
  });
});
