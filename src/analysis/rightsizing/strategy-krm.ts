// SPDX-License-Identifier: Apache-2.0
// `krm`, the default strategy. See docs/rightsizing.md for the method and why.
//  - Recency: every sample is weighted by 2^(−age / half-life), the half-life a third of the history (6 h to 3 d), so
//    a request follows a workload whose load moved rather than averaging the old level in.
//  - CPU request, cost-aware: from the weighted p90 up, the request climbs one percentile of the time at a time for
//    as long as covering that extra percent costs at most `CPU_MILLICORES_PER_PERCENT`, and stops at p99.9. A tight
//    distribution (cheap headroom) ends near its top; a wide one (each percent costs a lot of idle CPU) stops early,
//    where a millicore of reservation buys little. Under a day of history it gets a bounded margin (the daily peak may
//    not have been seen yet). The highest pod decides. No CPU limit: a limit below bursts is
//    what causes throttling (REQUIREMENTS §3.4); a workload that had one keeps its limit-to-request ratio.
//  - Memory request: the weighted p99 of the working set plus a headroom from its own volatility (the spread of the
//    upper tail); memory limit: the peak envelope with the same volatility headroom above KRR's 15 %, and at least
//    100 MiB above the request, so that a pod may return to its past peak without being OOM-killed while the
//    scheduler reserves only what it steadily uses.
import type { SeriesColumn } from '../../domain/series.ts';
import { keepRatio, pooled, type StrategyContext } from './context.ts';
import { ascendingOrder, groupQuantiles, maxOf, orderedQuantiles, weightedQuantiles } from './stats.ts';
import type { Proposal } from './types.ts';
import { HOUR_MS, DAY_MS } from '../../domain/time.ts';

const CPU_FLOOR_M = 5;
const MEM_FLOOR_B = 16 * 1_048_576;
/** The most CPU one more percent of covered time may cost (one rounding step of 5 m). */
export const CPU_MILLICORES_PER_PERCENT = 5;
const CPU_LEVELS = Array.from({ length: 10 }, (_, i) => 0.9 + i * 0.01).concat([0.995, 0.999]);
/**
 * Margin for a short history, × (1 + min(YOUNG / d, YOUNG_MAX)) with d days: a day not yet seen may hold the peak
 * (the VPA's confidence scaling in spirit, applied to the request but bounded).
 */
const YOUNG = 0.1;
const YOUNG_MAX = 0.25;
/** The least room between memory request and limit: the VPA's OOM-bump increment. */
const MEM_LIMIT_ROOM_B = 100 * 1_048_576;
const MEMORY_QS = [0.5, 0.99];

function halfLifeMs(ctx: StrategyContext): number {
  const spanMs = ctx.lastMs - ctx.firstMs;
  return Math.min(3 * DAY_MS, Math.max(6 * HOUR_MS, spanMs / 3));
}

/** The recency weight of each time, 2^(−age / half-life). */
function decay(ts: Float64Array, nowMs: number, halfLife: number): Float64Array {
  const weights = new Float64Array(ts.length);
  for (let i = 0; i < ts.length; i++) weights[i] = 2 ** (((ts[i] as number) - nowMs) / halfLife);
  return weights;
}

