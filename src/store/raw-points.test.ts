// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedChunk } from './chunk-codec.ts';
import { rawPoints } from './raw-points.ts';
import { StepAccumulator, type StepGrid } from './step-accumulator.ts';

const T0 = Date.UTC(2024, 4, 6, 0, 0, 0);

/** A small deterministic generator, so that a failure can be replayed. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

function chunk(from: number, n: number, o: { spacingMs: number; rnd: () => number }): DecodedChunk {
  const ts = Float64Array.from({ length: n }, (_, i) => from + i * o.spacingMs + Math.floor(o.rnd() * 3) * 1000);
  const values = Float64Array.from({ length: n }, () => Math.round(o.rnd() * 1e6) / 1000 - (o.rnd() < 0.1 ? 700 : 0));
  return { timestampsMs: ts, values };
}

function dense(grid: StepGrid, chunks: readonly DecodedChunk[], quantiles: readonly number[]) {
  const acc = new StepAccumulator(grid, quantiles.length > 0 ? 'exact' : 'none');
  for (const c of chunks) for (let i = 0; i < c.values.length; i++) acc.addSample(c.timestampsMs[i] as number, c.values[i] as number);
  return acc.points(quantiles);
}

function grid(o: { fromMs: number; toMs: number; alignedFromMs?: number; stepMs: number }): StepGrid {
  const alignedFromMs = o.alignedFromMs ?? o.fromMs;
  return { fromMs: o.fromMs, toMs: o.toMs, alignedFromMs, stepMs: o.stepMs, steps: Math.max(0, Math.ceil((o.toMs - alignedFromMs) / o.stepMs)) };
}

void describe('rawPoints', () => {
  void it('gives the dense accumulator’s points: range edges, shared steps, chunks out of order, exact quantiles', () => {
    const rnd = lcg(7);
    const chunks = [chunk(T0 + 2 * 3_600_000, 120, { spacingMs: 60_000, rnd }), chunk(T0, 130, { spacingMs: 60_000, rnd }), chunk(T0 + 50 * 60_000, 40, { spacingMs: 15_000, rnd })];
    const grids = [
      grid({ fromMs: T0 + 30 * 60_000, toMs: T0 + 3 * 3_600_000, stepMs: 1000 }),
      grid({ fromMs: T0 + 90_500, toMs: T0 + 2.5 * 3_600_000, stepMs: 60_000 }),
      grid({ fromMs: T0 + 7 * 60_000, toMs: T0 + 4 * 3_600_000, alignedFromMs: T0, stepMs: 5 * 60_000 }),
      grid({ fromMs: T0 - 3_600_000, toMs: T0 + 5 * 3_600_000, stepMs: 3_600_000 }),
      grid({ fromMs: T0, toMs: T0, stepMs: 1000 }),
    ];
    for (const g of grids) {
      for (const quantiles of [[], [0, 0.5, 0.95, 1]]) {
        const expected = dense(g, chunks, quantiles);
        assert.deepEqual(rawPoints(g, chunks, quantiles), expected, `step ${g.stepMs}, quantiles ${quantiles.length}`);
        assert.deepEqual(rawPoints(g, [...chunks].reverse(), quantiles), dense(g, [...chunks].reverse(), quantiles));
      }
    }
    assert.ok(dense(grids[1] as StepGrid, chunks, []).some((p) => p.count > 1), 'some steps hold several samples');
  });

  void it('keeps its buffers apart from a previous, larger call', () => {
    const rnd = lcg(11);
    const big = [chunk(T0, 5000, { spacingMs: 1000, rnd })];
    const g = grid({ fromMs: T0, toMs: T0 + 6000 * 1000, stepMs: 60_000 });
    assert.deepEqual(rawPoints(g, big, [0.5]), dense(g, big, [0.5]));
    const small = [chunk(T0, 3, { spacingMs: 1000, rnd })];
    assert.deepEqual(rawPoints(g, small, []), dense(g, small, []));
    assert.deepEqual(rawPoints(g, [], []), []);
  });
});
