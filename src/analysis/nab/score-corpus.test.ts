// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseScore } from './normalise.ts';
import { STANDARD_PROFILES } from './profiles.ts';
import { labelCorpus, scoreCorpusAt, scoreCorpusSwept } from './score-corpus.ts';
import { scaledSigmoid } from './scaled-sigmoid.ts';
import type { NabWindow, ScoredSeries } from './types.ts';

const N = 1000;
const ts = Array.from({ length: N }, (_, i) => i * 300_000);
const at = (i: number): number => ts[i] as number;
/** Two files: one with windows [400, 449] and [700, 749], one without anomalies. */
const WINDOWS: NabWindow[] = [
  [at(400), at(449)],
  [at(700), at(749)],
];

function corpus(scoresA: ArrayLike<number>, scoresB: ArrayLike<number> = new Float64Array(N)): ScoredSeries[] {
  return [
    { name: 'a.csv', timestampsMs: ts, scores: scoresA, windows: WINDOWS },
    { name: 'b.csv', timestampsMs: ts, scores: scoresB, windows: [] },
  ];
}

function withDetections(rows: readonly number[], value = 1): Float64Array {
  const s = new Float64Array(N);
  for (const r of rows) s[r] = value;
  return s;
}

const standard = STANDARD_PROFILES.filter((p) => p.name === 'standard');

test('the null detector scores 0 in every profile, swept or fixed', () => {
  const files = labelCorpus(corpus(new Float64Array(N).fill(0.5)));
  for (const r of scoreCorpusAt(files, STANDARD_PROFILES, 0.6)) assert.equal(r.score, 0);
  for (const r of scoreCorpusSwept(labelCorpus(corpus(new Float64Array(N))), STANDARD_PROFILES)) {
    assert.equal(r.score, 0);
    assert.equal(r.falseNegatives, 2);
  }
});

test('normalisation: the perfect raw score is 100, and a detector on every window start reaches 2σ(5) − 1', () => {
  assert.equal(normaliseScore({ rawScore: 2, nullScore: -2, perfectScore: 2 }), 100);
  const [r] = scoreCorpusAt(labelCorpus(corpus(withDetections([400, 700]))), standard, 0.5);
  assert.ok(r);
  assert.equal(r.truePositives, 2);
  assert.equal(r.falsePositives, 0);
  const expected = (100 * (2 * scaledSigmoid(-1) + 2)) / 4;
  assert.ok(Math.abs(r.score - expected) < 1e-9);
  assert.ok(r.score > 99.3 && r.score < 100);
});

test('only the earliest detection in a window counts, weighted by its position', () => {
  const early = scoreCorpusAt(labelCorpus(corpus(withDetections([410, 430, 440]))), standard, 0.5)[0];
  const late = scoreCorpusAt(labelCorpus(corpus(withDetections([440]))), standard, 0.5)[0];
  assert.ok(early && late);
  assert.ok(Math.abs(early.rawScore - (scaledSigmoid(-40 / 50) - 1)) < 1e-12, 'one TP at row 410, one FN');
  assert.ok(Math.abs(late.rawScore - (scaledSigmoid(-10 / 50) - 1)) < 1e-12);
  assert.ok(early.rawScore > late.rawScore);
  assert.equal(early.truePositives, 1);
  assert.equal(early.falsePositives, 0);
});

test('a false positive right after a window costs little, far after it costs fpWeight', () => {
  const near = scoreCorpusAt(labelCorpus(corpus(withDetections([450]))), standard, 0.5)[0];
  const far = scoreCorpusAt(labelCorpus(corpus(withDetections([650]))), standard, 0.5)[0];
  assert.ok(near && far);
  const fp = 0.11;
  // row 450: |449 - 450| / (50 - 1) window widths after the first window
  assert.ok(Math.abs(near.rawScore - (-2 + fp * scaledSigmoid(1 / 49))) < 1e-12);
  assert.ok(Math.abs(far.rawScore - (-2 - fp)) < 1e-12, '201 rows = 4.1 widths after: weight -1');
  assert.equal(near.falsePositives, 1);
});

test('detections in the probation period are ignored, also in a file without windows', () => {
  const r = scoreCorpusAt(labelCorpus(corpus(withDetections([10, 100]), withDetections([20]))), standard, 0.5)[0];
  assert.ok(r);
  assert.equal(r.falsePositives, 0);
  assert.equal(r.score, 0);
  const fpInB = scoreCorpusAt(labelCorpus(corpus(new Float64Array(N), withDetections([500]))), standard, 0.5)[0];
  assert.ok(fpInB);
  assert.ok(Math.abs(fpInB.rawScore - (-2 - 0.11)) < 1e-12);
});

test('the sweep finds the threshold that NAB optimizer would, over the whole corpus', () => {
  // TPs at 0.9, a false positive at 0.8 and one at 0.95 in the clean file
  const a = withDetections([420], 0.9);
  a[720] = 0.9;
  a[600] = 0.8;
  const b = withDetections([500], 0.95);
  const [r] = scoreCorpusSwept(labelCorpus(corpus(a, b)), standard);
  assert.ok(r);
  assert.equal(r.threshold, 0.9);
  assert.equal(r.truePositives, 2);
  assert.equal(r.falsePositives, 1);
  assert.ok(Math.abs(r.rawScore - (2 * scaledSigmoid(-30 / 50) - 0.11)) < 1e-12);
});

test('the low-FN profile doubles the cost of a miss; the low-FP profile doubles a false positive', () => {
  const files = labelCorpus(corpus(withDetections([420, 600])));
  const byName = new Map(scoreCorpusAt(files, STANDARD_PROFILES, 0.5).map((r) => [r.profile, r]));
  const tp = scaledSigmoid(-30 / 50);
  assert.ok(Math.abs((byName.get('standard')?.rawScore ?? 0) - (tp - 1 - 0.11)) < 1e-12);
  assert.ok(Math.abs((byName.get('reward_low_FP_rate')?.rawScore ?? 0) - (tp - 1 - 0.22)) < 1e-12);
  assert.ok(Math.abs((byName.get('reward_low_FN_rate')?.rawScore ?? 0) - (tp - 2 - 0.11)) < 1e-12);
});

test('normalisation reproduces NAB published results from the published raw scores (full 58-file corpus)', () => {
  // raw scores from NAB config/thresholds.json, normalised scores from results/final_results.json (116 windows)
  const windows = 116;
  const cases = [
    { raw: 46.634450197137596, fn: 1, published: 70.10105611943965 }, // numenta, standard
    { raw: 26.634450197137568, fn: 2, published: 74.3202443095115 }, // numenta, reward_low_FN_rate
    { raw: 46.167000006791156, fn: 1, published: 69.89956896844828 }, // contextOSE, standard
  ];
  for (const c of cases) {
    const score = normaliseScore({ rawScore: c.raw, nullScore: -c.fn * windows, perfectScore: windows });
    assert.ok(Math.abs(score - c.published) < 1e-6, `${score} vs ${c.published}`);
  }
});
