// SPDX-License-Identifier: Apache-2.0
// The kubelet's /stats/summary document (k8s.io/kubelet/pkg/apis/stats/v1alpha1) as Kubernetes 1.35 serves it,
// including the `io` and `psi` blocks 1.35 added. Field order follows the Go structs, which is the order the
// JSON keys appear in on the wire; the builders create objects in this order so the output reads like the capture.

export interface PsiData {
  total: number;
  avg10: number;
  avg60: number;
  avg300: number;
}

export interface PsiStats {
  full: PsiData;
  some: PsiData;
}

export interface CpuStats {
  time: string;
  usageNanoCores: number;
  usageCoreNanoSeconds: number;
  /** Absent in the `only_cpu_and_memory` form. */
  psi?: PsiStats;
}

export interface MemoryStats {
  time: string;
  /** Only where a memory limit exists: limit minus working set. */
  availableBytes?: number;
  usageBytes: number;
  workingSetBytes: number;
  rssBytes: number;
  pageFaults: number;
  majorPageFaults: number;
  /** Absent in the `only_cpu_and_memory` form. */
  psi?: PsiStats;
}

export interface IoStats {
  time: string;
  psi: PsiStats;
}

export interface FsStats {
  time: string;
  availableBytes: number;
  capacityBytes: number;
  usedBytes: number;
  inodesFree: number;
  inodes: number;
  inodesUsed: number;
}

export interface InterfaceStats {
  name: string;
  rxBytes: number;
  rxErrors: number;
  txBytes: number;
  txErrors: number;
}

export interface NetworkStats extends InterfaceStats {
  time: string;
  interfaces: InterfaceStats[];
}

export interface SwapStats {
  time: string;
  swapAvailableBytes?: number;
  swapUsageBytes: number;
}

export interface ContainerStats {
  name: string;
  startTime: string;
  cpu: CpuStats;
  memory: MemoryStats;
  io: IoStats;
  rootfs: FsStats;
  logs: FsStats;
  swap: SwapStats;
}

export interface SystemContainerStats {
  name: string;
  startTime: string;
  cpu: CpuStats;
  memory: MemoryStats;
  io: IoStats;
  swap: SwapStats;
}

export interface VolumeStats extends FsStats {
  name: string;
  pvcRef?: { name: string; namespace: string };
}

export interface PodStatsSummary {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: ContainerStats[];
  cpu: CpuStats;
  memory: MemoryStats;
  io: IoStats;
  network: NetworkStats;
  /** Absent for pods without volumes, as in the capture. */
  volume?: VolumeStats[];
  'ephemeral-storage': FsStats;
  process_stats: { process_count: number };
  swap: SwapStats;
}

export interface NodeStatsSummary {
  nodeName: string;
  systemContainers: SystemContainerStats[];
  startTime: string;
  cpu: CpuStats;
  memory: MemoryStats;
  io: IoStats;
  network: NetworkStats;
  fs: FsStats;
  runtime: { imageFs: FsStats; containerFs: FsStats };
  rlimit: { time: string; maxpid: number; curproc: number };
  swap: SwapStats;
}

export interface StatsSummary {
  node: NodeStatsSummary;
  pods: PodStatsSummary[];
}

/** `only_cpu_and_memory=true`: the same documents reduced to CPU and memory. */
export type CpuMemoryContainer = Pick<ContainerStats, 'name' | 'startTime' | 'cpu' | 'memory'>;
export type CpuMemoryPod = Pick<PodStatsSummary, 'podRef' | 'startTime' | 'cpu' | 'memory'> & { containers: CpuMemoryContainer[] };
export type CpuMemoryNode = Pick<NodeStatsSummary, 'nodeName' | 'systemContainers' | 'startTime' | 'cpu' | 'memory'>;

export interface CpuMemorySummary {
  node: CpuMemoryNode;
  pods: CpuMemoryPod[];
}
