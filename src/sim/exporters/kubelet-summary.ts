// SPDX-License-Identifier: Apache-2.0
// The kubelet's /stats/summary for one node, shaped like the 1.35 capture: the node with its `kubelet` and `pods`
// system containers, then every pod with at least one running container (see kubelet-pod-stats.ts). Pod and
// container figures are the same numbers cAdvisor and /metrics/resource report for them.
import type { NodeUsage } from '../usage/types.ts';
import type { ExporterContext } from './cluster-view.ts';
import { nodeStats, type NodeStats, type PodStats } from './kubelet-pod-stats.ts';
import type { ContainerStats, CpuMemoryContainer, CpuMemoryNode, CpuMemoryPod, CpuMemorySummary, FsStats, NodeStatsSummary, PodStatsSummary, StatsSummary, SystemContainerStats, VolumeStats } from './kubelet-summary-types.ts';
import { rfc3339Seconds } from './number-format.ts';
import { containerLimits, nodeMemoryFigures, podUid, podVolumes, type RunningContainer } from './pod-facts.ts';
import { parseQuantity } from './quantity.ts';
import { cpuStats, fsStats, ioStats, memoryStats, networkStats, sumNetwork, usageOnFs } from './summary-blocks.ts';

/** The kubelet itself: a small steady footprint. */
const KUBELET_CPU_CORES = 0.015;
const KUBELET_WORKING_SET_BYTES = 52 * 1024 * 1024;
/** Bytes a projected service-account token or config volume occupies on the node's filesystem. */
const SMALL_VOLUME_BYTES = 12_288;
/** Container log growth, capped at the kubelet's default 10 MiB rotation size. */
const LOG_BYTES_PER_SECOND = 20;
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;
/** Bytes of an unpacked image layer set, for the runtime's image filesystem. */
const IMAGE_BYTES = 120 * 1024 * 1024;
const MAX_PID = 4_194_304;
const BASE_PROCESSES = 200;

const ZERO_NODE_USAGE: NodeUsage = {
  cpuCores: 0,
  cpuSecondsTotal: 0,
  memoryWorkingSetBytes: 0,
  memoryAvailableBytes: 0,
  fsUsedBytes: 0,
  fsCapacityBytes: 0,
  bootTimeMs: 0,
};

interface Env {
  /** Pressure blocks in CPU and memory: the full summary has them, the `only_cpu_and_memory` form not. */
  readonly psi: boolean;
  readonly stats: NodeStats;
  readonly time: string;
  readonly nowMs: number;
  readonly nodeFs: FsStats;
}

function logBytes(c: RunningContainer, nowMs: number): number {
  const ageSec = Math.max(0, (nowMs - c.usage.startedAtMs) / 1000);
  return Math.min(LOG_ROTATE_BYTES, 4096 + ageSec * LOG_BYTES_PER_SECOND);
}

/** What `only_cpu_and_memory=true` keeps of a container: name, start, CPU and memory. */
function containerCpuMemory(c: RunningContainer, env: Env): CpuMemoryContainer {
  const u = c.usage;
  const { time } = env;
  return {
    name: c.spec.name,
    startTime: rfc3339Seconds(u.startedAtMs),
    cpu: cpuStats(time, { cores: u.cpuCores, secondsTotal: u.cpuSecondsTotal, throttledSecondsTotal: u.cfsThrottledSecondsTotal }, env.psi),
    memory: memoryStats(
      time,
      {
        workingSetBytes: u.memoryWorkingSetBytes,
        rssBytes: u.memoryRssBytes,
        usageBytes: u.memoryUsageBytes,
        limitBytes: containerLimits(c.spec).memoryBytes,
      },
      env.psi,
    ),
  };
}

function containerSummary(c: RunningContainer, env: Env): ContainerStats {
  const u = c.usage;
  const { time } = env;
  return {
    ...containerCpuMemory(c, env),
    io: ioStats(time),
    rootfs: usageOnFs(env.nodeFs, u.fsUsageBytes),
    logs: usageOnFs(env.nodeFs, logBytes(c, env.nowMs)),
    swap: { time, swapAvailableBytes: 0, swapUsageBytes: 0 },
  };
}

