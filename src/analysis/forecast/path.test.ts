// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIELDS, ForecastPath } from './path.ts';

const HOUR = 3_600_000;

function path(means: readonly number[]): ForecastPath {
  const values = ForecastPath.valuesFor(means.length);
  means.forEach((m, k) => values.set([m, m - 20, m - 10, m + 10, m + 20], k * FIELDS));
  return ForecastPath.fromValues({ firstTsMs: 5 * HOUR, stepMs: HOUR }, values);
}

test('points are made from the columns: time from the first point and the step, bands in their order', () => {
  const p = path([100, 200, 300]);
  assert.equal(p.length, 3);
  assert.deepEqual(p.at(1), { tsMs: 6 * HOUR, mean: 200, lower95: 180, lower80: 190, upper80: 210, upper95: 220 });
  // Negative indexes count from the end, as Array.at; outside the path there is no point.
  assert.equal(p.at(-1)?.tsMs, 7 * HOUR);
  assert.equal(p.at(3), undefined);
  assert.equal(p.at(-4), undefined);
  assert.deepEqual(p.map((x) => x.mean), [100, 200, 300]);
  assert.deepEqual(JSON.parse(JSON.stringify({ points: p })).points, p.toArray());
  // The first crossing of a limit, read off the columns: by the mean, or by the upper 95 % bound.
  assert.equal(p.firstAtLeast('mean', 110), 6 * HOUR);
  assert.equal(p.firstAtLeast('upper95', 110), 5 * HOUR);
  assert.equal(p.firstAtLeast('mean', 301), undefined);
});

test('single precision: 7 significant digits kept, so a crossing moves only within one part in 2^24 of the limit', () => {
  const p = path([319_999_400, 4 * 2 ** 30, 2500]);
  // 319,999,400 is kept as the nearest single (319,999,392: singles are 32 apart there); whole MiB and millicores exactly.
  assert.equal(p.at(0)?.mean, Math.fround(319_999_400));
  assert.ok(Math.abs((p.at(0)?.mean ?? 0) - 319_999_400) / 319_999_400 < 2 ** -24);
  assert.equal(p.at(1)?.mean, 4 * 2 ** 30);
  assert.equal(p.at(2)?.upper95, 2520);
  assert.equal(p.firstAtLeast('mean', 319_999_392), 5 * HOUR);
  assert.equal(p.firstAtLeast('mean', 4 * 2 ** 30), 6 * HOUR);
  assert.equal(p.firstAtLeast('mean', 4 * 2 ** 30 + 1), undefined);
});

test('flat and empty paths', () => {
  const flat = ForecastPath.flat({ firstTsMs: HOUR, stepMs: HOUR, length: 4, value: 42.123456789 });
  assert.equal(flat.length, 4);
  // A flat path keeps its value in double precision.
  assert.deepEqual(flat.at(3), { tsMs: 4 * HOUR, mean: 42.123456789, lower95: 42.123456789, lower80: 42.123456789, upper80: 42.123456789, upper95: 42.123456789 });
  assert.equal(flat.firstAtLeast('upper95', 42), HOUR);
  assert.equal(flat.firstAtLeast('mean', 43), undefined);
  const empty = ForecastPath.empty();
  assert.equal(empty.firstAtLeast('mean', -1), undefined);
  assert.equal(empty.length, 0);
  assert.equal(empty.at(0), undefined);
  assert.equal(empty.at(-1), undefined);
  assert.deepEqual(empty.toArray(), []);
});
