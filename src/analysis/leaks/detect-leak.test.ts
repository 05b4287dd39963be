// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleColumn, type Sample } from '../../domain/series.ts';
import { createRng } from '../../sim/model/uid.ts';
import { detectLeakAcrossRestarts } from './across-restarts.ts';
import { detectLeak, ruleOutLongCycle } from './detect-leak.ts';
import { bucketMeans } from './resample.ts';
import { mannKendallHamedRao } from '../stats/trend.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const MiB = 1024 * 1024;
const NOW = Date.UTC(2026, 11, 5, 12);

/** One sample a minute from `fromMs` to NOW, from a function of hours since the start. */
function series(fromMs: number, f: (hours: number, i: number) => number): Sample[] {
  const out: Sample[] = [];
  for (let t = fromMs, i = 0; t <= NOW; t += MIN, i++) out.push({ tsMs: t, value: f((t - fromMs) / HOUR, i) });
  return out;
}

test('a linear leak with noise is found, with growth, slope and time to the limit', () => {
  const rng = createRng(1);
  const start = NOW - 30 * HOUR;
  const samples = series(start, (h) => 400 * MiB + h * 4 * MiB + (rng() - 0.5) * 20 * MiB);
  const v = detectLeak({ instances: [{ startedAtMs: start, samples }], limitBytes: 1024 * MiB, nowMs: NOW });
  assert.equal(v.status, 'leak');
  if (v.status !== 'leak') return;
  assert.ok(Math.abs(v.trend.slopeBytesPerHour / MiB - 4) < 0.3, String(v.trend.slopeBytesPerHour / MiB));
  assert.ok(v.trend.growth > 0.1);
  assert.equal(v.severity, 'high');
  // Fitted now ≈ 400 + 4·30 = 520 MiB; (1024 − 520) / 4 ≈ 126 h.
  assert.ok(v.timeToLimitHours !== undefined && Math.abs(v.timeToLimitHours - 126) < 12, String(v.timeToLimitHours));
  // 24 h of full data: medium by the common rule (high needs 7 days).
  assert.equal(v.confidence, 'medium');
});

test('samples given as columns get the same verdict as the same samples as objects', () => {
  const rng = createRng(7);
  const start = NOW - 30 * HOUR;
  const leaking = series(start, (h) => 400 * MiB + h * 4 * MiB + (rng() - 0.5) * 20 * MiB);
  const flat = series(start, () => 300 * MiB + (rng() - 0.5) * 20 * MiB);
  for (const samples of [leaking, flat]) {
    const columns = sampleColumn(samples);
    const asObjects = detectLeak({ instances: [{ startedAtMs: start, samples }], limitBytes: 1024 * MiB, nowMs: NOW });
    const asColumns = detectLeak({ instances: [{ startedAtMs: start, samples: columns }], limitBytes: 1024 * MiB, nowMs: NOW });
    assert.deepEqual(asColumns, asObjects);
    assert.deepEqual(bucketMeans(columns, { fromMs: start, toMs: NOW, stepMs: 5 * MIN }), bucketMeans(samples, { fromMs: start, toMs: NOW, stepMs: 5 * MIN }));
  }
  const statuses = [leaking, flat].map((samples) => detectLeak({ instances: [{ startedAtMs: start, samples }], nowMs: NOW }).status);
  assert.deepEqual(statuses, ['leak', 'no-leak']);
});

test('a slow leak of 3 % a day is medium; a leak about to hit the limit is high', () => {
  const start = NOW - 24 * HOUR;
  const slow = series(start, (h) => 1000 * MiB * (1 + (0.03 * h) / 24) + ((h * 60) % 7) * MiB * 0.1);
  const v1 = detectLeak({ instances: [{ startedAtMs: start, samples: slow }], nowMs: NOW });
  assert.equal(v1.status, 'leak');
  assert.equal(v1.status === 'leak' && v1.severity, 'medium');
  assert.equal(v1.status === 'leak' && v1.timeToLimitHours, undefined);
  const v2 = detectLeak({ instances: [{ startedAtMs: start, samples: slow }], limitBytes: 1040 * MiB, nowMs: NOW });
  assert.equal(v2.status === 'leak' && v2.severity, 'high');
});

