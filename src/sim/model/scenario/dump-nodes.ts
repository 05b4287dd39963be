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
  const r = nodeRecordFromObject(n, index);
  return {
    name: r.name,
    pool: r.pool,
    zone: r.zone,
    instanceType: r.instanceType,
    internalIP: r.internalIP,
    cpuCores: r.capacityCpuMilli / 1000,
    memoryBytes: r.capacityMemoryBytes,
    allocatableCpuCores: r.allocCpuMilli / 1000,
    allocatableMemoryBytes: r.allocMemoryBytes,
    ephemeralStorageBytes: r.capacityEphemeralBytes,
    maxPods: r.allocPods,
    bootTimeMs: r.bootTimeMs,
  };
}
