// SPDX-License-Identifier: Apache-2.0
// The composition root: the one file that knows every adapter. `startService` opens the store, connects to the
// cluster, starts the watch loops, the collection and rotation tasks and the HTTP server, and registers their
// closers on the lifecycle (store first, so that on shutdown the loops stop, the server closes, and the store is
// flushed and closed last). `startDemo` does the same against the simulated cluster started in-process.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/build-app.ts';
import type { Config } from './config/schema.ts';
import type { SampleStore } from './domain/ports.ts';
import { logEvent } from './logging/events.ts';
import { toError } from './errors/app-error.ts';
import { componentLogger, type Logger } from './logging/logger.ts';
import { createSelfMetrics, kubeRequestObserver, prometheusRequestObserver, watchMetricHooks, type SelfMetrics } from './metrics/registry.ts';
import { systemClock, type Clock } from './runtime/clock.ts';
import { markingLogFields } from './runtime/gc-marking.ts';
import type { Lifecycle } from './runtime/lifecycle.ts';
import { createScheduledTask, type ScheduledTask } from './runtime/scheduler.ts';
import { sleep } from './runtime/sleep.ts';
import { analyseWhenReady, createAnalysisRunner, withAnalyses, type AnalysisRunner } from './service/analysis/schedule.ts';
import { createCostsProvider } from './service/analysis/costs.ts';
import type { BackfillProgress } from './service/backfill.ts';
import { backfillOnStart } from './service/backfill-start.ts';
import { createCollector, type Collector } from './service/collector.ts';
import { seedDemoHistory } from './service/demo-history.ts';
import { createHealthProvider } from './service/health-provider.ts';
import { createHistoryRecorder, createHistoryTask } from './service/history-recorder.ts';
import { defaultStart, kubeconfigFor, startSimulationServer, type RunningSimulation } from './sim/index.ts';
import { createPrometheusClient, prometheusAuthOf } from './sources/prometheus/client.ts';
import { ClusterCache, createKubeClient, type KubeClient, type WatchTuning } from './sources/kube/index.ts';
import { timedKubeHttp, type KubeHttp } from './sources/kube/kube-http.ts';
import { KIND_NAMES } from './domain/kube-ports.ts';
import {
  createDecodePool,
  createKubeletSummarySource,
  createMetricsServerSource,
  createPrometheusSource,
  createSourceSelector,
  type SourceSelector,
  type UsageDecoder,
} from './sources/usage/index.ts';
import { SqliteSampleStore } from './store/sample-store.ts';

export interface ServiceOptions {
  readonly config: Config;
  /** The root logger. */
  readonly log: Logger;
  /** Owns the root signal and the closers; the caller installs the signal handlers (`listen()`). */
  readonly lifecycle: Lifecycle;
  /** A kubeconfig as YAML (the demo's simulator); wins over `config.kube.kubeconfig`. */
  readonly kubeconfigYaml?: string;
  readonly version?: string;
  /** Runs once the store is open and the server listens, before the watch loops and the first collection. */
  readonly prepareStore?: (store: SampleStore) => Promise<void>;
  /** Progress of the first start's Prometheus backfill (the CLI draws a bar on a terminal). */
  readonly onBackfillProgress?: (p: BackfillProgress) => void;
  /** Watch-loop knobs (backoff, watchdog); tests shorten them to exercise faults quickly. */
  readonly kubeTuning?: Partial<WatchTuning>;
  /** The time analyses evaluate at and the pod history is recorded in (default the wall clock; the demo passes its scenario clock). */
  readonly analysisClock?: Clock;
  /** Run every analysis once as soon as the cluster view has synced and the backfill ended (the demo). */
  readonly analyseOnStart?: boolean;
}

