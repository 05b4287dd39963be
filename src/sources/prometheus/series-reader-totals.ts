// SPDX-License-Identifier: Apache-2.0
// Workload, namespace and cluster totals from container series, as the collector writes them (CPU and working set
// summed over the containers with usage, `pods` counting their pods), computed on the shared range-query grid so
// that the one-shot report's totals cost no extra Prometheus query.
import { METRIC, type EntityKind } from '../../domain/series.ts';

/** Samples of one series on the reader's grid. */
export interface GridSeries {
  readonly kind: EntityKind;
  readonly entity: string;
  readonly metric: string;
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
}

/** The shared evaluation grid of every range query of one reader. */
export interface Grid {
  readonly startMs: number;
  readonly stepMs: number;
  readonly points: number;
}

/** Maps a pod to its workload key `ns/Kind/name`; undefined when unknown (the pod left before the sync). */
export type WorkloadResolver = (namespace: string, pod: string) => string | undefined;

class Totals {
  private readonly sums = new Map<string, Float64Array>();
  private readonly pods = new Map<string, Map<number, Set<string>>>();

  constructor(private readonly grid: Grid) {}

  add(key: string, s: GridSeries): void {
    let acc = this.sums.get(key);
    if (!acc) this.sums.set(key, (acc = new Float64Array(this.grid.points).fill(NaN)));
    for (let i = 0; i < s.timestampsMs.length; i++) {
      const v = s.values[i] as number;
      if (!Number.isFinite(v)) continue;
      const at = Math.round(((s.timestampsMs[i] as number) - this.grid.startMs) / this.grid.stepMs);
      if (at < 0 || at >= this.grid.points) continue;
      acc[at] = Number.isNaN(acc[at] as number) ? v : (acc[at] as number) + v;
    }
  }

  addPod(key: string, pod: string, s: GridSeries): void {
    let byPoint = this.pods.get(key);
    if (!byPoint) this.pods.set(key, (byPoint = new Map()));
    for (let i = 0; i < s.timestampsMs.length; i++) {
      if (!Number.isFinite(s.values[i] as number)) continue;
      const at = s.timestampsMs[i] as number;
      let set = byPoint.get(at);
      if (!set) byPoint.set(at, (set = new Set()));
      set.add(pod);
    }
  }

  series(kindOf: (key: string) => { kind: EntityKind; entity: string }, metric: string): GridSeries[] {
    const out: GridSeries[] = [];
    for (const [key, acc] of this.sums) {
      const ts: number[] = [];
      const vs: number[] = [];
      acc.forEach((v, i) => {
        if (Number.isNaN(v)) return;
        ts.push(this.grid.startMs + i * this.grid.stepMs);
        vs.push(v);
      });
      out.push({ ...kindOf(key), metric, timestampsMs: Float64Array.from(ts), values: Float64Array.from(vs) });
    }
    return out;
  }

  podSeries(kindOf: (key: string) => { kind: EntityKind; entity: string }): GridSeries[] {
    return [...this.pods].map(([key, byPoint]) => {
      const points = [...byPoint].sort((a, b) => a[0] - b[0]);
      const timestampsMs = Float64Array.from(points.map((p) => p[0]));
      const values = Float64Array.from(points.map((p) => p[1].size));
      return { ...kindOf(key), metric: METRIC.pods, timestampsMs, values };
    });
  }
}

/** Which totals to derive: per namespace and workload, or the one cluster total (over every namespace). */
export type TotalsScope = 'namespace' | 'cluster';

export interface TotalsOptions {
  readonly grid: Grid;
  readonly cluster: string;
  readonly workloadOf?: WorkloadResolver;
  readonly scope: TotalsScope;
}

/** Entity keys of one container series' totals: its namespace and workload (when known), or the cluster. */
function totalKeys(entity: string, opts: TotalsOptions): string[] {
  if (opts.scope === 'cluster') return [`cluster\u0000${opts.cluster}`];
  const [ns = '', pod = ''] = entity.split('/');
  const workload = opts.workloadOf?.(ns, pod);
  return workload === undefined ? [`namespace\u0000${ns}`] : [`namespace\u0000${ns}`, `workload\u0000${workload}`];
}

const kindOf = (key: string): { kind: EntityKind; entity: string } => {
  const [kind, entity = ''] = key.split('\u0000');
  return { kind: kind as EntityKind, entity };
};

/**
 * Totals of the given container series (all of one or more namespaces, CPU and working set both loaded). The
 * cluster total is only meaningful over every namespace: the caller passes all of them for scope `cluster`.
 */
export function deriveTotals(containers: readonly GridSeries[], opts: TotalsOptions): GridSeries[] {
  const cpu = new Totals(opts.grid);
  const mem = new Totals(opts.grid);
  for (const s of containers) {
    if (s.kind !== 'container') continue;
    const keys = totalKeys(s.entity, opts);
    if (s.metric === METRIC.cpuMillicores) for (const k of keys) cpu.add(k, s);
    if (s.metric !== METRIC.memoryWorkingSetBytes) continue;
    const pod = s.entity.split('/').slice(0, 2).join('/');
    for (const k of keys) {
      mem.add(k, s);
      mem.addPod(k, pod, s);
    }
  }
  return [...cpu.series(kindOf, METRIC.cpuMillicores), ...mem.series(kindOf, METRIC.memoryWorkingSetBytes), ...mem.podSeries(kindOf)];
}
