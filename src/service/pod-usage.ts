// SPDX-License-Identifier: Apache-2.0
// The usage of each pod in the last collection cycle, summed over its containers: what `/api/v1/pods` shows and sorts
// by, and the input of the cycle's workload, namespace and cluster totals. Kept by namespace, then name: the pod
// orders look up every pod after each cycle (150,000 lookups), and two lookups with the pod's own strings (whose
// hashes V8 keeps) cost a fraction of building a `namespace/name` key for each.
// The entries last from cycle to cycle (a pod is in nearly every cycle of its life): a cycle sums into each entry's
// own fields and publishes them all at once when it ends, so that a cycle allocates nothing for the pods it saw
// before. 150,000 new sum objects a cycle, kept for the whole cycle and so promoted, were the largest part of what a
// cycle left to the next full collection (BENCHMARKS.md, "The API during a collection, ninth run").
import { mapIn, sweepNested } from '../domain/maps.ts';
import { timeSlicer } from '../runtime/yield.ts';
import type { ContainerUsage } from '../sources/usage/index.ts';

/** A pod's usage as the last published cycle saw it. */
export interface PodSums {
  readonly namespace: string;
  readonly name: string;
  readonly cpuMillicores: number;
  readonly memoryBytes: number;
  /** Latest sample time of its containers. */
  readonly tsMs: number;
}

/** A pod's entry: its published usage and the sums of the cycle in progress. */
export interface PodEntry extends PodSums {
  /** The cycle these sums belong to. */
  cycle: number;
  cycleCpuMillicores: number;
  cycleMemoryBytes: number;
  cycleTsMs: number;
}

interface MutableEntry extends PodEntry {
  cpuMillicores: number;
  memoryBytes: number;
  tsMs: number;
  published: number;
}

/** The pods by namespace and name, published a cycle at a time. */
export class PodUsageIndex {
  private readonly byNamespace = new Map<string, Map<string, MutableEntry>>();
  private current = 0;
  private published = 0;
  private count = 0;

  /** Pods in the last published cycle. */
  get size(): number {
    return this.count;
  }

  /** The pod's usage in the last published cycle, or undefined if that cycle did not see it. */
  get(namespace: string, name: string): PodSums | undefined {
    const e = this.byNamespace.get(namespace)?.get(name);
    return e !== undefined && e.published === this.published && this.published > 0 ? e : undefined;
  }

  /**
   * Starts a cycle and sums its containers into the entries, in slices of about 10 ms (it runs in the thread that
   * serves the API); non-finite values add nothing (absent, REQUIREMENTS §1.6). Published values are untouched.
   */
  async sum(containers: readonly ContainerUsage[]): Promise<void> {
    const cycle = ++this.current;
    const turn = timeSlicer();
    for (const c of containers) {
      const pause = turn();
      if (pause) await pause;
      const e = this.entry(c.namespace, c.pod);
      if (e.cycle !== cycle) {
        e.cycle = cycle;
        e.cycleCpuMillicores = 0;
        e.cycleMemoryBytes = 0;
        e.cycleTsMs = c.tsMs;
      }
      if (Number.isFinite(c.cpuCores)) e.cycleCpuMillicores += c.cpuCores * 1000;
      if (Number.isFinite(c.memoryWorkingSetBytes)) e.cycleMemoryBytes += c.memoryWorkingSetBytes;
      if (c.tsMs > e.cycleTsMs) e.cycleTsMs = c.tsMs;
    }
  }

  /** The entries of the cycle in progress (their `cycle*` fields hold its sums). */
  *cycleEntries(): IterableIterator<PodEntry> {
    for (const pods of this.byNamespace.values()) for (const e of pods.values()) if (e.cycle === this.current) yield e;
  }

  /**
   * Makes the cycle in progress the one `get` answers, in one synchronous pass (the pod orders rely on a pod's values
   * changing only together with the collection time), and forgets the pods it did not see.
   */
  publish(): void {
    let count = 0;
    sweepNested(this.byNamespace, (e) => {
      if (e.cycle !== this.current) return false;
      e.cpuMillicores = e.cycleCpuMillicores;
      e.memoryBytes = e.cycleMemoryBytes;
      e.tsMs = e.cycleTsMs;
      e.published = this.current;
      count++;
      return true;
    });
    this.published = this.current;
    this.count = count;
  }

  private entry(namespace: string, name: string): MutableEntry {
    const pods = mapIn(this.byNamespace, namespace);
    let e = pods.get(name);
    if (e === undefined) {
      e = { namespace, name, cpuMillicores: 0, memoryBytes: 0, tsMs: 0, published: 0, cycle: 0, cycleCpuMillicores: 0, cycleMemoryBytes: 0, cycleTsMs: 0 };
      pods.set(name, e);
    }
    return e;
  }
}
