// SPDX-License-Identifier: Apache-2.0
// The usage of each pod in the last collection cycle, summed over its containers: what `/api/v1/pods` shows and sorts
// by, and the input of the cycle's workload, namespace and cluster totals. Kept by namespace, then name: the pod
// orders look up every pod after each cycle (150,000 lookups), and two lookups with the pod's own strings (whose
// hashes V8 keeps) cost a fraction of building a `namespace/name` key for each.
// The entries last from cycle to cycle (a pod is in nearly every cycle of its life): a cycle sums into each entry's
// columns and publishes them all at once when it ends, so that a cycle keeps no new object for the pods it saw
// before (what `get` and `cycleEntries` hand out is short-lived). 150,000 new sum objects a cycle, kept for the whole cycle and so promoted, were the largest part of what a
// cycle left to the next full collection (BENCHMARKS.md, "The API during a collection, ninth run").
import { PodSlots } from '../domain/pod-slots.ts';
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

/** A pod's sums in the cycle in progress. */
export interface PodEntry {
  readonly namespace: string;
  readonly name: string;
  readonly cycleCpuMillicores: number;
  readonly cycleMemoryBytes: number;
  readonly cycleTsMs: number;
}

/** Per pod: the published usage and cycle, and the sums of the cycle in progress with its number. */
const COLUMNS = ['cpu', 'memory', 'ts', 'published', 'cycle', 'cycleCpu', 'cycleMemory', 'cycleTs'] as const;

/** The pods by namespace and name, published a cycle at a time (columns per pod: domain/pod-slots.ts). */
export class PodUsageIndex {
  private readonly pods = new PodSlots(COLUMNS);
  private current = 0;
  private published = 0;
  private count = 0;

  /** Pods in the last published cycle. */
  get size(): number {
    return this.count;
  }

  /** The pod's usage in the last published cycle, or undefined if that cycle did not see it. */
  get(namespace: string, name: string): PodSums | undefined {
    const s = this.publishedSlot(namespace, name);
    if (s < 0) return undefined;
    return { namespace, name, cpuMillicores: this.pods.column('cpu')[s] ?? 0, memoryBytes: this.pods.column('memory')[s] ?? 0, tsMs: this.pods.column('ts')[s] ?? 0 };
  }

  /** One published value of the pod, without an object for it (the usage orders read 150,000 after each cycle). */
  value(namespace: string, name: string, which: 'cpu' | 'memory'): number | undefined {
    const s = this.publishedSlot(namespace, name);
    return s < 0 ? undefined : this.pods.column(which)[s];
  }

  /** The pod's slot if the last published cycle saw it, else -1. */
  private publishedSlot(namespace: string, name: string): number {
    const s = this.pods.find(namespace, name);
    return s >= 0 && this.published > 0 && this.pods.column('published')[s] === this.published ? s : -1;
  }

  /**
   * Starts a cycle (again, when a source failed part way: what it added is dropped). Published values are untouched
   * until {@link publish}.
   */
  begin(): void {
    this.current++;
  }

  /**
   * Sums containers into the cycle's columns (a source's part as it arrives); non-finite values add nothing (absent,
   * REQUIREMENTS §1.6).
   */
  add(containers: readonly ContainerUsage[]): void {
    for (const c of containers) this.addOne(this.current, c);
  }

  /** {@link add} for a long list, in slices of about 10 ms (it runs in the thread that serves the API). */
  async addInSlices(containers: readonly ContainerUsage[]): Promise<void> {
    const turn = timeSlicer();
    for (const c of containers) {
      const pause = turn();
      if (pause) await pause;
      this.addOne(this.current, c);
    }
  }

  /** The pods of the cycle in progress with their sums. */
  *cycleEntries(): IterableIterator<PodEntry> {
    const p = this.pods;
    for (const s of p.slots()) {
      if (p.column('cycle')[s] !== this.current) continue;
      yield { namespace: p.namespaceOf(s), name: p.nameOf(s), cycleCpuMillicores: p.column('cycleCpu')[s] ?? 0, cycleMemoryBytes: p.column('cycleMemory')[s] ?? 0, cycleTsMs: p.column('cycleTs')[s] ?? 0 };
    }
  }

  /**
   * Makes the cycle in progress the one `get` answers, in one synchronous pass (the pod orders rely on a pod's values
   * changing only together with the collection time), and forgets the pods it did not see.
   */
  publish(): void {
    const p = this.pods;
    const [cpu, memory, ts, published, cycle] = [p.column('cpu'), p.column('memory'), p.column('ts'), p.column('published'), p.column('cycle')];
    const [cycleCpu, cycleMemory, cycleTs] = [p.column('cycleCpu'), p.column('cycleMemory'), p.column('cycleTs')];
    p.sweep((s) => {
      if (cycle[s] !== this.current) return false;
      cpu[s] = cycleCpu[s] ?? 0;
      memory[s] = cycleMemory[s] ?? 0;
      ts[s] = cycleTs[s] ?? 0;
      published[s] = this.current;
      return true;
    });
    this.published = this.current;
    this.count = p.size;
  }

  private addOne(cycle: number, c: ContainerUsage): void {
    const s = this.pods.slot(c.namespace, c.pod);
    const p = this.pods;
    const [cycles, cpu, memory, ts] = [p.column('cycle'), p.column('cycleCpu'), p.column('cycleMemory'), p.column('cycleTs')];
    if (cycles[s] !== cycle) {
      cycles[s] = cycle;
      cpu[s] = 0;
      memory[s] = 0;
      ts[s] = c.tsMs;
    }
    if (Number.isFinite(c.cpuCores)) cpu[s] = (cpu[s] ?? 0) + c.cpuCores * 1000;
    if (Number.isFinite(c.memoryWorkingSetBytes)) memory[s] = (memory[s] ?? 0) + c.memoryWorkingSetBytes;
    if (c.tsMs > (ts[s] ?? 0)) ts[s] = c.tsMs;
  }
}
