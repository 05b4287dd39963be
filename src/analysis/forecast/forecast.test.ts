// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleColumn, type Sample } from '../../domain/series.ts';
import { columnInput, compoundGrowth, daysUntil, forecastSeries, growthRate, predictLinear, toGrid } from './index.ts';
import { bandAt, bandTable } from './intervals.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 5);

/** Deterministic pseudo-noise in [-1, 1]. */
function noise(i: number): number {
  const x = Math.sin(i * 12.9898 + 78.233) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}
const series = (n: number, stepMs: number, f: (i: number, tsMs: number) => number): Sample[] =>
  Array.from({ length: n }, (_, i) => ({ tsMs: START + i * stepMs, value: f(i, START + i * stepMs) }));
const daily = (tsMs: number): number => 100 + 30 * Math.sin((2 * Math.PI * (tsMs % DAY)) / DAY);

test('no data and one point: insufficient data, no numbers', () => {
  for (const samples of [[], [{ tsMs: START, value: 5 }]]) {
    const f = forecastSeries({ samples, nowMs: START, horizonMs: HOUR });
    assert.equal(f.status, 'insufficient_data');
    assert.deepEqual(f.points.toArray(), []);
    assert.equal(f.confidence, 'low');
  }
});

test('constant series: a flat forecast with zero-width intervals', () => {
  const f = forecastSeries({ samples: series(600, MIN, () => 42), nowMs: START + 599 * MIN, horizonMs: HOUR });
  assert.equal(f.status, 'ok');
  assert.equal(f.points.length, 60);
  for (const p of f.points) {
    assert.ok(Math.abs(p.mean - 42) < 1e-9);
    assert.ok(Math.abs(p.upper95 - 42) < 1e-9 && Math.abs(p.lower95 - 42) < 1e-9);
  }
  // Flat without fitting: every model would say so. Gaps do not change that; one different value does.
  assert.equal(f.method, 'constant');
  assert.equal(f.smoothing, undefined);
  assert.equal(f.residuals, 599);
  const gappy = forecastSeries({ samples: series(600, MIN, () => 42).filter((_, i) => i % 4 !== 1), nowMs: START + 599 * MIN, horizonMs: HOUR });
  assert.equal(gappy.method, 'constant');
  const once = forecastSeries({ samples: series(600, MIN, (i) => (i === 300 ? 43 : 42)), nowMs: START + 599 * MIN, horizonMs: HOUR });
  assert.equal(once.method, 'holt-winters(no season, damped trend)');
  assert.ok(once.points.toArray().every((p) => Math.abs(p.mean - 42) < 0.5));
});

test('daily season: learnt from three weeks, forecast a day ahead within a few units, intervals cover', () => {
  const step = 10 * MIN;
  const n = (21 * DAY) / step;
  const samples = series(n, step, (i, ts) => daily(ts) + 3 * noise(i));
  const now = START + (n - 1) * step;
  const f = forecastSeries({ samples, nowMs: now, horizonMs: DAY });
  assert.equal(f.seasonality.daily, true);
  assert.equal(f.seasonality.weekly, true);
  assert.equal(f.confidence, 'high');
  let inside = 0;
  for (const p of f.points) {
    assert.ok(Math.abs(p.mean - daily(p.tsMs)) < 6, `${p.mean} vs ${daily(p.tsMs)}`);
    if (daily(p.tsMs) >= p.lower95 && daily(p.tsMs) <= p.upper95) inside++;
    assert.ok(p.lower95 <= p.lower80 && p.lower80 <= p.mean + 1e-9 && p.mean <= p.upper80 + 1e-9 && p.upper80 <= p.upper95);
  }
  assert.ok(inside / f.points.length > 0.9);
});

