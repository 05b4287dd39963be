// SPDX-License-Identifier: Apache-2.0
// The three sources of `krm report`: a running monitor's API (`--server`), an analysis pass over a local database
// (`--db`), and the one-shot pass that reads history straight from Prometheus (`--prometheus`) with a few
// aggregated range queries. Each returns the same Report.
import { existsSync } from 'node:fs';
import { ConfigError } from '../../errors/app-error.ts';
import { analyseCluster, DEFAULT_ANALYSIS_SETTINGS, type AnalysisResult, type AnalysisSettings } from '../../service/analysis/index.ts';
import type { HistoryStore, SeriesReader } from '../../domain/ports.ts';
import { METRIC, type SeriesSelector } from '../../domain/series.ts';
import { createRangeQuerier, transferHeaders } from '../../sources/prometheus/range-query.ts';
import { PrometheusSeriesReader } from '../../sources/prometheus/series-reader.ts';
import type { WorkloadResolver } from '../../sources/prometheus/series-reader-totals.ts';
import type { SyncedCluster } from './report-cluster.ts';
import { toReportRecommendation, type Report, type ReportRecommendation } from './report-model.ts';
import type { ReportMode, ReportOptions } from './report-options.ts';
import { ReportTimings } from './report-timings.ts';
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
  /** Reads started before the sync, awaited after it (their failure fails the report). */
  readonly prefetch?: Promise<void>;
}

interface LocalRun {
  readonly mode: { readonly kubeconfig?: string; readonly context?: string };
  /**
   * The history and lifecycle to analyse at `nowMs`, made before the cluster is synced so that their reads can
   * run alongside the sync; `cluster()` gives the synced cluster once the analyses run.
   */
  readonly pass: (at: { nowMs: number; cluster: () => SyncedCluster; signal: AbortSignal }) => LocalPass;
  readonly signal: AbortSignal;
  readonly timings: ReportTimings;
}

async function analyseLocal(o: ReportOptions, run: LocalRun): Promise<{ result: AnalysisResult; nowMs: number }> {
  const { mode, pass, signal, timings } = run;
  const nowMs = Date.now();
  let synced: SyncedCluster | undefined;
  const cluster = (): SyncedCluster => {
    if (synced === undefined) throw new Error('the cluster is read before its sync');
    return synced;
  };
  // The first failure of the sync or the reads stops the other, and is the one reported.
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  const { history, lifecycle, prefetch } = pass({ nowMs, cluster, signal: both });
  const reads = prefetch === undefined ? undefined : timings.time('prometheus reads', () => prefetch);
  reads?.catch((err: unknown) => stop.abort(err));
  try {
    // The Kubernetes client is loaded only now (a second or more of modules), while the reads are under way.
    const { syncClusterOnce } = await import('./report-cluster.ts');
    synced = await timings.time('cluster sync', () => syncClusterOnce({ kubeconfig: mode.kubeconfig, context: mode.context, signal: both }));
  } catch (err) {
    stop.abort(err);
    throw err;
  }
  await reads;
  const settings = settingsOf(o);
  const result = await timings.time('analyses', () => analyseCluster({ cluster: synced.cache, history, lifecycle, clusterName: o.clusterName, nowMs, settings, signal }));
  return { result, nowMs };
}

async function fromDatabase(o: ReportOptions, mode: Extract<ReportMode, { kind: 'database' }>, run: { signal: AbortSignal; timings: ReportTimings }): Promise<Report> {
  const { signal, timings } = run;
  // Opening a missing file would create an empty database and report nothing: refuse instead.
  if (!existsSync(mode.path)) throw new ConfigError('KRM_CONFIG_INVALID', `invalid value for --db: ${mode.path} does not exist`);
  const { SqliteSampleStore } = await import('../../store/sample-store.ts');
  const store = await SqliteSampleStore.open({ path: mode.path });
  try {
    const { result, nowMs } = await analyseLocal(o, { mode, pass: () => ({ history: store, lifecycle: store.history }), signal, timings });
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

/** What the analyses read of Prometheus (read.ts, nodes.ts, scopes.ts): loaded up front, alongside the sync. */
const PREFETCH: readonly SeriesSelector[] = [
  { kind: 'container', metrics: [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes, METRIC.throttleRatio] },
  { kind: 'node', metrics: [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes] },
  { kind: 'pvc', metrics: [METRIC.usedBytes, METRIC.capacityBytes] },
];

async function fromPrometheus(o: ReportOptions, mode: Extract<ReportMode, { kind: 'prometheus' }>, run: { signal: AbortSignal; timings: ReportTimings }): Promise<Report> {
  const auth = mode.token === undefined ? undefined : { type: 'bearer' as const, token: mode.token };
  const querier = createRangeQuerier({ url: mode.url, auth, headers: transferHeaders(mode.url) });
  let reader: PrometheusSeriesReader | undefined;
  const pass = ({ nowMs: now, cluster, signal }: { nowMs: number; cluster: () => SyncedCluster; signal: AbortSignal }): LocalPass => {
    const fromMs = now - historyWindowMs(settingsOf(o));
    const namespaces = o.namespaces.length > 0 ? o.namespaces : undefined;
    // Workload totals are derived when an analysis first asks for them, after the sync; the prefetch reads none.
    const workloadOf: WorkloadResolver = (ns, pod) => cluster().workloadOf(ns, pod);
    const shape = oneShotReads(settingsOf(o), { fromMs, toMs: now });
    reader = new PrometheusSeriesReader({ querier, cluster: o.clusterName, fromMs, toMs: now, stepMs: mode.stepMs, namespaces, signal, workloadOf, ...shape });
    const r = reader;
    return { history: r, prefetch: Promise.all(PREFETCH.map((s) => r.findSeries(s))).then(() => undefined) };
  };
  const { result, nowMs } = await analyseLocal(o, { mode, pass, ...run });
  return reportOf(o, result, { source: 'prometheus', nowMs, queries: reader?.stats().queries });
}

/** The report of the chosen source, unfiltered and unsorted (finishReport does that). */
export async function produceReport(o: ReportOptions, signal: AbortSignal, timings = new ReportTimings(false)): Promise<Report> {
  switch (o.mode.kind) {
    case 'server':
      return fetchServerReport(o, o.mode, signal);
    case 'database':
      return fromDatabase(o, o.mode, { signal, timings });
    case 'prometheus':
      return fromPrometheus(o, o.mode, { signal, timings });
  }
}