test('no leak on a garbage collector sawtooth, a whole daily cycle, a steady or a constant series', () => {
  const rng = createRng(3);
  const start = NOW - 48 * HOUR;
  const cases: Array<[string, Sample[]]> = [
    ['sawtooth', series(start, (_h, i) => 300 * MiB + (i % 45) * 4 * MiB + rng() * MiB)],
    ['daily cycle', series(start, (h) => 500 * MiB + 150 * MiB * Math.sin((2 * Math.PI * h) / 24) + rng() * 10 * MiB)],
    ['steady', series(start, () => 700 * MiB + (rng() - 0.5) * 30 * MiB)],
    ['constant', series(start, () => 256 * MiB)],
  ];
  for (const [name, samples] of cases) {
    const v = detectLeak({ instances: [{ startedAtMs: start, samples }], limitBytes: 2048 * MiB, nowMs: NOW });
    assert.equal(v.status, 'no-leak', `${name}: ${JSON.stringify(v)}`);
  }
});

test('growth that has levelled off (a cache filling up) is a plateau, not a leak', () => {
  const start = NOW - 24 * HOUR;
  const samples = series(start, (h) => 200 * MiB + 300 * MiB * (1 - Math.exp(-h / 3)));
  const v = detectLeak({ instances: [{ startedAtMs: start, samples }], nowMs: NOW });
  assert.equal(v.status, 'no-leak');
  assert.match(v.status === 'no-leak' ? v.reason : '', /plateau/);
});

test('boundary cases: no data, one point, too short a span, gaps', () => {
  assert.equal(detectLeak({ instances: [], nowMs: NOW }).status, 'insufficient-data');
  assert.equal(detectLeak({ instances: [{ startedAtMs: NOW - HOUR, samples: [{ tsMs: NOW - 1, value: 5 }] }], nowMs: NOW }).status, 'insufficient-data');
  const young = NOW - 4 * HOUR;
  assert.equal(detectLeak({ instances: [{ startedAtMs: young, samples: series(young, (h) => MiB * (100 + h)) }], nowMs: NOW }).status, 'insufficient-data');
  // Gaps stay gaps: a leak sampled only every other hour is still found.
  const start = NOW - 24 * HOUR;
  const gappy = series(start, (h) => MiB * (100 + 5 * h)).filter((s) => Math.floor((s.tsMs - start) / HOUR) % 2 === 0);
  assert.equal(detectLeak({ instances: [{ startedAtMs: start, samples: gappy }], nowMs: NOW }).status, 'leak');
  // Non-finite samples are absent, not zeros.
  const withNaN = series(start, (h, i) => (i % 10 === 0 ? Number.NaN : MiB * (100 + 5 * h)));
  assert.equal(detectLeak({ instances: [{ startedAtMs: start, samples: withNaN }], nowMs: NOW }).status, 'leak');
});

test('a just-restarted container is judged on its previous instance; the warm-up is excluded', () => {
  const prevStart = NOW - 26 * HOUR;
  const restart = NOW - 20 * MIN;
  const previous = series(prevStart, (h) => MiB * (200 + 6 * h)).filter((s) => s.tsMs < restart);
  const current = series(restart, () => 150 * MiB);
  const v = detectLeak({ instances: [{ startedAtMs: prevStart, samples: previous }, { startedAtMs: restart, samples: current }], nowMs: NOW });
  assert.equal(v.status, 'leak');
  assert.equal(v.status === 'leak' && v.trend.instanceStartedAtMs, prevStart);
  // A warm-up ramp alone (first 10 minutes) does not make a leak.
  const start = NOW - 12 * HOUR;
  const warm = series(start, (h) => (h < 1 / 6 ? MiB * 600 * h * 6 : 600 * MiB + ((h * 60) % 3) * MiB));
  assert.equal(detectLeak({ instances: [{ startedAtMs: start, samples: warm }], nowMs: NOW }).status, 'no-leak');
});