test('gaps: the season stays aligned to the clock, the forecast still follows it', () => {
  const step = 10 * MIN;
  const n = (7 * DAY) / step;
  // Remove a whole 10-hour block and every 7th sample.
  const samples = series(n, step, (_, ts) => daily(ts)).filter((s, i) => i % 7 !== 3 && !(s.tsMs > START + 3 * DAY && s.tsMs < START + 3 * DAY + 10 * HOUR));
  const f = forecastSeries({ samples, nowMs: START + (n - 1) * step, horizonMs: 12 * HOUR });
  assert.equal(f.status, 'ok');
  assert.ok(f.coverage < 0.9 && f.coverage > 0.7);
  for (const p of f.points) assert.ok(Math.abs(p.mean - daily(p.tsMs)) < 3);
});

test('a steady trend is followed (damped), and usage is never forecast below zero', () => {
  const up = forecastSeries({ samples: series(300, MIN, (i) => 10 + i), nowMs: START + 299 * MIN, horizonMs: 30 * MIN });
  assert.ok((up.points.at(29)?.mean ?? 0) > 309);
  const down = forecastSeries({ samples: series(300, MIN, (i) => Math.max(0, 290 - i)), nowMs: START + 299 * MIN, horizonMs: 6 * HOUR });
  for (const p of down.points) assert.ok(p.lower95 >= 0 && p.mean >= 0);
});

test('counter-like reset (a restart drops memory to its floor): the forecast restarts from the new level', () => {
  const samples = series(600, MIN, (i) => (i < 500 ? 100 + i : 50 + (i - 500) * 0.1));
  const f = forecastSeries({ samples, nowMs: START + 599 * MIN, horizonMs: 10 * MIN });
  assert.ok(Math.abs((f.points.at(0)?.mean ?? 0) - 60) < 10, String(f.points.at(0)?.mean));
});

test('intervals: √h widening from one checkpoint, none when the spread stopped growing, empty table gives none', () => {
  const errors = [new Float64Array(100).map((_, i) => (i - 50) / 10)];
  const table = bandTable([1], errors);
  const b1 = bandAt(table, 1);
  const b4 = bandAt(table, 4);
  assert.ok(b1 !== undefined && b4 !== undefined);
  assert.ok(Math.abs(b4[3] - 2 * b1[3]) < 1e-9);
  assert.equal(bandAt(bandTable([1], [new Float64Array(5)]), 1), undefined);
  // Two trusted checkpoints with the same spread (a mean-reverting series): no widening beyond them.
  const same = bandTable([1, 2], [errors[0] as Float64Array, errors[0] as Float64Array]);
  assert.ok(Math.abs((bandAt(same, 100)?.[3] ?? 0) - b1[3]) < 1e-9);
});

test('days until exhaustion: expected and earliest, already exhausted, never within the horizon', () => {
  const samples = series(24 * 60, MIN, (i) => 100 + i * 0.1 + noise(i));
  const now = START + (24 * 60 - 1) * MIN;
  const f = forecastSeries({ samples, nowMs: now, horizonMs: 2 * DAY });
  const e = daysUntil(f, { limit: 300, nowMs: now });
  assert.ok(e.expectedDays !== undefined && e.earliestDays !== undefined && e.earliestDays <= e.expectedDays);
  assert.deepEqual(daysUntil(f, { limit: 50, nowMs: now, current: 243 }), { expectedDays: 0, earliestDays: 0, horizonDays: e.horizonDays });
  assert.equal(daysUntil(f, { limit: 1e9, nowMs: now }).expectedDays, undefined);
});

test('predict_linear over 1 h, 1 h ahead; too few points give nothing', () => {
  const s = series(61, MIN, (i) => 2 * i);
  assert.ok(Math.abs((predictLinear(s, { nowMs: START + 60 * MIN }) as number) - 240) < 1e-6);
  assert.equal(predictLinear(s.slice(0, 1), { nowMs: START }), undefined);
});

