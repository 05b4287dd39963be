// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TierName } from '../domain/series.ts';
import { buildTiers, chooseTier, RAW_WINDOW_MS, rawWindowStart } from './tiers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2024, 5, 1);

type Earliest = Partial<Record<TierName, number>>;

function pick(input: { fromMs: number; stepMs: number; earliest: Earliest; quantiles?: boolean }): TierName {
  return chooseTier({
    tiers: buildTiers(),
    fromMs: input.fromMs,
    stepMs: input.stepMs,
    needsQuantiles: input.quantiles ?? false,
    earliestMs: (t) => input.earliest[t],
  }).name;
}

void describe('chooseTier', () => {
  const full: Earliest = { raw: NOW - 7 * DAY, '5m': NOW - 35 * DAY, '1h': NOW - 180 * DAY, '1d': NOW - 700 * DAY };
  const cases: Array<[string, Parameters<typeof pick>[0], TierName]> = [
    ['short range, minute step: raw', { fromMs: NOW - HOUR, stepMs: MINUTE, earliest: full }, 'raw'],
    ['day, 5-minute step: 5m', { fromMs: NOW - DAY, stepMs: 5 * MINUTE, earliest: full }, '5m'],
    ['14 days, 1-hour step: 1h', { fromMs: NOW - 14 * DAY, stepMs: HOUR, earliest: full }, '1h'],
    ['a year, daily step: 1d', { fromMs: NOW - 365 * DAY, stepMs: DAY, earliest: full }, '1d'],
    ['30 days, minute step, raw gone: finest tier that reaches back', { fromMs: NOW - 30 * DAY, stepMs: MINUTE, earliest: full }, '5m'],
    ['quantiles skip the 5m tier (no sketches)', { fromMs: NOW - 30 * DAY, stepMs: 5 * MINUTE, earliest: full, quantiles: true }, '1h'],
    ['quantiles within raw reach: raw (exact)', { fromMs: NOW - DAY, stepMs: 5 * MINUTE, earliest: full, quantiles: true }, 'raw'],
    ['young series: raw reaches its start', { fromMs: NOW - 30 * DAY, stepMs: MINUTE, earliest: { raw: NOW - HOUR, '5m': NOW - HOUR } }, 'raw'],
    ['no data: the coarsest tier that fits the step', { fromMs: NOW - DAY, stepMs: HOUR, earliest: {} }, '1h'],
    ['nothing reaches back: the tier with the oldest data', { fromMs: NOW - 900 * DAY, stepMs: MINUTE, earliest: full }, '1d'],
  ];
  for (const [name, input, expected] of cases) {
    void it(name, () => assert.equal(pick(input), expected));
  }
});

void describe('rawWindowStart', () => {
  void it('gives every series windows of RAW_WINDOW_MS on 5-minute edges, shifted per series', () => {
    const starts = new Set<number>();
    for (let id = 1; id <= 48; id++) {
      const start = rawWindowStart(id, NOW);
      assert.ok(start <= NOW && NOW < start + RAW_WINDOW_MS);
      assert.equal(start % (5 * MINUTE), 0);
      starts.add(start);
    }
    assert.equal(starts.size, 24);
  });
});
