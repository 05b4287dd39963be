// SPDX-License-Identifier: Apache-2.0
// Capacity in node counts (REQUIREMENTS §3.8): does Σ requests still fit if the largest node fails (N − 1), and how
// many nodes of the pool's typical size a demand needs at a target utilisation. Both count CPU and memory and keep
// the tighter; node sizes are allocatable, what the scheduler can place.
import type { Node } from '../../domain/resources.ts';
import type { Amounts } from './node-view.ts';

export interface NMinusOne {
  readonly fits: boolean;
  /** The node whose loss is checked (the largest by allocatable CPU, then memory). */
  readonly largestNode?: string;
  /** Σ requests over the allocatable left without it, per resource (1 = exactly full). */
  readonly cpuRatio: number;
  readonly memoryRatio: number;
  /** Nodes of the typical size to add so that the requests fit without the largest node. */
  readonly extraNodes: number;
}

function alloc(n: Node): Amounts {
  return { cpuMillicores: n.allocatable.cpuMillicores ?? 0, memoryBytes: n.allocatable.memoryBytes ?? 0 };
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  return values.length === 0 ? 0 : (values[values.length >> 1] as number);
}

/** The median allocatable of the nodes, the size of the node an autoscaler would most likely add. */
export function typicalNode(nodes: readonly Node[]): Amounts {
  return { cpuMillicores: median(nodes.map((n) => alloc(n).cpuMillicores)), memoryBytes: median(nodes.map((n) => alloc(n).memoryBytes)) };
}

const ratio = (need: number, have: number): number => (need <= 0 ? 0 : have > 0 ? need / have : Infinity);

/** Nodes of `size` needed to hold `demand` at `target` utilisation (0–1), per the tighter resource. */
export function nodesFor(demand: Amounts, size: Amounts, target = 1): number {
  const per = (need: number, cap: number): number => (need <= 0 ? 0 : cap > 0 ? Math.ceil(need / (cap * target) - 1e-9) : Infinity);
  return Math.max(per(demand.cpuMillicores, size.cpuMillicores), per(demand.memoryBytes, size.memoryBytes));
}

/** The N − 1 check over schedulable nodes. */
export function nMinusOne(nodes: readonly Node[], requests: Amounts): NMinusOne {
  const usable = nodes.filter((n) => !n.unschedulable);
  if (usable.length === 0) return { fits: false, cpuRatio: Infinity, memoryRatio: Infinity, extraNodes: nodesFor(requests, typicalNode(nodes)) };
  const largest = [...usable].sort((a, b) => alloc(b).cpuMillicores - alloc(a).cpuMillicores || alloc(b).memoryBytes - alloc(a).memoryBytes)[0] as Node;
  const left = usable.filter((n) => n !== largest).reduce((a, n) => ({ cpuMillicores: a.cpuMillicores + alloc(n).cpuMillicores, memoryBytes: a.memoryBytes + alloc(n).memoryBytes }), { cpuMillicores: 0, memoryBytes: 0 });
  const cpuRatio = ratio(requests.cpuMillicores, left.cpuMillicores);
  const memoryRatio = ratio(requests.memoryBytes, left.memoryBytes);
  const fits = cpuRatio <= 1 && memoryRatio <= 1;
  const deficit = { cpuMillicores: Math.max(0, requests.cpuMillicores - left.cpuMillicores), memoryBytes: Math.max(0, requests.memoryBytes - left.memoryBytes) };
  return { fits, largestNode: largest.name, cpuRatio, memoryRatio, extraNodes: fits ? 0 : nodesFor(deficit, typicalNode(usable)) };
}