function sameTimes(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Each pod's recency weights (read only), computed once per distinct times: CPU and memory are usually read at the
 * same times, and so are the pods of a workload that lived through the whole window, so they share one array.
 */
function podWeights(ctx: StrategyContext, halfLife: number): { cpu: Float64Array; memory: Float64Array }[] {
  let last: { ts: Float64Array; weights: Float64Array } | undefined;
  const weightsAt = (ts: Float64Array): Float64Array => {
    if (last === undefined || !sameTimes(ts, last.ts)) last = { ts, weights: decay(ts, ctx.nowMs, halfLife) };
    return last.weights;
  };
  return ctx.pods.map((p) => ({ cpu: weightsAt(p.cpu.timestampsMs), memory: weightsAt(p.memory.timestampsMs) }));
}

/** The cost-aware CPU level of one pod's series (see the file comment). */
function cpuLevel(values: Float64Array, weights: Float64Array): number {
  const q = weightedQuantiles(values, weights, CPU_LEVELS);
  let level = q[0] as number;
  for (let i = 1; i < q.length; i++) {
    const percent = ((CPU_LEVELS[i] as number) - (CPU_LEVELS[i - 1] as number)) * 100;
    if ((q[i] as number) - level > CPU_MILLICORES_PER_PERCENT * percent) break;
    level = q[i] as number;
  }
  return level;
}

type Weights = ReturnType<typeof podWeights>;

/** The highest CPU level over the pods with CPU usage (NaN when none has any). */
function highestCpu(ctx: StrategyContext, weights: Weights): number {
  const levels: number[] = [];
  ctx.pods.forEach((p, i) => {
    if (p.cpu.values.length > 0) levels.push(cpuLevel(p.cpu.values, (weights[i] as Weights[number]).cpu));
  });
  return maxOf(levels);
}

/** Relative spread of the upper tail, (p99 − p50) ÷ p50, bounded to [0.02, 0.25]. */
function volatility(p50: number, p99: number): number {
  if (!(p50 > 0)) return 0.25;
  return Math.min(0.25, Math.max(0.02, (p99 - p50) / p50));
}

/** The pods' memory weights end to end, as {@link pooled} lays their values. */
function pooledWeights(weights: Weights): Float64Array {
  if (weights.length === 1) return (weights[0] as Weights[number]).memory;
  const out = new Float64Array(weights.reduce((n, w) => n + w.memory.length, 0));
  let at = 0;
  for (const w of weights) {
    out.set(w.memory, at);
    at += w.memory.length;
  }
  return out;
}

/**
 * The pooled working set's (`memory`, every pod's end to end) p50 and p99 (for the volatility) and the highest of
 * the pods' p99s, all from the pool's one order (with one pod the pool is that pod; a weighted quantile does not
 * depend on the ones asked before it).
 */
function memoryQuantiles(ctx: StrategyContext, memory: SeriesColumn, weights: Weights): { p50: number; p99: number; highestP99: number } {
  const pool = { values: memory.values, weights: pooledWeights(weights), order: ascendingOrder(memory.values) };
  const [p50 = Number.NaN, p99 = Number.NaN] = orderedQuantiles(pool, MEMORY_QS);
  if (ctx.pods.length === 1) return { p50, p99, highestP99: pool.values.length > 0 ? p99 : Number.NaN };
  const sizes = ctx.pods.map((p) => p.memory.values.length);
  const perPod = groupQuantiles(pool, sizes, 0.99).filter((_, i) => (sizes[i] as number) > 0);
  return { p50, p99, highestP99: maxOf(perPod) };
}

export function krm(ctx: StrategyContext): Proposal {
  const days = (ctx.lastMs - ctx.firstMs) / DAY_MS;
  const weights = podWeights(ctx, halfLifeMs(ctx));
  const cpu = Math.max(CPU_FLOOR_M, highestCpu(ctx, weights) * (1 + Math.min(YOUNG / days, YOUNG_MAX)));
  const memory = pooled(ctx.pods, 'memory');
  const q = memoryQuantiles(ctx, memory, weights);
  const h = volatility(q.p50, q.p99);
  const memRequest = Math.max(MEM_FLOOR_B, q.highestP99 * (1 + h));
  const peak = maxOf(memory.values);
  const memLimit = Math.max(memRequest + MEM_LIMIT_ROOM_B, peak * (1.15 + h));
  return {
    cpuRequest: cpu,
    cpuLimit: keepRatio(ctx.current.cpuLimit, ctx.current.cpuRequest, cpu),
    memRequest,
    memLimit,
    basis: 'recency-weighted usage: cost-aware CPU quantile, p99 working set with a volatility headroom, limit above the peak envelope',
  };
}
