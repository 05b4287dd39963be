// SPDX-License-Identifier: Apache-2.0
// Placement of every planned pod. DaemonSet pods come first (one per node their selector and tolerations admit,
// as the DaemonSet controller creates them), then kube-system, then the other namespaces in name order. Pods that
// fit nowhere become Pending with the scheduler's message; terminal pods (evicted, completed) keep the node they
// ran on without holding its resources.
import type { NamespacePlan, PodGroup, PodPlan } from './plan.ts';
import type { NodeRecord } from './node-record.ts';
import { allocatePodIp } from './node-record.ts';
import { releaseFromNode, type Scheduler, type SchedulingRequest } from './scheduler.ts';
import { staticFilterReason } from './node-match.ts';
import { failingCount, podCreatedMs, uniquePodName, type PlanContext } from './plan-helpers.ts';

function requestOf(g: PodGroup): SchedulingRequest {
  const rt = g.rt;
  return {
    cpuMilli: rt.cpuMilli,
    memoryBytes: rt.memoryBytes,
    tolerations: rt.tolerations,
    ...(rt.nodeSelector ? { nodeSelector: rt.nodeSelector } : {}),
    ...(rt.required ? { required: rt.required } : {}),
    traitsKey: rt.traitsKey,
    ...(g.unboundClaims ? { unboundImmediateClaims: true } : {}),
  };
}

interface Placement {
  nodes: readonly NodeRecord[];
  scheduler: Scheduler;
  ctx: PlanContext;
}

function placeDaemonSet(g: PodGroup, pc: Placement): void {
  const { nodes, scheduler, ctx } = pc;
  const req = requestOf(g);
  const eligible = nodes.filter((n) => staticFilterReason(n, req) === undefined);
  const failing = failingCount(g.rt.failure, eligible.length);
  const taken = new Set<string>();
  eligible.forEach((node, i) => {
    const pod: PodPlan = { name: uniquePodName(g.ownerName, taken, ctx.seed), ordinal: -1, state: i < failing ? 'failure' : 'running', createdMs: Math.max(g.createdMs, node.createdMs + 60_000) };
    if (pod.state === 'failure') pod.createdMs = podCreatedMs(g, 'failure', ctx);
    const placed = scheduler.bindTo(node, req);
    if (placed.node) {
      pod.node = node;
      pod.podIP = allocatePodIp(node);
    } else {
      pod.state = 'unschedulable';
      pod.message = placed.message;
    }
    g.pods.push(pod);
  });
  g.desired = eligible.length;
}

function placeTerminal(pod: PodPlan, req: SchedulingRequest, pc: Placement): void {
  const { scheduler, nodes } = pc;
  const placed = scheduler.schedule({ ...req, unboundImmediateClaims: false });
  const node = placed.node ?? nodes[pod.name.length % nodes.length];
  if (placed.node) releaseFromNode(placed.node, req);
  if (!node) return;
  pod.node = node;
  pod.podIP = allocatePodIp(node);
}

function placeGroup(g: PodGroup, pc: Placement): void {
  const { scheduler, ctx } = pc;
  const req = requestOf(g);
  for (const pod of g.pods) {
    if (pod.state !== 'running' && pod.state !== 'failure') {
      placeTerminal(pod, req, pc);
      continue;
    }
    const placed = scheduler.schedule(req);
    if (placed.node) {
      pod.node = placed.node;
      pod.podIP = allocatePodIp(placed.node);
      continue;
    }
    pod.state = 'unschedulable';
    pod.message = placed.message;
    pod.createdMs = Math.max(g.workload.createdMs, podCreatedMs(g, 'unschedulable', ctx));
  }
}

function groupsOf(namespaces: readonly NamespacePlan[], pick: (ns: NamespacePlan, g: PodGroup) => boolean): PodGroup[] {
  return namespaces.flatMap((ns) => ns.workloads.flatMap((w) => w.groups.filter((g) => pick(ns, g))));
}

/** Places every planned pod (mutates the plans: node, podIP, state, message). */
export function placePods(namespaces: readonly NamespacePlan[], pc: Placement): void {
  for (const g of groupsOf(namespaces, (_ns, g) => g.ownerKind === 'DaemonSet')) placeDaemonSet(g, pc);
  const isDs = (g: PodGroup): boolean => g.ownerKind === 'DaemonSet';
  for (const g of groupsOf(namespaces, (ns, g) => ns.name === 'kube-system' && !isDs(g))) placeGroup(g, pc);
  for (const g of groupsOf(namespaces, (ns, g) => ns.name !== 'kube-system' && !isDs(g))) placeGroup(g, pc);
}
