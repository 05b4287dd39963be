// SPDX-License-Identifier: Apache-2.0
// Nodes as a kubelet registers them: well-known labels (hostname, instance type, zone and region, os/arch),
// capacity and allocatable (capacity minus kube/system reserved and the eviction threshold, as the kubelet's node
// allocatable computes it), the four conditions, addresses, nodeInfo, pod CIDR, and a Lease in kube-node-lease that
// the kubelet renews every 10 s.
import type { Lease, Node, StringMap } from '../kube-types.ts';
import type { ObjectStoreApi } from '../object-store.ts';
import type { NodePool, Scenario } from './schema.ts';
import type { NodeRecord } from './node-record.ts';
import { renderNodeConditions, renderNodeTaints, type ActiveConditions } from './failures/node-conditions.ts';
import { formatCpu, formatKi, parseQuantity } from './quantity.ts';
import { Rng, fnv32a } from './rng.ts';
import { iso, isoMicro } from './time.ts';
import { randomUuid } from '../uid.ts';
import { DAY_MS } from '../../../domain/time.ts';

const MI = 2 ** 20;

/** GKE's CPU reservation: 6 % of the first core, 1 % of the next, 0.5 % of the next two, 0.25 % above four. */
function reservedCpuMilli(cores: number): number {
  const tiers: [number, number][] = [[1, 0.06], [1, 0.01], [2, 0.005], [Infinity, 0.0025]];
  let left = cores;
  let milli = 0;
  for (const [size, rate] of tiers) {
    const part = Math.min(left, size);
    milli += part * rate * 1000;
    left -= part;
  }
  return Math.round(milli);
}

/** EKS's memory reservation (255 Mi + 11 Mi per pod) plus the default hard eviction threshold of 100 Mi. */
function reservedMemory(pods: number): number {
  return (255 + 11 * pods + 100) * MI;
}

function regionOf(zone: string): string {
  return /^(.*\d)[a-z]$/.exec(zone)?.[1] ?? zone;
}

function nodeName(pool: NodePool, i: number): string {
  const width = Math.max(2, String(pool.count - 1).length);
  return `${pool.namePrefix ?? `${pool.name}-node-`}${String(i).padStart(width, '0')}`;
}

function nodeLabels(pool: NodePool, name: string, zone: string): StringMap {
  return {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': pool.instanceType,
    'beta.kubernetes.io/os': 'linux',
    'failure-domain.beta.kubernetes.io/region': regionOf(zone),
    'failure-domain.beta.kubernetes.io/zone': zone,
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': pool.instanceType,
    'topology.kubernetes.io/region': regionOf(zone),
    'topology.kubernetes.io/zone': zone,
    ...pool.labels,
  };
}

function recordOf(pool: NodePool, i: number, ctx: { index: number; nowMs: number; rng: Rng; ageDays: number }): NodeRecord {
  const name = nodeName(pool, i);
  const zone = pool.zones[i % pool.zones.length] as string;
  const cpu = parseQuantity(pool.capacity.cpu);
  const memory = parseQuantity(pool.capacity.memory);
  const n = ctx.index;
  const ip = `10.0.${16 + Math.floor(n / 250)}.${(n % 250) + 4}`;
  const ageDays = pool.ageDays ?? ctx.rng.between(1, Math.min(30, ctx.ageDays));
  const createdMs = Math.round(ctx.nowMs - ageDays * DAY_MS);
  return {
    index: n,
    name,
    pool: pool.name,
    zone,
    instanceType: pool.instanceType,
    labels: nodeLabels(pool, name, zone),
    taints: (pool.taints ?? []).map((t) => ({ ...t })),
    unschedulable: pool.unschedulable,
    capacityCpuMilli: Math.round(cpu * 1000),
    capacityMemoryBytes: memory,
    capacityEphemeralBytes: parseQuantity(pool.capacity['ephemeral-storage']),
    allocCpuMilli: Math.round(cpu * 1000) - (pool.reserved?.cpu !== undefined ? Math.round(parseQuantity(pool.reserved.cpu) * 1000) : reservedCpuMilli(cpu)),
    allocMemoryBytes: memory - (pool.reserved?.memory !== undefined ? parseQuantity(pool.reserved.memory) : reservedMemory(pool.capacity.pods)),
    allocPods: pool.capacity.pods,
    usedCpuMilli: 0,
    usedMemoryBytes: 0,
    usedPods: 0,
    internalIP: ip,
    hostIPs: Object.freeze([Object.freeze({ ip })]),
    podIpPrefix: `10.${64 + (n >> 8)}.${n & 255}.`,
    nextPodIp: 2,
    createdMs,
    bootTimeMs: createdMs - 90_000,
    uid: '',
  };
}

