// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Sample } from '../../domain/series.ts';
import { assessThrottling } from './throttling.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 5);
const series = (minutes: number, f: (i: number) => number): Sample[] =>
  Array.from({ length: minutes }, (_, i) => ({ tsMs: NOW - (minutes - 1 - i) * MIN, value: f(i) }));

test('sustained 15 minutes: ≥ 0.25 medium, ≥ 0.50 high; one dip below breaks it', () => {
  const usage = series(600, () => 480);
  const at = (ratio: Sample[]) => assessThrottling({ nowMs: NOW, throttleRatio: ratio, cpuMillicores: usage.map((u) => u.value), cpuLimitMillicores: 500 });
  assert.equal(at(series(30, () => 0.3)).severity, 'medium');
  assert.equal(at(series(30, () => 0.5)).severity, 'high');
  assert.equal(at(series(30, () => 0.2)).severity, undefined);
  assert.equal(at(series(30, (i) => (i === 25 ? 0.1 : 0.6))).severity, undefined);
  // A dip older than the window does not count.
  assert.equal(at(series(30, (i) => (i === 2 ? 0.1 : 0.6))).severity, 'high');
  // A container 10 minutes old: its history does not reach back over the window, however high the ratio.
  assert.equal(at(series(10, () => 0.9)).severity, undefined);
  // One ratio every 20 minutes (a kubelet read per turn): the newest covers the whole window.
  const sparse = [40, 20, 0].map((ago) => ({ tsMs: NOW - ago * MIN, value: 0.7 }));
  assert.equal(at(sparse).severity, 'high');
  assert.equal(at(sparse.slice(1)).severity, 'high');
  assert.equal(at(sparse.slice(2)).severity, undefined, 'one sample: no start of the window');
});

test('classification: at the limit, bursty, near the limit; the suggested limit is p99 × 1.2', () => {
  const ratio = series(20, () => 0.4);
  const judge = (usage: Sample[]) => assessThrottling({ nowMs: NOW, throttleRatio: ratio, cpuMillicores: usage.map((u) => u.value), cpuLimitMillicores: 1000 });
  const atLimit = judge(series(1000, () => 950));
  assert.equal(atLimit.classification, 'limit-too-low');
  assert.equal(atLimit.recommendedLimitMillicores, 1140);
  const bursty = judge(series(1000, (i) => (i % 100 === 0 ? 1000 : 200)));
  assert.equal(bursty.classification, 'bursty');
  assert.equal(judge(series(1000, () => 650)).classification, 'near-limit');
  assert.equal(judge(series(1000, () => 650)).recommendedLimitMillicores, 1000);
});

test('no CPU limit, too few samples or no usage are reported, not guessed', () => {
  assert.equal(assessThrottling({ nowMs: NOW, throttleRatio: series(30, () => 0.9), cpuMillicores: [] }).severity, undefined);
  assert.equal(assessThrottling({ nowMs: NOW, throttleRatio: series(2, () => 0.9), cpuMillicores: [], cpuLimitMillicores: 100 }).sustainedRatio, undefined);
  const noUsage = assessThrottling({ nowMs: NOW, throttleRatio: series(30, () => 0.9), cpuMillicores: [], cpuLimitMillicores: 100 });
  assert.equal(noUsage.severity, 'high');
  assert.equal(noUsage.classification, undefined);
});
