// SPDX-License-Identifier: Apache-2.0
// Struct-of-arrays storage of every container the usage model tracks: one slot per container, one typed array
// per field. At 225,000 containers an object per container would cost several hundred bytes and a pointer chase
// per field in the step loop; here a container costs 131 bytes of columns and the loop walks dense arrays.
// Parameters and gauges are Float32 (seven significant digits are plenty); counters and times are Float64. CFS
// periods are not stored: with a CPU limit they are exactly the incarnation's age in 100 ms periods.
import { grownColumn, SlotAllocator } from './typed-columns.ts';
import { KernelKind } from './resolve-profile.ts';
import { imageBytes, writableLayerBytesPerSec, writableLayerStartBytes } from './derived.ts';
import type { ResolvedProfile } from './resolve-profile.ts';

/** Where a new container lives and what it may use. CPU in cores, memory in bytes (0 = no limit). */
export interface ContainerPlacement {
  pod: number;
  node: number;
  name: string;
  seed: number;
  startedAtMs: number;
  cpuLimitCores: number;
  memoryLimitBytes: number;
}

/** Columns of all containers, indexed by slot. A slot whose `kind` is `KernelKind.none` is free. */
export class ContainerTable {
  readonly slots: SlotAllocator;
  // Identity and placement.
  kind: Uint8Array;
  seed: Int32Array;
  pod: Int32Array;
  /** Next container slot of the same pod, or −1. */
  nextInPod: Int32Array;
  node: Int32Array;
  readonly name: string[] = [];
  // State: counters and gauges.
  startedAtMs: Float64Array;
  cpuSecondsTotal: Float64Array;
  cfsThrottledPeriodsTotal: Float64Array;
  cfsThrottledSecondsTotal: Float64Array;
  /** CPU rate of the last step, cores. */
  cpuCores: Float32Array;
  /** Working set of the last step, bytes (whole pages: exact in Float32 up to 64 GiB, integral beyond). */
  workingSetBytes: Float32Array;
  memoryLimitBytes: Float32Array;
  /** Image plus fresh writable layer on the node's disk, bytes; and the writable layer's growth, bytes/s. */
  fsBaseBytes: Float32Array;
  fsBytesPerSec: Float32Array;
  // Resolved profile.
  cpuLimitCores: Float32Array;
  cpuLevel: Float32Array;
  cpuNoise: Float32Array;
  cpuDaily: Float32Array;
  cpuWeekly: Float32Array;
  memoryDaily: Float32Array;
  memoryLevel: Float32Array;
  memoryNoise: Float32Array;
  dailyPhase: Uint8Array;
  weeklyPhase: Uint8Array;
  p0: Float32Array;
  p1: Float32Array;
  p2: Float32Array;
  p3: Float32Array;
  p4: Float32Array;

