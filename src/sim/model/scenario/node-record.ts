// SPDX-License-Identifier: Apache-2.0
// The scheduler's and the builders' view of one node: its allocatable resources, what is already requested on it
// (the sum of the requests of the pods placed there, as kube-scheduler's NodeInfo keeps it) and its addressing.
import type { StringMap, Taint } from '../kube-types.ts';

export interface NodeRecord {
  readonly index: number;
  readonly name: string;
  readonly pool: string;
  readonly zone: string;
  readonly instanceType: string;
  labels: StringMap;
  /** Effective taints, including the ones node conditions add (unreachable, memory-pressure, ...). */
  taints: Taint[];
  unschedulable: boolean;
  readonly capacityCpuMilli: number;
  readonly capacityMemoryBytes: number;
  readonly capacityEphemeralBytes: number;
  readonly allocCpuMilli: number;
  readonly allocMemoryBytes: number;
  readonly allocPods: number;
  usedCpuMilli: number;
  usedMemoryBytes: number;
  usedPods: number;
  readonly internalIP: string;
  /** Shared `status.hostIPs` value for every pod on this node. */
  readonly hostIPs: readonly { ip: string }[];
  /** "10.64.3." — the node's /24 of the pod network. */
  readonly podIpPrefix: string;
  nextPodIp: number;
  readonly createdMs: number;
  readonly bootTimeMs: number;
  uid: string;
}

/** Next pod IP from the node's /24 (.2 … .254, then wrapping, as the host-local IPAM reuses released addresses). */
export function allocatePodIp(node: NodeRecord): string {
  const ip = `${node.podIpPrefix}${node.nextPodIp}`;
  node.nextPodIp = node.nextPodIp >= 254 ? 2 : node.nextPodIp + 1;
  return ip;
}
