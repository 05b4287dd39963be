// SPDX-License-Identifier: Apache-2.0
// Usage from Prometheus: one aggregated instant query per metric family for the whole cluster (queries.ts), run
// together and joined by (namespace, pod, container), node or PVC. A family whose query fails is an error value;
// the collect rejects only when every query fails (Prometheus is down), which is what makes the selector fall back.
import { toPrometheusError } from '../prometheus/errors.ts';
import type { PrometheusClient, VectorSample } from '../prometheus/client.ts';
import { checkFamilies, DEFAULT_QUERY_LABELS, usageQueries, type FamilyPresence, type QueryLabels, type UsageQueryName } from '../prometheus/queries.ts';
import type { CollectError, CollectRequest, ContainerUsage, MetricsSource, NodeUsage, UsageSnapshot, VolumeUsage } from './types.ts';

export interface PrometheusSourceOptions {
  readonly client: PrometheusClient;
  readonly labels?: QueryLabels;
}

export interface PrometheusSource extends MetricsSource {
  /** §1.8: the required families missing per provider, from `/api/v1/label/__name__/values`. */
  presentFamilies(opts: { signal: AbortSignal }): Promise<FamilyPresence[]>;
}

type Results = Partial<Record<UsageQueryName, VectorSample[]>>;

/** Values of one result keyed by the given labels joined with `/`. */
function byKey(samples: readonly VectorSample[] | undefined, keys: readonly string[]): Map<string, VectorSample> {
  const out = new Map<string, VectorSample>();
  for (const s of samples ?? []) out.set(keys.map((k) => s.labels[k] ?? '').join('/'), s);
  return out;
}

function finite(s: VectorSample | undefined): number | undefined {
  return s !== undefined && Number.isFinite(s.value) ? s.value : undefined;
}

function containersOf(r: Results, l: QueryLabels): ContainerUsage[] {
  const keys = [l.namespace, l.pod, l.container];
  const mem = byKey(r.containerMemoryWorkingSet, keys);
  const rss = byKey(r.containerMemoryRss, keys);
  const thr = byKey(r.containerThrottledRatio, keys);
  const out: ContainerUsage[] = [];
  for (const [key, cpu] of byKey(r.containerCpuCores, keys)) {
    const ws = finite(mem.get(key));
    if (!Number.isFinite(cpu.value) || ws === undefined) continue;
    const memoryRssBytes = finite(rss.get(key));
    const throttledRatio = finite(thr.get(key));
    out.push({
      namespace: cpu.labels[l.namespace] ?? '',
      pod: cpu.labels[l.pod] ?? '',
      container: cpu.labels[l.container] ?? '',
      tsMs: cpu.timestampSec * 1000,
      cpuCores: cpu.value,
      memoryWorkingSetBytes: ws,
      ...(memoryRssBytes !== undefined ? { memoryRssBytes } : {}),
      ...(throttledRatio !== undefined ? { throttledRatio } : {}),
    });
  }
  return out;
}

function nodesOf(r: Results, l: QueryLabels): NodeUsage[] {
  const mem = byKey(r.nodeMemoryWorkingSet, [l.node]);
  const out: NodeUsage[] = [];
  for (const [key, cpu] of byKey(r.nodeCpuCores, [l.node])) {
    const ws = finite(mem.get(key));
    if (key === '' || ws === undefined) continue;
    out.push({ node: key, tsMs: cpu.timestampSec * 1000, cpuCores: cpu.value, memoryWorkingSetBytes: ws });
  }
  return out;
}

function volumesOf(r: Results, l: QueryLabels): VolumeUsage[] {
  const keys = [l.namespace, 'persistentvolumeclaim'];
  const cap = byKey(r.volumeCapacityBytes, keys);
  const out: VolumeUsage[] = [];
  for (const [key, used] of byKey(r.volumeUsedBytes, keys)) {
    out.push({
      namespace: used.labels[l.namespace] ?? '',
      pvc: used.labels.persistentvolumeclaim ?? '',
      tsMs: used.timestampSec * 1000,
      usedBytes: finite(used),
      capacityBytes: finite(cap.get(key)),
    });
  }
  return out;
}

export function createPrometheusSource(opts: PrometheusSourceOptions): PrometheusSource {
  const labels = opts.labels ?? DEFAULT_QUERY_LABELS;
  const queries = Object.entries(usageQueries(labels)) as [UsageQueryName, string][];
  return {
    name: 'prometheus',
    async collect(req: CollectRequest): Promise<UsageSnapshot> {
      const timeSec = req.nowMs / 1000;
      const settled = await Promise.allSettled(queries.map(([, q]) => opts.client.queryVector(q, { signal: req.signal, timeSec })));
      req.signal.throwIfAborted();
      const results: Results = {};
      const errors: CollectError[] = [];
      settled.forEach((s, i) => {
        const name = (queries[i] as [UsageQueryName, string])[0];
        if (s.status === 'fulfilled') results[name] = s.value;
        else errors.push({ code: toPrometheusError(s.reason).code, target: `query/${name}`, message: toPrometheusError(s.reason).message });
      });
      const firstFailure = settled.find((s) => s.status === 'rejected');
      if (errors.length === queries.length && firstFailure) throw toPrometheusError(firstFailure.reason);
      return {
        source: 'prometheus',
        collectedAtMs: req.nowMs,
        containers: containersOf(results, labels),
        nodes: nodesOf(results, labels),
        volumes: volumesOf(results, labels),
        errors,
      };
    },
    async presentFamilies({ signal }) {
      return checkFamilies(await opts.client.metricNames({ signal }));
    },
  };
}
