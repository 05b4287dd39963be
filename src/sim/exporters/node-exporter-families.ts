// SPDX-License-Identifier: Apache-2.0
// node-exporter families for every node, consistent with the usage model's node values: the CPU-mode counters
// add up to uptime × CPUs with `idle` = uptime × CPUs − busy seconds, MemAvailable is the model's available
// memory, and the root filesystem's size and free space are the kubelet's node fs figures. A real node-exporter
// is scraped per node and gets `instance` from its target; this one endpoint covers every node, so each series
// carries `instance="<InternalIP>:9100"` itself (scrape it with honor_labels) plus a `node` label.
import type { Node } from '../model/kube-types.ts';
import type { NodeUsage } from '../usage/types.ts';
import type { ClusterView } from './cluster-view.ts';
import { isPodRunning, nodeCpuCount, nodeInternalIp } from './pod-facts.ts';
import { parseQuantity } from './quantity.ts';
import { defineFamily, withSortedLabel, type FamilyCollector, type Labels, type MetricType, type Sample } from './series.ts';

/** How busy CPU time splits over the non-idle modes (shares add up to 1); typical of a container host. */
const BUSY_MODE_SHARES: readonly (readonly [string, number])[] = [
  ['iowait', 0.04],
  ['irq', 0.01],
  ['nice', 0.01],
  ['softirq', 0.03],
  ['steal', 0.01],
  ['system', 0.2],
  ['user', 0.7],
];
/** Seconds of disk busy time per busy CPU second: a modest I/O load that follows CPU load. */
const DISK_BUSY_PER_CPU_SECOND = 0.03;
/** Run-queue length per busy core, for node_load1. */
const LOAD_PER_BUSY_CORE = 1.1;
const RUN_TMPFS_USED_BYTES = 8 * 1024 * 1024;
const ARCH_MACHINE: Readonly<Record<string, string>> = { amd64: 'x86_64', arm64: 'aarch64' };

interface NodeFacts {
  readonly node: Node;
  readonly usage: NodeUsage;
  readonly base: Labels;
  readonly view: ClusterView;
}

type NodeFn = (n: NodeFacts) => Iterable<Sample>;

function* eachNode(view: ClusterView, fn: NodeFn): Generator<Sample> {
  for (const node of view.nodes()) {
    const usage = view.usage.node(node.metadata.name);
    if (usage === undefined) continue;
    const instance = `${nodeInternalIp(node) ?? node.metadata.name}:9100`;
    yield* fn({ node, usage, view, base: [['instance', instance], ['node', node.metadata.name]] });
  }
}

interface NodeFamilyDef {
  readonly name: string;
  readonly help: string;
  readonly type?: MetricType;
}

function nodeFamily(def: NodeFamilyDef, fn: NodeFn): FamilyCollector<ClusterView> {
  return defineFamily({ name: def.name, help: def.help, type: def.type ?? 'gauge' }, (view: ClusterView) => eachNode(view, fn));
}

function one(value: (n: NodeFacts) => number): NodeFn {
  return function* (n) {
    yield { labels: n.base, value: value(n) };
  };
}

function* cpuSeconds(n: NodeFacts): Generator<Sample> {
  const cpus = nodeCpuCount(n.node);
  const uptimeSec = Math.max(0, (n.view.nowMs - n.usage.bootTimeMs) / 1000);
  const busyPerCpu = Math.min(uptimeSec, n.usage.cpuSecondsTotal / cpus);
  for (let cpu = 0; cpu < cpus; cpu++) {
    const labels = withSortedLabel(n.base, 'cpu', String(cpu));
    yield { labels: withSortedLabel(labels, 'mode', 'idle'), value: uptimeSec - busyPerCpu };
    for (const [mode, share] of BUSY_MODE_SHARES) yield { labels: withSortedLabel(labels, 'mode', mode), value: busyPerCpu * share };
  }
}

interface Filesystem {
  device: string;
  fstype: string;
  mountpoint: string;
  sizeBytes: number;
  availBytes: number;
}

/** The root filesystem (the kubelet's node fs) and the /run tmpfs the monitor's queries are meant to skip. */
function filesystems(n: NodeFacts): Filesystem[] {
  const memory = parseQuantity(n.node.status.capacity['memory']) ?? 0;
  const runSize = Math.floor(memory / 10 / 4096) * 4096;
  return [
    {
      device: '/dev/vda1',
      fstype: 'ext4',
      mountpoint: '/',
      sizeBytes: n.usage.fsCapacityBytes,
      availBytes: Math.max(0, n.usage.fsCapacityBytes - n.usage.fsUsedBytes),
    },
    { device: 'tmpfs', fstype: 'tmpfs', mountpoint: '/run', sizeBytes: runSize, availBytes: Math.max(0, runSize - RUN_TMPFS_USED_BYTES) },
  ];
}

