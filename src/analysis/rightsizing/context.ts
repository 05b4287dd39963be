// SPDX-License-Identifier: Apache-2.0
// What every strategy sees: the window's cleaned usage per pod as columns, the specs in force and a few shared
// helpers.
import type { SeriesColumn } from '../../domain/series.ts';
import { clean } from './stats.ts';
import type { Resources, RightsizingInput } from './types.ts';
import { DAY_MS } from '../../domain/time.ts';

export const MIB = 1_048_576;
export const DEFAULT_WINDOW_MS = 14 * DAY_MS;

export interface PodSeries {
  readonly pod: string;
  readonly cpu: SeriesColumn;
  readonly memory: SeriesColumn;
}

export interface StrategyContext {
  readonly nowMs: number;
  readonly fromMs: number;
  readonly pods: readonly PodSeries[];
  readonly current: Resources;
  readonly containersInPod: number;
  /** First and last sample time over all pods (NaN when none). */
  readonly firstMs: number;
  readonly lastMs: number;
}

function span(pods: readonly PodSeries[]): { firstMs: number; lastMs: number } {
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const p of pods) {
    for (const { timestampsMs: ts } of [p.cpu, p.memory]) {
      if (ts.length === 0) continue;
      firstMs = Math.min(firstMs, ts[0] as number);
      lastMs = Math.max(lastMs, ts[ts.length - 1] as number);
    }
  }
  return Number.isFinite(firstMs) ? { firstMs, lastMs } : { firstMs: Number.NaN, lastMs: Number.NaN };
}

export function contextOf(input: RightsizingInput): StrategyContext {
  const fromMs = input.nowMs - (input.windowMs ?? DEFAULT_WINDOW_MS);
  const pods = input.pods.map((p) => ({
    pod: p.pod,
    cpu: clean(p.cpu, fromMs, input.nowMs),
    memory: clean(p.memory, fromMs, input.nowMs),
  }));
  return { nowMs: input.nowMs, fromMs, pods, current: input.current, containersInPod: Math.max(1, input.containersInPod ?? 1), ...span(pods) };
}

/** One resource's usage of every pod end to end, in pod order (the pod's own column when there is one pod). */
export function pooled(pods: readonly PodSeries[], resource: 'cpu' | 'memory'): SeriesColumn {
  if (pods.length === 1) return (pods[0] as PodSeries)[resource];
  let n = 0;
  for (const p of pods) n += p[resource].values.length;
  const out = { timestampsMs: new Float64Array(n), values: new Float64Array(n) };
  let at = 0;
  for (const p of pods) {
    const c = p[resource];
    out.timestampsMs.set(c.timestampsMs, at);
    out.values.set(c.values, at);
    at += c.values.length;
  }
  return out;
}

/**
 * The limit for a new request when the strategy sets none itself: the workload's limit-to-request ratio is kept
 * (as the VPA does); a limit with no request (Kubernetes then defaults the request to the limit) keeps ratio 1.
 */
export function keepRatio(limit: number | undefined, request: number | undefined, newRequest: number): number | undefined {
  if (limit === undefined) return undefined;
  if (request === undefined || request <= 0) return newRequest;
  return newRequest * (limit / request);
}