  /** @param capacity initial number of slots (the table grows by half when full) */
  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.slots = new SlotAllocator(n);
    this.kind = new Uint8Array(n);
    this.seed = new Int32Array(n);
    this.pod = new Int32Array(n);
    this.nextInPod = new Int32Array(n);
    this.node = new Int32Array(n);
    this.startedAtMs = new Float64Array(n);
    this.cpuSecondsTotal = new Float64Array(n);
    this.cfsThrottledPeriodsTotal = new Float64Array(n);
    this.cfsThrottledSecondsTotal = new Float64Array(n);
    this.cpuCores = new Float32Array(n);
    this.workingSetBytes = new Float32Array(n);
    this.memoryLimitBytes = new Float32Array(n);
    this.fsBaseBytes = new Float32Array(n);
    this.fsBytesPerSec = new Float32Array(n);
    this.cpuLimitCores = new Float32Array(n);
    this.cpuLevel = new Float32Array(n);
    this.cpuNoise = new Float32Array(n);
    this.cpuDaily = new Float32Array(n);
    this.cpuWeekly = new Float32Array(n);
    this.memoryDaily = new Float32Array(n);
    this.memoryLevel = new Float32Array(n);
    this.memoryNoise = new Float32Array(n);
    this.dailyPhase = new Uint8Array(n);
    this.weeklyPhase = new Uint8Array(n);
    this.p0 = new Float32Array(n);
    this.p1 = new Float32Array(n);
    this.p2 = new Float32Array(n);
    this.p3 = new Float32Array(n);
    this.p4 = new Float32Array(n);
  }

  /** Number of live containers. */
  get count(): number {
    return this.slots.live;
  }

  private grow(n: number): void {
    this.kind = grownColumn(this.kind, n);
    this.seed = grownColumn(this.seed, n);
    this.pod = grownColumn(this.pod, n);
    this.nextInPod = grownColumn(this.nextInPod, n);
    this.node = grownColumn(this.node, n);
    this.startedAtMs = grownColumn(this.startedAtMs, n);
    this.cpuSecondsTotal = grownColumn(this.cpuSecondsTotal, n);
    this.cfsThrottledPeriodsTotal = grownColumn(this.cfsThrottledPeriodsTotal, n);
    this.cfsThrottledSecondsTotal = grownColumn(this.cfsThrottledSecondsTotal, n);
    this.cpuCores = grownColumn(this.cpuCores, n);
    this.workingSetBytes = grownColumn(this.workingSetBytes, n);
    this.memoryLimitBytes = grownColumn(this.memoryLimitBytes, n);
    this.fsBaseBytes = grownColumn(this.fsBaseBytes, n);
    this.fsBytesPerSec = grownColumn(this.fsBytesPerSec, n);
    this.cpuLimitCores = grownColumn(this.cpuLimitCores, n);
    this.cpuLevel = grownColumn(this.cpuLevel, n);
    this.cpuNoise = grownColumn(this.cpuNoise, n);
    this.cpuDaily = grownColumn(this.cpuDaily, n);
    this.cpuWeekly = grownColumn(this.cpuWeekly, n);
    this.memoryDaily = grownColumn(this.memoryDaily, n);
    this.memoryLevel = grownColumn(this.memoryLevel, n);
    this.memoryNoise = grownColumn(this.memoryNoise, n);
    this.dailyPhase = grownColumn(this.dailyPhase, n);
    this.weeklyPhase = grownColumn(this.weeklyPhase, n);
    this.p0 = grownColumn(this.p0, n);
    this.p1 = grownColumn(this.p1, n);
    this.p2 = grownColumn(this.p2, n);
    this.p3 = grownColumn(this.p3, n);
    this.p4 = grownColumn(this.p4, n);
  }

  /** Allocates a slot for a container and writes its placement and profile; counters start at 0. */
  add(at: ContainerPlacement, profile: ResolvedProfile): number {
    const i = this.slots.take((n) => this.grow(n));
    this.kind[i] = profile.kind;
    this.seed[i] = at.seed;
    this.pod[i] = at.pod;
    this.nextInPod[i] = -1;
    this.node[i] = at.node;
    this.name[i] = at.name;
    this.startedAtMs[i] = at.startedAtMs;
    this.cpuLimitCores[i] = at.cpuLimitCores;
    this.memoryLimitBytes[i] = at.memoryLimitBytes;
    this.fsBaseBytes[i] = imageBytes(at.seed) + writableLayerStartBytes(at.seed);
    this.fsBytesPerSec[i] = writableLayerBytesPerSec(at.seed);
    this.writeProfile(i, profile);
    this.resetCounters(i);
    return i;
  }

  private writeProfile(i: number, r: ResolvedProfile): void {
    this.cpuLevel[i] = r.cpuLevelCores;
    this.cpuNoise[i] = r.cpuNoise;
    this.cpuDaily[i] = r.cpuDailyAmplitude;
    this.cpuWeekly[i] = r.cpuWeeklyAmplitude;
    this.memoryDaily[i] = r.memoryDailyAmplitude;
    this.memoryLevel[i] = r.memoryLevelBytes;
    this.memoryNoise[i] = r.memoryNoise;
    this.dailyPhase[i] = r.dailyPhase;
    this.weeklyPhase[i] = r.weeklyPhase;
    this.p0[i] = r.p0;
    this.p1[i] = r.p1;
    this.p2[i] = r.p2;
    this.p3[i] = r.p3;
    this.p4[i] = r.p4;
  }

  /** Zeroes the cumulative counters and gauges of a slot (a new incarnation of the container). */
  resetCounters(i: number): void {
    this.cpuSecondsTotal[i] = 0;
    this.cfsThrottledPeriodsTotal[i] = 0;
    this.cfsThrottledSecondsTotal[i] = 0;
    this.cpuCores[i] = 0;
    this.workingSetBytes[i] = 0;
  }

  /** Frees a slot; the step loop skips it from now on. */
  remove(i: number): void {
    this.kind[i] = KernelKind.none;
    this.name[i] = '';
    this.nextInPod[i] = -1;
    this.slots.release(i);
  }
}
