// SPDX-License-Identifier: Apache-2.0
// A usage trace for the replay: one container of one workload on a regular time grid. CPU in millicores, memory
// working set in bytes, NaN where a sample is absent.
import type { Resources } from '../rightsizing/types.ts';

export interface UsageTrace {
  readonly name: string;
  /** Data set the trace belongs to (printed per data set). */
  readonly dataset: string;
  readonly tsMs: Float64Array;
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  /** Requests and limits the workload ran with, when known. */
  readonly current?: Resources;
  readonly containersInPod?: number;
}

/** Scores of one strategy, summed over segments and traces. */
export interface ReplayScore {
  /** Scored CPU samples, and those above the request. */
  cpuSamples: number;
  cpuOver: number;
  oomKills: number;
  idleCpuCoreHours: number;
  idleMemoryGiBHours: number;
}

export interface ReplayRow {
  readonly strategy: string;
  readonly cpu_underprovisioned_fraction: number;
  readonly oom_kills: number;
  readonly idle_cpu_core_hours: number;
  readonly idle_memory_gib_hours: number;
}

export function emptyScore(): ReplayScore {
  return { cpuSamples: 0, cpuOver: 0, oomKills: 0, idleCpuCoreHours: 0, idleMemoryGiBHours: 0 };
}

export function addScore(into: ReplayScore, s: ReplayScore): void {
  into.cpuSamples += s.cpuSamples;
  into.cpuOver += s.cpuOver;
  into.oomKills += s.oomKills;
  into.idleCpuCoreHours += s.idleCpuCoreHours;
  into.idleMemoryGiBHours += s.idleMemoryGiBHours;
}

export function toRow(strategy: string, s: ReplayScore): ReplayRow {
  return {
    strategy,
    cpu_underprovisioned_fraction: s.cpuSamples === 0 ? 0 : s.cpuOver / s.cpuSamples,
    oom_kills: s.oomKills,
    idle_cpu_core_hours: s.idleCpuCoreHours,
    idle_memory_gib_hours: s.idleMemoryGiBHours,
  };
}
