// SPDX-License-Identifier: Apache-2.0
// Pod churn: at the configured rate, a pod of a churn-enabled ReplicaSet is deleted and its ReplicaSet creates a
// replacement with a new generated name on the same node. The replacement goes through the states a watcher sees
// on a real cluster: created Pending with its container waiting in ContainerCreating, then Running and Ready a few
// seconds later, with Scheduled, Pulled, Created and Started events.
import type { Pod } from '../kube-types.ts';
import type { ChurnGroup, PodOwnerInfo, RunningContainer } from './built-types.ts';
import type { PodSink } from './build-context.ts';
import type { PodPlan } from './plan.ts';
import type { ContainerDriverEnv } from './dynamics-containers.ts';
import type { LogProfileIndex } from './log-index.ts';
import { allocatePodIp, type NodeRecord } from './node-record.ts';
import { staticFilterReason } from './node-match.ts';
import { podObject } from './build-pods.ts';
import { healthyStatus } from './pod-states.ts';
import { cond, containerStatus, notReadyConditions } from './pod-status.ts';
import { containerRef } from './events.ts';
import { iso } from './time.ts';

export interface ChurnEnv extends ContainerDriverEnv {
  logs: LogProfileIndex;
  usage?: ContainerDriverEnv['usage'] & { addContainer(c: RunningContainer): void; removePod(namespace: string, pod: string): boolean };
  emitEvents: boolean;
  nodes: readonly NodeRecord[];
  isNotReady(node: string): boolean;
}

/** A Ready node the pod may run on (static filters only), rotating through the nodes. */
export function pickReadyNode(env: ChurnEnv, rt: PodOwnerInfo['rt'], cursor: number): NodeRecord | undefined {
  const n = env.nodes.length;
  for (let i = 0; i < n; i++) {
    const node = env.nodes[(cursor + i) % n] as NodeRecord;
    if (!env.isNotReady(node.name) && staticFilterReason(node, rt) === undefined) return node;
  }
  return undefined;
}

interface Starting {
  owner: PodOwnerInfo;
  plan: PodPlan;
  startAtMs: number;
}

const START_DELAY_MS = 3000;

function ownerOf(g: ChurnGroup): PodOwnerInfo {
  return { namespace: g.namespace, rt: g.rt, labels: g.labels, ...(g.ownerRefs ? { ownerRefs: g.ownerRefs } : {}), ownerKind: 'ReplicaSet', ownerName: g.ownerName };
}

export class ChurnDriver {
  private carry = 0;
  private groupCursor = 0;
  private readonly podCursor: number[];
  private readonly starting: Starting[] = [];
  private readonly byOwner = new Map<string, ChurnGroup>();
  private lastMs: number;
  /** Pods deleted and created so far. */
  deleted = 0;
  created = 0;

  constructor(
    private readonly env: ChurnEnv,
    private readonly groups: ChurnGroup[],
    private readonly o: { podsPerSecond: number; startMs: number },
  ) {
    this.podCursor = groups.map(() => 0);
    this.lastMs = o.startMs;
    for (const g of groups) this.byOwner.set(`${g.namespace}/${g.ownerName}`, g);
  }

  tick(nowMs: number): void {
    this.promote(nowMs);
    if (nowMs <= this.lastMs) return;
    this.carry += ((nowMs - this.lastMs) / 1000) * this.o.podsPerSecond;
    this.lastMs = nowMs;
    const candidates = this.groups.filter((g) => g.pods.length > 0).length;
    for (; this.carry >= 1 && candidates > 0; this.carry--) this.churnOne(nowMs);
    if (candidates === 0) this.carry = 0;
  }

  private nextGroup(): number {
    for (let i = 0; i < this.groups.length; i++) {
      const gi = this.groupCursor++ % this.groups.length;
      if ((this.groups[gi]?.pods.length ?? 0) > 0) return gi;
    }
    return -1;
  }

  private churnOne(nowMs: number): void {
    const gi = this.nextGroup();
    const g = this.groups[gi];
    if (!g) return;
    const pi = (this.podCursor[gi] = ((this.podCursor[gi] ?? 0) + 1) % g.pods.length);
    const victim = g.pods[pi];
    if (!victim) return;
    this.deletePod(g, victim.name, nowMs);
    // The replacement lands on the same node unless that node is down.
    const node = this.env.isNotReady(victim.node.name) ? pickReadyNode(this.env, g.rt, this.created) : victim.node;
    if (!node) return;
    const name = this.newName(g);
    const podIP = allocatePodIp(node);
    g.pods[pi] = { name, node, podIP };
    this.createPending(ownerOf(g), { name, ordinal: -1, state: 'running', createdMs: nowMs, node, podIP }, nowMs);
  }

