// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Sample } from '../../domain/series.ts';
import { assessOomRisk } from './oom-risk.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const MiB = 1024 * 1024;
const NOW = Date.UTC(2026, 11, 5);
const flat = (bytes: number, minutes = 60): Sample[] => Array.from({ length: minutes }, (_, i) => ({ tsMs: NOW - (minutes - 1 - i) * MIN, value: bytes }));

test('ratio thresholds: above 0.90 medium, above 0.95 high, at 0.90 nothing', () => {
  const at = (r: number) => assessOomRisk({ nowMs: NOW, workingSet: flat(r * 1000 * MiB), limitBytes: 1000 * MiB, oomKillsMs: [] });
  assert.equal(at(0.9).severity, undefined);
  assert.equal(at(0.91).severity, 'medium');
  assert.equal(at(0.96).severity, 'high');
  assert.ok(Math.abs((at(0.96).memoryUsageRatio ?? 0) - 0.96) < 1e-9);
});

test('only the last 15 minutes make the ratio; older peaks still shape the recommended limit', () => {
  const samples = flat(500 * MiB);
  samples[0] = { tsMs: samples[0]!.tsMs, value: 990 * MiB };
  const r = assessOomRisk({ nowMs: NOW, workingSet: samples, limitBytes: 1000 * MiB, oomKillsMs: [] });
  assert.equal(r.severity, undefined);
  assert.equal(r.recommendedLimitBytes, 990 * MiB * 1.2);
  // +100 MiB wins for small containers.
  assert.equal(assessOomRisk({ nowMs: NOW, workingSet: flat(100 * MiB), limitBytes: 1000 * MiB, oomKillsMs: [] }).recommendedLimitBytes, 200 * MiB);
});

test('OOM kills: one in 24 h high, two critical, one with a leak critical, older ones ignored', () => {
  const base = { nowMs: NOW, workingSet: flat(100 * MiB), limitBytes: 1000 * MiB };
  assert.equal(assessOomRisk({ ...base, oomKillsMs: [NOW - HOUR] }).severity, 'high');
  assert.equal(assessOomRisk({ ...base, oomKillsMs: [NOW - HOUR, NOW - 2 * HOUR] }).severity, 'critical');
  assert.equal(assessOomRisk({ ...base, oomKillsMs: [NOW - HOUR], leakDetected: true }).severity, 'critical');
  assert.equal(assessOomRisk({ ...base, oomKillsMs: [NOW - 25 * HOUR] }).severity, undefined);
});

test('a leak reaching the limit within 24 h is high, with the time to OOM', () => {
  const r = assessOomRisk({ nowMs: NOW, workingSet: flat(600 * MiB), limitBytes: 1000 * MiB, oomKillsMs: [], leakDetected: true, leakTimeToLimitHours: 10 });
  assert.equal(r.severity, 'high');
  assert.equal(r.timeToOomHours, 10);
});

test('no limit: no ratio, medium only on a node above 85 % memory; no data: nothing', () => {
  const noLimit = assessOomRisk({ nowMs: NOW, workingSet: flat(900 * MiB), oomKillsMs: [] });
  assert.equal(noLimit.memoryUsageRatio, undefined);
  assert.equal(noLimit.severity, undefined);
  assert.equal(assessOomRisk({ nowMs: NOW, workingSet: flat(900 * MiB), oomKillsMs: [], nodeMemoryRatio: 0.9 }).severity, 'medium');
  const empty = assessOomRisk({ nowMs: NOW, workingSet: [], limitBytes: 1000 * MiB, oomKillsMs: [] });
  assert.equal(empty.severity, undefined);
  assert.equal(empty.memoryUsageRatio, undefined);
  assert.equal(empty.recommendedLimitBytes, undefined);
});
