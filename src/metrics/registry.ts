// SPDX-License-Identifier: Apache-2.0
// The product's self-metrics (REQUIREMENTS §6.3): the six names of the operations guide kept as they are, every
// other metric prefixed `krm_`, plus the default process metrics. One registry per instance, never prom-client's
// global default registry, so that tests and several apps in one process do not collide.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Label values of `collection_errors_total{source}`, initialised to 0 so the series exist from the start. */
export const COLLECTION_SOURCES = ['kubernetes', 'prometheus', 'metrics-server', 'kubelet'] as const;

// prom-client's default metrics include three gauges with a `_total` suffix that `promtool check metrics` rejects;
// their per-type breakdowns (`nodejs_active_handles{type}`, …) carry the same information.
const NON_COUNTER_TOTALS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const COLLECTION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const UPSTREAM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The metrics of one instance; adapters receive the ones they update. */
export interface SelfMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'endpoint' | 'status'>;
  readonly httpRequestDuration: Histogram<'method' | 'endpoint'>;
  readonly activeConnections: Gauge;
  readonly podsCollected: Counter;
  readonly collectionDuration: Histogram<'source'>;
  readonly collectionErrors: Counter<'source'>;
  readonly databaseSizeBytes: Gauge;
  readonly watchEvents: Counter<'kind'>;
  readonly watchRestarts: Counter<'kind'>;
  readonly pods: Gauge;
  readonly kubeRequestDuration: Histogram<'verb' | 'resource' | 'code'>;
  readonly prometheusRequestDuration: Histogram<'type'>;
  readonly analysisDuration: Histogram<'analysis'>;
  readonly analysisRuns: Counter<'analysis' | 'status'>;
  /** Open findings of the latest run per analysis and severity. */
  readonly findings: Gauge<'analysis' | 'severity'>;
  /** Sets where `krm_pods` reads the current pod count at each scrape. */
  trackPods(count: () => number): void;
}

/** Options of {@link createSelfMetrics}. */
export interface SelfMetricsOptions {
  /** Register the default process and Node.js runtime metrics; default true. */
  readonly processMetrics?: boolean;
}

function createHttpMetrics(registry: Registry) {
  const registers = [registry];
  return {
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route template and status code.',
      labelNames: ['method', 'endpoint', 'status'] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency in seconds by method and route template.',
      labelNames: ['method', 'endpoint'] as const,
      buckets: HTTP_BUCKETS,
      registers,
    }),
    activeConnections: new Gauge({ name: 'active_connections', help: 'Open HTTP connections.', registers }),
  };
}

function createCollectionMetrics(registry: Registry) {
  const registers = [registry];
  const collectionErrors = new Counter({
    name: 'collection_errors_total',
    help: 'Failed collection calls by source.',
    labelNames: ['source'] as const,
    registers,
  });
  for (const source of COLLECTION_SOURCES) collectionErrors.inc({ source }, 0);
  return {
    podsCollected: new Counter({ name: 'pods_collected_total', help: 'Pods sampled by collection cycles.', registers }),
    collectionDuration: new Histogram({
      name: 'collection_duration_seconds',
      help: 'Duration of a collection cycle in seconds by usage source.',
      labelNames: ['source'] as const,
      buckets: COLLECTION_BUCKETS,
      registers,
    }),
    collectionErrors,
  };
}

function createKrmMetrics(registry: Registry) {
  const registers = [registry];
  let podCount: (() => number) | undefined;
  return {
    trackPods: (count: () => number): void => {
      podCount = count;
    },
    databaseSizeBytes: new Gauge({ name: 'krm_database_size_bytes', help: 'History database size in bytes, WAL included.', registers }),
    watchEvents: new Counter({
      name: 'krm_watch_events_total',
      help: 'Watch events applied by kind.',
      labelNames: ['kind'] as const,
      registers,
    }),
    watchRestarts: new Counter({
      name: 'krm_watch_restarts_total',
      help: 'Watch reconnects and relists by kind.',
      labelNames: ['kind'] as const,
      registers,
    }),
    pods: new Gauge({
      name: 'krm_pods',
      help: 'Pods currently held in the cluster cache.',
      registers,
      // Read at scrape time: a pod count maintained on every watch event would cost more than it tells.
      collect() {
        if (podCount !== undefined) this.set(podCount());
      },
    }),
    kubeRequestDuration: new Histogram({
      name: 'krm_kube_request_duration_seconds',
      help: 'Kubernetes API request latency in seconds by verb, resource and status code.',
      labelNames: ['verb', 'resource', 'code'] as const,
      buckets: UPSTREAM_BUCKETS,
      registers,
    }),
    prometheusRequestDuration: new Histogram({
      name: 'krm_prometheus_request_duration_seconds',
      help: 'Prometheus request latency in seconds by request type (instant, names, ready).',
      labelNames: ['type'] as const,
      buckets: UPSTREAM_BUCKETS,
      registers,
    }),
    ...createAnalysisMetrics(registers),
  };
}

/** Self-metrics of the scheduled analyses (issue 5). */
function createAnalysisMetrics(registers: Registry[]) {
  return {
    analysisDuration: new Histogram({
      name: 'krm_analysis_duration_seconds',
      help: 'Duration of one analysis run in seconds.',
      labelNames: ['analysis'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    analysisRuns: new Counter({
      name: 'krm_analysis_runs_total',
      help: 'Analysis runs by analysis and status (ok, degraded, unavailable, insufficient_data, failed).',
      labelNames: ['analysis', 'status'] as const,
      registers,
    }),
    findings: new Gauge({
      name: 'krm_findings',
      help: 'Findings of the latest run by analysis and severity.',
      labelNames: ['analysis', 'severity'] as const,
      registers,
    }),
  };
}

/** Creates a fresh registry with every self-metric registered on it. */
export function createSelfMetrics(options: SelfMetricsOptions = {}): SelfMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    for (const name of NON_COUNTER_TOTALS) registry.removeSingleMetric(name);
  }
  return {
    registry,
    ...createHttpMetrics(registry),
    ...createCollectionMetrics(registry),
    ...createKrmMetrics(registry),
  };
}

/** Callbacks binding the watch loops to the watch counters; every kind's series exists (at 0) from the start. */
export function watchMetricHooks(metrics: SelfMetrics, kinds: readonly string[]): { onEvent: (kind: string) => void; onRestart: (kind: string) => void } {
  for (const kind of kinds) {
    metrics.watchEvents.inc({ kind }, 0);
    metrics.watchRestarts.inc({ kind }, 0);
  }
  return {
    onEvent: (kind) => metrics.watchEvents.inc({ kind }),
    onRestart: (kind) => metrics.watchRestarts.inc({ kind }),
  };
}

/** Observer of Kubernetes API requests (see `timedKubeHttp`). */
export function kubeRequestObserver(metrics: SelfMetrics): (o: { verb: string; resource: string; code: string; durationSec: number }) => void {
  return (o) => metrics.kubeRequestDuration.observe({ verb: o.verb, resource: o.resource, code: o.code }, o.durationSec);
}

/** Observer of Prometheus requests (the Prometheus client's `onRequest`). */
export function prometheusRequestObserver(metrics: SelfMetrics): (o: { type: string; durationSec: number }) => void {
  return (o) => metrics.prometheusRequestDuration.observe({ type: o.type }, o.durationSec);
}