export interface RunningService {
  /** Base URL of the HTTP server. */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: SampleStore;
  readonly cluster: ClusterCache;
  readonly collector: Collector;
  readonly metrics: SelfMetrics;
  readonly analyses: AnalysisRunner;
  /** The pass of `analyseOnStart`; settles after it (never rejects). */
  readonly firstAnalysis?: Promise<void>;
}

export interface DemoOptions extends ServiceOptions {
  /** Simulated time per real time (default 60). */
  readonly speed?: number;
}

export interface RunningDemo extends RunningService {
  readonly simulation: RunningSimulation;
}

async function openStore(config: Config): Promise<SqliteSampleStore> {
  mkdirSync(dirname(config.store.path), { recursive: true });
  const r = config.retention;
  return SqliteSampleStore.open({
    path: config.store.path,
    cacheSizeKiB: config.store.cacheSizeMiB * 1024,
    retentionMs: { raw: r.raw, '5m': r.rollup5m, '1h': r.rollup1h, '1d': r.rollup1d },
    historyRetention: { eventsMs: r.events, objectsMs: r.objects },
  });
}

/**
 * The usage bodies' decoder: a worker thread unless `collection.decodeWorker` is off (decode-pool.ts), started now so
 * that its start-up does not delay the first cycle, and closed after the loops.
 */
function usageDecoder(config: Config, lifecycle: Lifecycle, log: Logger): UsageDecoder | undefined {
  // Prometheus answers aggregated queries, small bodies: with it as the only source there is nothing to offload.
  if (!config.collection.decodeWorker || config.collection.source === 'prometheus') return undefined;
  const pool = createDecodePool({ log });
  pool.start();
  lifecycle.onClose('decode-worker', () => pool.close());
  return pool;
}

interface SelectorDeps {
  readonly client: KubeClient;
  readonly proxyHttp: KubeHttp;
  readonly cluster: ClusterCache;
  readonly metrics: SelfMetrics;
  readonly lifecycle: Lifecycle;
}

function createSelector(config: Config, kube: SelectorDeps, log: Logger): SourceSelector {
  const { client, cluster } = kube;
  const decoder = usageDecoder(config, kube.lifecycle, log);
  const decoding = decoder === undefined ? {} : { decoder };
  const p = config.prometheus;
  const onRequest = prometheusRequestObserver(kube.metrics);
  const prometheus =
    p.url === undefined
      ? undefined
      : createPrometheusSource({ client: createPrometheusClient({ url: p.url, auth: prometheusAuthOf(p), timeoutMs: p.timeout, onRequest }) });
  const kubeletWanted = config.collection.kubeletFallback || config.collection.source === 'kubelet';
  const nodes = (): string[] => cluster.list('nodes').map((n) => n.name);
  return createSourceSelector({
    mode: config.collection.source,
    prometheus,
    metricsServer: createMetricsServerSource({ http: client.request, ...decoding }),
    kubelet: kubeletWanted ? createKubeletSummarySource({ http: kube.proxyHttp, nodes, ...decoding }) : undefined,
    onSwitch: (c) => logEvent(log, { event: 'collection.source_changed', from: c.from ?? null, to: c.to ?? 'none', reason: c.reason }),
  });
}

/** Registers the store closer: flush what is buffered, then close (a failed flush is logged by the lifecycle). */
function closeStoreOnShutdown(store: SampleStore, lifecycle: Lifecycle): { isOpen: () => boolean } {
  let open = true;
  lifecycle.onClose('store', async () => {
    try {
      await store.flush();
    } finally {
      open = false;
      await store.close();
    }
  });
  return { isOpen: () => open };
}

interface Tasks {
  readonly config: Config;
  readonly store: SampleStore;
  readonly collector: Collector;
}

