// SPDX-License-Identifier: Apache-2.0
// Turns a declarative profile plus a container's requests and limits into the flat numbers the step kernel reads.
// All defaults live here, expressed relative to requests and limits, so scenario files stay short. Replicas of a
// workload share a profile; a per-container seed adds a little jitter (level, phase) so they do not move in lockstep.
import { createRandom } from './random.ts';
import type { SeededRandom } from './random.ts';
import type { UsageProfile } from './profiles.ts';

/** Kernel kinds: idle and cpu-bound are steady with other defaults, so the hot loop has five branches. */
export const KernelKind = { none: 0, steady: 1, spiky: 2, leak: 3, bursty: 4, sawtooth: 5 } as const;
/** A value of {@link KernelKind}. */
export type KernelKind = (typeof KernelKind)[keyof typeof KernelKind];

/** Buckets per day of the daily phase (15 minutes each). */
export const DAILY_PHASES = 96;
/** Buckets per week of the weekly phase (one hour each). */
export const WEEKLY_PHASES = 168;
/** Bound of |z| of the memory noise term (see step-kernel.ts): memory stays within level × (1 ± noise × bound). */
export const MEMORY_NOISE_BOUND = 1.5;

/** Requests or limits of one container. Absent or non-positive values mean "not set". */
export interface ResourceAmounts {
  cpuCores?: number;
  memoryBytes?: number;
}

/** Requests and limits of one container. */
export interface ContainerResources {
  requests: ResourceAmounts;
  limits: ResourceAmounts;
}

/**
 * Flat kernel parameters of one container. CPU in cores, memory in bytes, times in seconds, amplitudes relative.
 * `p0`…`p4` depend on the kind: spiky (spike probability per bucket, extra cores, bucket seconds, extra bytes),
 * leak (bytes per second, GC amplitude bytes, GC period seconds), bursty (period seconds, duty, burst cores,
 * probability, extra bytes), sawtooth (amplitude bytes, period seconds).
 */
export interface ResolvedProfile {
  kind: KernelKind;
  cpuLevelCores: number;
  cpuNoise: number;
  cpuDailyAmplitude: number;
  cpuWeeklyAmplitude: number;
  memoryDailyAmplitude: number;
  /** Daily phase bucket of the peak, 0 … {@link DAILY_PHASES} − 1. */
  dailyPhase: number;
  /** Hour of the week of the weekly peak (0 = Monday 00:00 UTC). */
  weeklyPhase: number;
  memoryLevelBytes: number;
  memoryNoise: number;
  p0: number;
  p1: number;
  p2: number;
  p3: number;
  p4: number;
}

const MIB = 1024 * 1024;
const HOUR_SEC = 3600;
const FALLBACK_CPU_CORES = 0.1;
const FALLBACK_MEMORY_BYTES = 128 * MIB;

interface Base {
  cpu: number;
  memory: number;
  noise: number;
  daily: number;
  memoryDaily: number;
  weekly: number;
}

/** Kind defaults: CPU and memory as fractions of the reference request, noise and amplitudes. */
const BASE_DEFAULTS: Record<UsageProfile['kind'], Base> = {
  steady: { cpu: 0.4, memory: 0.6, noise: 0.35, daily: 0.3, memoryDaily: 0.03, weekly: 0.1 },
  spiky: { cpu: 0.3, memory: 0.6, noise: 0.35, daily: 0.3, memoryDaily: 0.03, weekly: 0.1 },
  leak: { cpu: 0.3, memory: 0.4, noise: 0.3, daily: 0.2, memoryDaily: 0, weekly: 0.05 },
  'cpu-bound': { cpu: 2, memory: 0.5, noise: 0.08, daily: 0, memoryDaily: 0.01, weekly: 0 },
  idle: { cpu: 0.03, memory: 0.08, noise: 0.2, daily: 0.05, memoryDaily: 0.01, weekly: 0 },
  bursty: { cpu: 0.02, memory: 0.3, noise: 0.25, daily: 0, memoryDaily: 0, weekly: 0 },
  sawtooth: { cpu: 0.4, memory: 0.45, noise: 0.35, daily: 0.3, memoryDaily: 0.1, weekly: 0.1 },
};

function positive(v: number | undefined): number {
  return v !== undefined && v > 0 ? v : 0;
}

/** The amount defaults are relative to: the request, else half the limit, else a fallback. */
function reference(request: number, limit: number, fallback: number): number {
  if (request > 0) return request;
  return limit > 0 ? limit / 2 : fallback;
}

interface Context {
  profile: UsageProfile;
  cpuRef: number;
  memRef: number;
  cpuLimit: number;
  memLimit: number;
  rng: SeededRandom;
}

/** `defaults` overridden by the keys of `given` that are defined. */
function withDefaults<T extends object>(defaults: Required<T>, given: T | undefined): Required<T> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(given ?? {})) if (value !== undefined) out[key] = value;
  return out as Required<T>;
}

function cpuLevel(ctx: Context, base: Base): number {
  const { profile: p, cpuLimit, cpuRef } = ctx;
  if (p.cpu?.cores !== undefined) return p.cpu.cores;
  if (p.cpu?.requestRatio !== undefined) return p.cpu.requestRatio * cpuRef;
  if (p.kind !== 'cpu-bound' || (cpuLimit <= 0 && p.demand?.cores === undefined)) return base.cpu * cpuRef;
  const demand = withDefaults({ limitRatio: 2, cores: -1 }, p.demand);
  return demand.cores >= 0 ? demand.cores : demand.limitRatio * cpuLimit;
}

function memoryLevel(ctx: Context, base: Base): number {
  const m = ctx.profile.memory;
  if (m?.bytes !== undefined) return m.bytes;
  return (m?.requestRatio ?? base.memory) * ctx.memRef;
}

