// SPDX-License-Identifier: Apache-2.0
// Two of the kubelet's Prometheus endpoints for one node, as reached through the API server's node proxy:
// /metrics/cadvisor (the cAdvisor families of the cluster endpoint, restricted to the node, without the `node`
// label, sorted and with millisecond timestamps like the capture) and /metrics/resource (the small usage set
// metrics-server reads; HELP texts and stability markers of pkg/kubelet/metrics/collectors/resource_metrics.go).
import { CADVISOR_FAMILIES } from './cadvisor-families.ts';
import type { ExporterContext } from './cluster-view.ts';
import { nodeCadvisorSource, nodeStats, type NodeStats } from './kubelet-pod-stats.ts';
import { roundToNanos } from './number-format.ts';
import { renderPrometheusText } from './prometheus-text.ts';
import { bindFamilies, defineFamily, type FamilyCollector, type FamilyDef, type Sample } from './series.ts';

/** The node's /metrics/cadvisor text, or undefined for an unknown node. */
export function renderKubeletCadvisor(ctx: ExporterContext, nodeName: string): Iterable<string> | undefined {
  const src = nodeCadvisorSource(ctx, nodeName);
  if (src === undefined) return undefined;
  return renderPrometheusText(bindFamilies(CADVISOR_FAMILIES, src), { timestampMs: ctx.nowMs, sortSamples: true });
}

type StatsFn = (stats: NodeStats) => Iterable<Sample>;

function resourceFamily(def: FamilyDef, fn: StatsFn): FamilyCollector<NodeStats> {
  return defineFamily({ stamped: true, ...def }, fn);
}

function* perContainer(stats: NodeStats, value: (c: NodeStats['pods'][number]['containers'][number]) => number): Generator<Sample> {
  for (const p of stats.pods) {
    for (const c of p.containers) {
      const labels = [
        ['container', c.spec.name],
        ['namespace', p.pod.metadata.namespace ?? ''],
        ['pod', p.pod.metadata.name],
      ] as const;
      yield { labels, value: value(c) };
    }
  }
}

function* perPod(stats: NodeStats, value: (p: NodeStats['pods'][number]) => number): Generator<Sample> {
  for (const p of stats.pods) {
    const labels = [
      ['namespace', p.pod.metadata.namespace ?? ''],
      ['pod', p.pod.metadata.name],
    ] as const;
    yield { labels, value: value(p) };
  }
}

function* nodeValue(stats: NodeStats, value: (u: NonNullable<NodeStats['usage']>) => number): Generator<Sample> {
  if (stats.usage) yield { labels: [], value: value(stats.usage) };
}

const SCRAPE_ERROR_HELP = '1 if there was an error while getting container metrics, 0 otherwise';

/** The resource endpoint's families, sorted by name as the kubelet writes them. */
export const KUBELET_RESOURCE_FAMILIES: readonly FamilyCollector<NodeStats>[] = [
  resourceFamily(
    { name: 'container_cpu_usage_seconds_total', help: '[STABLE] Cumulative cpu time consumed by the container in core-seconds', type: 'counter' },
    (s) => perContainer(s, (c) => roundToNanos(c.usage.cpuSecondsTotal)),
  ),
  resourceFamily({ name: 'container_memory_working_set_bytes', help: '[STABLE] Current working set of the container in bytes', type: 'gauge' }, (s) =>
    perContainer(s, (c) => c.usage.memoryWorkingSetBytes),
  ),
  resourceFamily(
    { name: 'container_start_time_seconds', help: '[STABLE] Start time of the container since unix epoch in seconds', type: 'gauge', stamped: false },
    (s) => perContainer(s, (c) => c.usage.startedAtMs / 1000),
  ),
  resourceFamily({ name: 'node_cpu_usage_seconds_total', help: '[STABLE] Cumulative cpu time consumed by the node in core-seconds', type: 'counter' }, (s) =>
    nodeValue(s, (u) => roundToNanos(u.cpuSecondsTotal)),
  ),
  resourceFamily({ name: 'node_memory_working_set_bytes', help: '[STABLE] Current working set of the node in bytes', type: 'gauge' }, (s) =>
    nodeValue(s, (u) => u.memoryWorkingSetBytes),
  ),
  resourceFamily({ name: 'pod_cpu_usage_seconds_total', help: '[STABLE] Cumulative cpu time consumed by the pod in core-seconds', type: 'counter' }, (s) =>
    perPod(s, (p) => p.podRow.cpuSecondsTotal),
  ),
  resourceFamily({ name: 'pod_memory_working_set_bytes', help: '[STABLE] Current working set of the pod in bytes', type: 'gauge' }, (s) =>
    perPod(s, (p) => p.podRow.memoryWorkingSetBytes),
  ),
  resourceFamily({ name: 'resource_scrape_error', help: `[STABLE] ${SCRAPE_ERROR_HELP}`, type: 'gauge', stamped: false }, () => [{ labels: [], value: 0 }]),
  // Deprecated in 1.29 in favour of resource_scrape_error; kubelets hide it from 1.31 unless
  // --show-hidden-metrics-for-version is set, which is how it is served here (HELP as component-base writes it).
  resourceFamily({ name: 'scrape_error', help: `[ALPHA] (Deprecated since 1.29.0) ${SCRAPE_ERROR_HELP}`, type: 'gauge', stamped: false }, () => [
    { labels: [], value: 0 },
  ]),
];

/** The node's /metrics/resource text, or undefined for an unknown node. */
export function renderKubeletResourceMetrics(ctx: ExporterContext, nodeName: string): Iterable<string> | undefined {
  const stats = nodeStats(ctx, nodeName);
  if (stats === undefined) return undefined;
  return renderPrometheusText(bindFamilies(KUBELET_RESOURCE_FAMILIES, stats), { timestampMs: ctx.nowMs, sortSamples: true });
}
