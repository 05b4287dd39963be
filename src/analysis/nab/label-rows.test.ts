// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelRows, OUTSIDE, PROBATION, probationLength } from './label-rows.ts';
import { scaledSigmoid } from './scaled-sigmoid.ts';

const times = (n: number): number[] => Array.from({ length: n }, (_, i) => i * 60_000);

test('probation is 15% of the rows, capped at 750 (NAB: 0.15 × 5000)', () => {
  assert.equal(probationLength(100), 15);
  assert.equal(probationLength(1243), 186);
  assert.equal(probationLength(4032), 604);
  assert.equal(probationLength(10_000), 750);
  assert.equal(probationLength(0), 0);
});

test('rows get their window, probation or OUTSIDE, and window rows the sigmoid of their position', () => {
  const ts = times(100);
  const rows = labelRows({ timestampsMs: ts, scores: new Float64Array(100), windows: [[ts[40] as number, ts[49] as number]] });
  assert.equal(rows.kinds[0], PROBATION);
  assert.equal(rows.kinds[14], PROBATION);
  assert.equal(rows.kinds[15], OUTSIDE);
  assert.equal(rows.kinds[40], 0);
  assert.equal(rows.kinds[49], 0);
  assert.equal(rows.kinds[50], OUTSIDE);
  // first row of a 10-row window: position -(49 - 40 + 1) / 10 = -1; last row: -1/10
  assert.equal(rows.sigmoids[40], scaledSigmoid(-1));
  assert.equal(rows.sigmoids[49], scaledSigmoid(-0.1));
  // before any window a false positive weighs -1; after a window it is scaled by distance / (width - 1)
  assert.equal(rows.sigmoids[20], -1);
  assert.equal(rows.sigmoids[58], scaledSigmoid(9 / 9));
  assert.equal(rows.scorableWindows, 1);
  assert.equal(rows.labelledWindows, 1);
});

test('a window entirely inside the probation period is not scorable', () => {
  const ts = times(100);
  const rows = labelRows({ timestampsMs: ts, scores: new Float64Array(100), windows: [[ts[2] as number, ts[8] as number]] });
  assert.equal(rows.scorableWindows, 0);
  assert.equal(rows.labelledWindows, 1);
  assert.equal(rows.kinds[5], PROBATION);
});

test('windows are matched on the first row at or after the start and the last at or before the end', () => {
  const ts = times(100);
  const rows = labelRows({ timestampsMs: ts, scores: new Float64Array(100), windows: [[(ts[40] as number) - 1, (ts[44] as number) + 1]] });
  assert.equal(rows.kinds[39], OUTSIDE);
  assert.equal(rows.kinds[40], 0);
  assert.equal(rows.kinds[44], 0);
  assert.equal(rows.kinds[45], OUTSIDE);
});
