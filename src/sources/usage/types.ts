// SPDX-License-Identifier: Apache-2.0
// The usage-source port (REQUIREMENTS §1.5–1.6): one collect per cycle returns a snapshot of container, node and
// volume usage. Pure types; the adapters beside this file implement it over Prometheus, metrics.k8s.io and the
// kubelet's /stats/summary (and one count). Optional fields are absent when the source does not know them, never 0 (§1.6).

/** The sources of §1.5.1, in `auto` preference order. */
export type UsageSourceName = 'prometheus' | 'metrics-server' | 'kubelet';

export interface ContainerUsage {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** When the source observed the sample (ms since the epoch). */
  readonly tsMs: number;
  /** CPU usage rate in cores. */
  readonly cpuCores: number;
  readonly memoryWorkingSetBytes: number;
  readonly memoryRssBytes?: number;
  /** Share of CFS periods throttled, 0–1. */
  readonly throttledRatio?: number;
}

export interface NodeUsage {
  readonly node: string;
  readonly tsMs: number;
  readonly cpuCores: number;
  readonly memoryWorkingSetBytes: number;
  readonly fsUsedBytes?: number;
  readonly fsCapacityBytes?: number;
}

export interface VolumeUsage {
  readonly namespace: string;
  /** The PersistentVolumeClaim's name. */
  readonly pvc: string;
  readonly tsMs: number;
  readonly usedBytes?: number;
  readonly capacityBytes?: number;
}

/** An expected per-item failure (one node's summary, one query family), reported as a value. */
export interface CollectError {
  /** A stable code: a `KRM_KUBE_*` code or a `KRM_PROM_*` code. */
  readonly code: string;
  /** What failed: `node/<name>`, `query/<family>`, `pods`, … */
  readonly target: string;
  readonly message?: string;
}

export interface UsageSnapshot {
  readonly source: UsageSourceName;
  /** The collect's `nowMs`. */
  readonly collectedAtMs: number;
  /** The containers read and not handed to {@link CollectRequest.onContainers} (all of them when it is absent). */
  readonly containers: readonly ContainerUsage[];
  /** Containers handed to {@link CollectRequest.onContainers} in this collect (not repeated in `containers`). */
  readonly reported?: number;
  readonly nodes: readonly NodeUsage[];
  readonly volumes: readonly VolumeUsage[];
  readonly errors: readonly CollectError[];
}

export interface CollectRequest {
  readonly nowMs: number;
  readonly signal: AbortSignal;
  /**
   * Called by a source that reads in parts (the kubelet node by node, metrics-server chunk by chunk of its one large
   * list) with each part's containers as it arrives, so that the caller can store them while the source still waits
   * on the rest. The snapshot does not hold them again (it counts them, `reported`): kept until the collect ends, a
   * cycle's 225,000 container objects outlived the young generation and brought a full garbage collection with every
   * cycle (BENCHMARKS.md, "What a cycle promotes").
   */
  readonly onContainers?: (containers: readonly ContainerUsage[]) => void;
  /**
   * Called by the source selector before each source it tries in this collect: what an earlier one reported before it
   * failed is not part of the snapshot that follows.
   */
  readonly onAttempt?: (source: UsageSourceName) => void;
}

/** Every container a collect read: those in the snapshot and those handed over while it read. */
export function containerCount(s: Pick<UsageSnapshot, 'containers' | 'reported'>): number {
  return s.containers.length + (s.reported ?? 0);
}

/**
 * A usage source. `collect` resolves with per-item errors as values; it rejects only when the source as a whole
 * cannot answer (unreachable, forbidden, not served), which is what makes the selector fall back.
 */
export interface MetricsSource {
  readonly name: UsageSourceName;
  collect(req: CollectRequest): Promise<UsageSnapshot>;
}
