// SPDX-License-Identifier: Apache-2.0
// PromQL builders for usage sampling (REQUIREMENTS §1.5.2) and the metric-family presence check (§1.8). Every
// query covers the whole cluster, one per metric family, aggregated by (namespace, pod, container) or by node or
// PVC; none ever names pods (§1.3: a per-pod regex overloaded Prometheus at about 1,000 pods).

/** Label names of the dimensions (§1.5.2 label mapping), and an extra selector that restricts cAdvisor series. */
export interface QueryLabels {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly node: string;
  /** e.g. `job="kubelet", metrics_path="/metrics/cadvisor"`; empty for none. */
  readonly cadvisorSelector: string;
  /** The rate window (default `5m`). */
  readonly rateWindow: string;
}

export const DEFAULT_QUERY_LABELS: QueryLabels = {
  namespace: 'namespace',
  pod: 'pod',
  container: 'container',
  node: 'node',
  cadvisorSelector: '',
  rateWindow: '5m',
};

export type UsageQueryName =
  | 'containerCpuCores'
  | 'containerMemoryWorkingSet'
  | 'containerMemoryRss'
  | 'containerThrottledRatio'
  | 'nodeCpuCores'
  | 'nodeMemoryWorkingSet'
  | 'volumeUsedBytes'
  | 'volumeCapacityBytes';

function selector(l: QueryLabels, extra: string): string {
  return `{${[extra, l.cadvisorSelector].filter((s) => s !== '').join(', ')}}`;
}

/** The usage queries, each one aggregated expression for the whole cluster. */
export function usageQueries(l: QueryLabels = DEFAULT_QUERY_LABELS): Readonly<Record<UsageQueryName, string>> {
  const by = `by (${l.namespace}, ${l.pod}, ${l.container})`;
  const real = `${l.container}!="", ${l.container}!="POD"`;
  const sel = selector(l, real);
  const named = selector(l, `${l.container}!=""`);
  // Node totals come from the cgroup root (`id="/"`), which is what the kubelet reports as node usage.
  const root = selector(l, 'id="/"');
  const w = l.rateWindow;
  return {
    containerCpuCores: `sum ${by} (rate(container_cpu_usage_seconds_total${sel}[${w}]))`,
    containerMemoryWorkingSet: `max ${by} (container_memory_working_set_bytes${sel})`,
    containerMemoryRss: `max ${by} (container_memory_rss${sel})`,
    containerThrottledRatio:
      `sum ${by} (rate(container_cpu_cfs_throttled_periods_total${named}[${w}]))` +
      ` / sum ${by} (rate(container_cpu_cfs_periods_total${named}[${w}]))`,
    nodeCpuCores: `sum by (${l.node}) (rate(container_cpu_usage_seconds_total${root}[${w}]))`,
    nodeMemoryWorkingSet: `max by (${l.node}) (container_memory_working_set_bytes${root})`,
    volumeUsedBytes: `max by (${l.namespace}, persistentvolumeclaim) (kubelet_volume_stats_used_bytes)`,
    volumeCapacityBytes: `max by (${l.namespace}, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes)`,
  };
}

/** A provider's families (§1.8): exact names, or prefixes ending in `*`. */
export interface FamilyRequirement {
  readonly provider: 'cAdvisor' | 'kube-state-metrics' | 'node-exporter' | 'kubelet';
  readonly families: readonly string[];
}

export const REQUIRED_FAMILIES: readonly FamilyRequirement[] = [
  { provider: 'cAdvisor', families: ['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes', 'container_cpu_cfs_*'] },
  { provider: 'kube-state-metrics', families: ['kube_pod_*', 'kube_node_*', 'kube_resourcequota'] },
  { provider: 'node-exporter', families: ['node_*'] },
  { provider: 'kubelet', families: ['kubelet_volume_stats_*'] },
];

export interface FamilyPresence {
  readonly provider: FamilyRequirement['provider'];
  /** Required families (or prefixes) with no metric name. */
  readonly missing: readonly string[];
}

function matches(family: string, names: ReadonlySet<string>, list: readonly string[]): boolean {
  if (!family.endsWith('*')) return names.has(family);
  const prefix = family.slice(0, -1);
  return list.some((n) => n.startsWith(prefix));
}

/** Which required families are missing from Prometheus's metric names, per provider. */
export function checkFamilies(metricNames: readonly string[]): FamilyPresence[] {
  const names = new Set(metricNames);
  return REQUIRED_FAMILIES.map((r) => ({ provider: r.provider, missing: r.families.filter((f) => !matches(f, names, metricNames)) }));
}
