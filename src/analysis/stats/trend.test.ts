// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../sim/model/uid.ts';
import { hamedRaoFactor, mannKendallHamedRao, mannKendallP, ranks, theilSenSlope } from './trend.ts';

const xs = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

test('Theil–Sen recovers a line and ignores a few wild outliers that move least squares', () => {
  const x = xs(50);
  const y = x.map((v) => 3 + 2 * v);
  y[10] = 1e6;
  y[40] = -1e6;
  assert.equal(theilSenSlope({ x, y }), 2);
});

test('Theil–Sen: fewer than two distinct x give NaN', () => {
  assert.ok(Number.isNaN(theilSenSlope({ x: [1], y: [5] })));
  assert.ok(Number.isNaN(theilSenSlope({ x: [1, 1], y: [5, 6] })));
});

test('ranks give ties their average rank', () => {
  assert.deepEqual(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
});

test('Mann–Kendall: a noisy increasing series is significant, a constant one and white noise are not', () => {
  const rng = createRng(7);
  const x = xs(100);
  const rising = mannKendallHamedRao({ x, y: x.map((v) => v * 0.5 + rng() * 10) });
  assert.ok(rising && rising.pIncreasing < 1e-6, String(rising?.pIncreasing));
  const flat = mannKendallHamedRao({ x, y: x.map(() => 42) });
  assert.ok(flat);
  assert.equal(flat.s, 0);
  assert.ok(Math.abs(flat.pIncreasing - 0.5) < 1e-6);
  const noise = mannKendallHamedRao({ x, y: x.map(() => rng()) });
  assert.ok(noise && noise.pIncreasing > 0.01, String(noise?.pIncreasing));
  assert.equal(mannKendallHamedRao({ x: [0, 1, 2], y: [1, 2, 3] }), undefined);
});

test('Hamed–Rao inflates the variance of an autocorrelated random walk, so its wander is not called a trend', () => {
  const rng = createRng(11);
  let level = 0;
  const walk: number[] = [];
  for (let i = 0; i < 288; i++) {
    level = 0.95 * level + (rng() - 0.5);
    walk.push(level);
  }
  const x = xs(walk.length);
  const slope = theilSenSlope({ x, y: walk });
  assert.ok(hamedRaoFactor({ x, y: walk }, slope) > 2);
  // Independent noise needs no correction.
  const iid = x.map(() => rng());
  assert.ok(hamedRaoFactor({ x, y: iid }, theilSenSlope({ x, y: iid })) < 1.5);
});

test('Mann–Kendall S counted by merge sort equals the pairwise sum of signs, ties and NaN included', () => {
  const rng = createRng(11);
  const naive = (y: readonly number[]): number => {
    let s = 0;
    for (let i = 0; i < y.length; i++) for (let j = i + 1; j < y.length; j++) s += Math.sign((y[j] as number) - (y[i] as number)) || 0;
    return s;
  };
  for (const n of [4, 5, 17, 64, 288, 301]) {
    const cases = [
      Array.from({ length: n }, () => rng()),
      Array.from({ length: n }, () => Math.floor(rng() * 5)),
      Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -0 : i % 3 === 0 ? 0 : i % 5 === 0 ? Infinity : rng() - 0.5)),
      Array.from({ length: n }, (_, i) => (i === 2 ? Number.NaN : i * 2 - (i % 4))),
    ];
    for (const y of cases) assert.equal(mannKendallHamedRao({ x: xs(n), y })?.s, naive(y), `n=${n} ${JSON.stringify(y.slice(0, 8))}`);
  }
});

test('the plain Mann–Kendall p-value never exceeds the Hamed–Rao corrected one', () => {
  const rng = createRng(3);
  for (let k = 0; k < 50; k++) {
    let walk = 0;
    const y = Array.from({ length: 120 }, (_, i) => (walk += rng() - 0.45) + i * 0.01 * (k % 5));
    const corrected = mannKendallHamedRao({ x: xs(120), y });
    assert.ok(corrected);
    assert.ok(mannKendallP(y) <= corrected.pIncreasing, `${mannKendallP(y)} > ${corrected.pIncreasing}`);
  }
});
