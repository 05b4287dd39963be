// SPDX-License-Identifier: Apache-2.0
// Scripted node conditions over time. Switching a condition on patches the Node's conditions and taints and
// records the events a real cluster shows (NodeNotReady from the node controller, NodeHasInsufficientMemory and
// EvictionThresholdMet from the kubelet). A NotReady node's pods are marked Ready=False ("Node is not ready"), and
// once their 300 s unreachable toleration runs out the taint eviction controller marks them for deletion; with no
// kubelet to confirm, they stay Terminating. Leases of healthy nodes are renewed; a NotReady node's lease goes stale.
import type { Lease, Node, Pod, Taint } from '../kube-types.ts';
import type { ObjectStoreApi } from '../object-store.ts';
import type { EventRecorder } from './events.ts';
import type { NodeConditionRuntimeScript } from './failures/types.ts';
import type { NodeRecord } from './node-record.ts';
import { evictionThresholdEvent, nodeConditionEvent, NODE_MONITOR_GRACE_MS, renderNodeConditions, renderNodeTaints, type NodeConditionKind } from './failures/node-conditions.ts';
import { cond } from './pod-status.ts';
import { iso, isoMicro } from './time.ts';

const TOLERATION_MS = 300_000;
const LEASE_RENEW_MS = 10_000;

interface NodeState {
  rec: NodeRecord;
  baseTaints: readonly Taint[];
  active: Map<NodeConditionKind, number>;
  heartbeatMs: number;
  healthySinceMs: number;
  evicted: boolean;
  leaseMs: number;
}

export interface NodeDriverOptions {
  store: ObjectStoreApi;
  recorder: EventRecorder;
  nodes: readonly NodeRecord[];
  scripts: NodeConditionRuntimeScript[];
  nowMs: number;
  /** Most lease renewals per tick (5,000 kubelets renewing every 10 s is 500 writes per simulated second). */
  leaseBudget?: number;
  /** Called for each pod the taint eviction controller marks for deletion (its controller may replace it). */
  onEvict?: (pod: Pod, atMs: number) => void;
}

export class NodeConditionDriver {
  private readonly states = new Map<string, NodeState>();
  private readonly order: NodeState[] = [];
  private leaseCursor = 0;

  constructor(private readonly o: NodeDriverOptions) {
    for (const rec of o.nodes) {
      const st: NodeState = { rec, baseTaints: rec.taints, active: new Map(), heartbeatMs: o.nowMs, healthySinceMs: rec.createdMs + 30_000, evicted: false, leaseMs: o.nowMs };
      this.states.set(rec.name, st);
      this.order.push(st);
    }
    for (const s of o.scripts) if (s.state === 'active') this.states.get(s.node)?.active.set(s.condition, s.fromMs);
  }

  isNotReady(node: string): boolean {
    return this.states.get(node)?.active.has('NotReady') ?? false;
  }

  tick(nowMs: number): void {
    for (const s of this.o.scripts) {
      if (s.state === 'pending' && s.fromMs <= nowMs) this.switchOn(s);
      else if (s.state === 'active' && s.untilMs !== undefined && s.untilMs <= nowMs) this.switchOff(s);
    }
    for (const st of this.order) if (st.active.has('NotReady') && !st.evicted) this.maybeEvict(st, nowMs);
    this.renewLeases(nowMs);
  }

  private switchOn(s: NodeConditionRuntimeScript): void {
    s.state = 'active';
    const st = this.states.get(s.node);
    if (!st) return;
    st.active.set(s.condition, s.fromMs);
    if (s.condition === 'NotReady') st.heartbeatMs = Math.min(st.heartbeatMs, s.fromMs);
    this.patchNode(st);
    const ev = nodeConditionEvent(s.condition, s.node, true);
    const at = s.condition === 'NotReady' ? s.fromMs + NODE_MONITOR_GRACE_MS : s.fromMs;
    this.nodeEvent(st, { ...ev, atMs: at });
    if (s.condition !== 'NotReady') this.nodeEvent(st, { ...evictionThresholdEvent(s.condition), type: 'Warning', component: 'kubelet', atMs: at + 10_000 });
    else this.markPodsNotReady(st, at);
  }

  private switchOff(s: NodeConditionRuntimeScript): void {
    s.state = 'done';
    const st = this.states.get(s.node);
    if (!st) return;
    st.active.delete(s.condition);
    const at = s.untilMs ?? s.fromMs;
    st.heartbeatMs = at;
    if (st.active.size === 0) st.healthySinceMs = at;
    this.patchNode(st);
    this.nodeEvent(st, { ...nodeConditionEvent(s.condition, s.node, false), atMs: at });
    if (s.condition === 'NotReady') {
      st.evicted = false;
      this.setPodsReady(st, at);
    }
  }

