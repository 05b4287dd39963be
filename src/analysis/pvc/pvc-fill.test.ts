// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Sample } from '../../domain/series.ts';
import { assessPvcFill } from './pvc-fill.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const GIB = 2 ** 30;
const NOW = Date.UTC(2026, 11, 5);
const CAP = 100 * GIB;
/** One sample per `everyMin` minutes over `minutes`, ending at NOW. */
const series = (minutes: number, f: (ageMin: number) => number, everyMin = 5): Sample[] => {
  const out: Sample[] = [];
  for (let age = minutes; age >= 0; age -= everyMin) out.push({ tsMs: NOW - age * MIN, value: f(age) });
  return out;
};
const assess = (used: Sample[]) => assessPvcFill({ nowMs: NOW, usedBytes: used, capacityBytes: CAP });
const rules = (used: Sample[]) => assess(used).findings.map((f) => `${f.rule}:${f.severity}`);

test('no data, no capacity: insufficient data, no numbers', () => {
  assert.deepEqual(assess([]), { status: 'insufficient_data', findings: [] });
  assert.equal(assessPvcFill({ nowMs: NOW, usedBytes: series(60, () => GIB), capacityBytes: 0 }).status, 'insufficient_data');
});

test('one point: a ratio but no trend and no sustained finding', () => {
  const r = assess([{ tsMs: NOW, value: 90 * GIB }]);
  assert.equal(r.ratio, 0.9);
  assert.equal(r.growthGiBPerDay, undefined);
  assert.deepEqual(r.findings, []);
});

test('thresholds: > 0.8 medium after 5 min, < 3 % free critical (not also medium), 0.3–0.8 silent', () => {
  assert.deepEqual(rules(series(10, () => 85 * GIB)), ['high-usage:medium']);
  assert.deepEqual(rules(series(10, () => 80 * GIB)), []);
  assert.deepEqual(rules(series(10, () => 98 * GIB)), ['nearly-full:critical']);
  assert.deepEqual(rules(series(60, () => 50 * GIB)), []);
  // Above 0.8 for only 3 minutes: not sustained.
  assert.deepEqual(rules(series(10, (age) => (age < 3 ? 85 : 50) * GIB, 1)), []);
  // 5-minute means whose newest is 2 min old: the 1-minute window of the nearly-full rule holds no sample of its own
  // and is judged by the sample in force, so a half-full claim is not nearly full (and a 98 % one still is).
  const older = (f: () => number) => series(60, f).map((x) => ({ ...x, tsMs: x.tsMs - 2 * MIN }));
  assert.deepEqual(assessPvcFill({ nowMs: NOW, usedBytes: older(() => 50 * GIB), capacityBytes: CAP }).findings, []);
  assert.deepEqual(
    assessPvcFill({ nowMs: NOW, usedBytes: older(() => 98 * GIB), capacityBytes: CAP }).findings.map((f) => f.rule),
    ['nearly-full'],
  );
});

test('low usage needs 7 days below 0.3', () => {
  assert.deepEqual(rules(series(8 * 24 * 60, () => 10 * GIB, 60)), ['low-usage:info']);
  assert.deepEqual(rules(series(6 * 24 * 60, () => 10 * GIB, 60)), []);
});

test('constant series: zero growth, no days to full', () => {
  const r = assess(series(600, () => 50 * GIB));
  assert.equal(r.growthGiBPerDay, 0);
  assert.equal(r.daysToFull, undefined);
});

test('filling up: free < 15 % and full within 4 days on the 6 h trend is high; the slope is in GiB/day', () => {
  // 86 GiB now, growing 3 GiB/day: 14 GiB free → 4.67 days: not yet. At 4 GiB/day → 3.5 days: high.
  const slow = assess(series(8 * 60, (age) => 86 * GIB - (age / 1440) * 3 * GIB));
  assert.ok(Math.abs((slow.growthGiBPerDay as number) - 3) < 1e-6);
  assert.ok(!slow.findings.some((f) => f.rule === 'filling-up'));
  const fast = assess(series(8 * 60, (age) => 86 * GIB - (age / 1440) * 4 * GIB));
  assert.ok(Math.abs((fast.daysToFull as number) - 3.5) < 1e-6);
  assert.ok(fast.findings.some((f) => f.rule === 'filling-up' && f.severity === 'high'));
});

test('the robust slope ignores a one-off jump and gaps', () => {
  const withJump = series(6 * 60, (age) => 50 * GIB + (age === 100 ? 30 * GIB : 0)).filter((_, i) => i % 7 !== 3);
  assert.equal(assess(withJump).growthGiBPerDay, 0);
});

test('a volume that was cleaned (usage drops, like a counter reset): the step is no growth, no days to full', () => {
  const r = assess(series(6 * 60, (age) => (age > 120 ? 90 : 20) * GIB));
  assert.ok((r.growthGiBPerDay as number) <= 0);
  assert.equal(r.ratio, 0.2);
  assert.equal(r.daysToFull, undefined);
  assert.deepEqual(r.findings, []);
  assert.ok(DAY > 0);
});

test('inode variant', () => {
  const r = assessPvcFill({ nowMs: NOW, usedBytes: series(10, () => 50 * GIB), capacityBytes: CAP, inodesUsed: 95, inodesTotal: 100 });
  assert.deepEqual(r.findings.map((f) => f.rule), ['inodes-high']);
});
