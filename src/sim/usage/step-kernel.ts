// SPDX-License-Identifier: Apache-2.0
// The hot loop: evaluate every live container at the step time (evaluate-pass.ts), then integrate over the step:
// CPU capped at the limit with the excess shown as CFS throttling, counters, node sums, pod traffic, OOM kills.
// Runs over 225,000 containers per step at cluster scale, so it allocates nothing and reads columns from locals.
import { KernelKind } from './resolve-profile.ts';
import { BASELINE_NETWORK_BYTES_PER_SEC, WRITABLE_LAYER_MAX_BYTES, toPages } from './derived.ts';
import { evaluateBase, evaluateKinds } from './evaluate-pass.ts';
import type { ContainerTable } from './container-table.ts';
import type { PodTable } from './pod-table.ts';
import type { NodeTable } from './node-table.ts';
import type { StepContext } from './step-context.ts';

/** CFS enforcement period (Linux default `cpu.cfs_period_us` = 100 ms), seconds. */
export const CFS_PERIOD_SEC = 0.1;
/**
 * Demand/limit ratio at which some periods start to be throttled. A container below its limit on average still
 * exceeds its quota within some 100 ms periods, so throttling starts a little before the limit.
 */
const THROTTLE_ONSET = 0.8;
/** Demand/limit ratio above the onset at which every period is throttled (1.5 × limit). */
const THROTTLE_SPAN = 0.7;
const PAGE_BYTES = 4096;

/**
 * Fraction of CFS periods throttled for a demand against a limit (both in cores): 0 up to 80 % of the limit, then
 * rising linearly to 1 at 150 %. No limit, no throttling.
 */
export function throttledFraction(demandCores: number, limitCores: number): number {
  if (limitCores <= 0) return 0;
  return Math.min(1, Math.max(0, (demandCores / limitCores - THROTTLE_ONSET) / THROTTLE_SPAN));
}

/** Share of a throttled period spent waiting: the unmet part of the demand, at least 10 % of the period. */
function throttledShare(demandCores: number, limitCores: number): number {
  return Math.max(0.1, 1 - limitCores / demandCores);
}

/** The tables the kernel reads and writes. */
export interface KernelTables {
  containers: ContainerTable;
  pods: PodTable;
  nodes: NodeTable;
}

/** Evaluates and integrates containers; OOM kills found during a step are queued in `oomSlots`/`oomBytes`. */
export class StepKernel {
  /** Slots OOM-killed (and already restarted) during the last step, with the working set that hit the limit. */
  readonly oomSlots: number[] = [];
  readonly oomBytes: number[] = [];
  private readonly c: ContainerTable;
  private readonly pods: PodTable;
  private readonly nodes: NodeTable;

  constructor(
    tables: KernelTables,
    private readonly ctx: StepContext,
  ) {
    this.c = tables.containers;
    this.pods = tables.pods;
    this.nodes = tables.nodes;
  }

  /** One step over every live container; `ctx` must be prepared and the node sums cleared. */
  run(): void {
    const end = this.c.slots.highWater;
    const input = { containers: this.c, ctx: this.ctx };
    evaluateBase(input, 0, end);
    evaluateKinds(input, 0, end);
    this.throttle(end);
    this.account(end);
    this.restartOomKilled();
  }

  /** Sets a slot's current rate and working set at `ctx.tMs` without integrating (new or restarted container). */
  prime(i: number): void {
    const c = this.c;
    const input = { containers: c, ctx: this.ctx };
    evaluateBase(input, i, i + 1);
    evaluateKinds(input, i, i + 1);
    const limit = c.cpuLimitCores[i]!;
    if (limit > 0 && c.cpuCores[i]! > limit) c.cpuCores[i] = limit;
    c.workingSetBytes[i] = toPages(c.workingSetBytes[i]!);
  }

