// SPDX-License-Identifier: Apache-2.0
// The usage of each pod in one collection cycle, summed over its containers: what `/api/v1/pods` shows and sorts by,
// and the input of the cycle's workload, namespace and cluster totals. Kept by namespace, then name: the pod orders
// look up every pod after each cycle (150,000 lookups), and two lookups with the pod's own strings (whose hashes V8
// keeps) cost a fraction of building a `namespace/name` key for each.
import { mapIn } from '../domain/maps.ts';
import { timeSlicer } from '../runtime/yield.ts';
import type { ContainerUsage } from '../sources/usage/index.ts';

/** Usage of one pod in a cycle. */
export interface PodSums {
  readonly namespace: string;
  readonly name: string;
  cpuMillicores: number;
  memoryBytes: number;
  /** Latest sample time of its containers. */
  tsMs: number;
}

/** The pods of one cycle, by namespace and name. */
export class PodUsageIndex {
  private readonly byNamespace = new Map<string, Map<string, PodSums>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(namespace: string, name: string): PodSums | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  *values(): IterableIterator<PodSums> {
    for (const pods of this.byNamespace.values()) yield* pods.values();
  }

  /** The pod's sums, created at zero on its first container. */
  entry(namespace: string, name: string, tsMs: number): PodSums {
    const pods = mapIn(this.byNamespace, namespace);
    let p = pods.get(name);
    if (p === undefined) {
      p = { namespace, name, cpuMillicores: 0, memoryBytes: 0, tsMs };
      pods.set(name, p);
      this.count++;
    }
    return p;
  }
}

/**
 * One pass over a cycle's containers, in slices of about 10 ms (it runs in the thread that serves the API); non-finite
 * values add nothing (absent, REQUIREMENTS §1.6).
 */
export async function podUsage(containers: readonly ContainerUsage[]): Promise<PodUsageIndex> {
  const out = new PodUsageIndex();
  const turn = timeSlicer();
  for (const c of containers) {
    const pause = turn();
    if (pause) await pause;
    const p = out.entry(c.namespace, c.pod, c.tsMs);
    if (Number.isFinite(c.cpuCores)) p.cpuMillicores += c.cpuCores * 1000;
    if (Number.isFinite(c.memoryWorkingSetBytes)) p.memoryBytes += c.memoryWorkingSetBytes;
    if (c.tsMs > p.tsMs) p.tsMs = c.tsMs;
  }
  return out;
}
