// SPDX-License-Identifier: Apache-2.0
// metrics.k8s.io/v1beta1 objects as metrics-server serves them: CPU as a rate in canonical quantity form
// (`1966817n`, `250m`) and memory as the working set (`17436Ki`). metrics-server stamps `creationTimestamp` with
// the time of the request and reports only pods whose containers it has scraped, i.e. running ones.
import type { KubeObject, Pod, StringMap } from '../model/kube-types.ts';
import type { ExporterContext } from './cluster-view.ts';
import { rfc3339Seconds } from './number-format.ts';
import { runningContainers } from './pod-facts.ts';
import { formatBinaryBytes, formatCpuNanoCores } from './quantity.ts';

export const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';
/** The span between the two kubelet scrapes a rate is computed over (metrics-server's resolution plus jitter). */
const WINDOW = '20s';

export interface ResourceUsage {
  cpu: string;
  memory: string;
}

interface MetricsMeta {
  name: string;
  namespace?: string;
  creationTimestamp: string;
  labels?: StringMap;
}

export interface PodMetrics extends KubeObject {
  apiVersion: typeof METRICS_API_VERSION;
  kind: 'PodMetrics';
  metadata: MetricsMeta;
  timestamp: string;
  window: string;
  containers: { name: string; usage: ResourceUsage }[];
}

export interface NodeMetrics extends KubeObject {
  apiVersion: typeof METRICS_API_VERSION;
  kind: 'NodeMetrics';
  metadata: MetricsMeta;
  timestamp: string;
  window: string;
  usage: ResourceUsage;
}

function usageOf(cpuCores: number, memoryBytes: number): ResourceUsage {
  return { cpu: formatCpuNanoCores(cpuCores * 1e9), memory: formatBinaryBytes(memoryBytes) };
}

function podMetricsOf(ctx: ExporterContext, pod: Pod): PodMetrics | undefined {
  const containers = runningContainers(ctx.usage, pod);
  if (containers.length === 0) return undefined;
  const now = rfc3339Seconds(ctx.nowMs);
  const labels = pod.metadata.labels;
  return {
    kind: 'PodMetrics',
    apiVersion: METRICS_API_VERSION,
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace ?? '', creationTimestamp: now, ...(labels ? { labels } : {}) },
    timestamp: now,
    window: WINDOW,
    containers: containers.map((c) => ({ name: c.spec.name, usage: usageOf(c.usage.cpuCores, c.usage.memoryWorkingSetBytes) })),
  };
}

/** PodMetrics of every running pod, in one namespace or all, in store order. */
export function podMetrics(ctx: ExporterContext, namespace?: string): PodMetrics[] {
  const out: PodMetrics[] = [];
  for (const pod of ctx.store.list<Pod>('pods', namespace)) {
    const m = podMetricsOf(ctx, pod);
    if (m) out.push(m);
  }
  return out;
}

/** NodeMetrics of every node the usage model knows, in store order. */
export function nodeMetrics(ctx: ExporterContext): NodeMetrics[] {
  const now = rfc3339Seconds(ctx.nowMs);
  const out: NodeMetrics[] = [];
  for (const node of ctx.store.list('nodes')) {
    const u = ctx.usage.node(node.metadata.name);
    if (u === undefined) continue;
    const labels = node.metadata.labels;
    out.push({
      kind: 'NodeMetrics',
      apiVersion: METRICS_API_VERSION,
      metadata: { name: node.metadata.name, creationTimestamp: now, ...(labels ? { labels } : {}) },
      timestamp: now,
      window: WINDOW,
      usage: usageOf(u.cpuCores, u.memoryWorkingSetBytes),
    });
  }
  return out;
}
