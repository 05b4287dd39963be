// SPDX-License-Identifier: Apache-2.0
// Which aggregated range queries answer a series selector, for the Prometheus-backed SeriesReader. Container
// series come from the backfill's per-namespace jobs (range-import.ts), node and PVC series from its cluster-wide
// jobs; workload, namespace and cluster totals are derived from the container series, so they cost no query.
import { METRIC, type EntityKind, type SeriesSelector } from '../../domain/series.ts';
import { clusterJobs, namespaceJobs, type RangeJob } from './range-import.ts';
import { DEFAULT_QUERY_LABELS, usageQueries, type QueryLabels, type UsageQueryName } from './queries.ts';

/** Kinds whose series are sums over container series (the collector's totals). */
export const DERIVED_KINDS: ReadonlySet<EntityKind> = new Set(['workload', 'namespace', 'cluster']);
/** Metrics of the derived totals: sums of CPU and working set, and `pods` counting the pods with usage. */
export const DERIVED_METRICS = [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes, METRIC.pods] as const;

/** The namespace a selector pins (`entity` or an `entityPrefix` reaching past the first `/`); undefined if none. */
export function namespaceOf(selector: SeriesSelector): string | undefined {
  const key = selector.entity ?? selector.entityPrefix;
  if (key === undefined) return undefined;
  const slash = key.indexOf('/');
  if (slash >= 0) return key.slice(0, slash);
  // A bare entity is a namespace series' key; a bare prefix may stop inside a namespace name.
  return selector.entity !== undefined && selector.kind === 'namespace' ? key : undefined;
}

/** Namespaces a container-level read must load: the pinned one, or every candidate matching the prefix. */
export function namespacesFor(selector: SeriesSelector, candidates: readonly string[]): string[] {
  if (selector.kind === 'cluster') return [...candidates];
  const pinned = namespaceOf(selector);
  if (pinned !== undefined) return candidates.includes(pinned) ? [pinned] : [];
  const prefix = selector.entityPrefix;
  return prefix === undefined ? [...candidates] : candidates.filter((ns) => ns.startsWith(prefix) || prefix.startsWith(ns));
}

const wantsKind = (s: SeriesSelector, kind: EntityKind): boolean => s.kind === undefined || s.kind === kind;
const wantsMetric = (s: SeriesSelector, metric: string): boolean => s.metrics === undefined || s.metrics.includes(metric);

/** Whether a selector can match a workload, namespace or cluster total. */
export function needsTotals(selector: SeriesSelector): boolean {
  const kind = selector.kind === undefined || DERIVED_KINDS.has(selector.kind);
  return kind && DERIVED_METRICS.some((m) => wantsMetric(selector, m));
}

/** Container metrics a selector needs, directly or to derive totals. */
export function containerMetricsFor(selector: SeriesSelector): Set<string> {
  const out = new Set<string>();
  if (wantsKind(selector, 'container')) {
    for (const m of [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes, METRIC.memoryRssBytes, METRIC.throttleRatio]) {
      if (wantsMetric(selector, m)) out.add(m);
    }
  }
  if (needsTotals(selector)) {
    // Totals are derived once per namespace from both sources, whatever metric this read asks for.
    out.add(METRIC.cpuMillicores);
    out.add(METRIC.memoryWorkingSetBytes);
  }
  return out;
}

/** The per-namespace container jobs for the given metrics. */
export function containerJobs(namespaces: readonly string[], metrics: ReadonlySet<string>, labels?: QueryLabels): RangeJob[] {
  return namespaces.flatMap((ns) => namespaceJobs(ns, labels).filter((j) => metrics.has(j.metric)));
}

/** The cluster-wide node and PVC jobs a selector needs. */
export function clusterJobsFor(selector: SeriesSelector, labels?: QueryLabels): RangeJob[] {
  return clusterJobs(labels).filter((j) => wantsKind(selector, j.kind) && wantsMetric(selector, j.metric));
}

/** Whether the selector can match a container-derived series at all. */
export function needsContainers(selector: SeriesSelector): boolean {
  return containerMetricsFor(selector).size > 0;
}

/**
 * The container jobs of the metrics for every namespace at once: the per-namespace queries without their
 * namespace matcher (the queries of usageQueries, aggregated by namespace, pod and container all the same).
 */
export function clusterContainerJobs(metrics: ReadonlySet<string>, labels: QueryLabels = DEFAULT_QUERY_LABELS): RangeJob[] {
  const byMetric = new Map(namespaceJobs('', labels).map((j) => [j.metric, j]));
  const q = usageQueries(labels);
  const names: Record<string, UsageQueryName> = {
    [METRIC.cpuMillicores]: 'containerCpuCores',
    [METRIC.memoryWorkingSetBytes]: 'containerMemoryWorkingSet',
    [METRIC.memoryRssBytes]: 'containerMemoryRss',
    [METRIC.throttleRatio]: 'containerThrottledRatio',
  };
  const out: RangeJob[] = [];
  for (const metric of metrics) {
    const job = byMetric.get(metric);
    const name = names[metric];
    if (job !== undefined && name !== undefined) out.push({ ...job, name: `*/${name}`, query: q[name] });
  }
  return out;
}
