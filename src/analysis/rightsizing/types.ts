// SPDX-License-Identifier: Apache-2.0
// Inputs and outputs of rightsizing (REQUIREMENTS §3.1). CPU in millicores, memory in bytes, times in epoch ms.
import type { Sample, SeriesColumn } from '../../domain/series.ts';
import type { Confidence } from '../confidence.ts';
import type { Severity } from '../severity.ts';

export const STRATEGIES = ['krm', 'krr-simple', 'vpa'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** Requests and limits; an absent field is unset. */
export interface Resources {
  readonly cpuRequest?: number;
  readonly cpuLimit?: number;
  readonly memRequest?: number;
  readonly memLimit?: number;
}

/**
 * A usage series in time order, as columns (what the analysis pass reads, handed in without a copy) or as samples
 * (small callers and tests); non-finite values are absent either way.
 */
export type UsageSeries = SeriesColumn | readonly Sample[];

/** One pod's usage of the container being sized (all pods of the workload are pooled). */
export interface PodUsage {
  readonly pod: string;
  /** CPU usage in millicores. */
  readonly cpu: UsageSeries;
  /** Working set in bytes. */
  readonly memory: UsageSeries;
}

export interface OomKill {
  readonly tsMs: number;
  /** Memory limit in force at the kill, bytes (the current limit when absent). */
  readonly memLimit?: number;
}

export interface HpaTargets {
  /** Target average utilisation of requests, percent. */
  readonly cpuUtilization?: number;
  readonly memoryUtilization?: number;
}

export interface LimitRange {
  readonly min?: Resources;
  readonly max?: Resources;
  /** Maximum limit ÷ request per resource. */
  readonly maxLimitRequestRatio?: { readonly cpu?: number; readonly memory?: number };
}

export interface Prices {
  readonly cpuCoreHour: number;
  readonly memGiBHour: number;
}

export interface RightsizingInput {
  readonly nowMs: number;
  readonly strategy?: StrategyName;
  /** Container name, for the patch (default `main`). */
  readonly container?: string;
  readonly pods: readonly PodUsage[];
  readonly current: Resources;
  /** Window of history to use (default 14 d). */
  readonly windowMs?: number;
  readonly ooms?: readonly OomKill[];
  /** Throttled-period ratio samples (0–1). */
  readonly throttle?: readonly Sample[];
  readonly hpa?: HpaTargets;
  /** When false (default) a resource an HPA scales on is reported `?` with the note "HPA detected". */
  readonly allowHpa?: boolean;
  readonly limitRange?: LimitRange;
  /** Containers in the pod (the VPA splits its per-pod floors evenly); default 1. */
  readonly containersInPod?: number;
  readonly prices?: Prices;
  /** Sampling step in ms, for coverage (default: the median spacing of the samples). */
  readonly stepMs?: number;
}

/** What a strategy proposes before the adjustments; `undefined` means "leave unset". */
export interface Proposal {
  readonly cpuRequest: number;
  readonly cpuLimit?: number;
  readonly memRequest: number;
  readonly memLimit?: number;
  /** Why, in a few words, for the explanation. */
  readonly basis: string;
}

export interface Recommendation {
  readonly strategy: StrategyName;
  /** `not-enough-data` when the eligibility rule fails; `recommended` is then absent. */
  readonly status: 'ok' | 'not-enough-data';
  readonly current: Resources;
  readonly recommended?: Resources;
  /** Recommended − current request (millicores, bytes); absent when either side is unknown. */
  readonly delta: { readonly cpuRequest?: number; readonly memRequest?: number };
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly points: number;
  readonly window: { readonly fromMs: number; readonly toMs: number };
  readonly notes: readonly string[];
  /** Positive: money saved per month by the new requests; negative: extra cost. Absent without prices. */
  readonly monthlySavings?: number;
  readonly explanation: string;
  /** Strategic merge patch of the container's resources, YAML; absent without a recommendation. */
  readonly patch?: string;
}
