// SPDX-License-Identifier: Apache-2.0
// What the usage model tells the rest of the simulator: the current usage of each container, node and volume at
// the scenario clock's "now". Counters are cumulative since the container (or node) started, as cAdvisor's are.

/** Usage of one running container. CPU in cores, memory in bytes, counters monotonic until a restart. */
export interface ContainerUsage {
  /** CPU rate in cores, averaged over the last sampling step. */
  cpuCores: number;
  cpuSecondsTotal: number;
  memoryWorkingSetBytes: number;
  memoryRssBytes: number;
  /** Working set plus page cache, as `container_memory_usage_bytes`. */
  memoryUsageBytes: number;
  cfsPeriodsTotal: number;
  cfsThrottledPeriodsTotal: number;
  cfsThrottledSecondsTotal: number;
  fsUsageBytes: number;
  fsReadsBytesTotal: number;
  fsWritesBytesTotal: number;
  /** Epoch milliseconds when this incarnation of the container started. */
  startedAtMs: number;
}

/** Network counters are per pod (the pod sandbox owns the interface), as in cAdvisor. */
export interface PodNetworkUsage {
  rxBytesTotal: number;
  txBytesTotal: number;
  rxErrorsTotal: number;
  txErrorsTotal: number;
}

export interface NodeUsage {
  cpuCores: number;
  cpuSecondsTotal: number;
  memoryWorkingSetBytes: number;
  memoryAvailableBytes: number;
  fsUsedBytes: number;
  fsCapacityBytes: number;
  /** Epoch milliseconds when the node booted. */
  bootTimeMs: number;
}

export interface VolumeUsage {
  usedBytes: number;
  capacityBytes: number;
  inodesUsed: number;
  inodes: number;
}

/** Read side of the usage model, used by exporters, metrics.k8s.io and kubelet endpoints. */
export interface UsageView {
  /** Scenario time in epoch milliseconds of the current values. */
  nowMs(): number;
  container(namespace: string, pod: string, container: string): ContainerUsage | undefined;
  podNetwork(namespace: string, pod: string): PodNetworkUsage | undefined;
  node(name: string): NodeUsage | undefined;
  volume(namespace: string, claim: string): VolumeUsage | undefined;
}
