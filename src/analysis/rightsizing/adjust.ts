// SPDX-License-Identifier: Apache-2.0
// The adjustments applied after a strategy, in REQUIREMENTS §3.1's order: OOM awareness, throttling awareness, HPA
// awareness, LimitRange clamps, rounding (CPU up to 5 m, memory up to 1 MiB).
import { MIB, pooled, type StrategyContext } from './context.ts';
import { quantile } from './stats.ts';
import type { LimitRange, Proposal, Resources, RightsizingInput, StrategyName } from './types.ts';

/** A recommendation being adjusted: `null` marks a resource reported `?` (HPA detected). */
export interface Draft {
  cpuRequest: number | null;
  cpuLimit?: number;
  memRequest: number | null;
  memLimit?: number;
  notes: string[];
}

export interface AdjustArgs {
  readonly input: RightsizingInput;
  readonly ctx: StrategyContext;
  readonly strategy: StrategyName;
}

/** The VPA's bump: at least max(L × 1.2, L + 100 MiB), L the limit in force at the (latest) kill. */
export function oomBump(limit: number): number {
  return Math.max(limit * 1.2, limit + 100 * MIB);
}

function applyOom(d: Draft, { input, ctx }: AdjustArgs): void {
  const kills = (input.ooms ?? []).filter((k) => k.tsMs >= ctx.fromMs && k.tsMs <= ctx.nowMs);
  const limits = kills.map((k) => k.memLimit ?? input.current.memLimit).filter((l): l is number => l !== undefined);
  if (kills.length === 0) return;
  d.notes.push('OOMKilled in window');
  if (limits.length === 0 || d.memRequest === null) return;
  const bump = oomBump(Math.max(...limits));
  d.memRequest = Math.max(d.memRequest, bump);
  d.memLimit = d.memLimit === undefined ? undefined : Math.max(d.memLimit, bump);
}

function cpuQuantile(ctx: StrategyContext, q: number): number {
  return quantile(pooled(ctx.pods, 'cpu').values, q);
}

function applyThrottling(d: Draft, { input, ctx }: AdjustArgs): void {
  const ratios = (input.throttle ?? []).filter((s) => Number.isFinite(s.value) && s.tsMs >= ctx.fromMs).map((s) => s.value);
  if (input.current.cpuLimit !== undefined && ratios.length > 0 && quantile(ratios, 0.95) >= 0.25) {
    d.cpuLimit = undefined;
    d.notes.push('throttled: remove the CPU limit');
    return;
  }
  // Never a CPU limit below p99 usage.
  if (d.cpuLimit !== undefined) d.cpuLimit = Math.max(d.cpuLimit, cpuQuantile(ctx, 0.99));
}

function hpaNote(resource: string, target: number, utilisation: number): string {
  return `HPA detected: ${resource} utilisation with the new request ${Math.round(utilisation)} % against a target of ${target} %`;
}

function applyHpa(d: Draft, { input, ctx, strategy }: AdjustArgs): void {
  const hpa = input.hpa;
  if (hpa === undefined) return;
  const blank = strategy === 'krr-simple' && input.allowHpa !== true;
  const meanOf = (pick: 'cpu' | 'memory'): number => quantile(pooled(ctx.pods, pick).values, 0.5);
  if (hpa.cpuUtilization !== undefined && d.cpuRequest !== null) {
    if (blank) d.cpuRequest = null;
    else d.notes.push(hpaNote('CPU', hpa.cpuUtilization, (100 * meanOf('cpu')) / d.cpuRequest));
  }
  if (hpa.memoryUtilization !== undefined && d.memRequest !== null) {
    if (blank) d.memRequest = null;
    else d.notes.push(hpaNote('memory', hpa.memoryUtilization, (100 * meanOf('memory')) / d.memRequest));
  }
  if (blank) d.notes.push('HPA detected');
}

function clampOne(v: number, lo: number | undefined, hi: number | undefined): number {
  return Math.min(hi ?? Number.POSITIVE_INFINITY, Math.max(lo ?? 0, v));
}

function clampPair(req: number | null, lim: number | undefined, bounds: { lo?: number; hi?: number; ratio?: number }): [number | null, number | undefined] {
  const r = req === null ? null : clampOne(req, bounds.lo, bounds.hi);
  let l = lim === undefined ? undefined : clampOne(lim, bounds.lo, bounds.hi);
  if (r !== null && l !== undefined && bounds.ratio !== undefined && l > r * bounds.ratio) l = r * bounds.ratio;
  return [r, l];
}

function applyLimitRange(d: Draft, lr: LimitRange | undefined): void {
  if (lr === undefined) return;
  const before = JSON.stringify([d.cpuRequest, d.cpuLimit, d.memRequest, d.memLimit]);
  const { min = {}, max = {} } = lr;
  [d.cpuRequest, d.cpuLimit] = clampPair(d.cpuRequest, d.cpuLimit, { lo: min.cpuRequest, hi: max.cpuLimit, ratio: lr.maxLimitRequestRatio?.cpu });
  [d.memRequest, d.memLimit] = clampPair(d.memRequest, d.memLimit, { lo: min.memRequest, hi: max.memLimit, ratio: lr.maxLimitRequestRatio?.memory });
  if (JSON.stringify([d.cpuRequest, d.cpuLimit, d.memRequest, d.memLimit]) !== before) d.notes.push('clamped by LimitRange');
}

export function roundCpu(m: number): number {
  return Math.ceil(m / 5 - 1e-9) * 5;
}

export function roundMemory(b: number): number {
  return Math.ceil(b / MIB - 1e-9) * MIB;
}

function applyRounding(d: Draft): void {
  if (d.cpuRequest !== null) d.cpuRequest = roundCpu(d.cpuRequest);
  if (d.cpuLimit !== undefined) d.cpuLimit = roundCpu(d.cpuLimit);
  if (d.memRequest !== null) d.memRequest = roundMemory(d.memRequest);
  if (d.memLimit !== undefined) d.memLimit = roundMemory(d.memLimit);
}

export function adjust(p: Proposal, args: AdjustArgs): Draft {
  const d: Draft = { cpuRequest: p.cpuRequest, cpuLimit: p.cpuLimit, memRequest: p.memRequest, memLimit: p.memLimit, notes: [] };
  applyOom(d, args);
  applyThrottling(d, args);
  applyHpa(d, args);
  applyLimitRange(d, args.input.limitRange);
  applyRounding(d);
  return d;
}

/** The draft as output resources (a `?` resource is absent). */
export function toResources(d: Draft): Resources {
  const r: { -readonly [K in keyof Resources]: Resources[K] } = {};
  if (d.cpuRequest !== null) r.cpuRequest = d.cpuRequest;
  if (d.cpuLimit !== undefined) r.cpuLimit = d.cpuLimit;
  if (d.memRequest !== null) r.memRequest = d.memRequest;
  if (d.memLimit !== undefined) r.memLimit = d.memLimit;
  return r;
}
