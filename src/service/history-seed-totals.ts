// SPDX-License-Identifier: Apache-2.0
// The namespace and cluster totals of a seeded history, as the collector writes them every cycle (CPU, working set
// and the count of pods with a sample): what the capacity forecasts and the cost showback read. Holding the totals
// at the seed's one-minute step would take 10,000 namespaces × 20,160 steps × 3 metrics, about 4.8 GB of Float64 at
// full size; they are kept on a coarser grid instead (5 minutes by default), each coarse value the mean over the
// minutes with a sample of the per-minute sums, as the store's 5-minute rollup of the collector's totals is.
import type { SampleStore } from '../domain/ports.ts';
import { METRIC, type EntityKind, type HistorySeries, type SeriesKey } from '../domain/series.ts';
import { groupBy } from '../domain/maps.ts';
import { HOUR_MS } from '../domain/time.ts';

/** Series per `writeHistory` call: bounds the rows built and the transaction. */
const WRITE_BATCH = 200;

/** The seed's fine grid: value k of a column is at `fromMs + (k + 1) × stepMs`. */
export interface SeedGrid {
  readonly fromMs: number;
  readonly stepMs: number;
  readonly steps: number;
}

/** One series of a bulk write: its key and its values on `timestampsMs`. */
export interface SeedColumn {
  readonly key: SeriesKey;
  readonly values: ArrayLike<number>;
}

/** A container's filled columns (NaN where it had no sample), with the pod it belongs to. */
export interface ContainerColumns {
  readonly namespace: string;
  readonly pod: string;
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
}

/** Writes columns in batches, raw chunks from `rawFromMs` on; returns the samples written. */
export async function writeColumns(store: SampleStore, w: { columns: readonly SeedColumn[]; timestampsMs: Float64Array; rawFromMs: number }): Promise<number> {
  let samples = 0;
  for (let i = 0; i < w.columns.length; i += WRITE_BATCH) {
    const part = w.columns.slice(i, i + WRITE_BATCH);
    const ids = await store.resolveSeries(part.map((c) => c.key));
    const series = part.map((c, j): HistorySeries => ({ seriesId: ids[j] as number, timestampsMs: w.timestampsMs, values: c.values }));
    samples += (await store.writeHistory({ series, rawFromMs: w.rawFromMs })).samples;
  }
  return samples;
}

/** Sums of one entity per coarse step, and the fine steps at which it had a sample (one bit each). */
class EntitySums {
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  readonly pods: Uint32Array;
  readonly sampled: Uint8Array;

  constructor(buckets: number, steps: number) {
    this.cpu = new Float64Array(buckets);
    this.memory = new Float64Array(buckets);
    this.pods = new Uint32Array(buckets);
    this.sampled = new Uint8Array(Math.ceil(steps / 8));
  }

  add(k: number, b: number, pod: { cpu: number; memory: number }): void {
    this.cpu[b] = (this.cpu[b] as number) + pod.cpu;
    this.memory[b] = (this.memory[b] as number) + pod.memory;
    this.pods[b] = (this.pods[b] as number) + 1;
    this.sampled[k >> 3] = (this.sampled[k >> 3] as number) | (1 << (k & 7));
  }
}

/** Groups a node group's containers by pod (every container of a pod runs on one node, so in one group). */
function byPod(containers: readonly ContainerColumns[]): ContainerColumns[][] {
  return [...groupBy(containers, (c) => `${c.namespace}/${c.pod}`).values()];
}

/** A pod's usage at fine step k: its containers' sums, or undefined when none of them has a sample. */
function podAt(containers: readonly ContainerColumns[], k: number): { cpu: number; memory: number } | undefined {
  let cpu = 0;
  let memory = 0;
  let sampled = false;
  for (const c of containers) {
    const v = c.cpu[k] as number;
    if (Number.isNaN(v)) continue;
    cpu += v;
    memory += c.memory[k] as number;
    sampled = true;
  }
  return sampled ? { cpu, memory } : undefined;
}

