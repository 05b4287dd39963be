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
  /** Per key: pods with usage at each grid point, and the last pod counted there. */
  private readonly pods = new Map<string, { count: Float64Array; last: Int32Array }>();

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

  /**
   * Counts pod `podId` at every grid point where one of its containers has a sample. All of a pod's containers are
   * added one after the other (deriveTotals groups them), so a point counts the pod once however many it has.
   */
  addPod(key: string, podId: number, s: GridSeries): void {
    let counts = this.pods.get(key);
    if (!counts) this.pods.set(key, (counts = { count: new Float64Array(this.grid.points), last: new Int32Array(this.grid.points).fill(-1) }));
    for (let i = 0; i < s.timestampsMs.length; i++) {
      if (!Number.isFinite(s.values[i] as number)) continue;
      const at = Math.round(((s.timestampsMs[i] as number) - this.grid.startMs) / this.grid.stepMs);
      if (at < 0 || at >= this.grid.points || counts.last[at] === podId) continue;
      counts.last[at] = podId;
      counts.count[at] = (counts.count[at] as number) + 1;
    }
  }

  series(kindOf: (key: string) => { kind: EntityKind; entity: string }, metric: string): GridSeries[] {
    return [...this.sums].map(([key, acc]) => ({ ...kindOf(key), metric, ...this.present(acc, (v) => !Number.isNaN(v)) }));
  }

  podSeries(kindOf: (key: string) => { kind: EntityKind; entity: string }): GridSeries[] {
    return [...this.pods].map(([key, counts]) => ({ ...kindOf(key), metric: METRIC.pods, ...this.present(counts.count, (v) => v > 0) }));
  }

  /** The grid points of `acc` whose value `keep` accepts, as timestamps and values. */
  private present(acc: Float64Array, keep: (v: number) => boolean): { timestampsMs: Float64Array; values: Float64Array } {
    let n = 0;
    for (const v of acc) if (keep(v)) n++;
    const timestampsMs = new Float64Array(n);
    const values = new Float64Array(n);
    for (let i = 0, k = 0; i < acc.length; i++) {
      const v = acc[i] as number;
      if (!keep(v)) continue;
      timestampsMs[k] = this.grid.startMs + i * this.grid.stepMs;
      values[k++] = v;
    }
    return { timestampsMs, values };
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
  // Working-set series grouped by pod, so that each pod's containers are counted together (Totals.addPod).
  const byPod = new Map<string, GridSeries[]>();
  for (const s of containers) {
    if (s.kind !== 'container') continue;
    if (s.metric === METRIC.cpuMillicores) for (const k of totalKeys(s.entity, opts)) cpu.add(k, s);
    if (s.metric !== METRIC.memoryWorkingSetBytes) continue;
    const pod = s.entity.split('/').slice(0, 2).join('/');
    const list = byPod.get(pod);
    if (list === undefined) byPod.set(pod, [s]);
    else list.push(s);
  }
  let podId = 0;
  for (const series of byPod.values()) {
    const keys = totalKeys((series[0] as GridSeries).entity, opts);
    for (const s of series) {
      for (const k of keys) {
        mem.add(k, s);
        mem.addPod(k, podId, s);
      }
    }
    podId++;
  }
  return [...cpu.series(kindOf, METRIC.cpuMillicores), ...mem.series(kindOf, METRIC.memoryWorkingSetBytes), ...mem.podSeries(kindOf)];
}
