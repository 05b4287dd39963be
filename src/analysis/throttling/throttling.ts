// SPDX-License-Identifier: Apache-2.0
// CPU throttling of one container (REQUIREMENTS §3.4): the throttled-period ratio sustained over 15 minutes
// (≥ 0.25 medium, the kubernetes-mixin CPUThrottlingHigh default; ≥ 0.50 high), and what it implies: a limit that is
// simply too low (p95 usage at 80 % of the limit or more), or a bursty container throttled below its average
// (p95 under 50 % of the limit) for which the limit, not the request, is the problem. Only containers with a CPU
// limit can be throttled. Node CPU utilisation is never called throttling.
import type { Sample } from '../../domain/series.ts';
import type { Severity } from '../severity.ts';

const MIN_MS = 60_000;

export interface ThrottlingInput {
  readonly nowMs: number;
  /** Throttled-period ratio samples (0–1), ascending. */
  readonly throttleRatio: readonly Sample[];
  /**
   * CPU usage in millicores over the analysis window (for the classification); non-finite values are absent. Values
   * only, as the store's columns hold them: most containers with a limit are not throttled, and never read them.
   */
  readonly cpuMillicores: ArrayLike<number>;
  readonly cpuLimitMillicores?: number;
  readonly cpuRequestMillicores?: number;
  /**
   * How long the ratio must hold (default 15 min), and the fewest samples inside the window (default 1: a source that
   * reads a node every 20 minutes gives one ratio for the whole window; the coverage rule is what proves it).
   */
  readonly sustainMs?: number;
  readonly minSamples?: number;
}

export type ThrottlingClass = 'limit-too-low' | 'bursty' | 'near-limit';

export interface ThrottlingResult {
  readonly severity: Severity | undefined;
  /** The lowest ratio of the sustain window (the level held throughout), undefined without enough samples. */
  readonly sustainedRatio?: number;
  readonly classification?: ThrottlingClass;
  readonly p95Millicores?: number;
  readonly p99Millicores?: number;
  /** Suggested CPU limit (p99 × 1.2, at least the current limit); removing the limit is the alternative. */
  readonly recommendedLimitMillicores?: number;
  readonly explanation: string;
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/**
 * The level held over the whole sustain window. A ratio sample covers the interval since the sample before it (a
 * rate, or the kubelet source's counter difference between two reads), so the window is covered only when the
 * history reaches back to its start: a container a few minutes old has not been throttled "for 15 minutes", however
 * high its first ratios. The samples after the window's start carry its level; the lowest of them is held throughout.
 */
function sustainedLevel(input: ThrottlingInput): number | undefined {
  const from = input.nowMs - (input.sustainMs ?? 15 * MIN_MS);
  const finite = input.throttleRatio.filter((s) => s.tsMs <= input.nowMs && Number.isFinite(s.value));
  const before = finite.filter((s) => s.tsMs <= from).length;
  const values = finite.slice(before).map((s) => s.value);
  if (before === 0 || values.length < (input.minSamples ?? 1)) return undefined;
  return Math.min(...values);
}

function classify(p95: number, limit: number): ThrottlingClass {
  if (p95 >= 0.8 * limit) return 'limit-too-low';
  return p95 < 0.5 * limit ? 'bursty' : 'near-limit';
}

const ADVICE: Record<ThrottlingClass, string> = {
  'limit-too-low': 'usage sits at the CPU limit: raise the limit (and the request to the p95)',
  bursty: 'short bursts hit the CPU limit while average use is low: raise the limit to at least p99 × 1.2 or remove it',
  'near-limit': 'usage runs close to the CPU limit: raise the limit to at least p99 × 1.2',
};

/** Judges the throttling of one container. */
export function assessThrottling(input: ThrottlingInput): ThrottlingResult {
  const limit = input.cpuLimitMillicores;
  if (limit === undefined || limit <= 0) return { severity: undefined, explanation: 'no CPU limit: the container cannot be throttled' };
  const level = sustainedLevel(input);
  if (level === undefined) return { severity: undefined, explanation: 'not enough throttling samples in the last 15 minutes' };
  const severity: Severity | undefined = level >= 0.5 ? 'high' : level >= 0.25 ? 'medium' : undefined;
  const usage = Array.from(input.cpuMillicores).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (severity === undefined || usage.length === 0) {
    return { severity, sustainedRatio: level, explanation: severity === undefined ? 'throttling below 25 % of periods' : 'throttled; no usage history to classify' };
  }
  const p95 = quantile(usage, 0.95);
  const p99 = quantile(usage, 0.99);
  const classification = classify(p95, limit);
  return {
    severity,
    sustainedRatio: level,
    classification,
    p95Millicores: p95,
    p99Millicores: p99,
    recommendedLimitMillicores: Math.max(limit, Math.ceil(p99 * 1.2)),
    explanation: `${(level * 100).toFixed(0)} % of CPU periods throttled for 15 minutes; ${ADVICE[classification]}`,
  };
}
