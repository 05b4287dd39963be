// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessLogTime, postgresTime, pythonTime, redisTime, rfc3339Nano, slashTime } from './time-format.ts';

const T = Date.parse('2026-06-26T10:14:14.120Z');

// Go's RFC3339Nano trims trailing zeros of the fraction and drops it entirely when it is zero.
const NANO_CASES: readonly [number, number, string][] = [
  [Date.parse('2026-06-26T10:14:14Z'), 0, '2026-06-26T10:14:14Z'],
  [T, 0, '2026-06-26T10:14:14.12Z'],
  [T, 3_456, '2026-06-26T10:14:14.120003456Z'],
  [T, 300_000, '2026-06-26T10:14:14.1203Z'],
  [Date.parse('2026-06-26T10:14:14Z'), 1, '2026-06-26T10:14:14.000000001Z'],
  [Date.parse('2026-01-02T03:04:05.999Z'), 999_999, '2026-01-02T03:04:05.999999999Z'],
];

for (const [ms, ns, expected] of NANO_CASES) {
  void test(`rfc3339Nano(${ms}, ${ns}) → ${expected}`, () => {
    assert.equal(rfc3339Nano(ms, ns), expected);
  });
}

void test('log-specific formats', () => {
  assert.equal(pythonTime(T), '2026-06-26 10:14:14,120');
  assert.equal(postgresTime(T), '2026-06-26 10:14:14.120 UTC');
  assert.equal(slashTime(T), '2026/06/26 10:14:14');
  assert.equal(accessLogTime(T), '26/Jun/2026:10:14:14 +0000');
  assert.equal(redisTime(T), '26 Jun 2026 10:14:14.120');
});
