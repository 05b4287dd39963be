// SPDX-License-Identifier: Apache-2.0
// The PromQL range side of the history backfill: the live source's aggregated queries (queries.ts), restricted to
// one namespace for container series and cluster-wide for node and PVC series, evaluated over one time window and
// turned into columns under exactly the series keys the collector writes (REQUIREMENTS §1.5.2, §2.2). A namespace
// restriction is a label matcher on the aggregated query, never a list of pods (§1.3).
import { METRIC, type EntityKind } from '../../domain/series.ts';
import { DEFAULT_QUERY_LABELS, usageQueries, type QueryLabels, type UsageQueryName } from './queries.ts';
import type { MatrixSeries, RangeQuerier, RangeRequest } from './range-query.ts';

/** The samples of one series key in one window. */
export interface ImportedSeries {
  readonly kind: EntityKind;
  readonly entity: string;
  readonly metric: string;
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
}

/** One range query of a window: which query, and how its result maps to series keys. */
export interface RangeJob {
  /** For logs: `<namespace>/<query name>` or `cluster/<query name>`. */
  readonly name: string;
  readonly query: string;
  readonly kind: EntityKind;
  readonly metric: string;
  /** Labels joined with `/` into the entity key. */
  readonly entityLabels: readonly string[];
  /** Applied to every value (CPU cores → millicores). */
  readonly scale: number;
}

const CONTAINER_METRICS: ReadonlyArray<[UsageQueryName, string, number]> = [
  ['containerCpuCores', METRIC.cpuMillicores, 1000],
  ['containerMemoryWorkingSet', METRIC.memoryWorkingSetBytes, 1],
  ['containerMemoryRss', METRIC.memoryRssBytes, 1],
  ['containerThrottledRatio', METRIC.throttleRatio, 1],
];

/** A PromQL string literal. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The four container queries of one namespace. */
export function namespaceJobs(namespace: string, labels: QueryLabels = DEFAULT_QUERY_LABELS): RangeJob[] {
  const restrict = `${labels.namespace}=${quote(namespace)}`;
  const cadvisorSelector = [labels.cadvisorSelector, restrict].filter((s) => s !== '').join(', ');
  const q = usageQueries({ ...labels, cadvisorSelector });
  const entityLabels = [labels.namespace, labels.pod, labels.container];
  return CONTAINER_METRICS.map(([name, metric, scale]) => ({ name: `${namespace}/${name}`, query: q[name], kind: 'container', metric, entityLabels, scale }));
}

/** The cluster-wide node and PVC queries (a handful of series each, so never split by namespace). */
export function clusterJobs(labels: QueryLabels = DEFAULT_QUERY_LABELS): RangeJob[] {
  const q = usageQueries(labels);
  const pvc = [labels.namespace, 'persistentvolumeclaim'];
  return [
    { name: 'cluster/nodeCpuCores', query: q.nodeCpuCores, kind: 'node', metric: METRIC.cpuMillicores, entityLabels: [labels.node], scale: 1000 },
    { name: 'cluster/nodeMemoryWorkingSet', query: q.nodeMemoryWorkingSet, kind: 'node', metric: METRIC.memoryWorkingSetBytes, entityLabels: [labels.node], scale: 1 },
    { name: 'cluster/volumeUsedBytes', query: q.volumeUsedBytes, kind: 'pvc', metric: METRIC.usedBytes, entityLabels: pvc, scale: 1 },
    { name: 'cluster/volumeCapacityBytes', query: q.volumeCapacityBytes, kind: 'pvc', metric: METRIC.capacityBytes, entityLabels: pvc, scale: 1 },
  ];
}

/** The matrix of one job as series under the collector's keys; series with an empty key part are skipped. */
export function toImported(job: RangeJob, matrix: readonly MatrixSeries[]): ImportedSeries[] {
  const out: ImportedSeries[] = [];
  for (const m of matrix) {
    const parts = job.entityLabels.map((l) => m.labels[l] ?? '');
    if (parts.some((p) => p === '')) continue;
    const values = job.scale === 1 ? m.values : m.values.map((v) => v * job.scale);
    out.push({ kind: job.kind, entity: parts.join('/'), metric: job.metric, timestampsMs: m.timestampsMs, values });
  }
  return out;
}

/** Runs one job over one window. */
export async function runRangeJob(querier: RangeQuerier, job: RangeJob, req: RangeRequest): Promise<ImportedSeries[]> {
  return toImported(job, await querier.queryRange(job.query, req));
}

/** The namespaces that had named containers in the time range (one cheap index lookup, no samples read). */
export async function namespacesWithContainers(
  querier: RangeQuerier,
  req: { signal: AbortSignal; startMs: number; endMs: number; labels?: QueryLabels },
): Promise<string[]> {
  const labels = req.labels ?? DEFAULT_QUERY_LABELS;
  const match = `container_memory_working_set_bytes{${labels.container}!="", ${labels.container}!="POD"}`;
  const names = await querier.labelValues(labels.namespace, { signal: req.signal, match, startMs: req.startMs, endMs: req.endMs });
  return names.filter((n) => n !== '').sort();
}
