// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestRequest, hindsightBound, replayTrace, scoredCpu, type ScoredCpu, type UsageTrace } from './index.ts';

const MIN = 60_000;

function group(values: number[], hours = 1): ScoredCpu {
  return { values: Float64Array.from(values).sort(), hours };
}

/** The true optimum by enumeration: every combination of one request per group among its values (and below all). */
function bruteForce(groups: readonly ScoredCpu[], allowed: number): number {
  let best = Number.POSITIVE_INFINITY;
  const walk = (i: number, idle: number, over: number): void => {
    if (over > allowed) return;
    if (i === groups.length) {
      best = Math.min(best, idle);
      return;
    }
    const g = groups[i] as ScoredCpu;
    for (const r of [Number.NEGATIVE_INFINITY, ...g.values]) {
      let gi = 0;
      let go = 0;
      for (const u of g.values) {
        if (u > r) go++;
        else gi += ((r - u) / 1000) * g.hours;
      }
      walk(i + 1, idle + gi, over + go);
    }
  };
  walk(0, 0, 0);
  return best;
}

void describe('bestRequest', () => {
  void it('trades idle against samples above the request at the given price', () => {
    const g = group([10, 20, 30, 40]);
    assert.deepEqual(bestRequest(g, 0), { cost: 0, idle: 0, over: 4 });
    // 15 m·h per sample above: r = 20 leaves two above (0.03) and idles 10 m for an hour (0.01).
    const b = bestRequest(g, 0.015);
    assert.equal(b.over, 2);
    assert.ok(Math.abs(b.idle - 0.01) < 1e-12);
    assert.ok(Math.abs(b.cost - 0.04) < 1e-12);
    // A high price covers everything: r = 40, idle (30 + 20 + 10) m·h.
    const top = bestRequest(g, 1);
    assert.equal(top.over, 0);
    assert.ok(Math.abs(top.idle - 0.06) < 1e-12);
  });

  void it('counts tied samples at the request as covered', () => {
    assert.deepEqual(bestRequest(group([10, 10, 10]), 1), { cost: 0, idle: 0, over: 0 });
  });
});

void describe('hindsightBound', () => {
  void it('is tight where the trade-off is convex', () => {
    const g = [group([10, 20, 30, 40])];
    assert.ok(Math.abs(hindsightBound(g, 0).idleCpuCoreHours - 0.06) < 1e-6);
    assert.ok(Math.abs(hindsightBound(g, 0.25).idleCpuCoreHours - 0.03) < 1e-6);
    assert.ok(Math.abs(hindsightBound(g, 0.5).idleCpuCoreHours - 0.01) < 1e-6);
    assert.equal(hindsightBound(g, 1).idleCpuCoreHours, 0);
  });

  void it('never exceeds the true optimum over every choice of one request per trace', () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 20; round++) {
      const groups = Array.from({ length: 3 }, () => group(Array.from({ length: 5 }, () => Math.round(100 * rand() ** 2)), 0.5 + rand()));
      const n = groups.reduce((k, g) => k + g.values.length, 0);
      for (const fraction of [0, 0.1, 0.2, 0.4]) {
        const bound = hindsightBound(groups, fraction).idleCpuCoreHours;
        const optimum = bruteForce(groups, Math.floor(fraction * n + 1e-9));
        assert.ok(bound <= optimum + 1e-9, `round ${round}, fraction ${fraction}: bound ${bound} > optimum ${optimum}`);
        // The dual is close to the optimum here: within the cost of one sample's worth of the spread.
        assert.ok(bound >= optimum - 0.2, `round ${round}, fraction ${fraction}: bound ${bound} far below ${optimum}`);
      }
    }
  });
});

void describe('scoredCpu', () => {
  const n = 24 * 60;
  const trace: UsageTrace = {
    name: 't',
    dataset: 'd',
    tsMs: Float64Array.from({ length: n }, (_, i) => i * MIN),
    cpu: Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? Number.NaN : 50 + (i % 13))),
    memory: Float64Array.from({ length: n }, () => 100 * 1_048_576),
  };

  void it('holds exactly the CPU samples the replay scores', () => {
    const g = scoredCpu(trace);
    assert.equal(g.values.length, replayTrace(trace, { strategies: ['krm'] }).krm?.cpuSamples);
    assert.equal(g.hours, 1 / 60);
    for (let i = 1; i < g.values.length; i++) assert.ok((g.values[i] as number) >= (g.values[i - 1] as number));
  });

  void it('skips segments whose history is not eligible', () => {
    assert.equal(scoredCpu(trace, () => undefined).values.length, 0);
  });
});