function wrap(v: number, n: number): number {
  return ((v % n) + n) % n;
}

function resolveCommon(ctx: Context): ResolvedProfile {
  const { profile: p, rng } = ctx;
  const base = BASE_DEFAULTS[p.kind];
  const daily = withDefaults({ amplitude: base.daily, peakHour: 14, memoryAmplitude: base.memoryDaily }, p.daily);
  const weekly = withDefaults({ amplitude: base.weekly, peakDay: 2 }, p.weekly);
  const dailyPhase = Math.round((daily.peakHour * DAILY_PHASES) / 24 + rng.uniform(-2, 2));
  return {
    kind: KernelKind.steady,
    cpuLevelCores: cpuLevel(ctx, base) * rng.uniform(0.9, 1.1),
    cpuNoise: p.cpu?.noise ?? base.noise,
    cpuDailyAmplitude: daily.amplitude,
    cpuWeeklyAmplitude: weekly.amplitude,
    memoryDailyAmplitude: daily.memoryAmplitude,
    dailyPhase: wrap(dailyPhase, DAILY_PHASES),
    weeklyPhase: wrap(weekly.peakDay * 24 + Math.floor(daily.peakHour), WEEKLY_PHASES),
    memoryLevelBytes: memoryLevel(ctx, base) * rng.uniform(0.95, 1.05),
    memoryNoise: p.memory?.noise ?? 0.01,
    p0: 0,
    p1: 0,
    p2: 0,
    p3: 0,
    p4: 0,
  };
}

function resolveSpiky(r: ResolvedProfile, ctx: Context): void {
  if (ctx.profile.kind !== 'spiky') return;
  const s = withDefaults(
    { perHour: 2, cores: 3 * r.cpuLevelCores, durationSec: 60, memoryBytes: 0.05 * r.memoryLevelBytes },
    ctx.profile.spikes,
  );
  r.kind = KernelKind.spiky;
  r.p0 = Math.min(1, (s.perHour * s.durationSec) / HOUR_SEC);
  r.p1 = s.cores;
  r.p2 = s.durationSec;
  r.p3 = s.memoryBytes;
}

function resolveLeak(r: ResolvedProfile, ctx: Context): void {
  if (ctx.profile.kind !== 'leak') return;
  const toLimitIn6h = ctx.memLimit > 0 ? Math.max(0, ctx.memLimit - r.memoryLevelBytes) / 6 : 0.05 * ctx.memRef;
  const l = withDefaults({ bytesPerHour: toLimitIn6h, gcAmplitudeBytes: 0, gcPeriodSec: 300 }, ctx.profile.leak);
  r.kind = KernelKind.leak;
  r.p0 = l.bytesPerHour / HOUR_SEC;
  r.p1 = l.gcAmplitudeBytes;
  r.p2 = l.gcPeriodSec;
}

function resolveBursty(r: ResolvedProfile, ctx: Context): void {
  if (ctx.profile.kind !== 'bursty') return;
  const cores = ctx.cpuLimit > 0 ? 0.9 * ctx.cpuLimit : 2 * ctx.cpuRef;
  const b = withDefaults(
    { periodSec: 1800, duty: 0.2, cores, probability: 1, memoryBytes: 0.4 * ctx.memRef },
    ctx.profile.bursts,
  );
  r.kind = KernelKind.bursty;
  r.p0 = b.periodSec;
  r.p1 = b.duty;
  r.p2 = b.cores;
  r.p3 = b.probability;
  r.p4 = b.memoryBytes;
}

/** Sawtooth is the "not a leak" pattern, so its peak is kept under 90 % of the memory limit whatever is asked. */
function resolveSawtooth(r: ResolvedProfile, ctx: Context): void {
  if (ctx.profile.kind !== 'sawtooth') return;
  const s = withDefaults({ amplitudeBytes: 0.3 * ctx.memRef, periodSec: 600 }, ctx.profile.sawtooth);
  r.kind = KernelKind.sawtooth;
  r.p0 = s.amplitudeBytes;
  r.p1 = s.periodSec;
  if (ctx.memLimit <= 0) return;
  const spread = 1 + r.memoryDailyAmplitude + MEMORY_NOISE_BOUND * r.memoryNoise;
  const peak = r.memoryLevelBytes * spread + r.p0;
  const maxPeak = 0.9 * ctx.memLimit;
  if (peak <= maxPeak) return;
  r.memoryLevelBytes *= maxPeak / peak;
  r.p0 *= maxPeak / peak;
}

/**
 * Resolves a profile for one container.
 * @param profile the declared profile
 * @param resources requests and limits (cores, bytes); missing or zero values fall back to the other, then to
 *   0.1 core and 128 MiB
 * @param seed the container's seed (see `hashSeed`), used for per-replica jitter
 */
export function resolveProfile(profile: UsageProfile, resources: ContainerResources, seed: number): ResolvedProfile {
  const cpuLimit = positive(resources.limits.cpuCores);
  const memLimit = positive(resources.limits.memoryBytes);
  const ctx: Context = {
    profile,
    cpuLimit,
    memLimit,
    cpuRef: reference(positive(resources.requests.cpuCores), cpuLimit, FALLBACK_CPU_CORES),
    memRef: reference(positive(resources.requests.memoryBytes), memLimit, FALLBACK_MEMORY_BYTES),
    rng: createRandom(seed),
  };
  const r = resolveCommon(ctx);
  resolveSpiky(r, ctx);
  resolveLeak(r, ctx);
  resolveBursty(r, ctx);
  resolveSawtooth(r, ctx);
  return r;
}
