// SPDX-License-Identifier: Apache-2.0
// Pods as the usage model sees them: the owner of a network interface and of a list of container slots. Lookup is
// namespace → pod name → slot with the caller's own strings as keys, so the index adds no string copies.
import { grownColumn, SlotAllocator } from './typed-columns.ts';
import { networkBytesPerCpuSecond } from './derived.ts';

/** Columns of all pods, indexed by pod slot. */
export class PodTable {
  readonly slots: SlotAllocator;
  private readonly byNamespace = new Map<string, Map<string, number>>();
  readonly namespace: string[] = [];
  readonly name: string[] = [];
  seed: Int32Array;
  /** First container slot of the pod, or −1. */
  firstContainer: Int32Array;
  /** Network bytes both ways since the pod sandbox started (whole bytes, so sums do not depend on order). */
  trafficBytes: Float64Array;
  /** See `networkBytesPerCpuSecond`. */
  bytesPerCpuSecond: Float32Array;

  /** @param capacity initial number of slots */
  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.slots = new SlotAllocator(n);
    this.seed = new Int32Array(n);
    this.firstContainer = new Int32Array(n);
    this.trafficBytes = new Float64Array(n);
    this.bytesPerCpuSecond = new Float32Array(n);
  }

  private grow(n: number): void {
    this.seed = grownColumn(this.seed, n);
    this.firstContainer = grownColumn(this.firstContainer, n);
    this.trafficBytes = grownColumn(this.trafficBytes, n);
    this.bytesPerCpuSecond = grownColumn(this.bytesPerCpuSecond, n);
  }

  /** Slot of a pod, or −1. */
  find(namespace: string, pod: string): number {
    return this.byNamespace.get(namespace)?.get(pod) ?? -1;
  }

  /** Slot of a pod, created (with zero traffic) when missing. */
  findOrAdd(namespace: string, pod: string, seed: number): number {
    let pods = this.byNamespace.get(namespace);
    if (pods === undefined) {
      pods = new Map();
      this.byNamespace.set(namespace, pods);
    }
    const existing = pods.get(pod);
    if (existing !== undefined) return existing;
    const p = this.slots.take((n) => this.grow(n));
    pods.set(pod, p);
    this.namespace[p] = namespace;
    this.name[p] = pod;
    this.seed[p] = seed;
    this.firstContainer[p] = -1;
    this.trafficBytes[p] = 0;
    this.bytesPerCpuSecond[p] = networkBytesPerCpuSecond(seed);
    return p;
  }

  /** Removes a pod from the index and frees its slot; its containers must be freed by the caller. */
  remove(p: number): void {
    const namespace = this.namespace[p] ?? '';
    const pods = this.byNamespace.get(namespace);
    pods?.delete(this.name[p] ?? '');
    if (pods?.size === 0) this.byNamespace.delete(namespace);
    this.namespace[p] = '';
    this.name[p] = '';
    this.firstContainer[p] = -1;
    this.slots.release(p);
  }
}