test('§3.8 worked example: u = 60/70/50 %, g = 0.05, h = 6 → 80.41/93.81/67.00 %, +0.41/8.81/0 points', () => {
  const r = compoundGrowth({ utilisation: { cpu: 60, memory: 70, storage: 50 }, growthPerMonth: 0.05, horizonMonths: 6, capacity: { cpu: 100 } });
  assert.deepEqual(r.map((x) => x.projected.toFixed(2)), ['80.41', '93.81', '67.00']);
  assert.deepEqual(r.map((x) => x.additionalPoints.toFixed(2)), ['0.41', '8.81', '0.00']);
  assert.ok(Math.abs((r[0]?.extraCapacity ?? 0) - (100 * 0.406) / 80) < 0.01);
  assert.ok(Math.abs((r[0]?.monthsToTarget ?? 0) - Math.log(80 / 60) / Math.log(1.05)) < 1e-9);
  assert.equal(r[2]?.monthsToTarget !== undefined, true);
  assert.equal(compoundGrowth({ utilisation: { cpu: 90 }, growthPerMonth: 0 })[0]?.monthsToTarget, undefined);
});

test('growth rate: log-linear over daily values; under 14 days or a zero value gives none', () => {
  const days = (n: number, f: (d: number) => number) => Array.from({ length: n }, (_, d) => ({ tsMs: START + d * DAY, value: f(d) }));
  const g = growthRate(days(60, (d) => 50 * 1.05 ** (d / 30)), START + 59 * DAY) as number;
  assert.ok(Math.abs(g - 0.05) < 1e-9);
  assert.equal(growthRate(days(10, () => 50), START + 9 * DAY), undefined);
  assert.equal(growthRate(days(20, (d) => (d === 3 ? 0 : 50)), START + 19 * DAY), undefined);
  assert.equal(growthRate(days(20, () => 50), START + 19 * DAY), 0);
});

test('grid: mean per slot, NaN for empty slots, calendar-aligned start', () => {
  const g = toGrid([{ tsMs: START + 30_000, value: 1 }, { tsMs: START + 40_000, value: 3 }, { tsMs: START + 3 * MIN, value: 5 }], MIN);
  assert.equal(g.startMs, START);
  assert.deepEqual(Array.from(g.values).map((v) => (Number.isNaN(v) ? null : v)), [2, null, null, 5]);
});

test('a regular series forecasts as the same values given as samples: gaps, edges without data, values after now', () => {
  const n = 10 * 24;
  const values = Array.from({ length: n }, (_, i) => (i < 5 || i >= n - 3 || i % 17 === 0 ? Number.NaN : daily(START + i * HOUR) + 5 * noise(i)));
  const nowMs = START + (n - 20) * HOUR;
  const regular = forecastSeries({ samples: { startMs: START, stepMs: HOUR, values }, nowMs, horizonMs: DAY });
  const samples = values.map((value, i) => ({ tsMs: START + i * HOUR, value })).filter((s) => Number.isFinite(s.value));
  const sampled = forecastSeries({ samples, nowMs, horizonMs: DAY, stepMs: HOUR });
  assert.equal(regular.status, 'ok');
  assert.equal(regular.method, sampled.method);
  assert.equal(regular.dataPoints, sampled.dataPoints);
  assert.equal(regular.windowMs, sampled.windowMs);
  assert.deepEqual(regular.points.toArray(), sampled.points.toArray());
  // All absent, or all after now: nothing to stand on.
  assert.equal(forecastSeries({ samples: { startMs: START, stepMs: HOUR, values: [Number.NaN, Number.NaN] }, nowMs, horizonMs: DAY }).status, 'insufficient_data');
  assert.equal(forecastSeries({ samples: { startMs: nowMs + HOUR, stepMs: HOUR, values }, nowMs, horizonMs: DAY }).status, 'insufficient_data');
});

