// SPDX-License-Identifier: Apache-2.0
// Behaviour of each profile kind as seen through the engine's read side.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OomKillEvent } from './engine.ts';
import type { ContainerUsage } from './types.ts';
import type { UsageProfile } from './profiles.ts';
import { aContainer, anEngine, GIB, MIB, sample, START_MS } from './test-builders.ts';
import type { UsageEngine } from './engine.ts';
import { MINUTE_MS, HOUR_MS, DAY_MS } from '../../domain/time.ts';

function read(engine: UsageEngine, pod = 'web-0'): ContainerUsage {
  const u = engine.container('default', pod, 'app');
  assert.ok(u, 'container exists');
  return u;
}

function workingSet(engine: UsageEngine): number {
  return read(engine).memoryWorkingSetBytes;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

void describe('leak profile', () => {
  void it('is OOM-killed at the limit after about (limit − base) / rate, then restarts from the baseline', () => {
    const ooms: OomKillEvent[] = [];
    const engine = anEngine({ onOomKill: (e) => ooms.push(e) });
    const base = 100 * MIB;
    const limit = 500 * MIB;
    const rate = 100 * MIB; // per hour → 4 h to the limit
    engine.addContainer(
      aContainer({
        profile: {
          kind: 'leak',
          memory: { bytes: base, noise: 0 },
          daily: { memoryAmplitude: 0 },
          leak: { bytesPerHour: rate },
        },
        limits: { cpuCores: 1, memoryBytes: limit },
      }),
    );
    engine.advance(START_MS + 3 * HOUR_MS);
    assert.equal(ooms.length, 0);
    assert.ok(read(engine).memoryWorkingSetBytes > base + 2.5 * rate, 'grows steadily');
    engine.advance(START_MS + 9 * HOUR_MS);
    assert.equal(ooms.length, 2, 'killed, restarted from the baseline, killed again');
    const [first, second] = ooms;
    assert.ok(first && second);
    const expectedMs = ((limit - base) / rate) * HOUR_MS;
    const firstAfterMs = first.atMs - START_MS;
    assert.ok(Math.abs(firstAfterMs - expectedMs) < 10 * MINUTE_MS, `first OOM after ${firstAfterMs / HOUR_MS} h`);
    assert.ok(Math.abs(second.atMs - first.atMs - expectedMs) < 10 * MINUTE_MS, 'second OOM one period later');
    assert.deepEqual([first.namespace, first.pod, first.container], ['default', 'web-0', 'app']);
    assert.ok(first.memoryBytes >= limit);
    const u = read(engine);
    assert.equal(u.startedAtMs, second.atMs, 'the new incarnation started at the kill');
    assert.ok(u.memoryWorkingSetBytes < limit / 2);
  });

  void it('restarts counters from zero at an OOM kill', () => {
    let killedAt = 0;
    const engine = anEngine({ onOomKill: (e) => (killedAt = e.atMs) });
    engine.addContainer(aContainer({ profile: { kind: 'leak' } }));
    let before = 0;
    while (killedAt === 0) {
      before = read(engine).cpuSecondsTotal;
      engine.advance(engine.nowMs() + 15_000);
    }
    assert.ok(before > 100);
    assert.equal(read(engine).cpuSecondsTotal, 0);
    assert.ok(Math.abs(killedAt - START_MS - 6 * HOUR_MS) < 20 * MINUTE_MS, 'default: limit reached in about 6 h');
  });

  void it('without a memory limit, grows without being killed', () => {
    const ooms: OomKillEvent[] = [];
    const engine = anEngine({ onOomKill: (e) => ooms.push(e) });
    const profile: UsageProfile = { kind: 'leak', leak: { bytesPerHour: GIB } };
    engine.addContainer(aContainer({ profile, limits: { cpuCores: 1 } }));
    engine.advance(START_MS + 10 * HOUR_MS);
    assert.equal(ooms.length, 0);
    assert.ok(read(engine).memoryWorkingSetBytes > 9 * GIB);
  });

  void it('with the GC option, shows a sawtooth on top of the growth', () => {
    const engine = anEngine();
    const leak = { bytesPerHour: 10 * MIB, gcAmplitudeBytes: 100 * MIB, gcPeriodSec: 300 };
    engine.addContainer(aContainer({ profile: { kind: 'leak', leak } }));
    const ws = sample(engine, { toMs: START_MS + 2 * HOUR_MS, stepMs: 15_000 }, () => workingSet(engine));
    const drops = ws.filter((v, k) => k > 0 && v < (ws[k - 1] ?? 0) - 50 * MIB).length;
    assert.ok(drops >= 20, `${drops} collections in 2 h`);
  });
});

void describe('cpu-bound profile', () => {
  void it('is capped at its limit and throttled in more than half of its periods', () => {
    const engine = anEngine();
    engine.addContainer(aContainer({ profile: { kind: 'cpu-bound' } }));
    engine.advance(START_MS + 5 * MINUTE_MS);
    const a = read(engine);
    engine.advance(START_MS + 2 * HOUR_MS);
    const b = read(engine);
    const ratio = (b.cfsThrottledPeriodsTotal - a.cfsThrottledPeriodsTotal) / (b.cfsPeriodsTotal - a.cfsPeriodsTotal);
    assert.ok(ratio > 0.5, `throttled ratio ${ratio}`);
    const used = (b.cpuSecondsTotal - a.cpuSecondsTotal) / ((2 * HOUR_MS - 5 * MINUTE_MS) / 1000);
    assert.ok(used > 0.95 && used <= 1 + 1e-9, `uses its whole limit: ${used}`);
    assert.ok(b.cpuCores <= 1 && b.cfsThrottledSecondsTotal > a.cfsThrottledSecondsTotal);
  });

  void it('without a CPU limit, runs above its request and is never throttled', () => {
    const engine = anEngine();
    engine.addContainer(aContainer({ profile: { kind: 'cpu-bound' }, limits: {} }));
    engine.advance(START_MS + HOUR_MS);
    const u = read(engine);
    assert.equal(u.cfsPeriodsTotal, 0);
    assert.equal(u.cfsThrottledPeriodsTotal, 0);
    assert.ok(u.cpuSecondsTotal / 3600 > 0.8, 'about 2 × the 0.5-core request');
  });
});

void describe('idle profile', () => {
  void it('uses a small fraction of big requests', () => {
    const engine = anEngine();
    const requests = { cpuCores: 2, memoryBytes: 4 * GIB };
    const limits = { cpuCores: 4, memoryBytes: 8 * GIB };
    engine.addContainer(aContainer({ profile: { kind: 'idle' }, requests, limits }));
    const usage = sample(engine, { toMs: START_MS + DAY_MS, stepMs: 5 * MINUTE_MS }, () => read(engine));
    const cpuMean = (usage.at(-1)?.cpuSecondsTotal ?? 0) / 86_400;
    assert.ok(cpuMean < 0.05 * requests.cpuCores, `cpu ${cpuMean}`);
    assert.ok(Math.max(...usage.map((u) => u.memoryWorkingSetBytes)) < 0.15 * requests.memoryBytes);
  });
});

void describe('steady profile', () => {
  void it('shows the daily cycle: busier at the peak hour than at night', () => {
    const engine = anEngine();
    engine.addContainer(aContainer({ profile: { kind: 'steady', daily: { amplitude: 0.5, peakHour: 14 } } }));
    const hourly: number[][] = Array.from({ length: 24 }, () => []);
    let last = read(engine).cpuSecondsTotal;
    for (let h = 1; h <= 48; h++) {
      engine.advance(START_MS + h * HOUR_MS);
      const now = read(engine).cpuSecondsTotal;
      hourly[(h - 1) % 24]?.push((now - last) / 3600);
      last = now;
    }
    const peak = mean(hourly[14] ?? []);
    const trough = mean(hourly[2] ?? []);
    assert.ok(peak > 1.8 * trough, `peak ${peak} vs trough ${trough}`);
    assert.ok(peak < 0.5 * 1.6, 'around 0.4 × request × (1 + amplitude)');
  });

  void it('has right-skewed noise around its level', () => {
    const engine = anEngine();
    engine.addContainer(aContainer({ profile: { kind: 'steady', daily: { amplitude: 0 }, weekly: { amplitude: 0 } } }));
    const cpu = sample(engine, { toMs: START_MS + 6 * HOUR_MS, stepMs: 60_000 }, () => read(engine).cpuCores).slice(2);
    const m = mean(cpu);
    const sd = Math.sqrt(mean(cpu.map((v) => (v - m) ** 2)));
    assert.ok(m > 0.15 && m < 0.25, `mean ${m}`);
    assert.ok(sd / m > 0.15 && sd / m < 0.7, `coefficient of variation ${sd / m}`);
    assert.ok(Math.min(...cpu) > 0);
  });
});

void describe('sawtooth profile', () => {
  void it('rises and drops periodically but never reaches the limit', () => {
    const ooms: OomKillEvent[] = [];
    const engine = anEngine({ onOomKill: (e) => ooms.push(e) });
    const limit = 512 * MIB;
    const profile: UsageProfile = { kind: 'sawtooth', sawtooth: { amplitudeBytes: 400 * MIB } };
    engine.addContainer(aContainer({ profile, limits: { memoryBytes: limit } }));
    const ws = sample(engine, { toMs: START_MS + 2 * DAY_MS, stepMs: 15_000 }, () => workingSet(engine));
    assert.equal(ooms.length, 0);
    assert.ok(Math.max(...ws) < limit, `max ${Math.max(...ws) / MIB} MiB`);
    const drops = ws.filter((v, k) => k > 0 && v < (ws[k - 1] ?? 0) * 0.8).length;
    assert.ok(drops > 200, `${drops} collections in 2 days`);
  });
});

void describe('spiky and bursty profiles', () => {
  void it('spiky: short peaks well above the usual level', () => {
    const engine = anEngine();
    engine.addContainer(aContainer({ profile: { kind: 'spiky', spikes: { perHour: 4 } }, limits: {} }));
    const cpu = sample(engine, { toMs: START_MS + DAY_MS, stepMs: 15_000 }, () => read(engine).cpuCores);
    const sorted = [...cpu].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const spikes = cpu.filter((v) => v > 2.5 * median).length;
    assert.ok(spikes > 50 && spikes < cpu.length * 0.15, `${spikes} samples in spikes`);
  });

  void it('bursty: bursts of high CPU for about the duty fraction, idle otherwise', () => {
    const engine = anEngine();
    engine.addContainer(aContainer({ profile: { kind: 'bursty', bursts: { periodSec: 1800, duty: 0.25 } } }));
    const cpu = sample(engine, { toMs: START_MS + DAY_MS, stepMs: 15_000 }, () => read(engine).cpuCores).slice(8);
    const busy = cpu.filter((v) => v > 0.5).length / cpu.length;
    assert.ok(Math.abs(busy - 0.25) < 0.05, `busy ${busy}`);
    assert.ok(mean(cpu.filter((v) => v <= 0.5)) < 0.05, 'idle between bursts');
  });
});