/** Accumulates the namespace and cluster totals of the seeded containers, a node group at a time. */
export class TotalsAccumulator {
  private readonly namespaces = new Map<string, EntitySums>();
  private readonly cluster: EntitySums;
  /** Coarse step of each fine step. */
  private readonly bucketOf: Int32Array;
  private readonly buckets: number;

  constructor(private readonly grid: SeedGrid, /** The totals' step (ms). */ readonly stepMs: number) {
    if (stepMs % grid.stepMs !== 0 || HOUR_MS % stepMs !== 0) {
      throw new RangeError(`the totals' step (${stepMs} ms) must be a multiple of the seed's step (${grid.stepMs} ms) and divide the hour`);
    }
    const first = Math.floor((grid.fromMs + grid.stepMs) / stepMs);
    this.bucketOf = new Int32Array(grid.steps);
    for (let k = 0; k < grid.steps; k++) this.bucketOf[k] = Math.floor((grid.fromMs + (k + 1) * grid.stepMs) / stepMs) - first;
    this.buckets = grid.steps === 0 ? 0 : (this.bucketOf[grid.steps - 1] as number) + 1;
    this.cluster = new EntitySums(this.buckets, grid.steps);
  }

  /** Adds the pods of one node group, their containers' columns filled. */
  add(containers: readonly ContainerColumns[]): void {
    for (const pod of byPod(containers)) {
      const namespace = (pod[0] as ContainerColumns).namespace;
      let sums = this.namespaces.get(namespace);
      if (sums === undefined) {
        sums = new EntitySums(this.buckets, this.grid.steps);
        this.namespaces.set(namespace, sums);
      }
      for (let k = 0; k < this.grid.steps; k++) {
        const usage = podAt(pod, k);
        if (usage === undefined) continue;
        const b = this.bucketOf[k] as number;
        sums.add(k, b, usage);
        this.cluster.add(k, b, usage);
      }
    }
  }

  /**
   * Timestamps of the coarse steps: each at its last fine step, as the collector's last cycle in it, so that the
   * value falls in that step's rollup bucket and within the seeded window (raw chunks keep the window's last days).
   */
  timestampsMs(): Float64Array {
    const out = new Float64Array(this.buckets);
    for (let k = 0; k < this.grid.steps; k++) out[this.bucketOf[k] as number] = this.grid.fromMs + (k + 1) * this.grid.stepMs;
    return out;
  }

  /** The totals' columns: per namespace and for the cluster, CPU, working set and pods; none without any pod. */
  columns(clusterName: string): SeedColumn[] {
    const out: SeedColumn[] = [];
    for (const [namespace, sums] of this.namespaces) out.push(...this.columnsOf({ cluster: clusterName, kind: 'namespace', entity: namespace }, sums));
    if (this.namespaces.size > 0) out.push(...this.columnsOf({ cluster: clusterName, kind: 'cluster', entity: clusterName }, this.cluster));
    return out;
  }

  /** Means of the sums over the fine steps with a sample (NaN where none had one: the collector writes nothing). */
  private columnsOf(key: { cluster: string; kind: EntityKind; entity: string }, sums: EntitySums): SeedColumn[] {
    const minutes = new Uint32Array(this.buckets);
    for (let k = 0; k < this.grid.steps; k++) {
      const b = this.bucketOf[k] as number;
      if (((sums.sampled[k >> 3] as number) & (1 << (k & 7))) !== 0) minutes[b] = (minutes[b] as number) + 1;
    }
    const mean = (values: ArrayLike<number>): Float64Array => {
      const col = new Float64Array(this.buckets);
      for (let b = 0; b < this.buckets; b++) col[b] = minutes[b] === 0 ? Number.NaN : (values[b] as number) / (minutes[b] as number);
      return col;
    };
    return [
      { key: { ...key, metric: METRIC.cpuMillicores }, values: mean(sums.cpu) },
      { key: { ...key, metric: METRIC.memoryWorkingSetBytes }, values: mean(sums.memory) },
      { key: { ...key, metric: METRIC.pods }, values: mean(sums.pods) },
    ];
  }
}