function fsFamily(name: string, help: string, value: (fs: Filesystem) => number): FamilyCollector<ClusterView> {
  return nodeFamily({ name, help }, function* (n) {
    for (const fs of filesystems(n)) {
      const labels = [...n.base, ['device', fs.device], ['fstype', fs.fstype], ['mountpoint', fs.mountpoint]] as const;
      yield { labels: [...labels].sort((a, b) => (a[0] < b[0] ? -1 : 1)), value: value(fs) };
    }
  });
}

/** NIC receive errors of the node: the sum over its running pods' interfaces, which all sit behind eth0. */
function receiveErrors(n: NodeFacts): number {
  let total = 0;
  for (const pod of n.view.podsOnNode(n.node.metadata.name)) {
    if (!isPodRunning(pod)) continue;
    total += n.view.usage.podNetwork(pod.metadata.namespace ?? '', pod.metadata.name)?.rxErrorsTotal ?? 0;
  }
  return total;
}

function* uname(n: NodeFacts): Generator<Sample> {
  const info = n.node.status.nodeInfo;
  const arch = info['architecture'] ?? 'amd64';
  const labels: Labels = [
    ['domainname', '(none)'],
    ...n.base,
    ['machine', ARCH_MACHINE[arch] ?? arch],
    ['nodename', n.node.metadata.name],
    ['release', info['kernelVersion'] ?? ''],
    ['sysname', 'Linux'],
    ['version', '#1 SMP PREEMPT_DYNAMIC'],
  ];
  yield { labels, value: 1 };
}

const onEth0 = (value: (n: NodeFacts) => number): NodeFn =>
  function* (n) {
    yield { labels: withSortedLabel(n.base, 'device', 'eth0'), value: value(n) };
  };

/** node-exporter families, sorted by name. */
const diskIoTime: NodeFn = function* (n) {
  yield { labels: withSortedLabel(n.base, 'device', 'vda'), value: n.usage.cpuSecondsTotal * DISK_BUSY_PER_CPU_SECOND };
};

const memTotal = (n: NodeFacts): number =>
  parseQuantity(n.node.status.capacity['memory']) ?? n.usage.memoryWorkingSetBytes + n.usage.memoryAvailableBytes;

/** node-exporter families, sorted by name. */
export const NODE_EXPORTER_FAMILIES: readonly FamilyCollector<ClusterView>[] = [
  nodeFamily({ name: 'node_boot_time_seconds', help: 'Node boot time, in unixtime.' }, one((n) => Math.floor(n.usage.bootTimeMs / 1000))),
  nodeFamily({ name: 'node_cpu_seconds_total', help: 'Seconds the CPUs spent in each mode.', type: 'counter' }, cpuSeconds),
  nodeFamily({ name: 'node_disk_io_time_seconds_total', help: 'Total seconds spent doing I/Os.', type: 'counter' }, diskIoTime),
  fsFamily('node_filesystem_avail_bytes', 'Filesystem space available to non-root users in bytes.', (fs) => fs.availBytes),
  fsFamily('node_filesystem_readonly', 'Filesystem read-only status.', () => 0),
  fsFamily('node_filesystem_size_bytes', 'Filesystem size in bytes.', (fs) => fs.sizeBytes),
  nodeFamily({ name: 'node_load1', help: '1m load average.' }, one((n) => Math.round(n.usage.cpuCores * LOAD_PER_BUSY_CORE * 100) / 100)),
  nodeFamily({ name: 'node_memory_MemAvailable_bytes', help: 'Memory information field MemAvailable_bytes.' }, one((n) => n.usage.memoryAvailableBytes)),
  nodeFamily({ name: 'node_memory_MemTotal_bytes', help: 'Memory information field MemTotal_bytes.' }, one(memTotal)),
  nodeFamily({ name: 'node_network_receive_drop_total', help: 'Network device statistic receive_drop.', type: 'counter' }, onEth0(() => 0)),
  nodeFamily({ name: 'node_network_receive_errs_total', help: 'Network device statistic receive_errs.', type: 'counter' }, onEth0(receiveErrors)),
  nodeFamily({ name: 'node_uname_info', help: 'Labeled system information as provided by the uname system call.' }, uname),
];
