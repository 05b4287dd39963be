// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ANOMALY_THRESHOLD, probabilityToScore } from './detector-options.ts';
import { scoreSeries } from './score-series.ts';
import { createAnomalyDetector } from './streaming-detector.ts';

const STEP_MS = 300_000;
const T0 = Date.UTC(2024, 0, 1);

/** A deterministic pseudo-random stream (LCG), so tests do not depend on Math.random. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function series(n: number, f: (i: number) => number): { timestampsMs: Float64Array; values: Float64Array } {
  return {
    timestampsMs: Float64Array.from({ length: n }, (_, i) => T0 + i * STEP_MS),
    values: Float64Array.from({ length: n }, (_, i) => f(i)),
  };
}

const max = (a: ArrayLike<number>, from = 0, to = a.length): number => {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, a[i] as number);
  return m;
};

test('an empty series gives no scores, one point gives one score of 0', () => {
  assert.equal(scoreSeries(series(0, () => 0)).length, 0);
  assert.deepEqual([...scoreSeries(series(1, () => 42))], [0]);
});

test('scores are in [0, 1] and the default threshold is p = 1e-5 on the log scale (0.5)', () => {
  const rnd = noise(1);
  const s = scoreSeries(series(3000, (i) => (i === 2000 ? 500 : 50 + 10 * rnd())));
  for (const v of s) assert.ok(v >= 0 && v <= 1);
  assert.ok(Math.abs(DEFAULT_ANOMALY_THRESHOLD - 0.5) < 1e-6);
  assert.equal(probabilityToScore(0), 1);
  assert.equal(probabilityToScore(1), 0);
});

test('a constant series never alarms (flat baseline cannot produce infinite z, §11 D-01)', () => {
  for (const level of [0, 45, -3.5]) {
    const s = scoreSeries(series(2000, () => level));
    assert.ok(max(s) < DEFAULT_ANOMALY_THRESHOLD, `level ${level}: ${max(s)}`);
  }
});

test('a smooth daily sine with small noise stays below the threshold', () => {
  const rnd = noise(7);
  const s = scoreSeries(series(288 * 10, (i) => 50 + 30 * Math.sin((2 * Math.PI * i) / 288) + rnd()));
  assert.ok(max(s, 300) < DEFAULT_ANOMALY_THRESHOLD, `max ${max(s, 300)}`);
});

test('a clear spike scores high, at the spike', () => {
  const rnd = noise(3);
  const s = scoreSeries(series(2000, (i) => (i === 1500 ? 200 : 50 + 5 * rnd())));
  assert.ok((s[1500] as number) >= 0.9, `spike score ${s[1500]}`);
  assert.ok(max(s, 300, 1500) < DEFAULT_ANOMALY_THRESHOLD, 'nothing before the spike');
});

test('a level shift inside the historical range is detected within a few samples', () => {
  const rnd = noise(5);
  // an early excursion to 80 sets the range; the later shift 20 → 35 stays inside it
  const s = scoreSeries(series(3000, (i) => (i >= 400 && i < 420 ? 80 : i >= 2000 ? 35 : 20) + rnd()));
  const first = s.findIndex((v, i) => i >= 2000 && v >= DEFAULT_ANOMALY_THRESHOLD);
  assert.ok(first >= 2000 && first < 2020, `first detection at ${first}`);
});

test('a detector reports an incident once: red samples in the next 4 hours are lowered', () => {
  const rnd = noise(11);
  const s = scoreSeries(series(2000, (i) => (i >= 1500 && i < 1510 ? 300 + i : 50 + 5 * rnd())));
  const alarms = [...s].map((v, i) => [v, i] as const).filter(([v, i]) => i >= 1500 && i < 1548 && v >= DEFAULT_ANOMALY_THRESHOLD);
  assert.equal(alarms.length, 1, JSON.stringify(alarms));
});

test('the slow time scale: small deviations that keep coming for hours are found, which the 10-sample average misses', () => {
  for (const seed of [5, 9, 13, 21]) {
    const rnd = noise(seed);
    const values = series(3000, (i) => {
      if (i >= 100 && i < 103) return 0; // an early outage widens the range, so the context model sees no new level
      // a lone blip of 2.5 every 97 samples is ordinary; from 2000 on, a blip of 1.03 every 5 samples for 300 samples
      const blip = i % 97 === 0 ? 2.5 : i >= 2000 && i < 2300 && i % 5 === 0 ? 1.03 : 0;
      return 33.4 + 0.2 * rnd() + (i % 2 ? blip : -blip);
    });
    const s = scoreSeries(values);
    const first = s.findIndex((v, i) => i >= 2000 && v >= DEFAULT_ANOMALY_THRESHOLD);
    assert.ok(max(s, 450, 2000) < DEFAULT_ANOMALY_THRESHOLD, `seed ${seed}: an alarm before the change`);
    assert.ok(first >= 2000 && first < 2100, `seed ${seed}: first detection at ${first}`);
    // with both averages over 10 samples (the previous detector) the episode goes unnoticed
    const fastOnly = scoreSeries(values, { slowAveragingWindow: 10 });
    assert.ok(max(fastOnly, 2000, 2300) < DEFAULT_ANOMALY_THRESHOLD, `seed ${seed}: the fast scale alone fired`);
  }
});

test('missing values (NaN, ±Infinity) score 0 and leave the state untouched', () => {
  const rnd = noise(9);
  const base = series(1500, (i) => 50 + 5 * rnd() + (i === 1400 ? 200 : 0));
  const gappy = { timestampsMs: base.timestampsMs, values: Float64Array.from(base.values) };
  for (const i of [500, 501, 502, 900]) gappy.values[i] = Number.NaN;
  gappy.values[903] = Number.POSITIVE_INFINITY;
  const s = scoreSeries(gappy);
  for (const i of [500, 501, 502, 900, 903]) assert.equal(s[i], 0);
  assert.ok((s[1400] as number) >= 0.9);
  // the state is untouched: dropping the missing rows gives the same scores for the others
  const kept = [...gappy.values.keys()].filter((i) => Number.isFinite(gappy.values[i]));
  const dropped = scoreSeries({
    timestampsMs: Float64Array.from(kept, (i) => gappy.timestampsMs[i] as number),
    values: Float64Array.from(kept, (i) => gappy.values[i] as number),
  });
  assert.deepEqual([...dropped], kept.map((i) => s[i]));
  const d = createAnomalyDetector();
  d.update(T0, Number.NaN);
  assert.equal(d.lastEvidence().cause, 'missing');
});

test('a long gap in time does not break scoring, and timestamps are optional (NaN)', () => {
  const rnd = noise(13);
  const ts = Float64Array.from({ length: 2000 }, (_, i) => T0 + i * STEP_MS + (i >= 1000 ? 30 * 86_400_000 : 0));
  const values = Float64Array.from({ length: 2000 }, (_, i) => (i === 1800 ? 300 : 50 + 5 * rnd()));
  const s = scoreSeries({ timestampsMs: ts, values });
  assert.ok(max(s, 1000, 1800) < DEFAULT_ANOMALY_THRESHOLD);
  assert.ok((s[1800] as number) >= 0.9);
  const untimed = scoreSeries({ timestampsMs: new Float64Array(2000).fill(Number.NaN), values });
  assert.ok((untimed[1800] as number) >= 0.9);
});

test('no look-ahead: the scores of a prefix equal the prefix of the scores', () => {
  const rnd = noise(17);
  const full = series(1500, (i) => 50 + 10 * Math.sin(i / 20) + 3 * rnd() + (i === 1200 ? 80 : 0));
  const prefix = { timestampsMs: full.timestampsMs.subarray(0, 1250), values: full.values.subarray(0, 1250) };
  assert.deepEqual([...scoreSeries(prefix)], [...scoreSeries(full).subarray(0, 1250)]);
});

test('the first samples are a warm-up and score 0', () => {
  const rnd = noise(19);
  const s = scoreSeries(series(300, (i) => (i === 50 ? 1e6 : 50 + rnd())));
  assert.equal(max(s, 0, 100), 0);
  const d = createAnomalyDetector();
  d.update(T0, 1);
  assert.equal(d.lastEvidence().cause, 'warming-up');
});

test('evidence names the test that fired', () => {
  const rnd = noise(23);
  const d = createAnomalyDetector();
  for (let i = 0; i < 1500; i++) d.update(T0 + i * STEP_MS, 50 + 5 * rnd());
  const score = d.update(T0 + 1500 * STEP_MS, 500);
  const e = d.lastEvidence();
  assert.equal(e.cause, 'range');
  assert.equal(e.score, score);
  assert.equal(e.high, 500);
  assert.equal(e.suppressed, false);
});

test('options are checked', () => {
  assert.throws(() => createAnomalyDetector({ levels: 0 }), /levels/);
  assert.throws(() => createAnomalyDetector({ alertProbability: 2 }), /alertProbability/);
  assert.throws(() => createAnomalyDetector({ slowAveragingWindow: 0 }), /slowAveragingWindow/);
  assert.throws(() => createAnomalyDetector({ slowAveragingWindow: 2.5 }), /slowAveragingWindow/);
});
