// SPDX-License-Identifier: Apache-2.0
// The contract of one analysis pass over a cluster (issue 5): what it reads, the settings it takes from the
// `analysis` configuration section, and what it returns. The scheduler in `src/service.ts`, the findings store and
// the one-shot `krm report` all code against these types.
import type { Finding, RightsizingRecommendation } from '../../analysis/findings.ts';

export type { RightsizingRecommendation } from '../../analysis/findings.ts';
import type { CapacityOutlook, ModelMemory } from '../../analysis/forecast/index.ts';
import type { Forecaster } from './forecast-pool.ts';
import type { Prices, StrategyName } from '../../analysis/rightsizing/types.ts';
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { HistoryStore, SeriesReader } from '../../domain/ports.ts';

/** Groups of analyses that run together; each has its own schedule. */
export const ANALYSIS_GROUPS = ['rightsizing', 'oom-risk', 'throttling', 'leak', 'pvc', 'quota', 'node', 'capacity'] as const;
export type AnalysisGroup = (typeof ANALYSIS_GROUPS)[number];

/** Settings of one pass, taken from the `analysis` configuration section. Durations in ms. */
export interface AnalysisSettings {
  /** Rightsizing strategy (default `krm`). */
  readonly strategy: StrategyName;
  /** Prices for savings; absent: no money figures. */
  readonly prices?: Prices;
  /** History window of rightsizing (default 14 d). */
  readonly rightsizingWindowMs: number;
  /** Window of leak detection (default 24 h). */
  readonly leakWindowMs: number;
  /** Window of the recent raw data for OOM risk and throttling (default 15 min). */
  readonly recentWindowMs: number;
  /** Label whose value names a namespace's tenant (cost showback); absent: the namespace is the tenant. */
  readonly tenantLabel?: string;
  /** How far capacity forecasts look ahead (default 14 d); exhaustion within it is a finding. */
  readonly forecastHorizonMs?: number;
  /** Node label grouping nodes into pools (default `node.kubernetes.io/instance-type`). */
  readonly nodePoolLabel?: string;
  /** Groups to run; absent: all. */
  readonly only?: readonly AnalysisGroup[];
}

export const DEFAULT_FORECAST_HORIZON_MS = 14 * 86_400_000;
export const DEFAULT_NODE_POOL_LABEL = 'node.kubernetes.io/instance-type';

/** The capacity outlook of every scope at one pass, served by `/api/v1/forecasts`. */
export interface CapacityReport {
  readonly computedAtMs: number;
  readonly horizonMs: number;
  /** Whether Σ requests had a history: the pod history was read (`ok`), had no pods, was too long, or is not wired. */
  readonly requestsHistory: 'ok' | 'empty' | 'truncated' | 'unavailable';
  readonly outlooks: readonly CapacityOutlook[];
}

export type AnalysisRunStatus = 'ok' | 'degraded' | 'unavailable' | 'insufficient_data';

/** Outcome of one analysis within a pass. */
export interface AnalysisRun {
  readonly analysis: AnalysisGroup;
  readonly status: AnalysisRunStatus;
  readonly durationMs: number;
  /** Why the run is not `ok`, for logs and `/health`. */
  readonly message?: string;
}

export interface AnalysisResult {
  readonly findings: Finding[];
  readonly recommendations: RightsizingRecommendation[];
  readonly runs: AnalysisRun[];
  /** Capacity forecasts, when the `capacity` group ran. */
  readonly capacity?: CapacityReport;
}

export interface AnalyseClusterOptions {
  readonly cluster: ClusterView;
  readonly history: SeriesReader;
  /** Persisted pods (deleted ones too) and lifecycle events; absent: only the live cluster view is used. */
  readonly lifecycle?: HistoryStore;
  readonly clusterName: string;
  readonly nowMs: number;
  readonly settings: AnalysisSettings;
  readonly signal?: AbortSignal;
  /**
   * The forecast models kept from earlier passes (the caller's, kept across passes): a capacity series whose model
   * was chosen within a day is fitted with it alone. Absent: every forecast searches its model.
   */
  readonly models?: ModelMemory;
  /**
   * Where the capacity forecasts run: a pool of worker threads (forecast-pool.ts) forecasts while the namespaces are
   * judged in the pass's thread. Absent: in the pass's thread, after the namespaces.
   */
  readonly forecaster?: Forecaster;
}

/** Defaults of the settings, for callers without a configuration (tests, `krm report`). */
export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = {
  strategy: 'krm',
  rightsizingWindowMs: 14 * 86_400_000,
  leakWindowMs: 86_400_000,
  recentWindowMs: 15 * 60_000,
};