test('across restarts: rising peaks over 3 restarts, or OOM kills at a steady interval', () => {
  const at = (h: number): number => NOW - h * HOUR;
  const rising = [500, 520, 560, 610].map((p, i) => ({ endedAtMs: at(40 - 10 * i), peakBytes: p * MiB, oomKilled: false }));
  assert.equal(detectLeakAcrossRestarts(rising).status, 'rising-peaks');
  assert.equal(detectLeakAcrossRestarts(rising.slice(1)).status, 'none');
  const periodic = [30, 22, 14, 6].map((h) => ({ endedAtMs: at(h), peakBytes: 1024 * MiB, oomKilled: true }));
  const v = detectLeakAcrossRestarts(periodic);
  assert.equal(v.status, 'periodic-oom');
  assert.equal(v.status === 'periodic-oom' && Math.round(v.meanIntervalHours), 8);
  const irregular = [30, 29, 14, 1].map((h) => ({ endedAtMs: at(h), peakBytes: 1024 * MiB, oomKilled: true }));
  assert.equal(detectLeakAcrossRestarts(irregular).status, 'none');
  assert.equal(detectLeakAcrossRestarts([]).status, 'none');
});

test('a window shorter than a day gives low confidence (it may be half a daily cycle)', () => {
  const start = NOW - 8 * HOUR;
  // 140 MiB now, 5 MiB/h: the 200 MiB limit is 12 h away, urgent enough to report on 8 hours of data.
  const v = detectLeak({ instances: [{ startedAtMs: start, samples: series(start, (h) => MiB * (100 + 5 * h)) }], nowMs: NOW, limitBytes: 200 * MiB });
  assert.equal(v.status === 'leak' && v.confidence, 'low');
});

test('a pod younger than the window: the rising half of a daily cycle is no leak, a steeper rise still is', () => {
  const start = NOW - 10 * HOUR;
  // 10 hours of a ±3 % daily swing from its trough, plus a little drift: about 6 % up, monotone.
  const daily = series(start, (h) => 500 * MiB * (1 - 0.03 * Math.cos((2 * Math.PI * h) / 24) + 0.0005 * h));
  const v1 = detectLeak({ instances: [{ startedAtMs: start, samples: daily }], nowMs: NOW });
  assert.equal(v1.status, 'no-leak', JSON.stringify(v1));
  // The same rise over a pod up for more than the window counts: a leak of 6 % a day is one.
  const old = NOW - 30 * HOUR;
  const slow = series(old, (h) => 500 * MiB * (1 + (0.06 * h) / 24));
  assert.equal(detectLeak({ instances: [{ startedAtMs: old, samples: slow }], nowMs: NOW }).status, 'leak');
  // A young pod growing 15 % in 10 hours (7.5 MiB/h, 575 MiB now) is a leak when its 700 MiB limit is 17 h away
  // (of low confidence: less than a day of data) ...
  const steep = series(start, (h) => 500 * MiB * (1 + 0.015 * h));
  const v2 = detectLeak({ instances: [{ startedAtMs: start, samples: steep }], nowMs: NOW, limitBytes: 700 * MiB });
  assert.equal(v2.status === 'leak' && v2.confidence, 'low');
  // ... but not yet without a limit or with the limit days away: under a day, a daily cycle is not ruled out.
  for (const limitBytes of [undefined, 2000 * MiB]) {
    const v3 = detectLeak({ instances: [{ startedAtMs: start, samples: steep }], nowMs: NOW, ...(limitBytes === undefined ? {} : { limitBytes }) });
    assert.equal(v3.status, 'insufficient-data', JSON.stringify(v3));
    assert.match(v3.status === 'insufficient-data' ? v3.reason : '', /a daily cycle is ruled out only by a day of data/);
  }
  // Past a day of data the same growth is judged on its own, limit or not.
  const dayOld = NOW - 26 * HOUR;
  const steepOld = series(dayOld, (h) => 500 * MiB * (1 + 0.015 * h));
  assert.equal(detectLeak({ instances: [{ startedAtMs: dayOld, samples: steepOld }], nowMs: NOW }).status, 'leak');
});

