// SPDX-License-Identifier: Apache-2.0
// `vpa`, after the VPA recommender: decaying histograms (24 h half-life, buckets growing 5 %), CPU samples weighted
// by the container's CPU request (at least 0.1 core), memory from one peak per pod and 24 h interval over the last 8
// intervals; target p90 × 1.15, bounds p50 and p95 × 1.15 scaled by history length d in days (upper × (1 + 1/d),
// lower × (1 + 0.001/d)^−2); per-pod floors of 25 m and 250 MiB split evenly over the pod's containers. Limits keep
// the workload's limit-to-request ratio.
import { keepRatio, MIB, type StrategyContext } from './context.ts';
import type { Proposal } from './types.ts';
import { DAY_MS } from '../../domain/time.ts';

const HALF_LIFE_MS = DAY_MS;
const GROWTH = 1.05;
const MARGIN = 1.15;
/** First bucket sizes: 0.01 core and 10 MB, as in the recommender. */
const CPU_FIRST_M = 10;
const MEM_FIRST_B = 1e7;
const CPU_FLOOR_M = 25;
const MEM_FLOOR_B = 250 * MIB;
const MEMORY_INTERVALS = 8;

/** A histogram with exponentially growing buckets; values below the first bucket's end fall into bucket 0. */
export class DecayingHistogram {
  private readonly weights = new Map<number, number>();
  private total = 0;

  constructor(
    private readonly firstBucket: number,
    private readonly referenceMs: number,
  ) {}

  private bucketOf(value: number): number {
    if (value <= this.firstBucket) return 0;
    // Bucket k ends at firstBucket × (GROWTH^(k+1) − 1) / (GROWTH − 1), the recommender's layout.
    return Math.max(0, Math.ceil(Math.log(1 + (value * (GROWTH - 1)) / this.firstBucket) / Math.log(GROWTH)) - 1);
  }

  bucketEnd(k: number): number {
    return (this.firstBucket * (GROWTH ** (k + 1) - 1)) / (GROWTH - 1);
  }

  add(value: number, weight: number, tsMs: number): void {
    const w = weight * 2 ** ((tsMs - this.referenceMs) / HALF_LIFE_MS);
    const k = this.bucketOf(value);
    this.weights.set(k, (this.weights.get(k) ?? 0) + w);
    this.total += w;
  }

  /** The end of the bucket where the cumulative weight reaches q; NaN when empty. */
  percentile(q: number): number {
    if (this.total <= 0) return Number.NaN;
    let acc = 0;
    const keys = [...this.weights.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      acc += this.weights.get(k) as number;
      if (acc >= q * this.total) return this.bucketEnd(k);
    }
    return this.bucketEnd(keys[keys.length - 1] as number);
  }
}

function cpuHistogram(ctx: StrategyContext): DecayingHistogram {
  const h = new DecayingHistogram(CPU_FIRST_M, ctx.nowMs);
  const weight = Math.max(0.1, (ctx.current.cpuRequest ?? 0) / 1000);
  for (const { cpu } of ctx.pods) for (let i = 0; i < cpu.values.length; i++) h.add(cpu.values[i] as number, weight, cpu.timestampsMs[i] as number);
  return h;
}

/** One peak per pod and 24 h interval (intervals end at `now`), the last 8 intervals. */
function memoryHistogram(ctx: StrategyContext): DecayingHistogram {
  const h = new DecayingHistogram(MEM_FIRST_B, ctx.nowMs);
  const startMs = ctx.nowMs - MEMORY_INTERVALS * DAY_MS;
  for (const p of ctx.pods) {
    const peaks = new Map<number, { value: number; tsMs: number }>();
    const { timestampsMs: ts, values } = p.memory;
    for (let i = 0; i < values.length; i++) {
      const tsMs = ts[i] as number;
      const value = values[i] as number;
      if (tsMs < startMs) continue;
      const k = Math.floor((ctx.nowMs - tsMs) / DAY_MS);
      const cur = peaks.get(k);
      if (cur === undefined || value > cur.value) peaks.set(k, { value, tsMs });
    }
    for (const peak of peaks.values()) h.add(peak.value, 1, peak.tsMs);
  }
  return h;
}

export interface VpaBounds {
  readonly target: number;
  readonly lower: number;
  readonly upper: number;
}

function bounds(h: DecayingHistogram, days: number, floor: number): VpaBounds {
  const d = Math.max(days, 1 / 24);
  return {
    target: Math.max(floor, h.percentile(0.9) * MARGIN),
    lower: Math.max(floor, h.percentile(0.5) * MARGIN * (1 + 0.001 / d) ** -2),
    upper: Math.max(floor, h.percentile(0.95) * MARGIN * (1 + 1 / d)),
  };
}

export function vpaBounds(ctx: StrategyContext): { cpu: VpaBounds; memory: VpaBounds } {
  const days = (ctx.lastMs - ctx.firstMs) / DAY_MS;
  return {
    cpu: bounds(cpuHistogram(ctx), days, CPU_FLOOR_M / ctx.containersInPod),
    memory: bounds(memoryHistogram(ctx), days, MEM_FLOOR_B / ctx.containersInPod),
  };
}

export function vpa(ctx: StrategyContext): Proposal {
  const b = vpaBounds(ctx);
  const { current } = ctx;
  return {
    cpuRequest: b.cpu.target,
    cpuLimit: keepRatio(current.cpuLimit, current.cpuRequest, b.cpu.target),
    memRequest: b.memory.target,
    memLimit: keepRatio(current.memLimit, current.memRequest, b.memory.target),
    basis: 'the p90 of decaying histograms + 15 % (memory from daily peaks)',
  };
}