/** The collection task (an overrunning cycle skips the ticks it missed) and the rotation task. */
function createTasks(t: Tasks, log: Logger, metrics: SelfMetrics) {
  const common = { clock: systemClock, sleep, log };
  const interval = t.config.collection.interval;
  const rotationEvery = t.config.store.rotationInterval;
  // The database size is read after every cycle (a stat of the file and its WAL), so the gauge follows growth.
  const collect = async (signal: AbortSignal): Promise<void> => {
    await t.collector.collectOnce(signal);
    metrics.databaseSizeBytes.set(await t.store.sizeBytes());
  };
  const collection = createScheduledTask({ ...common, name: 'collection', run: collect, cadenceMs: interval, timeoutMs: 2 * interval });
  // The series of pods that appeared since the last run, registered before a cycle samples them (the first run, over
  // every pod, comes before the first cycle: see startLoops).
  const warmup = createScheduledTask({
    ...common,
    name: 'series-warmup',
    cadenceMs: WARMUP_EVERY_MS,
    initialDelayMs: WARMUP_EVERY_MS,
    timeoutMs: interval,
    run: async (signal) => {
      await t.collector.warmSeries(signal);
    },
  });
  const rotation = createScheduledTask({
    ...common,
    name: 'rotation',
    cadenceMs: rotationEvery,
    initialDelayMs: rotationEvery,
    timeoutMs: rotationEvery,
    run: async () => {
      await t.store.rotate({ maxBatches: 1000 });
      metrics.databaseSizeBytes.set(await t.store.sizeBytes());
    },
  });
  return [collection, warmup, rotation];
}

/** Cadence of the series warm-up for new pods (series-warmup.ts). */
const WARMUP_EVERY_MS = 15_000;

function listenUrl(app: FastifyInstance, host: string): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/** Starts the loops: the watch loops at once, the scheduled tasks after the first sync. Stopped by the root signal. */
interface LoopTasks {
  /** Start after the first sync. */
  readonly afterSync: readonly ScheduledTask[];
  /** Start after the first sync and the backfill (collection must not write before the imported history ends). */
  readonly afterBackfill: readonly ScheduledTask[];
  readonly backfill: Promise<unknown>;
  /** Runs once after the first sync and the backfill, before `afterBackfill` starts; a failure is logged, not fatal. */
  readonly beforeCollection: (signal: AbortSignal) => Promise<unknown>;
}

/** Starts the loops: the watch loops at once, the scheduled tasks after the first sync. Stopped by the root signal. */
function startLoops(cluster: ClusterCache, tasks: LoopTasks, lifecycle: Lifecycle): void {
  const signal = lifecycle.signal;
  const watching = cluster.run(signal);
  const start = (list: readonly ScheduledTask[]) => Promise.all(list.map((task) => task.start(signal)));
  // whenReady rejects when shutdown comes before the first sync; that is no error.
  const quiet = (e: unknown): void => {
    if (!signal.aborted) throw e;
  };
  const synced = cluster.whenReady(signal);
  const prepared = Promise.all([synced, tasks.backfill]).then(() => tasks.beforeCollection(signal));
  const scheduled = [synced.then(() => start(tasks.afterSync)).catch(quiet), prepared.then(() => start(tasks.afterBackfill)).catch(quiet)];
  lifecycle.onClose('loops', async () => {
    await Promise.allSettled([watching, ...scheduled]);
  });
}

/**
 * The first cycle finds the series of every pod the sync listed already (series-warmup.ts); a failed warm-up leaves
 * their creation to the cycles, as without it.
 */
function warmBeforeCollection(collector: Collector, log: Logger): (signal: AbortSignal) => Promise<unknown> {
  return (signal) =>
    collector.warmSeries(signal).catch((e: unknown) => {
      if (!signal.aborted) logEvent(log, { event: 'collection.warmup_failed', err: toError(e) });
    });
}