function volumeSummaries(p: PodStats, env: Env): VolumeStats[] {
  const namespace = p.pod.metadata.namespace ?? '';
  const out: VolumeStats[] = [];
  for (const vol of podVolumes(p.pod)) {
    if (vol.claimName === undefined) {
      out.push({ ...usageOnFs(env.nodeFs, SMALL_VOLUME_BYTES), name: vol.name });
      continue;
    }
    const u = env.stats.view.usage.volume(namespace, vol.claimName);
    if (u === undefined) continue;
    const fs = fsStats(env.time, { capacityBytes: u.capacityBytes, usedBytes: u.usedBytes });
    const own = { ...fs, inodes: u.inodes, inodesUsed: u.inodesUsed, inodesFree: Math.max(0, u.inodes - u.inodesUsed) };
    out.push({ ...own, name: vol.name, pvcRef: { name: vol.claimName, namespace } });
  }
  return out;
}

/** A pod's reference, start, CPU and memory: all that `only_cpu_and_memory=true` keeps of it, containers aside. */
function podCpuMemory(p: PodStats, env: Env): Omit<CpuMemoryPod, 'containers'> {
  const { time } = env;
  const row = p.podRow;
  const throttled = p.containers.reduce((a, c) => a + c.usage.cfsThrottledSecondsTotal, 0);
  return {
    podRef: { name: p.pod.metadata.name, namespace: p.pod.metadata.namespace ?? '', uid: podUid(p.pod) },
    startTime: rfc3339Seconds(row.startTimeSec * 1000),
    cpu: cpuStats(time, { cores: p.containers.reduce((a, c) => a + c.usage.cpuCores, 0), secondsTotal: row.cpuSecondsTotal, throttledSecondsTotal: throttled }, env.psi),
    memory: memoryStats(
      time,
      {
        workingSetBytes: row.memoryWorkingSetBytes,
        rssBytes: row.memoryRssBytes ?? 0,
        usageBytes: row.memoryUsageBytes ?? row.memoryWorkingSetBytes,
        limitBytes: row.memoryLimitBytes > 0 ? row.memoryLimitBytes : undefined,
      },
      env.psi,
    ),
  };
}

function podSummary(p: PodStats, env: Env): PodStatsSummary {
  const { time } = env;
  const containers = p.containers.map((c) => containerSummary(c, env));
  const volumes = volumeSummaries(p, env);
  const ephemeralUsed =
    containers.reduce((a, c) => a + c.rootfs.usedBytes + c.logs.usedBytes, 0) + volumes.filter((v) => !v.pvcRef).reduce((a, v) => a + v.usedBytes, 0);
  const namespace = p.pod.metadata.namespace ?? '';
  const { podRef, startTime, cpu, memory } = podCpuMemory(p, env);
  return {
    podRef,
    startTime,
    containers,
    cpu,
    memory,
    io: ioStats(time),
    network: networkStats(time, env.stats.view.usage.podNetwork(namespace, p.pod.metadata.name)),
    ...(volumes.length > 0 ? { volume: volumes } : {}),
    'ephemeral-storage': usageOnFs(env.nodeFs, ephemeralUsed),
    process_stats: { process_count: p.containers.length },
    swap: { time, swapUsageBytes: 0 },
  };
}

function systemContainers(env: Env, u: NodeUsage, pods: readonly CpuMemoryPod[]): SystemContainerStats[] {
  const { time } = env;
  const uptimeSec = Math.max(0, (env.nowMs - u.bootTimeMs) / 1000);
  const swap = { time, swapUsageBytes: 0 };
  const sum = (pick: (p: CpuMemoryPod) => number): number => pods.reduce((a, p) => a + pick(p), 0);
  const allocatable = parseQuantity(env.stats.node.status.allocatable['memory']);
  const kubelet: SystemContainerStats = {
    name: 'kubelet',
    startTime: rfc3339Seconds(u.bootTimeMs + 10_000),
    cpu: cpuStats(time, { cores: KUBELET_CPU_CORES, secondsTotal: uptimeSec * KUBELET_CPU_CORES }, env.psi),
    memory: memoryStats(time, { workingSetBytes: KUBELET_WORKING_SET_BYTES, rssBytes: KUBELET_WORKING_SET_BYTES * 0.9, usageBytes: KUBELET_WORKING_SET_BYTES * 1.02 }, env.psi),
    io: ioStats(time),
    swap,
  };
  const podsContainer: SystemContainerStats = {
    name: 'pods',
    startTime: rfc3339Seconds(u.bootTimeMs + 5_000),
    cpu: cpuStats(time, { cores: sum((p) => p.cpu.usageNanoCores) / 1e9, secondsTotal: sum((p) => p.cpu.usageCoreNanoSeconds) / 1e9 }, env.psi),
    memory: memoryStats(
      time,
      {
        workingSetBytes: sum((p) => p.memory.workingSetBytes),
        rssBytes: sum((p) => p.memory.rssBytes),
        usageBytes: sum((p) => p.memory.usageBytes),
        limitBytes: allocatable,
      },
      env.psi,
    ),
    io: ioStats(time),
    swap,
  };
  return [kubelet, podsContainer];
}

