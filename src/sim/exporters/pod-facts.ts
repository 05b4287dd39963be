// SPDX-License-Identifier: Apache-2.0
// Facts about pods and nodes that several exporters derive the same way: which containers are running, their
// resources as numbers, the QoS class and cgroup path the kubelet would use, runtime container ids, volumes.
import { createHash } from 'node:crypto';
import type { Container, ContainerStatus, Node, Pod } from '../model/kube-types.ts';
import type { ContainerUsage, UsageView } from '../usage/types.ts';
import { parseQuantity } from './quantity.ts';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** CPU in cores and memory in bytes; a missing field means "not set". */
export interface ResourceNumbers {
  cpuCores?: number;
  memoryBytes?: number;
}

export interface RunningContainer {
  readonly spec: Container;
  readonly status: ContainerStatus;
  readonly usage: ContainerUsage;
  /** 64 hex digits, as containerd ids are; the cgroup leaf and cAdvisor's `name` label. */
  readonly runtimeId: string;
}

// Every metric family asks for the same ids again; stored objects are immutable (copy-on-write), so a WeakMap on
// the pod object is a safe memo that dies with it. (Not on status objects: replicas may share those.)
const podIds = new WeakMap<Pod, Map<string, string>>();

function memoId(pod: Pod, key: string, make: () => string): string {
  let ids = podIds.get(pod);
  if (ids === undefined) {
    ids = new Map();
    podIds.set(pod, ids);
  }
  let id = ids.get(key);
  if (id === undefined) {
    id = make();
    ids.set(key, id);
  }
  return id;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function podUid(pod: Pod): string {
  return pod.metadata.uid ?? sha256Hex(`${pod.metadata.namespace ?? ''}/${pod.metadata.name}`).slice(0, 32);
}

/** Bound and in phase Running: the kubelet has a pod sandbox (and so cgroups) for it. */
export function isPodRunning(pod: Pod): boolean {
  return pod.status.phase === 'Running' && (pod.spec.nodeName ?? '') !== '';
}

export function statusOf(pod: Pod, container: string): ContainerStatus | undefined {
  return pod.status.containerStatuses?.find((s) => s.name === container);
}

/**
 * The runtime id of the container's current incarnation: the one in its status when the simulation set one,
 * otherwise a stable hash that changes with each restart, as a real runtime creates a new container then.
 */
export function containerRuntimeId(pod: Pod, status: ContainerStatus): string {
  const fromStatus = status.containerID?.split('://')[1];
  if (fromStatus !== undefined && fromStatus !== '') return fromStatus;
  const key = `${status.name}/${status.restartCount}`;
  return memoId(pod, key, () => sha256Hex(`${podUid(pod)}/${key}`));
}

/** The pod sandbox ("pause" container) id. */
export function sandboxId(pod: Pod): string {
  // '/' cannot occur in a container name, so this key never collides with a container's.
  return memoId(pod, '/sandbox', () => sha256Hex(`sandbox/${podUid(pod)}`));
}

/** Containers currently in state running for which the usage model has values. */
export function runningContainers(usage: UsageView, pod: Pod): RunningContainer[] {
  const out: RunningContainer[] = [];
  if (!isPodRunning(pod)) return out;
  const namespace = pod.metadata.namespace ?? '';
  for (const spec of pod.spec.containers) {
    const status = statusOf(pod, spec.name);
    if (status?.state.running === undefined) continue;
    const u = usage.container(namespace, pod.metadata.name, spec.name);
    if (u === undefined) continue;
    out.push({ spec, status, usage: u, runtimeId: containerRuntimeId(pod, status) });
  }
  return out;
}

function numbersOf(list: Record<string, string> | undefined): ResourceNumbers {
  return { cpuCores: parseQuantity(list?.['cpu']), memoryBytes: parseQuantity(list?.['memory']) };
}

export function containerLimits(c: Container): ResourceNumbers {
  return numbersOf(c.resources?.limits);
}

/** Requests, defaulted to limits where only a limit is set (as the API server defaults them). */
export function containerRequests(c: Container): ResourceNumbers {
  const req = numbersOf(c.resources?.requests);
  const lim = containerLimits(c);
  return { cpuCores: req.cpuCores ?? lim.cpuCores, memoryBytes: req.memoryBytes ?? lim.memoryBytes };
}

function isGuaranteedContainer(c: Container): boolean {
  const lim = containerLimits(c);
  const req = containerRequests(c);
  return lim.cpuCores !== undefined && lim.memoryBytes !== undefined && req.cpuCores === lim.cpuCores && req.memoryBytes === lim.memoryBytes;
}

function hasAnyResources(c: Container): boolean {
  const r = c.resources;
  return Object.keys(r?.requests ?? {}).length + Object.keys(r?.limits ?? {}).length > 0;
}

/** The pod's QoS class: the one in its status, else computed by the kubelet's rules (cpu and memory only). */
export function podQosClass(pod: Pod): QosClass {
  if (pod.status.qosClass !== undefined) return pod.status.qosClass;
  const containers = pod.spec.containers;
  if (containers.length > 0 && containers.every(isGuaranteedContainer)) return 'Guaranteed';
  return containers.some(hasAnyResources) ? 'Burstable' : 'BestEffort';
}

/** The pod's cgroup under the cgroupfs driver, as the fixture's cAdvisor `id` labels show it. */
export function podCgroupPath(pod: Pod): string {
  const qos = podQosClass(pod);
  const parent = qos === 'Guaranteed' ? '/kubepods' : `/kubepods/${qos.toLowerCase()}`;
  return `${parent}/pod${podUid(pod)}`;
}

/** Sum of a per-container number, or undefined unless every container has it (a pod-level cgroup limit). */
export function sumIfAll(values: readonly (number | undefined)[]): number | undefined {
  let sum = 0;
  for (const v of values) {
    if (v === undefined) return undefined;
    sum += v;
  }
  return values.length > 0 ? sum : undefined;
}

export interface PodVolumeRef {
  readonly name: string;
  /** Set for `persistentVolumeClaim` volumes. */
  readonly claimName?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The pod's volumes; `spec.volumes` is not typed by the model, so it is narrowed here. */
export function podVolumes(pod: Pod): PodVolumeRef[] {
  const raw = pod.spec['volumes'];
  if (!Array.isArray(raw)) return [];
  const out: PodVolumeRef[] = [];
  for (const v of raw) {
    if (!isRecord(v) || typeof v['name'] !== 'string') continue;
    const pvc = v['persistentVolumeClaim'];
    const claim = isRecord(pvc) && typeof pvc['claimName'] === 'string' ? pvc['claimName'] : undefined;
    out.push(claim === undefined ? { name: v['name'] } : { name: v['name'], claimName: claim });
  }
  return out;
}

export function nodeInternalIp(node: Node): string | undefined {
  return node.status.addresses.find((a) => a.type === 'InternalIP')?.address;
}

/** Whole CPUs of the node (node-exporter has one `cpu` label value per logical CPU). */
export function nodeCpuCount(node: Node): number {
  return Math.max(1, Math.ceil(parseQuantity(node.status.capacity['cpu']) ?? 1));
}

/**
 * Node memory figures the usage model does not carry, derived from the working set so cAdvisor's root cgroup and
 * the summary's node block agree: RSS is most of the working set, usage adds the reclaimable page cache.
 */
export function nodeMemoryFigures(workingSetBytes: number): { rssBytes: number; usageBytes: number } {
  return { rssBytes: Math.round(workingSetBytes * 0.8), usageBytes: Math.round(workingSetBytes * 1.25) };
}
