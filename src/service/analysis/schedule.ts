// SPDX-License-Identifier: Apache-2.0
// Scheduling of the analyses (issue 5): one scheduled task per group of `analysis.intervals` (no overlapping runs,
// the configured initial delay and per-run timeout), each run persisted through the FindingStore and reported in
// `/health` and the self-metrics. A group whose data source was unavailable does not save a run, so that an outage
// never resolves the findings it could not re-check.
import type { AnalysisName } from '../../analysis/findings.ts';
import { SEVERITIES } from '../../analysis/severity.ts';
import type { AnalysisState, HealthProvider, HealthReport } from '../../api/contract.ts';
import type { Config } from '../../config/schema.ts';
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { FindingStore, HistoryStore, SeriesReader } from '../../domain/ports.ts';
import type { SelfMetrics } from '../../metrics/registry.ts';
import type { Clock } from '../../runtime/clock.ts';
import { usableCpus } from '../../runtime/gc-marking.ts';
import { createScheduledTask, type ScheduledTask, type ScheduledTaskOptions } from '../../runtime/scheduler.ts';
import { ModelMemory } from '../../analysis/forecast/index.ts';
import type { EventLogger } from '../../logging/events.ts';
import { forecastPoolFor, type Forecaster } from './forecast-pool.ts';
import { analyseCluster } from './index.ts';
import type { AnalysisGroup, AnalysisResult, AnalysisSettings, CapacityReport } from './types.ts';

/** The scheduled groups: task name, its interval key and the analyses it runs together (they share their reads). */
export const SCHEDULES: readonly { readonly name: string; readonly interval: keyof Config['analysis']['intervals']; readonly groups: readonly AnalysisGroup[] }[] = [
  { name: 'rightsizing', interval: 'rightsizing', groups: ['rightsizing'] },
  { name: 'oom-risk', interval: 'oomRisk', groups: ['oom-risk', 'throttling', 'node'] },
  { name: 'leaks', interval: 'leaks', groups: ['leak'] },
  { name: 'forecasts', interval: 'forecasts', groups: ['pvc', 'quota', 'capacity'] },
];

/** The analysis settings of the `analysis` configuration section. */
export function analysisSettingsOf(cfg: Config['analysis']): AnalysisSettings {
  return {
    strategy: cfg.strategy,
    prices: { cpuCoreHour: cfg.prices.cpuCoreHour, memGiBHour: cfg.prices.memoryGiBHour },
    rightsizingWindowMs: cfg.rightsizingWindow,
    leakWindowMs: cfg.leakWindow,
    recentWindowMs: 15 * 60_000,
    tenantLabel: cfg.tenantLabel,
    forecastHorizonMs: cfg.forecastHorizon,
    nodePoolLabel: cfg.nodePoolLabel,
  };
}

export interface AnalysisRunnerDeps {
  readonly cluster: ClusterView;
  readonly history: SeriesReader;
  readonly lifecycle?: HistoryStore;
  readonly findings: FindingStore;
  readonly clusterName: string;
  readonly settings: AnalysisSettings;
  /** The time analyses evaluate at: the wall clock, or the demo's scenario clock. */
  readonly clock: Clock;
  readonly metrics?: SelfMetrics;
  /** Where capacity forecasts run (a pool of worker threads, closed with the runner); default the pass's thread. */
  readonly forecaster?: Forecaster & { close?: () => Promise<void> };
}

/** Runs analysis groups, persists their results and keeps their state. */
export class AnalysisRunner {
  readonly #deps: AnalysisRunnerDeps;
  readonly #states = new Map<AnalysisGroup, AnalysisState>();
  #capacity: CapacityReport | undefined;
  /** Forecast models kept from pass to pass (chosen again after a day or so). */
  readonly #models = new ModelMemory();

  constructor(deps: AnalysisRunnerDeps) {
    this.#deps = deps;
    for (const s of SCHEDULES) for (const g of s.groups) this.#states.set(g, { analysis: g, status: 'pending' });
  }

