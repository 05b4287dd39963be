// SPDX-License-Identifier: Apache-2.0
// Nodes: capacity as declared, usage as the sum of their containers (accumulated by the step kernel as whole
// nanocores and bytes, so totals do not depend on container order) plus the system's own overhead (kernel, kubelet,
// container runtime), which a real node's cgroup root includes.
import { grownColumn, SlotAllocator } from './typed-columns.ts';
import { mix32, unitFromHash, valueNoise } from './random.ts';

const GIB = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;
const NANO = 1e9;
/** Period of the wander of system overhead, ms. */
const OVERHEAD_NOISE_PERIOD_MS = 120_000;

/** A node as declared by the model. CPU in cores, memory and disk in bytes, boot time in epoch ms. */
export interface NodeSpec {
  name: string;
  cpuCores: number;
  memoryBytes: number;
  fsCapacityBytes: number;
  bootTimeMs: number;
}

/** Columns of all nodes, indexed by node slot. Containers may name a node before it is declared. */
export class NodeTable {
  readonly slots = new SlotAllocator(16);
  private readonly byName = new Map<string, number>();
  readonly name: string[] = [];
  declared = new Uint8Array(16);
  seed = new Int32Array(16);
  cpuCapacity = new Float64Array(16);
  memoryCapacity = new Float64Array(16);
  fsCapacity = new Float64Array(16);
  bootTimeMs = new Float64Array(16);
  /** Sums over the node's containers during the current step (nanocores, bytes). */
  stepCpuNanocores = new Float64Array(16);
  stepWorkingSetBytes = new Float64Array(16);
  stepFsBytes = new Float64Array(16);
  /** Results of the last step. */
  cpuCores = new Float64Array(16);
  cpuSecondsTotal = new Float64Array(16);
  workingSetBytes = new Float64Array(16);
  fsUsedBytes = new Float64Array(16);

  private grow(n: number): void {
    this.declared = grownColumn(this.declared, n);
    this.seed = grownColumn(this.seed, n);
    this.cpuCapacity = grownColumn(this.cpuCapacity, n);
    this.memoryCapacity = grownColumn(this.memoryCapacity, n);
    this.fsCapacity = grownColumn(this.fsCapacity, n);
    this.bootTimeMs = grownColumn(this.bootTimeMs, n);
    this.stepCpuNanocores = grownColumn(this.stepCpuNanocores, n);
    this.stepWorkingSetBytes = grownColumn(this.stepWorkingSetBytes, n);
    this.stepFsBytes = grownColumn(this.stepFsBytes, n);
    this.cpuCores = grownColumn(this.cpuCores, n);
    this.cpuSecondsTotal = grownColumn(this.cpuSecondsTotal, n);
    this.workingSetBytes = grownColumn(this.workingSetBytes, n);
    this.fsUsedBytes = grownColumn(this.fsUsedBytes, n);
  }

  /** Slot of a node, or −1. */
  find(name: string): number {
    return this.byName.get(name) ?? -1;
  }

  /** Slot of a node, created undeclared (zero capacity) when missing. */
  findOrAdd(name: string, seed: number): number {
    const existing = this.byName.get(name);
    if (existing !== undefined) return existing;
    const n = this.slots.take((c) => this.grow(c));
    this.byName.set(name, n);
    this.name[n] = name;
    this.seed[n] = seed;
    return n;
  }

  /**
   * Declares (or re-declares) a node's capacity. A node that booted before `nowMs` starts with a CPU counter as if
   * it had run its system overhead plus 20 % load since boot.
   */
  declare(spec: NodeSpec, nowMs: number, seed: number): number {
    const n = this.findOrAdd(spec.name, seed);
    const fresh = this.declared[n] === 0;
    this.declared[n] = 1;
    this.cpuCapacity[n] = spec.cpuCores;
    this.memoryCapacity[n] = spec.memoryBytes;
    this.fsCapacity[n] = spec.fsCapacityBytes;
    this.bootTimeMs[n] = spec.bootTimeMs;
    if (fresh) {
      const uptimeSec = Math.max(0, nowMs - spec.bootTimeMs) / 1000;
      this.cpuSecondsTotal[n] = uptimeSec * (this.overheadCores(n, nowMs) + 0.2 * spec.cpuCores);
    }
    return n;
  }

  /** System overhead CPU in cores: a base plus a share per core, wandering ±30 %. */
  overheadCores(n: number, tMs: number): number {
    const wander = 1 + 0.3 * valueNoise(this.seed[n] ?? 0, tMs, OVERHEAD_NOISE_PERIOD_MS);
    return (0.05 + 0.008 * (this.cpuCapacity[n] ?? 0)) * wander;
  }

  /** System overhead memory: 350 MiB plus 2.5 % of capacity for kernel, kubelet and runtime. */
  overheadMemoryBytes(n: number): number {
    return 350 * MIB + 0.025 * (this.memoryCapacity[n] ?? 0);
  }

  /** Root filesystem used by the OS itself, 4 … 8 GiB. */
  systemFsBytes(n: number): number {
    return Math.floor(4 * GIB + 4 * GIB * unitFromHash(mix32(this.seed[n] ?? 0, 0x7f4a7c15)));
  }

  /** Clears the per-step sums before the kernel runs. */
  beginStep(): void {
    const used = this.slots.highWater;
    this.stepCpuNanocores.fill(0, 0, used);
    this.stepWorkingSetBytes.fill(0, 0, used);
    this.stepFsBytes.fill(0, 0, used);
  }

  /** Turns the sums into node usage for the step ending at `tMs` that lasted `dtSec`. */
  finishStep(tMs: number, dtSec: number): void {
    for (let n = 0; n < this.slots.highWater; n++) {
      const capacity = this.cpuCapacity[n] ?? 0;
      const wanted = (this.stepCpuNanocores[n] ?? 0) / NANO + this.overheadCores(n, tMs);
      const cores = capacity > 0 ? Math.min(capacity, wanted) : wanted;
      this.cpuCores[n] = cores;
      this.cpuSecondsTotal[n] = (this.cpuSecondsTotal[n] ?? 0) + cores * dtSec;
      this.workingSetBytes[n] = (this.stepWorkingSetBytes[n] ?? 0) + this.overheadMemoryBytes(n);
      const fs = (this.stepFsBytes[n] ?? 0) + this.systemFsBytes(n);
      const fsCapacity = this.fsCapacity[n] ?? 0;
      this.fsUsedBytes[n] = fsCapacity > 0 ? Math.min(fsCapacity, fs) : fs;
    }
  }
}
