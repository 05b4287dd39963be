// SPDX-License-Identifier: Apache-2.0
// `krr-simple`, after KRR's "simple" strategy: CPU request = the highest of each pod's p95, no CPU limit; memory
// request = limit = the highest working set × 1.15; KRR's floors of 10 m and 100 MB.
import { pooled, type StrategyContext } from './context.ts';
import { maxOf, quantile } from './stats.ts';
import type { Proposal } from './types.ts';

const CPU_FLOOR_M = 10;
const MEM_FLOOR_B = 100e6;

export function krrSimple(ctx: StrategyContext): Proposal {
  const cpuP95 = maxOf(ctx.pods.filter((p) => p.cpu.values.length > 0).map((p) => quantile(p.cpu.values, 0.95)));
  const peak = maxOf(pooled(ctx.pods, 'memory').values);
  const memory = Math.max(MEM_FLOOR_B, peak * 1.15);
  return {
    cpuRequest: Math.max(CPU_FLOOR_M, cpuP95),
    memRequest: memory,
    memLimit: memory,
    basis: 'CPU at the p95 of each pod, memory at the peak working set + 15 %',
  };
}
