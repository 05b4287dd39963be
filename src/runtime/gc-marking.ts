// SPDX-License-Identifier: Apache-2.0
// Where V8 marks the heap for a full garbage collection, chosen once at start-up from the CPUs the process may use.
// V8 paces a full collection's marking to end about half a second after it starts. With a second CPU, helper
// threads do much of it beside the main thread; on one CPU those helpers only take the core from the main thread
// (and the API's requests wait), so there the marking is better done on the main thread alone, in steps between
// requests: `--no-concurrent-marking`. Measured both ways at 150,000 pods in BENCHMARKS.md ("Marking on the main
// thread", "Concurrent marking on two cores").
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/** The marking chosen for this process, with the CPUs it was chosen for. */
export interface MarkingChoice {
  readonly cpus: number;
  readonly concurrent: boolean;
}

type ReadText = (path: string) => string | undefined;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * CPUs of a cgroup's quota, if it has one: cgroup v2 `cpu.max` ("max 100000" or "150000 100000"), else v1's
 * `cpu.cfs_quota_us` (-1 for none) over `cpu.cfs_period_us`. A container limited to 1.5 CPUs gets 1.5.
 */
export function cgroupCpuQuota(read: ReadText = readText): number | undefined {
  const v2 = read('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2 !== undefined) return quotaOf(v2[0], v2[1]);
  return quotaOf(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')?.trim(), read('/sys/fs/cgroup/cpu/cpu.cfs_period_us')?.trim());
}

function quotaOf(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && q > 0 && Number.isFinite(p) && p > 0 ? q / p : undefined;
}

/** The CPUs this process may use: its affinity (taskset, cpuset), lowered by a cgroup quota. */
export function usableCpus(affinity: number = availableParallelism(), quota: number | undefined = cgroupCpuQuota()): number {
  return quota === undefined ? affinity : Math.min(affinity, quota);
}

/** Concurrent marking only with at least two CPUs to use. */
export function chooseMarking(cpus: number): MarkingChoice {
  return { cpus, concurrent: cpus >= 2 };
}

let chosen: MarkingChoice | undefined;

/**
 * Applies the choice to this process's V8 (before the heap is large: at start-up). Node starts with concurrent
 * marking on; turning it off at run time takes effect from the next full collection.
 */
export function configureMarking(cpus: number = usableCpus()): MarkingChoice {
  chosen = chooseMarking(cpus);
  if (!chosen.concurrent) setFlagsFromString('--no-concurrent-marking');
  return chosen;
}

/** What configureMarking chose, if it ran in this process (for the start-up log). */
export function markingChoice(): MarkingChoice | undefined {
  return chosen;
}