  /**
   * Gives a container that started before `ctx.tMs` the counters it would have accumulated at its mean level, so
   * a pod that has been running for days does not show counters starting at zero.
   */
  backfill(i: number): void {
    const c = this.c;
    const ageSec = (this.ctx.tMs - c.startedAtMs[i]!) / 1000;
    if (ageSec <= 0) return;
    let mean = c.cpuLevel[i]!;
    if (c.kind[i] === KernelKind.bursty) mean += c.p2[i]! * c.p1[i]! * c.p3[i]!;
    const limit = c.cpuLimitCores[i]!;
    c.cpuSecondsTotal[i] = (limit > 0 ? Math.min(limit, mean) : mean) * ageSec;
    if (limit <= 0) return;
    const throttled = (ageSec / CFS_PERIOD_SEC) * throttledFraction(mean, limit);
    c.cfsThrottledPeriodsTotal[i] = throttled;
    c.cfsThrottledSecondsTotal[i] = throttled > 0 ? throttled * CFS_PERIOD_SEC * throttledShare(mean, limit) : 0;
  }

  /**
   * Throttling counters from the evaluated demand (still in `cpuCores`), before the accounting pass caps it. The
   * periods themselves need no counter: every 100 ms of a limited container's life is one (see read-usage.ts).
   */
  private throttle(end: number): void {
    const { kind, cpuCores, cpuLimitCores, cfsThrottledPeriodsTotal } = this.c;
    const throttledSeconds = this.c.cfsThrottledSecondsTotal;
    const periods = this.ctx.dtSec / CFS_PERIOD_SEC;
    for (let i = 0; i < end; i++) {
      const limit = cpuLimitCores[i]!;
      const demand = cpuCores[i]!;
      if (limit <= 0 || demand <= THROTTLE_ONSET * limit || kind[i] === KernelKind.none) continue;
      const throttled = periods * throttledFraction(demand, limit);
      cfsThrottledPeriodsTotal[i]! += throttled;
      throttledSeconds[i]! += throttled * CFS_PERIOD_SEC * throttledShare(demand, limit);
    }
  }

  /**
   * Caps CPU at the limit, integrates counters and adds to node sums and pod traffic. Node sums and traffic are
   * whole nanocores and bytes so that totals do not depend on the order of slots.
   */
  private account(end: number): void {
    const { kind, cpuCores, cpuLimitCores, cpuSecondsTotal, workingSetBytes, memoryLimitBytes } = this.c;
    const { node, pod, startedAtMs, fsBaseBytes, fsBytesPerSec } = this.c;
    const { stepCpuNanocores, stepWorkingSetBytes, stepFsBytes } = this.nodes;
    const { trafficBytes, bytesPerCpuSecond } = this.pods;
    const { dtSec, tMs } = this.ctx;
    for (let i = 0; i < end; i++) {
      if (kind[i] === KernelKind.none) continue;
      const limit = cpuLimitCores[i]!;
      const demand = cpuCores[i]!;
      const rate = limit > 0 && demand > limit ? limit : demand;
      cpuCores[i] = rate;
      cpuSecondsTotal[i]! += rate * dtSec;
      const ws = Math.floor(workingSetBytes[i]! / PAGE_BYTES) * PAGE_BYTES;
      workingSetBytes[i] = ws;
      const n = node[i]!;
      stepCpuNanocores[n]! += Math.round(rate * 1e9);
      stepWorkingSetBytes[n]! += ws;
      const grown = Math.floor((fsBytesPerSec[i]! * Math.max(0, tMs - startedAtMs[i]!)) / 1000);
      stepFsBytes[n]! += fsBaseBytes[i]! + (grown < WRITABLE_LAYER_MAX_BYTES ? grown : WRITABLE_LAYER_MAX_BYTES);
      const p = pod[i]!;
      trafficBytes[p]! += Math.round((rate * bytesPerCpuSecond[p]! + BASELINE_NETWORK_BYTES_PER_SEC) * dtSec);
      const memoryLimit = memoryLimitBytes[i]!;
      if (memoryLimit > 0 && ws >= memoryLimit) {
        this.oomSlots.push(i);
        this.oomBytes.push(ws);
      }
    }
  }

  /** The kernel kills a container at its memory limit; kubelet starts a new incarnation at the step time. */
  private restartOomKilled(): void {
    for (const i of this.oomSlots) {
      this.c.resetCounters(i);
      this.c.startedAtMs[i] = this.ctx.tMs;
      this.prime(i);
    }
  }
}