/** Starts the monitor against the configured cluster; resolves once the HTTP server listens. */
export async function startService(opts: ServiceOptions): Promise<RunningService> {
  const { config, lifecycle } = opts;
  const log = componentLogger(opts.log, 'service');
  const metrics = createSelfMetrics();
  const store = await openStore(config);
  const storeState = closeStoreOnShutdown(store, lifecycle);
  metrics.databaseSizeBytes.set(await store.sizeBytes());
  const access = {
    ...(opts.kubeconfigYaml === undefined ? { kubeconfigPath: config.kube.kubeconfig } : { kubeconfigYaml: opts.kubeconfigYaml }),
    context: config.kube.context,
  };
  const client = createKubeClient({ ...access, qps: config.kube.qps, burst: config.kube.burst });
  // Kubelet summaries have their own budget: one request per node per cycle (5,000 at 5,000 nodes) would take
  // 100 s at the watch loops' 50 requests/s.
  const proxyQps = config.collection.kubeletQps;
  const proxyClient = createKubeClient({ ...access, qps: proxyQps, burst: Math.ceil(proxyQps) });
  // Every request to the API server (watch loops, metrics-server, kubelet proxy) is timed for the self-metrics.
  const kubeHttp = timedKubeHttp(client.request, kubeRequestObserver(metrics));
  const proxyHttp = timedKubeHttp(proxyClient.request, kubeRequestObserver(metrics));
  const hooks = watchMetricHooks(metrics, KIND_NAMES);
  const cluster = new ClusterCache({ http: kubeHttp, log: componentLogger(opts.log, 'kube'), tuning: opts.kubeTuning, hooks });
  metrics.trackPods(() => cluster.counts().pods);
  const collectionLog = componentLogger(opts.log, 'collection');
  const selector = createSelector(config, { client: { ...client, request: kubeHttp }, proxyHttp, cluster, metrics, lifecycle }, collectionLog);
  const collector = createCollector({ selector, store, metrics, log: collectionLog, clock: systemClock, cluster: config.cluster.name, clusterView: cluster });
  const analyses = createAnalysisRunner({ config, cluster, store, clock: opts.analysisClock ?? systemClock, metrics, log: componentLogger(opts.log, 'analysis') });
  // Closed after the loops (closers run in reverse), so that no pass is left waiting on a forecast.
  lifecycle.onClose('analysis-workers', () => analyses.close());
  const provider = createHealthProvider({ cluster, store, selector, lastCollection: () => collector.lastCollection(), storeOpen: storeState.isOpen });
  const health = withAnalyses(provider, analyses);
  const app = buildApp({
    clusterView: cluster,
    sampleStore: store,
    latestUsage: collector,
    historyStore: store.history,
    findingStore: store.findings,
    forecasts: () => analyses.latestCapacity(),
    costs: createCostsProvider({ cluster, history: store, lifecycle: store.history, clusterName: config.cluster.name, clock: opts.analysisClock ?? systemClock, prices: config.analysis.prices, tenantLabel: config.analysis.tenantLabel }),
    clusterName: config.cluster.name,
    health,
    metrics,
    log: opts.log,
    config: { token: config.auth.mode === 'token' ? config.auth.token : undefined },
    version: opts.version,
  });
  await app.listen({ host: config.server.host, port: config.server.port });
  lifecycle.onClose('http', () => app.close());
  await opts.prepareStore?.(store);
  // In the background: the watch loops, readiness and the history recorder do not wait for it; collection and
  // rotation do (the imported grid ends before the first live sample; rotation must not compact under the import).
  const backfill = backfillOnStart({ config, store, log: componentLogger(opts.log, 'backfill'), signal: lifecycle.signal, onProgress: opts.onBackfillProgress });
  // Object and event history: a pass every 10 s, and one more after the loops stop (closers run in reverse order).
  // Recorded in the analyses' time (the demo's scenario clock), so that what was first seen or went when is on the
  // time line the pod history is read on (the capacity forecasts' Σ requests).
  const recorder = createHistoryRecorder({ cluster, store: store.history, clusterName: config.cluster.name, clock: opts.analysisClock ?? systemClock });
  lifecycle.onClose('history', async () => {
    await recorder.recordOnce();
  });
  const historyTask = createHistoryTask(recorder, { clock: systemClock, sleep, log });
  const analysisTasks = analyses.tasks(config.analysis, { clock: systemClock, sleep, log });
  const beforeCollection = warmBeforeCollection(collector, collectionLog);
  startLoops(cluster, { afterSync: [historyTask], afterBackfill: [...createTasks({ config, store, collector }, log, metrics), ...analysisTasks], backfill, beforeCollection }, lifecycle);
  const firstAnalysis = opts.analyseOnStart === true ? analyseWhenReady(analyses, Promise.all([cluster.whenReady(lifecycle.signal), backfill]), lifecycle.signal) : undefined;
  const url = listenUrl(app, config.server.host);
  log.info({ url, kube: client.server, context: client.contextName, ...markingLogFields() }, 'monitor started');
  return { url, app, store, cluster, collector, metrics, analyses, ...(firstAnalysis === undefined ? {} : { firstAnalysis }) };
}