  /** Runs the groups once, now; persists findings and recommendations. Rejects when the pass itself fails. */
  async run(groups: readonly AnalysisGroup[], signal?: AbortSignal): Promise<AnalysisResult> {
    const d = this.#deps;
    const nowMs = d.clock.now();
    for (const g of groups) this.#states.set(g, { ...(this.#states.get(g) ?? { analysis: g }), status: 'running' });
    let result: AnalysisResult;
    try {
      result = await analyseCluster({
        cluster: d.cluster,
        history: d.history,
        clusterName: d.clusterName,
        nowMs,
        settings: { ...d.settings, only: groups },
        models: this.#models,
        ...(d.lifecycle === undefined ? {} : { lifecycle: d.lifecycle }),
        ...(signal === undefined ? {} : { signal }),
        ...(d.forecaster === undefined ? {} : { forecaster: d.forecaster }),
      });
    } catch (e) {
      this.#failed(groups, { nowMs, message: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    await this.#persist(result, nowMs);
    if (result.capacity !== undefined) this.#capacity = result.capacity;
    return result;
  }

  /** Stops the forecast workers, if any (after the scheduled tasks, at shutdown). */
  async close(): Promise<void> {
    await this.#deps.forecaster?.close?.();
  }

  /** The capacity forecasts of the latest pass that ran them; undefined before the first. */
  latestCapacity(): CapacityReport | undefined {
    return this.#capacity;
  }

  /** State of every scheduled analysis, for `/health`. */
  states(): AnalysisState[] {
    return [...this.#states.values()];
  }

  /** One scheduled task per group of {@link SCHEDULES}. */
  tasks(cfg: Config['analysis'], common: Pick<ScheduledTaskOptions, 'clock' | 'sleep' | 'log'>): ScheduledTask[] {
    return SCHEDULES.map((s) =>
      createScheduledTask({
        ...common,
        name: `analysis-${s.name}`,
        cadenceMs: cfg.intervals[s.interval],
        initialDelayMs: cfg.initialDelay,
        timeoutMs: cfg.timeout,
        run: async (signal) => {
          await this.run(s.groups, signal);
        },
      }),
    );
  }

  async #persist(result: AnalysisResult, nowMs: number): Promise<void> {
    const d = this.#deps;
    for (const run of result.runs) {
      const findings = result.findings.filter((f) => f.analysis === run.analysis);
      if (run.status !== 'unavailable') await d.findings.saveRun({ cluster: d.clusterName, analysis: run.analysis as AnalysisName }, findings, nowMs);
      if (run.analysis === 'rightsizing' && run.status !== 'unavailable') await d.findings.saveRecommendations(d.clusterName, result.recommendations);
      this.#states.set(run.analysis, { analysis: run.analysis, status: run.status, lastRunAtMs: nowMs, durationMs: run.durationMs, findings: findings.length, ...(run.message === undefined ? {} : { message: run.message }) });
      d.metrics?.analysisDuration.observe({ analysis: run.analysis }, run.durationMs / 1000);
      d.metrics?.analysisRuns.inc({ analysis: run.analysis, status: run.status });
      for (const severity of SEVERITIES) d.metrics?.findings.set({ analysis: run.analysis, severity }, findings.filter((f) => f.severity === severity).length);
    }
  }

  #failed(groups: readonly AnalysisGroup[], x: { nowMs: number; message: string }): void {
    for (const g of groups) {
      this.#states.set(g, { analysis: g, status: 'failed', lastRunAtMs: x.nowMs, message: x.message });
      this.#deps.metrics?.analysisRuns.inc({ analysis: g, status: 'failed' });
    }
  }
}

/** The health provider with the analyses' state added to every full check. */
export function withAnalyses(health: HealthProvider, runner: AnalysisRunner): HealthProvider {
  return {
    check: async (): Promise<HealthReport> => ({ ...(await health.check()), analyses: runner.states() }),
    readiness: () => health.readiness(),
  };
}

/**
 * One pass of every scheduled group once the cluster view has synced (the demo's "findings at once"). Resolves
 * after the pass; a failed pass is kept in the state (and `/health`) rather than thrown, since nobody awaits it
 * but tests.
 */
export async function analyseWhenReady(runner: AnalysisRunner, ready: Promise<unknown>, signal: AbortSignal): Promise<void> {
  try {
    await ready;
    await runner.run(SCHEDULES.flatMap((s) => s.groups), signal);
  } catch {
    // Shutdown before the sync, or a failed pass: both are visible in the runner's state.
  }
}

/**
 * Whether the pass reads in a worker thread when the configuration does not say: on more than two usable cores (a
 * CPU quota counts, so a pod limited to two CPUs on a large node does not start it). On two it
 * only takes time from the pass's thread and its garbage collector (BENCHMARKS.md, ninth round: 131 s with it against
 * 132 s without at the scale envelope), as forecast workers do (forecastThreadsFor).
 */
export function defaultReadWorker(): boolean {
  return usableCpus() > 2;
}

const withForecaster = (forecaster: Forecaster | undefined) => (forecaster === undefined ? {} : { forecaster });

/** The runner of the composition root: a store that serves history, lifecycle and findings alike. */
export function createAnalysisRunner(o: {
  readonly config: Config;
  readonly cluster: ClusterView;
  readonly store: SeriesReader & { readonly history: HistoryStore; readonly findings: FindingStore; startReadWorker?(): void };
  readonly clock: Clock;
  readonly metrics: SelfMetrics;
  readonly log?: EventLogger;
}): AnalysisRunner {
  const { store } = o;
  if (o.config.analysis.readWorker ?? defaultReadWorker()) store.startReadWorker?.();
  return new AnalysisRunner({
    cluster: o.cluster,
    history: store,
    lifecycle: store.history,
    findings: store.findings,
    clusterName: o.config.cluster.name,
    settings: analysisSettingsOf(o.config.analysis),
    clock: o.clock,
    metrics: o.metrics,
    ...withForecaster(forecastPoolFor(o.config.analysis.forecastWorkers, o.log)),
  });
}
