// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDurationMs, parseDuration } from './duration.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

const valid: ReadonlyArray<[string, number]> = [
  ['0s', 0],
  ['15s', 15 * S],
  ['1m', M],
  ['5m', 5 * M],
  ['1h', H],
  ['1.5h', 1.5 * H],
  ['1h30m', 90 * M],
  ['14d', 14 * D],
  ['2w', 14 * D],
  ['1mo', 30 * D],
  ['6mo', 180 * D],
  ['1y', 365 * D],
  ['2y', 730 * D],
  ['250ms', 250],
  [' 30s ', 30 * S],
];

for (const [text, ms] of valid) {
  test(`parseDuration("${text}") = ${ms} ms`, () => {
    assert.deepEqual(parseDuration(text), { ok: true, ms });
  });
}

const invalid: ReadonlyArray<[string, RegExp]> = [
  ['60', /bare number has no unit; write for example "60s"/],
  ['1.5', /bare number/],
  ['', /expected a duration/],
  ['5 m', /not a duration at "5 m"/],
  ['5x', /not a duration at "5x"/],
  ['-5s', /not a duration/],
  ['1h30', /not a duration at "30"/],
  ['m', /not a duration/],
  ['5M', /not a duration/],
  ['99999999999999y', /too large/],
];

for (const [text, reason] of invalid) {
  test(`parseDuration("${text}") is rejected`, () => {
    const r = parseDuration(text);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, reason);
  });
}

test('a bare m is minutes, never months', () => {
  assert.deepEqual(parseDuration('1m'), { ok: true, ms: M });
  assert.deepEqual(parseDuration('1mo'), { ok: true, ms: 30 * D });
});

const formatted: ReadonlyArray<[number, string]> = [
  [0, '0s'],
  [1500, '1500ms'],
  [15 * S, '15s'],
  [90 * S, '90s'],
  [M, '1m'],
  [H, '1h'],
  [14 * D, '14d'],
  [30 * D, '1mo'],
  [180 * D, '6mo'],
  [365 * D, '1y'],
  [730 * D, '2y'],
];

for (const [ms, text] of formatted) {
  test(`formatDurationMs(${ms}) = "${text}" and reads back`, () => {
    assert.equal(formatDurationMs(ms), text);
    assert.deepEqual(parseDuration(text), { ok: true, ms });
  });
}
