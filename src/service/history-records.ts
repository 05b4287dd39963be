// SPDX-License-Identifier: Apache-2.0
// Projections of watched objects into history records, and the cheap signatures the history recorder compares to
// tell a change worth a write from a status heartbeat (a pod's status is rewritten by the kubelet far more often
// than anything recorded changes).
import type { NodeRecord, PodRecord, RecordedContainer } from '../domain/history.ts';
import type { WorkloadRef } from '../domain/kube-ports.ts';
import { isSidecar } from '../domain/pod-resources.ts';
import type { ContainerSpec, Node, Pod } from '../domain/resources.ts';

function recordedContainer(c: ContainerSpec, init: boolean): RecordedContainer {
  return {
    name: c.name,
    init,
    sidecar: init && isSidecar(c),
    cpuRequestMillicores: c.requests.cpuMillicores,
    cpuLimitMillicores: c.limits.cpuMillicores,
    memoryRequestBytes: c.requests.memoryBytes,
    memoryLimitBytes: c.limits.memoryBytes,
  };
}

/** When a finished pod stopped: its latest container finish; undefined while it runs or when unknown. */
function finishedAt(pod: Pod): number | undefined {
  if (pod.phase !== 'Succeeded' && pod.phase !== 'Failed') return undefined;
  let latest: number | undefined;
  for (const s of pod.containerStatuses) {
    const t = s.state.finishedAtMs;
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest;
}

/** The history record of a pod; `observedAtMs` stands in for the finish time of a finished pod that has none. */
export function podRecord(pod: Pod, ctx: { workload: WorkloadRef; observedAtMs: number }): PodRecord {
  const terminal = pod.phase === 'Succeeded' || pod.phase === 'Failed';
  return {
    uid: pod.uid,
    namespace: pod.namespace,
    name: pod.name,
    workloadKind: ctx.workload.kind,
    workloadName: ctx.workload.name,
    nodeName: pod.nodeName,
    phase: pod.phase,
    qosClass: pod.qosClass,
    priorityClassName: pod.priorityClassName,
    containers: [...pod.initContainers.map((c) => recordedContainer(c, true)), ...pod.containers.map((c) => recordedContainer(c, false))],
    createdAtMs: pod.createdAtMs,
    startedAtMs: pod.startedAtMs,
    finishedAtMs: finishedAt(pod) ?? (terminal ? ctx.observedAtMs : undefined),
  };
}

function resources(c: ContainerSpec): string {
  const { requests: r, limits: l } = c;
  return `${c.name}:${r.cpuMillicores},${r.memoryBytes},${l.cpuMillicores},${l.memoryBytes}`;
}

/**
 * What of a pod the history records and may change: node, phase, QoS, start and the containers' requests and
 * limits (in-place resize). Built only for pods whose projection object changed since the last pass.
 */
export function podSignature(pod: Pod): string {
  let sig = `${pod.nodeName}|${pod.phase}|${pod.qosClass}|${pod.startedAtMs}|${pod.priorityClassName}`;
  for (const c of pod.initContainers) sig += `|i${resources(c)}`;
  for (const c of pod.containers) sig += `|${resources(c)}`;
  return sig;
}

/** The history record of a node. */
export function nodeRecord(node: Node): NodeRecord {
  return {
    uid: node.uid,
    name: node.name,
    instanceType: node.instanceType,
    zone: node.zone,
    roles: node.roles,
    capacity: { cpuMillicores: node.capacity.cpuMillicores, memoryBytes: node.capacity.memoryBytes, pods: node.capacity.pods },
    allocatable: { cpuMillicores: node.allocatable.cpuMillicores, memoryBytes: node.allocatable.memoryBytes, pods: node.allocatable.pods },
    labels: node.labels,
    createdAtMs: node.createdAtMs,
  };
}

/** Nodes are few: their whole record is the signature. */
export function nodeSignature(node: Node): string {
  return JSON.stringify(nodeRecord(node));
}

/** The memory limit of a pod's container, init containers included. */
export function memoryLimitOf(pod: Pod | undefined, container: string | undefined): number | undefined {
  if (!pod || container === undefined) return undefined;
  const spec = pod.containers.find((c) => c.name === container) ?? pod.initContainers.find((c) => c.name === container);
  return spec?.limits.memoryBytes;
}