/** Metrics API timestamps have second resolution: a second after the newest sample, the next one is strictly newer. */
const RESUME_GAP_MS = 1000;

/**
 * Where the demo's scenario clock starts on a database that already holds its series: just after the newest stored
 * sample, so that live samples continue those series instead of being dropped as out of order (the default start
 * lies days in the past, before what the previous run stored). When the newest sample is older than the default
 * start, the default wins and the time the demo was off stays a gap. Undefined on a new database.
 */
async function resumeStartMs(config: Config, speed: number): Promise<number | undefined> {
  if (!existsSync(config.store.path)) return undefined;
  const store = await openStore(config);
  try {
    const newest = await store.newestSampleMs({ cluster: config.cluster.name });
    return newest === undefined ? undefined : Math.max(newest + RESUME_GAP_MS, defaultStart(Date.now(), speed));
  } finally {
    await store.close();
  }
}

/**
 * Starts the simulated cluster (scenario `demo`) in-process and the monitor against it. On a new database a week of
 * history is seeded first; on an existing one the history is kept as it is and the scenario clock continues after
 * the newest stored sample.
 */
export async function startDemo(opts: DemoOptions): Promise<RunningDemo> {
  const { config } = opts;
  const log = componentLogger(opts.log, 'demo');
  const speed = opts.speed ?? 60;
  const startMs = await resumeStartMs(config, speed);
  if (startMs !== undefined) log.info({ startMs, start: new Date(startMs).toISOString() }, 'demo resumes after the newest stored sample');
  const simulation = await startSimulationServer({ scenario: 'demo', port: 0, speed, ...(startMs === undefined ? {} : { startMs }) });
  // Registered before the service's closers, so it stops after the watch loops and the server.
  opts.lifecycle.onClose('simulation', () => simulation.stop());
  const prepareStore = async (store: SampleStore): Promise<void> => {
    // Skips itself when the store already holds the cluster's series (a restart), so nothing is rewritten.
    await seedDemoHistory({ simulation: simulation.simulation, store, cluster: config.cluster.name, log });
  };
  // Analyses evaluate at the scenario's time (behind the wall clock at speed > 1) and run once at start.
  const analysisClock = { now: () => simulation.simulation.nowMs() };
  // The simulator is a cluster without Prometheus whose kubelets the demo may ask (nodes/proxy): unless a source or a
  // Prometheus is configured, the demo collects from the kubelets, which alone give throttling (cAdvisor) and PVC
  // usage (summary) without Prometheus.
  const kubeletFirst = config.collection.source === 'auto' && config.prometheus.url === undefined;
  const demoConfig = kubeletFirst ? { ...config, collection: { ...config.collection, source: 'kubelet' as const } } : config;
  const service = await startService({ ...opts, config: demoConfig, kubeconfigYaml: kubeconfigFor(simulation.server), prepareStore, analysisClock, analyseOnStart: true });
  return { ...service, simulation };
}
