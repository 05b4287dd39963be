// SPDX-License-Identifier: Apache-2.0
// The cgroups cAdvisor reports for a node, as rows of values: the node's root cgroup (`id="/"`), and for each
// running pod its pod cgroup (`container=""`, no image), its sandbox ("pause") container (`container=""`, pause
// image; the owner of the pod's network interface) and each running container. Terminated containers have no row:
// their cgroup is gone, as on a real node. Each cAdvisor family picks one value out of these rows.
import type { Node, Pod } from '../model/kube-types.ts';
import type { PodNetworkUsage } from '../usage/types.ts';
import type { ClusterView } from './cluster-view.ts';
import { parseTimeMs, roundToNanos } from './number-format.ts';
import {
  containerLimits,
  isPodRunning,
  nodeMemoryFigures,
  podCgroupPath,
  runningContainers,
  sandboxId,
  sumIfAll,
  type RunningContainer,
} from './pod-facts.ts';
import { parseQuantity } from './quantity.ts';
import type { Labels } from './series.ts';

/** CFS quota per 100 ms period, in microseconds, per core of limit (the kubelet's default cpu.cfs_period_us). */
const CFS_PERIOD_US = 100_000;
const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10.1';
// The sandbox image and footprint of the 1.35 capture's pause containers (their usage barely moves).
const PAUSE_WORKING_SET_BYTES = 196_608;
const PAUSE_RSS_BYTES = 40_960;
const PAUSE_USAGE_BYTES = 200_704;
const PAUSE_CPU_CORES = 2e-6;

export type CgroupKind = 'root' | 'pod' | 'pause' | 'container';

export interface CgroupRow {
  readonly kind: CgroupKind;
  /** `container`, `id`, `image`, `name`, `namespace`, [`node`], `pod`: sorted, as cAdvisor writes them. */
  readonly labels: Labels;
  readonly cpuSecondsTotal: number;
  readonly memoryWorkingSetBytes: number;
  readonly memoryRssBytes?: number;
  readonly memoryUsageBytes?: number;
  /** Present only where a CPU limit sets a CFS quota (cAdvisor has no cfs series otherwise). */
  readonly cfs?: { periodsTotal: number; throttledPeriodsTotal: number; throttledSecondsTotal: number; quota: number };
  /** 0 means unlimited, as cAdvisor writes it. */
  readonly memoryLimitBytes: number;
  readonly fsUsageBytes?: number;
  readonly fsIo?: { readsBytesTotal: number; writesBytesTotal: number };
  readonly network?: PodNetworkUsage;
  readonly oomEventsTotal?: number;
  readonly startTimeSec: number;
}

/** Which pods and nodes a cAdvisor rendering covers, and whether it adds the `node` label (cluster endpoint). */
export interface CadvisorSource {
  readonly view: ClusterView;
  readonly nodes: readonly Node[];
  pods(): Iterable<Pod>;
  readonly nodeLabel: boolean;
  /**
   * Rows already computed in this render. Every cAdvisor family walks the same rows, and computing them once
   * instead of 18 times is what keeps a 15,000-pod scrape in seconds (the cache lives as long as the render).
   */
  readonly rowCache: Map<Pod, readonly CgroupRow[]>;
}

export function createCadvisorSource(view: ClusterView, opts: { nodes: readonly Node[]; pods: () => Iterable<Pod>; nodeLabel: boolean }): CadvisorSource {
  return { view, ...opts, rowCache: new Map() };
}

interface LabelInput {
  container: string;
  id: string;
  image: string;
  name: string;
  namespace: string;
  node: string | undefined;
  pod: string;
}

function cadvisorLabels(l: LabelInput): Labels {
  const labels: [string, string][] = [
    ['container', l.container],
    ['id', l.id],
    ['image', l.image],
    ['name', l.name],
    ['namespace', l.namespace],
  ];
  if (l.node !== undefined) labels.push(['node', l.node]);
  labels.push(['pod', l.pod]);
  return labels;
}

function rootRow(src: CadvisorSource, node: Node): CgroupRow | undefined {
  const u = src.view.usage.node(node.metadata.name);
  if (u === undefined) return undefined;
  const nodeName = src.nodeLabel ? node.metadata.name : undefined;
  const memory = nodeMemoryFigures(u.memoryWorkingSetBytes);
  return {
    kind: 'root',
    labels: cadvisorLabels({ container: '', id: '/', image: '', name: '', namespace: '', node: nodeName, pod: '' }),
    cpuSecondsTotal: roundToNanos(u.cpuSecondsTotal),
    memoryWorkingSetBytes: u.memoryWorkingSetBytes,
    memoryRssBytes: memory.rssBytes,
    memoryUsageBytes: memory.usageBytes,
    memoryLimitBytes: parseQuantity(node.status.capacity['memory']) ?? 0,
    fsUsageBytes: u.fsUsedBytes,
    startTimeSec: u.bootTimeMs / 1000,
  };
}