function runtimeFs(env: Env, u: NodeUsage): FsStats {
  const images = new Set(env.stats.pods.flatMap((p) => p.containers.map((c) => c.spec.image)));
  return usageOnFs(env.nodeFs, Math.min(u.fsUsedBytes, images.size * IMAGE_BYTES));
}

function nodeCpuMemory(env: Env, pods: readonly CpuMemoryPod[]): CpuMemoryNode {
  const u = env.stats.usage ?? ZERO_NODE_USAGE;
  const { time } = env;
  return {
    nodeName: env.stats.node.metadata.name,
    systemContainers: systemContainers(env, u, pods),
    startTime: rfc3339Seconds(u.bootTimeMs),
    cpu: cpuStats(time, { cores: u.cpuCores, secondsTotal: u.cpuSecondsTotal }, env.psi),
    memory: memoryStats(
      time,
      {
        workingSetBytes: u.memoryWorkingSetBytes,
        ...nodeMemoryFigures(u.memoryWorkingSetBytes),
        availableBytes: u.memoryAvailableBytes,
      },
      env.psi,
    ),
  };
}

function nodeSummary(env: Env, pods: readonly PodStatsSummary[]): NodeStatsSummary {
  const u = env.stats.usage ?? ZERO_NODE_USAGE;
  const { time } = env;
  const imageFs = runtimeFs(env, u);
  const nets = env.stats.pods.map((p) => env.stats.view.usage.podNetwork(p.pod.metadata.namespace ?? '', p.pod.metadata.name));
  return {
    ...nodeCpuMemory(env, pods),
    io: ioStats(time),
    network: networkStats(time, sumNetwork(nets)),
    fs: env.nodeFs,
    runtime: { imageFs, containerFs: imageFs },
    rlimit: { time, maxpid: MAX_PID, curproc: BASE_PROCESSES + pods.reduce((a, p) => a + p.process_stats.process_count, 0) },
    swap: { time, swapAvailableBytes: 0, swapUsageBytes: 0 },
  };
}

function envOf(ctx: ExporterContext, nodeName: string, psi: boolean): Env | undefined {
  const stats = nodeStats(ctx, nodeName);
  if (stats === undefined) return undefined;
  const time = rfc3339Seconds(ctx.nowMs);
  const u = stats.usage ?? ZERO_NODE_USAGE;
  return { psi, stats, time, nowMs: ctx.nowMs, nodeFs: fsStats(time, { capacityBytes: u.fsCapacityBytes, usedBytes: u.fsUsedBytes }) };
}

/** The node's /stats/summary document, or undefined for an unknown node. */
export function kubeletStatsSummary(ctx: ExporterContext, nodeName: string): StatsSummary | undefined {
  const env = envOf(ctx, nodeName, true);
  if (env === undefined) return undefined;
  const pods = env.stats.pods.map((p) => podSummary(p, env));
  return { node: nodeSummary(env, pods), pods };
}

/**
 * The answer to `/stats/summary?only_cpu_and_memory=true`, the kubelet's cheap form (metrics-server's request):
 * CPU and memory of the node, its system containers, pods and containers; no filesystems, volumes, network or I/O.
 */
export function kubeletCpuAndMemorySummary(ctx: ExporterContext, nodeName: string): CpuMemorySummary | undefined {
  const env = envOf(ctx, nodeName, false);
  if (env === undefined) return undefined;
  const pods = env.stats.pods.map((p) => ({ ...podCpuMemory(p, env), containers: p.containers.map((c) => containerCpuMemory(c, env)) }));
  return { node: nodeCpuMemory(env, pods), pods };
}

/** The document as the kubelet writes it: go-restful pretty-prints with a one-space indent. */
export function renderKubeletStatsSummary(ctx: ExporterContext, nodeName: string, opts: { onlyCpuAndMemory?: boolean } = {}): string | undefined {
  const summary = opts.onlyCpuAndMemory ? kubeletCpuAndMemorySummary(ctx, nodeName) : kubeletStatsSummary(ctx, nodeName);
  return summary === undefined ? undefined : JSON.stringify(summary, null, 1);
}