test('an instance rejected before the trend statistics would be rejected by them too', () => {
  const rng = createRng(5);
  const start = NOW - 30 * HOUR;
  let quick = 0;
  let full = 0;
  for (let k = 0; k < 60; k++) {
    // Random walks with drifts from falling to clearly rising, some with a daily cycle: every kind of verdict.
    let walk = 0;
    const drift = (k % 6) - 2;
    const samples = series(start, (h) => {
      walk += (rng() - 0.5) * 2 * MiB;
      return 500 * MiB + walk + drift * h * 0.5 * MiB + (k % 2 === 0 ? 30 * MiB * Math.sin((h / 24) * 2 * Math.PI) : 0);
    });
    const v = detectLeak({ instances: [{ startedAtMs: start, samples }], nowMs: NOW });
    if (v.status !== 'no-leak' || v.trend !== undefined) {
      full++;
      continue;
    }
    quick++;
    // The same 5-minute means the detector uses, over the window after the warm-up.
    const b = bucketMeans(samples, { fromMs: NOW - 24 * HOUR, toMs: NOW + 1, stepMs: 5 * MIN });
    const y = b.values;
    const growth = (y.slice(-3).reduce((a, c) => a + c, 0) - y.slice(0, 3).reduce((a, c) => a + c, 0)) / y.slice(0, 3).reduce((a, c) => a + c, 0);
    const test = mannKendallHamedRao({ x: b.tsMs.map((t) => t / HOUR), y });
    assert.ok(growth < 0.02 || (test !== undefined && test.pIncreasing >= 0.01), `k=${k}: growth ${growth}, p ${test?.pIncreasing}`);
  }
  assert.ok(quick > 0 && full > 0, `quick ${quick}, full ${full}`);
});

/** The highest value of samples in [fromMs, toMs). */
function peakIn(samples: readonly Sample[], fromMs: number, toMs: number): number {
  return Math.max(...samples.filter((x) => x.tsMs >= fromMs && x.tsMs < toMs).map((x) => x.value));
}

test('the rising day of a weekly cycle is no leak when the instance was as high before; a slow leak still is', () => {
  const rng = createRng(11);
  const start = NOW - 10 * 24 * HOUR;
  // A weekly cycle of ±8 %, seen on the day it rises most: the detector alone calls it a leak.
  const weekly = series(start, (h) => 1000 * MiB * (1 + 0.08 * Math.sin((2 * Math.PI * (h - 24 * 1.4)) / (7 * 24))) + (rng() - 0.5) * 4 * MiB);
  const cycle = detectLeak({ instances: [{ startedAtMs: start, samples: weekly }], limitBytes: 4096 * MiB, nowMs: NOW });
  assert.equal(cycle.status, 'leak', 'the premise: a day of a weekly rise passes the trend test');
  const windowStart = NOW - 24 * HOUR;
  const ruled = ruleOutLongCycle(cycle, { latestBytes: peakIn(weekly, NOW - HOUR, NOW + 1), earlierBytes: peakIn(weekly, start, windowStart) });
  assert.equal(ruled.status, 'no-leak');
  // The same check keeps a leak of 3 % a day: every day is higher than the one before.
  const leaking = series(start, (h) => 800 * MiB * (1 + (0.03 * h) / 24) + (rng() - 0.5) * 4 * MiB);
  const leak = detectLeak({ instances: [{ startedAtMs: start, samples: leaking }], limitBytes: 4096 * MiB, nowMs: NOW });
  assert.equal(leak.status, 'leak');
  const kept = ruleOutLongCycle(leak, { latestBytes: peakIn(leaking, NOW - HOUR, NOW + 1), earlierBytes: peakIn(leaking, start, windowStart) });
  assert.equal(kept.status, 'leak');
  // An instance that began within the window has nothing earlier to compare with: the verdict stands.
  assert.equal(ruleOutLongCycle(cycle, { latestBytes: 1, earlierBytes: undefined }).status, 'leak');
});
