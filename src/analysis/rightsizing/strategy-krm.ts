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
import { DAY_MS, HOUR_MS, keepRatio, type PodSeries, type StrategyContext } from './context.ts';
import { maxOf, weightedQuantiles } from './stats.ts';
import type { Proposal } from './types.ts';

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

function halfLifeMs(ctx: StrategyContext): number {
  const spanMs = ctx.lastMs - ctx.firstMs;
  return Math.min(3 * DAY_MS, Math.max(6 * HOUR_MS, spanMs / 3));
}

type Series = PodSeries['cpu'];

function quantilesOf(series: Series, ctx: StrategyContext, qs: readonly number[]): number[] {
  const h = halfLifeMs(ctx);
  return weightedQuantiles(
    series.map((s) => s.value),
    series.map((s) => 2 ** ((s.tsMs - ctx.nowMs) / h)),
    qs,
  );
}

/** The cost-aware CPU level of one pod's series (see the file comment). */
function cpuLevel(series: Series, ctx: StrategyContext): number {
  const q = quantilesOf(series, ctx, CPU_LEVELS);
  let level = q[0] as number;
  for (let i = 1; i < q.length; i++) {
    const percent = ((CPU_LEVELS[i] as number) - (CPU_LEVELS[i - 1] as number)) * 100;
    if ((q[i] as number) - level > CPU_MILLICORES_PER_PERCENT * percent) break;
    level = q[i] as number;
  }
  return level;
}

function highest(ctx: StrategyContext, pick: (p: PodSeries) => Series, level: (s: Series) => number): number {
  return maxOf(ctx.pods.map(pick).filter((s) => s.length > 0).map(level));
}

/** Relative spread of the upper tail, (p99 − p50) ÷ p50, bounded to [0.02, 0.25]. */
function volatility(ctx: StrategyContext): number {
  const [p50 = Number.NaN, p99 = Number.NaN] = quantilesOf(ctx.pods.flatMap((p) => p.memory), ctx, [0.5, 0.99]);
  if (!(p50 > 0)) return 0.25;
  return Math.min(0.25, Math.max(0.02, (p99 - p50) / p50));
}

export function krm(ctx: StrategyContext): Proposal {
  const days = (ctx.lastMs - ctx.firstMs) / DAY_MS;
  const cpu = Math.max(CPU_FLOOR_M, highest(ctx, (p) => p.cpu, (s) => cpuLevel(s, ctx)) * (1 + Math.min(YOUNG / days, YOUNG_MAX)));
  const h = volatility(ctx);
  const memP99 = highest(ctx, (p) => p.memory, (s) => quantilesOf(s, ctx, [0.99])[0] as number);
  const memRequest = Math.max(MEM_FLOOR_B, memP99 * (1 + h));
  const peak = maxOf(ctx.pods.flatMap((p) => p.memory.map((s) => s.value)));
  const memLimit = Math.max(memRequest + MEM_LIMIT_ROOM_B, peak * (1.15 + h));
  return {
    cpuRequest: cpu,
    cpuLimit: keepRatio(ctx.current.cpuLimit, ctx.current.cpuRequest, cpu),
    memRequest,
    memLimit,
    basis: 'recency-weighted usage: cost-aware CPU quantile, p99 working set with a volatility headroom, limit above the peak envelope',
  };
}