function containerRow(base: Omit<LabelInput, 'container' | 'id' | 'image' | 'name'>, podPath: string, c: RunningContainer): CgroupRow {
  const u = c.usage;
  const limits = containerLimits(c.spec);
  const labels = cadvisorLabels({ ...base, container: c.spec.name, id: `${podPath}/${c.runtimeId}`, image: c.status.image || c.spec.image, name: c.runtimeId });
  const cfs = limits.cpuCores === undefined ? undefined : {
    periodsTotal: u.cfsPeriodsTotal,
    throttledPeriodsTotal: u.cfsThrottledPeriodsTotal,
    throttledSecondsTotal: roundToNanos(u.cfsThrottledSecondsTotal),
    quota: Math.round(limits.cpuCores * CFS_PERIOD_US),
  };
  return {
    kind: 'container',
    labels,
    cpuSecondsTotal: roundToNanos(u.cpuSecondsTotal),
    memoryWorkingSetBytes: u.memoryWorkingSetBytes,
    memoryRssBytes: u.memoryRssBytes,
    memoryUsageBytes: u.memoryUsageBytes,
    cfs,
    memoryLimitBytes: limits.memoryBytes ?? 0,
    fsUsageBytes: u.fsUsageBytes,
    fsIo: { readsBytesTotal: u.fsReadsBytesTotal, writesBytesTotal: u.fsWritesBytesTotal },
    oomEventsTotal: 0,
    startTimeSec: u.startedAtMs / 1000,
  };
}

/**
 * OOM kills happen in a container's cgroup, which dies with it; the pod cgroup outlives restarts and so keeps the
 * count. The pod status only remembers the last termination, so a container last killed by the OOM killer is
 * taken to have been OOM-killed at each of its restarts (the usual crash-loop-on-OOM pattern).
 */
function podOomEvents(pod: Pod): number {
  let total = 0;
  for (const s of pod.status.containerStatuses ?? []) {
    if (s.lastState.terminated?.reason === 'OOMKilled') total += Math.max(1, s.restartCount);
  }
  return total;
}

function podCfs(pod: Pod, rows: readonly CgroupRow[]): CgroupRow['cfs'] {
  const quotas = pod.spec.containers.map((c) => containerLimits(c).cpuCores);
  const quotaCores = sumIfAll(quotas);
  if (quotaCores === undefined) return undefined;
  const cfs = rows.map((r) => r.cfs);
  return {
    periodsTotal: Math.max(0, ...cfs.map((c) => c?.periodsTotal ?? 0)),
    throttledPeriodsTotal: Math.max(0, ...cfs.map((c) => c?.throttledPeriodsTotal ?? 0)),
    throttledSecondsTotal: roundToNanos(cfs.reduce((a, c) => a + (c?.throttledSecondsTotal ?? 0), 0)),
    quota: Math.round(quotaCores * CFS_PERIOD_US),
  };
}

function sum(rows: readonly CgroupRow[], pick: (r: CgroupRow) => number | undefined): number {
  return rows.reduce((a, r) => a + (pick(r) ?? 0), 0);
}

interface PodRowsInput {
  base: Omit<LabelInput, 'container' | 'id' | 'image' | 'name'>;
  podPath: string;
  startSec: number;
}

function pauseCpuSeconds(nowMs: number, startSec: number): number {
  return roundToNanos(0.01 + Math.max(0, nowMs / 1000 - startSec) * PAUSE_CPU_CORES);
}

function pauseRow(src: CadvisorSource, pod: Pod, input: PodRowsInput): CgroupRow {
  const id = sandboxId(pod);
  return {
    kind: 'pause',
    labels: cadvisorLabels({ ...input.base, container: '', id: `${input.podPath}/${id}`, image: PAUSE_IMAGE, name: id }),
    cpuSecondsTotal: pauseCpuSeconds(src.view.nowMs, input.startSec),
    memoryWorkingSetBytes: PAUSE_WORKING_SET_BYTES,
    memoryRssBytes: PAUSE_RSS_BYTES,
    memoryUsageBytes: PAUSE_USAGE_BYTES,
    memoryLimitBytes: 0,
    network: src.view.usage.podNetwork(input.base.namespace, input.base.pod),
    oomEventsTotal: 0,
    startTimeSec: input.startSec,
  };
}