  private patchNode(st: NodeState): void {
    const taints = renderNodeTaints(st.baseTaints, st.active);
    this.o.store.patch<Node>('nodes', undefined, st.rec.name, (d) => {
      d.status.conditions = renderNodeConditions({ active: st.active, heartbeatMs: st.heartbeatMs, healthySinceMs: st.healthySinceMs });
      if (taints.length) d.spec.taints = taints;
      else delete d.spec.taints;
    });
  }

  private nodeEvent(st: NodeState, e: { reason: string; message: string; component: string; type: 'Normal' | 'Warning'; atMs: number }): void {
    const host = e.component === 'kubelet' ? st.rec.name : undefined;
    this.o.recorder.record({ ...e, involved: { apiVersion: 'v1', kind: 'Node', name: st.rec.name, uid: st.rec.uid }, ...(host ? { host } : {}) });
  }

  private podsOn(node: string): Pod[] {
    return this.o.store.list<Pod>('pods').filter((p) => p.spec.nodeName === node && (p.status.phase === 'Running' || p.status.phase === 'Pending'));
  }

  private markPodsNotReady(st: NodeState, atMs: number): void {
    for (const pod of this.podsOn(st.rec.name)) {
      this.o.store.patch<Pod>('pods', pod.metadata.namespace, pod.metadata.name, (d) => {
        d.status.conditions = (d.status.conditions ?? []).map((c) => (c.type === 'Ready' ? cond('Ready', false, iso(atMs)) : c));
      });
      this.o.recorder.record({ involved: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid }, reason: 'NodeNotReady', message: 'Node is not ready', type: 'Warning', component: 'node-controller', atMs });
    }
  }

  private setPodsReady(st: NodeState, atMs: number): void {
    for (const pod of this.podsOn(st.rec.name)) {
      if (pod.metadata.deletionTimestamp) continue;
      const containersReady = pod.status.conditions?.find((c) => c.type === 'ContainersReady')?.status === 'True';
      this.o.store.patch<Pod>('pods', pod.metadata.namespace, pod.metadata.name, (d) => {
        d.status.conditions = (d.status.conditions ?? []).map((c) => (c.type === 'Ready' ? cond('Ready', containersReady, { at: iso(atMs), reason: containersReady ? undefined : 'ContainersNotReady' }) : c));
      });
    }
  }

  /** Taint-based eviction once the unreachable NoExecute toleration (300 s by default) expires. */
  private maybeEvict(st: NodeState, nowMs: number): void {
    const since = (st.active.get('NotReady') ?? nowMs) + NODE_MONITOR_GRACE_MS;
    if (nowMs < since + TOLERATION_MS) return;
    st.evicted = true;
    const at = since + TOLERATION_MS;
    for (const pod of this.podsOn(st.rec.name)) {
      if (pod.metadata.deletionTimestamp || tolerateForever(pod)) continue;
      this.o.store.patch<Pod>('pods', pod.metadata.namespace, pod.metadata.name, (d) => {
        d.metadata.deletionTimestamp = iso(at + 30_000);
        d.metadata.deletionGracePeriodSeconds = 30;
        d.status.conditions = [cond('DisruptionTarget', true, { at: iso(at), reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }), ...(d.status.conditions ?? [])];
      });
      this.o.recorder.record({ involved: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid }, reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`, type: 'Normal', component: 'taint-eviction-controller', atMs: at });
      this.o.onEvict?.(pod, at);
    }
  }

  private renewLeases(nowMs: number): void {
    const budget = this.o.leaseBudget ?? 2000;
    const n = this.order.length;
    for (let done = 0, seen = 0; done < budget && seen < n; seen++) {
      const st = this.order[this.leaseCursor] as NodeState;
      this.leaseCursor = (this.leaseCursor + 1) % n;
      if (st.active.has('NotReady') || nowMs - st.leaseMs < LEASE_RENEW_MS) continue;
      st.leaseMs = nowMs;
      done++;
      this.o.store.patch<Lease>('leases.coordination.k8s.io', 'kube-node-lease', st.rec.name, (d) => {
        d.spec.renewTime = isoMicro(nowMs);
      });
    }
  }
}

function tolerateForever(pod: Pod): boolean {
  const tolerations = (pod.spec.tolerations ?? []) as { key?: string; operator?: string; effect?: string; tolerationSeconds?: number }[];
  return tolerations.some((t) => (t.operator === 'Exists' && !t.key) || (t.key === 'node.kubernetes.io/unreachable' && t.tolerationSeconds === undefined));
}
