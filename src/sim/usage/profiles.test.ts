// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { USAGE_PROFILE_KINDS, usageProfileSchema } from './profiles.ts';
import { KernelKind, MEMORY_NOISE_BOUND, resolveProfile } from './resolve-profile.ts';
import type { UsageProfile } from './profiles.ts';

const MIB = 1024 * 1024;
const sized = { requests: { cpuCores: 0.5, memoryBytes: 512 * MIB }, limits: { cpuCores: 1, memoryBytes: 1024 * MIB } };

void describe('usageProfileSchema', () => {
  void it('accepts every kind with defaults only', () => {
    for (const kind of USAGE_PROFILE_KINDS) assert.equal(usageProfileSchema.parse({ kind }).kind, kind);
  });

  void it('parses a profile as a scenario file states it', () => {
    const doc: unknown = JSON.parse(`{
      "kind": "leak",
      "cpu": { "cores": 0.2, "noise": 0.5 },
      "memory": { "bytes": 268435456 },
      "daily": { "amplitude": 0.4, "peakHour": 15 },
      "leak": { "bytesPerHour": 52428800, "gcAmplitudeBytes": 10485760 }
    }`);
    const p = usageProfileSchema.parse(doc);
    assert.equal(p.kind, 'leak');
    assert.equal(p.kind === 'leak' ? p.leak?.bytesPerHour : 0, 50 * MIB);
  });

  void it('rejects unknown kinds, unknown keys, keys of another kind and out-of-range values', () => {
    assert.equal(usageProfileSchema.safeParse({ kind: 'chaotic' }).success, false);
    assert.equal(usageProfileSchema.safeParse({ kind: 'steady', cpu: { core: 1 } }).success, false);
    assert.equal(usageProfileSchema.safeParse({ kind: 'steady', leak: {} }).success, false);
    assert.equal(usageProfileSchema.safeParse({ kind: 'steady', daily: { peakHour: 25 } }).success, false);
    assert.equal(usageProfileSchema.safeParse({ kind: 'bursty', bursts: { duty: 2 } }).success, false);
    assert.equal(usageProfileSchema.safeParse({ kind: 'spiky', cpu: { cores: -1 } }).success, false);
  });
});

void describe('resolveProfile', () => {
  const within = (value: number, expected: number, rel: number): boolean => Math.abs(value / expected - 1) <= rel;

  void it('defaults steady CPU to 0.4 × request and memory to 0.6 × request, with ±10 % jitter', () => {
    for (let seed = 0; seed < 50; seed++) {
      const r = resolveProfile({ kind: 'steady' }, sized, seed);
      assert.equal(r.kind, KernelKind.steady);
      assert.ok(within(r.cpuLevelCores, 0.2, 0.1), `${r.cpuLevelCores}`);
      assert.ok(within(r.memoryLevelBytes, 0.6 * 512 * MIB, 0.05));
    }
  });

  void it('honours explicit values over ratios and ratios over defaults', () => {
    const cpu = { cores: 2, requestRatio: 0.1 };
    const profile: UsageProfile = { kind: 'steady', cpu, memory: { requestRatio: 0.25 } };
    const r = resolveProfile(profile, sized, 1);
    assert.ok(within(r.cpuLevelCores, 2, 0.1));
    assert.ok(within(r.memoryLevelBytes, 128 * MIB, 0.05));
  });

  void it('falls back to half the limit, then to 0.1 core / 128 MiB, when requests are missing or zero', () => {
    const halfLimit = resolveProfile({ kind: 'steady' }, { requests: { cpuCores: 0 }, limits: { cpuCores: 2 } }, 1);
    assert.ok(within(halfLimit.cpuLevelCores, 0.4, 0.1));
    const nothing = resolveProfile({ kind: 'steady' }, { requests: {}, limits: {} }, 1);
    assert.ok(within(nothing.cpuLevelCores, 0.04, 0.1));
    assert.ok(within(nothing.memoryLevelBytes, 0.6 * 128 * MIB, 0.05));
  });

  void it('maps idle and cpu-bound onto the steady kernel with their own defaults', () => {
    const idle = resolveProfile({ kind: 'idle' }, sized, 2);
    assert.equal(idle.kind, KernelKind.steady);
    assert.ok(idle.cpuLevelCores < 0.05 * 0.5 && idle.memoryLevelBytes < 0.1 * 512 * MIB);
    const bound = resolveProfile({ kind: 'cpu-bound' }, sized, 2);
    assert.ok(bound.cpuLevelCores >= 1.8, 'demand 2 × limit');
    const unlimited = resolveProfile({ kind: 'cpu-bound' }, { requests: { cpuCores: 0.5 }, limits: {} }, 2);
    assert.ok(within(unlimited.cpuLevelCores, 1, 0.1), 'no limit: 2 × request');
  });

  void it('defaults a leak to reach the memory limit in about 6 hours', () => {
    const r = resolveProfile({ kind: 'leak' }, sized, 3);
    const hours = (1024 * MIB - r.memoryLevelBytes) / (r.p0 * 3600);
    assert.ok(within(hours, 6, 1e-9), `${hours}`);
  });

  void it('keeps the sawtooth peak under 90 % of the limit even when asked for more', () => {
    const profile: UsageProfile = {
      kind: 'sawtooth',
      memory: { bytes: 900 * MIB },
      sawtooth: { amplitudeBytes: 500 * MIB },
    };
    const r = resolveProfile(profile, sized, 4);
    const peak = r.memoryLevelBytes * (1 + r.memoryDailyAmplitude + MEMORY_NOISE_BOUND * r.memoryNoise) + r.p0;
    assert.ok(peak <= 0.9 * 1024 * MIB + 1, `${peak / MIB} MiB`);
  });

  void it('places the daily peak near the requested hour', () => {
    const r = resolveProfile({ kind: 'steady', daily: { peakHour: 9 } }, sized, 5);
    assert.ok(Math.abs(r.dailyPhase - 36) <= 2, `${r.dailyPhase}`);
    assert.equal(r.weeklyPhase, 2 * 24 + 9);
  });
});
