// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SketchAccumulator, sketchFromOrdinals, sketchOrdinal, type Sketch } from './sketch.ts';

const QS = [0.5, 0.9, 0.95, 0.99, 0];

function sketchOf(values: readonly number[]): Sketch {
  return sketchFromOrdinals(values.map(sketchOrdinal));
}

test('one sketch alone answers as the same bins spread over several sketches do', () => {
  for (const values of [
    Array.from({ length: 500 }, (_, i) => 100 + ((i * 37) % 250)),
    [0, 0, 0, 5, 7, 1e9],
    [3],
  ]) {
    const bounds = { min: Math.min(...values), max: Math.max(...values) };
    const alone = new SketchAccumulator();
    alone.addSketch(sketchOf(values));
    const split = new SketchAccumulator();
    split.addSketch(sketchOf(values.slice(0, values.length >> 1)));
    split.addSketch(sketchOf(values.slice(values.length >> 1)));
    assert.deepEqual(alone.quantiles(QS, bounds), split.quantiles(QS, bounds));
  }
});

test('a lone sketch with negative values and an empty one', () => {
  const acc = new SketchAccumulator();
  acc.addSketch(sketchOf([-5, -1, 0, 2, 4]));
  const q = acc.quantiles([0, 0.5, 1], { min: -5, max: 4 });
  assert.ok(Math.abs((q[0] as number) + 5) <= 5 * 0.02 + 1e-9);
  assert.equal(q[1], 0);
  assert.ok(Math.abs((q[2] as number) - 4) <= 4 * 0.02 + 1e-9);
  const empty = new SketchAccumulator();
  empty.addSketch({ ordinals: [], counts: [] });
  assert.ok(Number.isNaN(empty.quantiles([0.5], { min: 0, max: 0 })[0]));
});
