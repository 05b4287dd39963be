// SPDX-License-Identifier: Apache-2.0
// What every strategy sees: the window's cleaned samples per pod, the specs in force and a few shared helpers.
import type { Sample } from '../../domain/series.ts';
import { clean } from './stats.ts';
import type { Resources, RightsizingInput } from './types.ts';

export const MIB = 1_048_576;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const DEFAULT_WINDOW_MS = 14 * DAY_MS;

export interface PodSeries {
  readonly pod: string;
  readonly cpu: readonly Sample[];
  readonly memory: readonly Sample[];
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
    for (const list of [p.cpu, p.memory]) {
      if (list.length === 0) continue;
      firstMs = Math.min(firstMs, (list[0] as Sample).tsMs);
      lastMs = Math.max(lastMs, (list[list.length - 1] as Sample).tsMs);
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

/**
 * The limit for a new request when the strategy sets none itself: the workload's limit-to-request ratio is kept
 * (as the VPA does); a limit with no request (Kubernetes then defaults the request to the limit) keeps ratio 1.
 */
export function keepRatio(limit: number | undefined, request: number | undefined, newRequest: number): number | undefined {
  if (limit === undefined) return undefined;
  if (request === undefined || request <= 0) return newRequest;
  return newRequest * (limit / request);
}

/** Values of each pod's samples. */
export function valuesOf(samples: readonly Sample[]): number[] {
  return samples.map((s) => s.value);
}