/** Node records for every pool, in name order (the order etcd lists them and the scheduler walks them). */
export function planNodes(s: Scenario, nowMs: number, rng: Rng): NodeRecord[] {
  const out: NodeRecord[] = [];
  for (const pool of s.nodePools) {
    for (let i = 0; i < pool.count; i++) out.push(recordOf(pool, i, { index: out.length, nowMs, rng, ageDays: s.cluster.ageDays }));
  }
  const names = new Set(out.map((n) => n.name));
  if (names.size !== out.length) throw new Error('node pools produce duplicate node names; set distinct namePrefix values');
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

export interface NodeObjectInput {
  rec: NodeRecord;
  scenario: Scenario;
  pool: NodePool;
  active: ActiveConditions;
  heartbeatMs: number;
}

function capacityOf(rec: NodeRecord, pods: number, alloc: boolean): StringMap {
  return {
    cpu: formatCpu((alloc ? rec.allocCpuMilli : rec.capacityCpuMilli) / 1000),
    'ephemeral-storage': formatKi(alloc ? rec.capacityEphemeralBytes * 0.92 : rec.capacityEphemeralBytes),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: formatKi(alloc ? rec.allocMemoryBytes : rec.capacityMemoryBytes),
    pods: String(pods),
  };
}

/** The Node object. Condition taints are added on top of the pool's taints. */
export function nodeObject(input: NodeObjectInput): Node {
  const { rec, scenario, pool } = input;
  const ids = new Rng(fnv32a(`node/${rec.name}`));
  const machineId = ids.hex(32);
  const taints = renderNodeTaints(rec.taints, input.active);
  const spec: Node['spec'] = { podCIDR: `${rec.podIpPrefix}0/24`, podCIDRs: [`${rec.podIpPrefix}0/24`], providerID: `sim://${rec.zone}/${rec.name}` };
  if (taints.length) spec.taints = taints;
  if (rec.unschedulable) spec.unschedulable = true;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: rec.name,
      creationTimestamp: iso(rec.createdMs),
      labels: rec.labels,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec,
    status: {
      addresses: [{ address: rec.internalIP, type: 'InternalIP' }, { address: rec.name, type: 'Hostname' }],
      allocatable: capacityOf(rec, rec.allocPods, true),
      capacity: capacityOf(rec, rec.allocPods, false),
      conditions: renderNodeConditions({ active: input.active, heartbeatMs: input.heartbeatMs, healthySinceMs: rec.createdMs + 30_000 }),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: randomUuid(() => ids.float()),
        containerRuntimeVersion: scenario.cluster.containerRuntimeVersion,
        kernelVersion: scenario.cluster.kernelVersion,
        kubeProxyVersion: '',
        kubeletVersion: pool.kubeletVersion ?? scenario.cluster.kubernetesVersion,
        machineID: machineId,
        operatingSystem: 'linux',
        osImage: scenario.cluster.osImage,
        systemUUID: `ec2${machineId.slice(3, 8)}-${machineId.slice(8, 12)}-${machineId.slice(12, 16)}-${machineId.slice(16, 20)}-${machineId.slice(20, 32)}`,
      },
    },
  };
}

/** The kubelet's heartbeat Lease (kube-node-lease/<node>, owned by the Node). */
export function nodeLease(node: Node, renewMs: number): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.metadata.name,
      namespace: 'kube-node-lease',
      creationTimestamp: node.metadata.creationTimestamp,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid ?? '' }],
    },
    spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: 40, renewTime: isoMicro(renewMs) },
  };
}

/** Stores the Node; fills the record's uid. */
export function createNode(store: ObjectStoreApi, input: NodeObjectInput): Node {
  const node = store.create(nodeObject(input));
  input.rec.uid = node.metadata.uid ?? '';
  return node;
}