/** The pod cgroup's CPU and memory: its sandbox plus its running containers. */
export interface PodCgroupFigures {
  readonly cpuSecondsTotal: number;
  readonly memoryWorkingSetBytes: number;
  readonly memoryRssBytes: number;
  readonly memoryUsageBytes: number;
  /** 0 means unlimited, as cAdvisor writes it. */
  readonly memoryLimitBytes: number;
  readonly startTimeSec: number;
}

function podStartSec(view: ClusterView, pod: Pod): number {
  return (parseTimeMs(pod.status.startTime) ?? parseTimeMs(pod.metadata.creationTimestamp) ?? view.nowMs) / 1000;
}

/**
 * The pod cgroup row's CPU and memory without its labels: what the kubelet's summary and /metrics/resource report
 * of a pod. A summary renders thousands of pods, and building every cgroup row's label set for them cost a third of it.
 */
export function podCgroupFigures(view: ClusterView, pod: Pod, containers: readonly RunningContainer[]): PodCgroupFigures {
  const startTimeSec = podStartSec(view, pod);
  // Summed in the order of the rows (sandbox first), so that both agree to the last bit.
  let cpu = pauseCpuSeconds(view.nowMs, startTimeSec);
  let workingSet = PAUSE_WORKING_SET_BYTES;
  let rss = PAUSE_RSS_BYTES;
  let usage = PAUSE_USAGE_BYTES;
  for (const c of containers) {
    cpu += roundToNanos(c.usage.cpuSecondsTotal);
    workingSet += c.usage.memoryWorkingSetBytes;
    rss += c.usage.memoryRssBytes;
    usage += c.usage.memoryUsageBytes;
  }
  const memLimit = sumIfAll(pod.spec.containers.map((c) => containerLimits(c).memoryBytes));
  return { cpuSecondsTotal: roundToNanos(cpu), memoryWorkingSetBytes: workingSet, memoryRssBytes: rss, memoryUsageBytes: usage, memoryLimitBytes: memLimit ?? 0, startTimeSec };
}

function podRow(src: CadvisorSource, pod: Pod, rows: { input: PodRowsInput; containers: readonly RunningContainer[]; children: readonly CgroupRow[] }): CgroupRow {
  const { input, children } = rows;
  const containerRows = children.filter((r) => r.kind === 'container');
  return {
    kind: 'pod',
    labels: cadvisorLabels({ ...input.base, container: '', id: input.podPath, image: '', name: '' }),
    ...podCgroupFigures(src.view, pod, rows.containers),
    cfs: podCfs(pod, containerRows),
    fsIo: {
      readsBytesTotal: sum(containerRows, (r) => r.fsIo?.readsBytesTotal),
      writesBytesTotal: sum(containerRows, (r) => r.fsIo?.writesBytesTotal),
    },
    oomEventsTotal: podOomEvents(pod),
  };
}

/** Rows of one running pod: pod cgroup, sandbox, then running containers. Empty for pods without a sandbox. */
export function podRows(src: CadvisorSource, pod: Pod): readonly CgroupRow[] {
  let rows = src.rowCache.get(pod);
  if (rows === undefined) {
    rows = computePodRows(src, pod);
    src.rowCache.set(pod, rows);
  }
  return rows;
}

function computePodRows(src: CadvisorSource, pod: Pod): CgroupRow[] {
  if (!isPodRunning(pod)) return [];
  const containers = runningContainers(src.view.usage, pod);
  const input: PodRowsInput = {
    base: { namespace: pod.metadata.namespace ?? '', node: src.nodeLabel ? pod.spec.nodeName : undefined, pod: pod.metadata.name },
    podPath: podCgroupPath(pod),
    startSec: podStartSec(src.view, pod),
  };
  const children = [pauseRow(src, pod, input), ...containers.map((c) => containerRow(input.base, input.podPath, c))];
  return [podRow(src, pod, { input, containers, children }), ...children];
}

/** Every cgroup row of the source: node roots first, then each pod's rows. */
export function* cgroupRows(src: CadvisorSource): Generator<CgroupRow> {
  for (const node of src.nodes) {
    const row = rootRow(src, node);
    if (row) yield row;
  }
  for (const pod of src.pods()) {
    yield* podRows(src, pod);
  }
}
