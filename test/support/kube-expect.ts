// SPDX-License-Identifier: Apache-2.0
// What the monitor's watch cache should hold for each pod, node and controller, computed from kubectl's JSON alone
// (quantities by the test's own parser, workloads by the test's own ownerReferences walk), in plain shapes that
// the e2e test builds from the monitor's projections too and compares field by field.
import { nodeRoles, quantity, workloadOfPod, type KCondition, type KContainer, type KContainerState, type KContainerStatus, type KNode, type KObject, type KPod, type KubeSnapshot } from './kube-json.ts';

function wantResources(list: Record<string, string> | undefined): unknown {
  return { cpu: quantity(list?.cpu, 3), memory: quantity(list?.memory), ephemeral: quantity(list?.['ephemeral-storage']) };
}

function wantContainer(c: KContainer): unknown {
  return { name: c.name, requests: wantResources(c.resources?.requests), limits: wantResources(c.resources?.limits) };
}

function wantState(s: KContainerState | undefined): unknown {
  if (s?.running) return { kind: 'running', reason: undefined, exitCode: undefined };
  if (s?.waiting) return { kind: 'waiting', reason: s.waiting.reason, exitCode: undefined };
  if (s?.terminated) return { kind: 'terminated', reason: s.terminated.reason, exitCode: s.terminated.exitCode };
  return { kind: 'unknown', reason: undefined, exitCode: undefined };
}

function wantStatus(s: KContainerStatus): unknown {
  const last = s.lastState?.terminated;
  return {
    name: s.name,
    ready: s.ready,
    restartCount: s.restartCount,
    state: wantState(s.state),
    lastTermination: last ? { reason: last.reason, exitCode: last.exitCode } : undefined,
  };
}

const wantConditions = (cs: KCondition[] | undefined): unknown => (cs ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason }));

export function wantPod(p: KPod, kube: KubeSnapshot): unknown {
  return {
    uid: p.metadata.uid,
    namespace: p.metadata.namespace,
    name: p.metadata.name,
    node: p.spec.nodeName,
    phase: p.status.phase,
    qosClass: p.status.qosClass,
    labels: p.metadata.labels ?? {},
    createdAtMs: p.metadata.creationTimestamp === undefined ? undefined : Date.parse(p.metadata.creationTimestamp),
    conditions: wantConditions(p.status.conditions),
    containers: p.spec.containers.map(wantContainer),
    initContainers: (p.spec.initContainers ?? []).map(wantContainer),
    containerStatuses: (p.status.containerStatuses ?? []).map(wantStatus),
    initContainerStatuses: (p.status.initContainerStatuses ?? []).map(wantStatus),
    workload: { ...workloadOfPod(p, kube.workloads), resolved: true },
  };
}

function wantNodeResources(list: Record<string, string> | undefined): unknown {
  return { cpu: quantity(list?.cpu, 3), memory: quantity(list?.memory), pods: quantity(list?.pods), ephemeral: quantity(list?.['ephemeral-storage']) };
}

export function wantNode(n: KNode): unknown {
  const labels = n.metadata.labels ?? {};
  return {
    uid: n.metadata.uid,
    name: n.metadata.name,
    labels,
    unschedulable: n.spec.unschedulable ?? false,
    taints: (n.spec.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    capacity: wantNodeResources(n.status.capacity),
    allocatable: wantNodeResources(n.status.allocatable),
    conditions: wantConditions(n.status.conditions),
    zone: labels['topology.kubernetes.io/zone'],
    instanceType: labels['node.kubernetes.io/instance-type'],
    roles: nodeRoles(labels),
    kubeletVersion: n.status.nodeInfo?.kubeletVersion,
    internalIP: n.status.addresses?.find((a) => a.type === 'InternalIP')?.address,
  };
}

const int = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Desired and ready replicas (and the other counts the monitor keeps) of one controller. */
export function wantWorkload(w: KObject): unknown {
  const spec = w.spec ?? {};
  const st = w.status ?? {};
  const base = { uid: w.metadata.uid, labels: w.metadata.labels ?? {} };
  // The API server defaults an omitted spec.replicas to 1; the simulator stores objects created with kubectl as sent.
  const desired = spec.replicas ?? 1;
  switch (w.kind) {
    case 'Deployment':
    case 'ReplicaSet':
      return { ...base, desired, ready: int(st.readyReplicas), available: int(st.availableReplicas), updated: int(st.updatedReplicas) };
    case 'StatefulSet':
      return { ...base, desired, ready: int(st.readyReplicas), current: int(st.currentReplicas), updated: int(st.updatedReplicas) };
    case 'DaemonSet':
      return { ...base, desired: int(st.desiredNumberScheduled), ready: int(st.numberReady), available: int(st.numberAvailable), misscheduled: int(st.numberMisscheduled) };
    case 'Job':
      return { ...base, completions: spec.completions, parallelism: spec.parallelism, active: int(st.active), succeeded: int(st.succeeded), failed: int(st.failed) };
    case 'CronJob':
      return { ...base, schedule: spec.schedule, suspend: spec.suspend ?? false, active: Array.isArray(st.active) ? st.active.length : 0 };
    default:
      throw new Error(`unexpected kind ${w.kind}`);
  }
}