test('a kept model choice: the same forecast from that model alone; a choice for other seasons is not used', () => {
  const samples = series(15 * 24, HOUR, (i, ts) => daily(ts) + 0.05 * i + 4 * noise(i));
  const nowMs = START + (15 * 24 - 1) * HOUR;
  const searched = forecastSeries({ samples, nowMs, horizonMs: 7 * DAY });
  assert.ok(searched.choice !== undefined && searched.choice.shape.weekly && searched.choice.stepMs === HOUR);
  const again = forecastSeries({ samples, nowMs, horizonMs: 7 * DAY, reuse: searched.choice });
  assert.equal(again.method, searched.method);
  assert.deepEqual(again.smoothing, searched.smoothing);
  assert.deepEqual(again.points.toArray(), searched.points.toArray());
  // A day later with the same model: still that model, fitted to the new data.
  const later = forecastSeries({ samples: series(16 * 24, HOUR, (i, ts) => daily(ts) + 0.05 * i + 4 * noise(i)), nowMs: nowMs + DAY, horizonMs: 7 * DAY, reuse: searched.choice });
  assert.deepEqual(later.smoothing, searched.smoothing);
  // A choice made on a shorter history (daily season only) does not apply to two weeks (weekly too): searched again.
  const short = forecastSeries({ samples: samples.slice(-5 * 24), nowMs, horizonMs: DAY });
  assert.ok(short.choice !== undefined && !short.choice.shape.weekly);
  const grown = forecastSeries({ samples, nowMs, horizonMs: 7 * DAY, reuse: short.choice });
  assert.deepEqual(grown.points.toArray(), searched.points.toArray());
  // A flat series has no model to keep.
  assert.equal(forecastSeries({ samples: series(100, HOUR, () => 3), nowMs: START + 99 * HOUR, horizonMs: DAY }).choice, undefined);
});

test('a column as input forecasts as its samples do: regular on the hourly grid, sparse or odd ones as samples', () => {
  const hourly = series(5 * 24, HOUR, (i, ts) => daily(ts) + 5 * noise(i));
  const cases: Array<{ samples: Sample[]; regular: boolean }> = [
    { samples: hourly, regular: true },
    // Gaps of a few hours keep the hourly step.
    { samples: hourly.filter((_, i) => i % 7 !== 3), regular: true },
    // Every other hour: the forecast would choose a 2-hour step, so the column goes as samples.
    { samples: hourly.filter((_, i) => i % 2 === 0), regular: false },
    // Off the hour, a single point, nothing, a non-finite value, −0 (the grid of samples makes it 0).
    { samples: hourly.map((s) => ({ tsMs: s.tsMs + MIN, value: s.value })), regular: false },
    { samples: hourly.slice(0, 1), regular: false },
    { samples: [], regular: false },
    { samples: hourly.map((s, i) => (i === 40 ? { tsMs: s.tsMs, value: Number.NaN } : s)), regular: false },
    { samples: hourly.map((s) => ({ tsMs: s.tsMs, value: -0 })), regular: true },
    // Times that repeat or go back, and points past `now` (whose step the samples' grid would not count).
    { samples: [...hourly.slice(0, 60), { tsMs: (hourly[59] as Sample).tsMs, value: 500 }, ...hourly.slice(60)], regular: false },
    { samples: [...hourly.slice(0, 50), ...hourly.slice(70), ...hourly.slice(50, 70)], regular: false },
    { samples: [...hourly.filter((_, i) => i % 2 === 0), ...series(48, HOUR, () => 90).map((s) => ({ tsMs: s.tsMs + 6 * DAY, value: s.value }))], regular: false },
  ];
  const at = { nowMs: START + 6 * DAY, horizonMs: 3 * DAY };
  for (const { samples, regular } of cases) {
    const input = columnInput(sampleColumn(samples), { stepMs: HOUR, nowMs: at.nowMs });
    assert.equal(!Array.isArray(input), regular);
    const a = forecastSeries({ samples: input, ...at });
    const b = forecastSeries({ samples, ...at });
    assert.deepEqual({ ...a, points: a.points.toArray() }, { ...b, points: b.points.toArray() });
  }
});
