// SPDX-License-Identifier: Apache-2.0
// The first half of a step: instantaneous CPU demand and working set of each container at `ctx.tMs`, written into
// the `cpuCores` and `workingSetBytes` columns (the accounting pass then caps, integrates and rounds them).
// Both are pure functions of (seed, resolved profile, startedAtMs, t): sampling more or less often changes how
// finely counters are integrated, never the instantaneous values.
//
// Written as passes over dense columns with the columns held in locals: at 225,000 containers per step this is
// several times faster than a method call per container reading `this.table.column[i]`.
import { KernelKind } from './resolve-profile.ts';
import { latticeValue, mix32, unitFromHash } from './random.ts';
import type { ContainerTable } from './container-table.ts';
import type { StepContext } from './step-context.ts';

/** Seconds after start with doubled CPU (runtime start-up, JIT, cache warm-up). */
export const STARTUP_SEC = 60;
/** Seconds after start for the working set to grow from 60 % to its level. */
export const WARMUP_SEC = 600;
const MIN_SEASON = 0.05;
/** Weights of the fast and slow octaves in the CPU noise exponent: together about unit variance. */
const FAST_WEIGHT = 1.7;
const SLOW_WEIGHT = 1.25;
const SALT_SLOW = 0x2f6b_a3c1;
const SALT_MEMORY = 0x61c8_8647;
const SALT_SPIKE = 0x4b1e_9d27;
/** Salt of the per-container phase of bursts and GC cycles. */
export const SALT_PHASE = 0x3ad1_5c4f;

/** What the evaluation passes read and write. */
export interface EvaluateInput {
  containers: ContainerTable;
  ctx: StepContext;
}

/**
 * Base pass over slots `[from, to)`: seasonal level × log-normal-like noise for CPU (right-skewed and positive, as
 * real CPU usage is), level × (1 + daily + slow wander) × warm-up for memory. Memory noise reuses the slow CPU
 * octave in part, so memory breathes with load; the memory term stays within ±1.4 × noise (`MEMORY_NOISE_BOUND`).
 */
export function evaluateBase(input: EvaluateInput, from: number, to: number): void {
  const { containers: c, ctx } = input;
  const { kind, seed, startedAtMs, dailyPhase, weeklyPhase, cpuDaily, cpuWeekly, cpuNoise, cpuLevel } = c;
  const { memoryLevel, memoryDaily, memoryNoise, cpuCores, workingSetBytes } = c;
  const { daily, weekly, tMs } = ctx;
  const fk = ctx.fast.k;
  const fw = ctx.fast.w;
  const sk = ctx.slow.k;
  const sw = ctx.slow.w;
  const mk = ctx.memory.k;
  const mw = ctx.memory.w;
  for (let i = from; i < to; i++) {
    if (kind[i] === KernelKind.none) continue;
    const s = seed[i]!;
    const ageSec = (tMs - startedAtMs[i]!) / 1000;
    const f0 = latticeValue(s, fk);
    const fast = f0 + (latticeValue(s, fk + 1) - f0) * fw;
    const s0 = latticeValue(s ^ SALT_SLOW, sk);
    const slow = s0 + (latticeValue(s ^ SALT_SLOW, sk + 1) - s0) * sw;
    const m0 = latticeValue(s ^ SALT_MEMORY, mk);
    const memory = m0 + (latticeValue(s ^ SALT_MEMORY, mk + 1) - m0) * mw;
    const d = daily[dailyPhase[i]!]!;
    const season = 1 + cpuDaily[i]! * d + cpuWeekly[i]! * weekly[weeklyPhase[i]!]!;
    const sigma = cpuNoise[i]!;
    const noise = Math.exp(sigma * (FAST_WEIGHT * fast + SLOW_WEIGHT * slow) - 0.5 * sigma * sigma);
    const startup = ageSec < STARTUP_SEC ? 2 : 1;
    cpuCores[i] = cpuLevel[i]! * (season > MIN_SEASON ? season : MIN_SEASON) * noise * startup;
    const warm = ageSec < WARMUP_SEC ? 0.6 + (0.4 * Math.max(0, ageSec)) / WARMUP_SEC : 1;
    const wander = memoryNoise[i]! * (0.6 * memory + 0.8 * slow);
    workingSetBytes[i] = memoryLevel[i]! * (1 + memoryDaily[i]! * d + wander) * warm;
  }
}

function frac(x: number): number {
  return x - Math.floor(x);
}

function ageSecOf(input: EvaluateInput, i: number): number {
  return Math.max(0, (input.ctx.tMs - input.containers.startedAtMs[i]!) / 1000);
}

/** Spikes: time is cut in buckets of one spike length (p2 s); a bucket holds a spike with probability p0. */
function spike(input: EvaluateInput, i: number): void {
  const c = input.containers;
  const p = c.p0[i]!;
  const u = unitFromHash(mix32(c.seed[i]! ^ SALT_SPIKE, Math.floor(input.ctx.tMs / 1000 / c.p2[i]!)));
  if (u >= p) return;
  const height = 0.5 + u / p;
  c.cpuCores[i]! += c.p1[i]! * height;
  c.workingSetBytes[i]! += c.p3[i]! * height;
}

/** Leak: the working set grows by p0 bytes/s of the incarnation's age, plus an optional GC sawtooth (p1, p2). */
function leak(input: EvaluateInput, i: number): void {
  const c = input.containers;
  const ageSec = ageSecOf(input, i);
  const gc = c.p1[i]!;
  c.workingSetBytes[i]! += c.p0[i]! * ageSec + (gc > 0 ? gc * frac(ageSec / c.p2[i]!) : 0);
}

/**
 * Bursts: a period of p0 s with a per-container offset; a cycle bursts with probability p3 during its first
 * p1 of the period, at p2 cores scaled by the base pass's noise, with p4 extra bytes.
 */
function burst(input: EvaluateInput, i: number): void {
  const c = input.containers;
  const seed = c.seed[i]!;
  const x = input.ctx.tMs / 1000 / c.p0[i]! + unitFromHash(mix32(seed, SALT_PHASE));
  const cycle = Math.floor(x);
  if (x - cycle >= c.p1[i]!) return;
  if (unitFromHash(mix32(seed ^ SALT_SPIKE, cycle)) >= c.p3[i]!) return;
  const level = c.cpuLevel[i]!;
  c.cpuCores[i]! += c.p2[i]! * (level > 0 ? c.cpuCores[i]! / level : 1);
  c.workingSetBytes[i]! += c.p4[i]!;
}

/** Sawtooth: memory climbs by p0 bytes over a period of p1 s (± 15 % per container), then a collection drops it. */
function sawtooth(input: EvaluateInput, i: number): void {
  const c = input.containers;
  const u = unitFromHash(mix32(c.seed[i]!, SALT_PHASE));
  const period = c.p1[i]! * (0.85 + 0.3 * u);
  c.workingSetBytes[i]! += c.p0[i]! * frac(ageSecOf(input, i) / period + u);
}

/** Kind pass over slots `[from, to)`: adds each kind's own pattern on top of the base pass. */
export function evaluateKinds(input: EvaluateInput, from: number, to: number): void {
  const kind = input.containers.kind;
  for (let i = from; i < to; i++) {
    const k = kind[i]!;
    if (k <= KernelKind.steady) continue;
    if (k === KernelKind.spiky) spike(input, i);
    else if (k === KernelKind.leak) leak(input, i);
    else if (k === KernelKind.bursty) burst(input, i);
    else sawtooth(input, i);
  }
}
