// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageSince, humanDuration } from './age.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

// Boundaries of apimachinery's duration.HumanDuration, one row per threshold and its neighbours.
const CASES: readonly [string, number, string][] = [
  ['zero', 0, '0s'],
  ['skew under a second', -999, '0s'],
  ['skew of 1.5 s still tolerated (truncation)', -1500, '0s'],
  ['skew of 2 s', -2 * S, '<invalid>'],
  ['sub-second', 999, '0s'],
  ['five seconds', 5 * S, '5s'],
  ['last plain-seconds value', 2 * M - 1, '119s'],
  ['two minutes', 2 * M, '2m'],
  ['minutes with seconds', 3 * M + 20 * S, '3m20s'],
  ['last m+s value', 10 * M - 1, '9m59s'],
  ['ten minutes', 10 * M, '10m'],
  ['seconds dropped from 10 minutes', 10 * M + 59 * S, '10m'],
  ['last plain-minutes value', 3 * H - 1, '179m'],
  ['three hours', 3 * H, '3h'],
  ['hours with minutes', 4 * H + 5 * M, '4h5m'],
  ['last h+m value', 8 * H - 1, '7h59m'],
  ['eight hours', 8 * H, '8h'],
  ['last plain-hours value', 48 * H - 1, '47h'],
  ['two days', 2 * D, '2d'],
  ['days with hours', 2 * D + 3 * H, '2d3h'],
  ['last d+h value', 8 * D - 1, '7d23h'],
  ['eight days', 8 * D, '8d'],
  ['45 days', 45 * D + 7 * H, '45d'],
  ['last plain-days value', 730 * D - 1, '729d'],
  ['two years', 730 * D, '2y'],
  ['years with days', 830 * D, '2y100d'],
  ['last y+d value', 2920 * D - 1, '7y364d'],
  ['eight years', 2920 * D, '8y'],
  ['long after, no remainder', 3000 * D, '8y'],
];

for (const [label, spanMs, expected] of CASES) {
  void test(`humanDuration: ${label} (${spanMs} ms) → ${expected}`, () => {
    assert.equal(humanDuration(spanMs), expected);
  });
}

void test('ageSince reads RFC 3339 and reports <unknown> for a missing timestamp', () => {
  const now = Date.parse('2026-06-26T10:15:00Z');
  assert.equal(ageSince('2026-06-26T10:12:19Z', now), '2m41s');
  assert.equal(ageSince(undefined, now), '<unknown>');
  assert.equal(ageSince(null, now), '<unknown>');
  assert.equal(ageSince('not a time', now), '<unknown>');
});
