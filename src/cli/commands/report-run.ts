// SPDX-License-Identifier: Apache-2.0
// The three sources of `krm report`: a running monitor's API (`--server`), an analysis pass over a local database
// (`--db`), and the one-shot pass that reads history straight from Prometheus (`--prometheus`) with a few
// aggregated range queries. Each returns the same Report.
import { existsSync } from 'node:fs';
import { ConfigError } from '../../errors/app-error.ts';
import { analyseCluster, DEFAULT_ANALYSIS_SETTINGS, type AnalysisResult, type AnalysisSettings } from '../../service/analysis/index.ts';
import type { HistoryStore, SeriesReader } from '../../domain/ports.ts';
import { METRIC } from '../../domain/series.ts';
import { createRangeQuerier } from '../../sources/prometheus/range-query.ts';
import { PrometheusSeriesReader } from '../../sources/prometheus/series-reader.ts';
import { SqliteSampleStore } from '../../store/sample-store.ts';
import { syncClusterOnce, type SyncedCluster } from './report-cluster.ts';
import { toReportRecommendation, type Report, type ReportRecommendation } from './report-model.ts';
import type { ReportMode, ReportOptions } from './report-options.ts';
import { fetchServerReport } from './report-server.ts';

/** The analyses also read a day (leaks) and the last minutes (OOM, throttling): the history covers all of them. */
function historyWindowMs(s: AnalysisSettings): number {
  return Math.max(s.rightsizingWindowMs, s.leakWindowMs, s.recentWindowMs);
}

function settingsOf(o: ReportOptions): AnalysisSettings {
  return { ...DEFAULT_ANALYSIS_SETTINGS, strategy: o.strategy, rightsizingWindowMs: o.windowMs };
}

function reportOf(o: ReportOptions, r: AnalysisResult, extra: { source: Report['source']; nowMs: number; queries?: number }): Report {
  return {
    cluster: o.clusterName,
    generatedAtMs: extra.nowMs,
    source: extra.source,
    strategy: o.strategy,
    windowMs: o.windowMs,
    findings: r.findings,
    recommendations: r.recommendations.map(toReportRecommendation).filter((x): x is ReportRecommendation => x !== undefined),
    ...(extra.queries === undefined ? {} : { prometheusQueries: extra.queries }),
  };
}

interface LocalPass {
  readonly history: SeriesReader;
  readonly lifecycle?: HistoryStore;
}

interface LocalRun {
  readonly mode: { readonly kubeconfig?: string; readonly context?: string };
  /** The history and lifecycle to analyse, once the cluster is synced and `now` fixed. */
  readonly pass: (c: SyncedCluster, nowMs: number) => LocalPass;
  readonly signal: AbortSignal;
}

async function analyseLocal(o: ReportOptions, run: LocalRun): Promise<{ result: AnalysisResult; nowMs: number }> {
  const { mode, pass, signal } = run;
  const synced = await syncClusterOnce({ kubeconfig: mode.kubeconfig, context: mode.context, signal });
  const nowMs = Date.now();
  const { history, lifecycle } = pass(synced, nowMs);
  const result = await analyseCluster({ cluster: synced.cache, history, lifecycle, clusterName: o.clusterName, nowMs, settings: settingsOf(o), signal });
  return { result, nowMs };
}

async function fromDatabase(o: ReportOptions, mode: Extract<ReportMode, { kind: 'database' }>, signal: AbortSignal): Promise<Report> {
  // Opening a missing file would create an empty database and report nothing: refuse instead.
  if (!existsSync(mode.path)) throw new ConfigError('KRM_CONFIG_INVALID', `invalid value for --db: ${mode.path} does not exist`);
  const store = await SqliteSampleStore.open({ path: mode.path });
  try {
    const { result, nowMs } = await analyseLocal(o, { mode, pass: () => ({ history: store, lifecycle: store.history }), signal });
    return reportOf(o, result, { source: 'database', nowMs });
  } finally {
    await store.close();
  }
}

/** How far before the recent window the analyses look for the throttling ratio in force at its start (read.ts). */
const THROTTLE_LOOKBACK_MS = 3_600_000;

/** Length of one time slice of the one-shot reads (series-reader-slices.ts): two of Prometheus's daily blocks. */
const SLICE_MS = 2 * 86_400_000;

/**
 * How the one-shot pass reads: it covers every namespace, so each container metric is one cluster-wide query (cut
 * into time slices, which keeps short-lived pods from being walked over the whole window and uses more than one
 * Prometheus core), and throttling only over the recent window its analysis judges.
 */
export function oneShotReads(s: AnalysisSettings, range: { fromMs: number; toMs: number }): { clusterWide: true; slices: number; metricFromMs: Record<string, number> } {
  const slices = Math.max(1, Math.ceil((range.toMs - range.fromMs) / SLICE_MS));
  return { clusterWide: true, slices, metricFromMs: { [METRIC.throttleRatio]: range.toMs - s.recentWindowMs - THROTTLE_LOOKBACK_MS } };
}

async function fromPrometheus(o: ReportOptions, mode: Extract<ReportMode, { kind: 'prometheus' }>, signal: AbortSignal): Promise<Report> {
  const querier = createRangeQuerier({ url: mode.url, auth: mode.token === undefined ? undefined : { type: 'bearer', token: mode.token } });
  let reader: PrometheusSeriesReader | undefined;
  const pass = (synced: SyncedCluster, now: number): LocalPass => {
    const fromMs = now - historyWindowMs(settingsOf(o));
    const namespaces = o.namespaces.length > 0 ? o.namespaces : undefined;
    reader = new PrometheusSeriesReader({ querier, cluster: o.clusterName, fromMs, toMs: now, stepMs: mode.stepMs, namespaces, signal, workloadOf: synced.workloadOf, ...oneShotReads(settingsOf(o), { fromMs, toMs: now }) });
    return { history: reader };
  };
  const { result, nowMs } = await analyseLocal(o, { mode, pass, signal });
  return reportOf(o, result, { source: 'prometheus', nowMs, queries: reader?.stats().queries });
}

/** The report of the chosen source, unfiltered and unsorted (finishReport does that). */
export async function produceReport(o: ReportOptions, signal: AbortSignal): Promise<Report> {
  switch (o.mode.kind) {
    case 'server':
      return fetchServerReport(o, o.mode, signal);
    case 'database':
      return fromDatabase(o, o.mode, signal);
    case 'prometheus':
      return fromPrometheus(o, o.mode, signal);
  }
}
