// SPDX-License-Identifier: Apache-2.0
// Node records and usage-model nodes from Node objects of a dump: capacity and allocatable as reported, zone and
// instance type from the well-known labels, boot time approximated by the node's creation.
import type { Node } from '../kube-types.ts';
import type { BuiltNode } from './built-types.ts';
import type { NodeRecord } from './node-record.ts';
import { parseQuantity } from './quantity.ts';

function q(v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  try {
    return parseQuantity(v);
  } catch {
    // A malformed quantity in a dump is not worth failing the replay for; the fallback is documented per field.
    return fallback;
  }
}

const POOL_LABELS = ['node.kubernetes.io/pool', 'eks.amazonaws.com/nodegroup', 'cloud.google.com/gke-nodepool', 'agentpool'];

function firstLabel(labels: Record<string, string>, keys: readonly string[], fallback: string): string {
  for (const k of keys) {
    const v = labels[k];
    if (v !== undefined) return v;
  }
  return fallback;
}

function internalIp(n: Node, index: number): string {
  const a = (n.status?.addresses ?? []).find((x) => x.type === 'InternalIP');
  return a ? a.address : `10.0.0.${(index % 250) + 4}`;
}

function resourcesOf(n: Node): { cap: Record<string, string>; alloc: Record<string, string> } {
  const cap = n.status?.capacity ?? {};
  return { cap, alloc: n.status?.allocatable ?? cap };
}

function taintsOf(n: Node): NodeRecord['taints'] {
  return (n.spec?.taints ?? []) as NodeRecord['taints'];
}

export function nodeRecordFromObject(n: Node, index: number): NodeRecord {
  const labels = n.metadata.labels ?? {};
  const { cap, alloc } = resourcesOf(n);
  const ip = internalIp(n, index);
  const created = Date.parse(n.metadata.creationTimestamp ?? '') || 0;
  return {
    index,
    name: n.metadata.name,
    pool: firstLabel(labels, POOL_LABELS, 'default'),
    zone: firstLabel(labels, ['topology.kubernetes.io/zone'], ''),
    instanceType: firstLabel(labels, ['node.kubernetes.io/instance-type'], ''),
    labels,
    taints: taintsOf(n),
    unschedulable: n.spec?.unschedulable === true,
    capacityCpuMilli: Math.round(q(cap.cpu, 1) * 1000),
    capacityMemoryBytes: q(cap.memory, 2 ** 30),
    capacityEphemeralBytes: q(cap['ephemeral-storage'], 100 * 2 ** 30),
    allocCpuMilli: Math.round(q(alloc.cpu, 1) * 1000),
    allocMemoryBytes: q(alloc.memory, 2 ** 30),
    allocPods: q(alloc.pods, 110),
    usedCpuMilli: 0,
    usedMemoryBytes: 0,
    usedPods: 0,
    internalIP: ip,
    hostIPs: [{ ip }],
    podIpPrefix: `10.${64 + (index >> 8)}.${index & 255}.`,
    nextPodIp: 200,
    createdMs: created,
    bootTimeMs: created,
    uid: n.metadata.uid ?? '',
  };
}

export function builtNodeOf(n: Node, index: number): BuiltNode {
  return builtNodeFromRecord(nodeRecordFromObject(n, index));
}

/** What the runtime needs of a node (the usage model's shape), from its record: built and dumped nodes alike. */
export function builtNodeFromRecord(n: NodeRecord): BuiltNode {
  return {
    name: n.name,
    pool: n.pool,
    zone: n.zone,
    instanceType: n.instanceType,
    internalIP: n.internalIP,
    cpuCores: n.capacityCpuMilli / 1000,
    memoryBytes: n.capacityMemoryBytes,
    allocatableCpuCores: n.allocCpuMilli / 1000,
    allocatableMemoryBytes: n.allocMemoryBytes,
    ephemeralStorageBytes: n.capacityEphemeralBytes,
    maxPods: n.allocPods,
    bootTimeMs: n.bootTimeMs,
  };
}