  /**
   * The ReplicaSet replaces a pod marked for deletion with a new pod on a Ready node; a churn-enabled group then
   * churns the replacement instead of the old pod. Returns the new pod's name.
   */
  replace(owner: PodOwnerInfo, old: string, nowMs: number): string | undefined {
    const node = pickReadyNode(this.env, owner.rt, this.created);
    if (!node) return undefined;
    const name = this.newName(owner);
    const podIP = allocatePodIp(node);
    this.createPending(owner, { name, ordinal: -1, state: 'running', createdMs: nowMs, node, podIP }, nowMs);
    const group = this.byOwner.get(`${owner.namespace}/${owner.ownerName}`);
    const i = group ? group.pods.findIndex((p) => p.name === old) : -1;
    if (group && i >= 0) group.pods[i] = { name, node, podIP };
    return name;
  }

  private newName(g: { namespace: string; ownerName: string }): string {
    for (;;) {
      const name = `${g.ownerName}-${this.env.rng.suffix()}`;
      if (!this.env.store.get('pods', g.namespace, name)) return name;
    }
  }

  private deletePod(g: ChurnGroup, name: string, nowMs: number): void {
    const pod = this.env.store.get<Pod>('pods', g.namespace, name);
    if (this.env.emitEvents && pod) {
      for (const c of g.rt.containers) this.env.recorder.record({ involved: containerRef(pod, c.name), reason: 'Killing', message: `Stopping container ${c.name}`, type: 'Normal', component: 'kubelet', host: pod.spec.nodeName ?? '', atMs: nowMs });
    }
    this.env.store.delete('pods', g.namespace, name);
    this.env.usage?.removePod(g.namespace, name);
    this.env.logs.delete(g.namespace, name);
    this.deleted++;
  }

  private createPending(owner: PodOwnerInfo, plan: PodPlan, nowMs: number): void {
    const node = plan.node;
    if (!node) return;
    const status: Pod['status'] = {
      phase: 'Pending',
      observedGeneration: 1,
      conditions: [cond('PodReadyToStartContainers', false, iso(nowMs)), ...notReadyConditions({ scheduled: iso(nowMs), sandboxReady: iso(nowMs), initialized: iso(nowMs), ready: iso(nowMs) }, owner.rt.containers.map((c) => c.name)).slice(1)],
      hostIP: node.internalIP,
      hostIPs: node.hostIPs,
      startTime: iso(nowMs),
      containerStatuses: owner.rt.containers.map((c) => containerStatus(c, { state: { waiting: { reason: 'ContainerCreating' } }, ready: false, started: false, notPulled: true })),
      qosClass: owner.rt.qosClass,
    };
    const pod = this.env.store.create(podObject(owner, plan, { status, creationTimestamp: iso(nowMs) }));
    this.created++;
    if (this.env.emitEvents) {
      this.env.recorder.record({ involved: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: owner.namespace, uid: pod.metadata.uid }, reason: 'Scheduled', message: `Successfully assigned ${owner.namespace}/${plan.name} to ${node.name}`, type: 'Normal', component: 'default-scheduler', atMs: nowMs });
    }
    this.starting.push({ owner, plan, startAtMs: nowMs + START_DELAY_MS });
  }

  /** Replacement pods whose containers have started become Running and Ready. */
  private promote(nowMs: number): void {
    let keep = 0;
    for (const s of this.starting) {
      if (s.startAtMs > nowMs) {
        this.starting[keep++] = s;
        continue;
      }
      this.start(s);
    }
    this.starting.length = keep;
  }

  private start(s: Starting): void {
    const sink: Pick<PodSink, 'rng'> = { rng: this.env.rng };
    const plan = { ...s.plan, createdMs: s.startAtMs - 4000 };
    const status = healthyStatus(s.owner, plan, sink);
    const pod = this.env.store.patch<Pod>('pods', s.owner.namespace, plan.name, (d) => {
      d.status = { ...status, startTime: d.status.startTime };
    });
    if (!pod) return;
    this.env.logs.set(s.owner.namespace, plan.name, { containers: s.owner.rt.containers.map((c) => c.name), profiles: s.owner.rt.containers.map((c) => c.logs) });
    for (const c of s.owner.rt.containers) {
      this.env.usage?.addContainer({ namespace: s.owner.namespace, pod: plan.name, container: c.name, node: plan.node?.name ?? '', profile: c.usage, requests: c.requests, limits: c.limits, startedAtMs: s.startAtMs, logProfile: c.logs });
      if (!this.env.emitEvents) continue;
      const base = { involved: containerRef(pod, c.name), type: 'Normal' as const, component: 'kubelet', host: plan.node?.name ?? '' };
      this.env.recorder.record({ ...base, reason: 'Pulled', message: `Container image "${c.spec.image}" already present on machine`, atMs: s.startAtMs - 500 });
      this.env.recorder.record({ ...base, reason: 'Created', message: `Created container: ${c.name}`, atMs: s.startAtMs - 200 });
      this.env.recorder.record({ ...base, reason: 'Started', message: `Started container ${c.name}`, atMs: s.startAtMs });
    }
  }
}

