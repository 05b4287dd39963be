// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bandAt } from './intervals.ts';
import { ForecastPath } from './path.ts';

const HOUR = 3_600_000;

/** Bands of the same width at every horizon: 95 % ± 20, 80 % ± 10. */
const EVEN = { horizons: [1, 1000], bands: [[-20, -10, 10, 20] as const, [-20, -10, 10, 20] as const] };

function path(means: readonly number[], floor = -Infinity): ForecastPath {
  return ForecastPath.modelled({ firstTsMs: 5 * HOUR, stepMs: HOUR }, { means: Float64Array.from(means), bands: EVEN, floor });
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

test('exact doubles; each bound is the band of its horizon read from the table, and the floor holds', () => {
  const p = path([319_999_400, 5, 2500], 0);
  assert.equal(p.at(0)?.mean, 319_999_400);
  assert.equal(p.firstAtLeast('mean', 319_999_400), 5 * HOUR);
  assert.equal(p.firstAtLeast('mean', 319_999_401), undefined);
  assert.deepEqual(p.at(1), { tsMs: 6 * HOUR, mean: 5, lower95: 0, lower80: 0, upper80: 15, upper95: 25 });
  // A band that grows with the horizon: each point's bound is max(floor, mean + the band at its horizon, 1-based).
  const bands = { horizons: [1, 4], bands: [[-2, -1, 1, 2] as const, [-8, -4, 4, 8] as const] };
  const grown = ForecastPath.modelled({ firstTsMs: 0, stepMs: HOUR }, { means: Float64Array.from([10, 10, 10, 10, 10]), bands, floor: 3 });
  grown.toArray().forEach((pt, k) => {
    const b = bandAt(bands, k + 1) as readonly number[];
    assert.deepEqual([pt.lower95, pt.lower80, pt.upper80, pt.upper95], b.map((x) => Math.max(3, 10 + x)), `point ${k}`);
  });
  assert.equal(grown.firstAtLeast('upper95', 16), 2 * HOUR);
  // Beyond the table the band widens by (k / last)^κ (κ at most ½): a crossing at the last point only is still found.
  const widening = { horizons: [1, 2], bands: [[-1, -1, 1, 1] as const, [-2, -2, 2, 2] as const] };
  const far = ForecastPath.modelled({ firstTsMs: 0, stepMs: HOUR }, { means: new Float64Array(8).fill(10), bands: widening, floor: 0 });
  assert.equal(far.at(-1)?.upper95, 14);
  assert.equal(far.firstAtLeast('upper95', 14), 7 * HOUR);
  assert.equal(far.firstAtLeast('upper95', 14.000001), undefined);
  // The parts carry the model, and rebuild the same points.
  assert.deepEqual(ForecastPath.fromParts(grown.toParts()).toArray(), grown.toArray());
  assert.throws(() => ForecastPath.fromParts({ firstTsMs: 0, stepMs: HOUR }), /neither a whole model nor a flat value/);
  assert.throws(() => ForecastPath.fromParts({ firstTsMs: 0, stepMs: HOUR, model: { means: Float64Array.of(1), bands: { horizons: [1, 2], bands: [[0, 0, 0, 0]] }, floor: 0 } }), /whole model/);
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
