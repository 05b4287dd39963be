// SPDX-License-Identifier: Apache-2.0
// Node conditions as the kubelet and the node lifecycle controller write them. A pressure condition is set by the
// kubelet (status True, Kubelet* reason) and mirrored as a NoSchedule taint (TaintNodesByCondition). A node whose
// kubelet stops posting status is marked by the node lifecycle controller after the 40 s grace period: every
// condition becomes Unknown with reason NodeStatusUnknown and the unreachable taints are added (NoSchedule, and
// NoExecute which evicts pods after their 300 s toleration).
import type { Condition, Taint } from '../../kube-types.ts';
import { iso } from '../time.ts';

export type NodeConditionKind = 'NotReady' | 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';
type PressureKind = Exclude<NodeConditionKind, 'NotReady'>;

interface ConditionText {
  reason: string;
  message: string;
}

const HEALTHY: Record<PressureKind | 'Ready', ConditionText> = {
  MemoryPressure: { reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  DiskPressure: { reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  PIDPressure: { reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  Ready: { reason: 'KubeletReady', message: 'kubelet is posting ready status' },
};

const PRESSURE: Record<PressureKind, ConditionText & { taint: string; event: string }> = {
  MemoryPressure: { reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available', taint: 'node.kubernetes.io/memory-pressure', event: 'NodeHasInsufficientMemory' },
  DiskPressure: { reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', taint: 'node.kubernetes.io/disk-pressure', event: 'NodeHasDiskPressure' },
  PIDPressure: { reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available', taint: 'node.kubernetes.io/pid-pressure', event: 'NodeHasInsufficientPID' },
};

export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
/** The node lifecycle controller's grace period before it marks a silent node (node-monitor-grace-period). */
export const NODE_MONITOR_GRACE_MS = 40_000;

const PRESSURE_KINDS: readonly PressureKind[] = ['MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** Active scripted conditions of one node: kind → since when (epoch ms). */
export type ActiveConditions = ReadonlyMap<NodeConditionKind, number>;

export interface NodeConditionInput {
  active: ActiveConditions;
  /** Last time the kubelet posted status (frozen while NotReady). */
  heartbeatMs: number;
  /** When the healthy state began (node registration, or the last recovery). */
  healthySinceMs: number;
}

function pressureCondition(kind: PressureKind, input: NodeConditionInput): Condition {
  const since = input.active.get(kind);
  const text = since === undefined ? HEALTHY[kind] : PRESSURE[kind];
  return {
    type: kind,
    status: since === undefined ? 'False' : 'True',
    lastHeartbeatTime: iso(input.heartbeatMs),
    lastTransitionTime: iso(since ?? input.healthySinceMs),
    reason: text.reason,
    message: text.message,
  };
}

function unknownCondition(type: string, heartbeatMs: number, sinceMs: number): Condition {
  return {
    type,
    status: 'Unknown',
    lastHeartbeatTime: iso(heartbeatMs),
    lastTransitionTime: iso(sinceMs + NODE_MONITOR_GRACE_MS),
    reason: 'NodeStatusUnknown',
    message: 'Kubelet stopped posting node status.',
  };
}

/** The four conditions a kubelet reports, in the kubelet's order (MemoryPressure, DiskPressure, PIDPressure, Ready). */
export function renderNodeConditions(input: NodeConditionInput): Condition[] {
  const notReadySince = input.active.get('NotReady');
  if (notReadySince !== undefined) {
    return [...PRESSURE_KINDS, 'Ready'].map((t) => unknownCondition(t, input.heartbeatMs, notReadySince));
  }
  const ready: Condition = {
    type: 'Ready',
    status: 'True',
    lastHeartbeatTime: iso(input.heartbeatMs),
    lastTransitionTime: iso(input.healthySinceMs),
    reason: HEALTHY.Ready.reason,
    message: HEALTHY.Ready.message,
  };
  return [...PRESSURE_KINDS.map((k) => pressureCondition(k, input)), ready];
}

/** The node's own taints plus the ones its conditions add. */
export function renderNodeTaints(base: readonly Taint[], active: ActiveConditions): Taint[] {
  const out = [...base];
  for (const kind of PRESSURE_KINDS) {
    if (active.has(kind) && !active.has('NotReady')) out.push({ key: PRESSURE[kind].taint, effect: 'NoSchedule', timeAdded: iso(active.get(kind) as number) });
  }
  const since = active.get('NotReady');
  if (since !== undefined) {
    const timeAdded = iso(since + NODE_MONITOR_GRACE_MS);
    out.push({ key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded }, { key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded });
  }
  return out;
}

/** The event a condition change produces on the Node: reason, message, reporting component. */
export function nodeConditionEvent(kind: NodeConditionKind, node: string, on: boolean): { reason: string; message: string; component: string; type: 'Normal' | 'Warning' } {
  if (kind === 'NotReady') {
    const reason = on ? 'NodeNotReady' : 'NodeReady';
    return { reason, message: `Node ${node} status is now: ${reason}`, component: on ? 'node-controller' : 'kubelet', type: 'Normal' };
  }
  const reason = on ? PRESSURE[kind].event : HEALTHY[kind].reason.replace('Kubelet', 'Node');
  return { reason, message: `Node ${node} status is now: ${reason}`, component: 'kubelet', type: 'Normal' };
}

/** The eviction manager's warning while a pressure condition holds. */
export function evictionThresholdEvent(kind: PressureKind): { reason: string; message: string } {
  const resource = kind === 'MemoryPressure' ? 'memory' : kind === 'DiskPressure' ? 'ephemeral-storage' : 'pids';
  return { reason: 'EvictionThresholdMet', message: `Attempting to reclaim ${resource}` };
}
