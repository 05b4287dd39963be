// SPDX-License-Identifier: Apache-2.0
// The status of a pod for each planned state, and what to do once the pod exists (events, runtime scripts).
// Healthy pods started at the same moment share their conditions and running state objects.
import type { Condition, ContainerState, Pod, PodStatus } from '../kube-types.ts';
import type { PodPlan, PodState } from './plan.ts';
import type { PodOwnerInfo } from './built-types.ts';
import type { PodSink } from './build-context.ts';
import type { NodeRecord } from './node-record.ts';
import { POD_FAILURES, isPodFailureMode } from './failures/registry.ts';
import { unschedulableStatus, recordUnschedulable } from './failures/pending.ts';
import { evictedStatus, recordEviction } from './failures/evicted.ts';
import { completedInitStatuses, containerStatus, newContainerId, readyConditions, terminalConditions, terminated } from './pod-status.ts';
import { iso } from './time.ts';
import { HOUR_MS } from '../../../domain/time.ts';

export interface BuiltStatus {
  status: PodStatus;
  creationTimestamp: string;
  after?: (pod: Pod) => void;
}

interface HealthyProto {
  created: string;
  conditions: Condition[];
  state: ContainerState;
  startTime: string;
  initStart: string;
  initEnd: string;
}

const protos = new Map<number, HealthyProto>();

/** Shared pieces of the status of every healthy pod created at `createdMs`. */
function healthyProto(createdMs: number): HealthyProto {
  let p = protos.get(createdMs);
  if (!p) {
    if (protos.size > 50_000) protos.clear();
    const t = { scheduled: iso(createdMs), sandboxReady: iso(createdMs + 2000), initialized: iso(createdMs + 3000), ready: iso(createdMs + 6000) };
    p = { created: t.scheduled, conditions: readyConditions(t), state: { running: { startedAt: iso(createdMs + 4000) } }, startTime: iso(createdMs + 1000), initStart: iso(createdMs + 2000), initEnd: iso(createdMs + 3000) };
    protos.set(createdMs, p);
  }
  return p;
}

function placedStatus(plan: PodPlan, node: NodeRecord, phase: PodStatus['phase']): PodStatus {
  const podIP = plan.podIP ?? '';
  const s: PodStatus = { phase };
  s.observedGeneration = 1;
  s.hostIP = node.internalIP;
  s.hostIPs = node.hostIPs;
  s.podIP = podIP;
  s.podIPs = [{ ip: podIP }];
  return s;
}

/** A running, ready pod. */
export function healthyStatus(owner: PodOwnerInfo, plan: PodPlan, sink: Pick<PodSink, 'rng'>): PodStatus {
  const node = plan.node as NodeRecord;
  const p = healthyProto(plan.createdMs);
  const s = placedStatus(plan, node, 'Running');
  s.conditions = p.conditions;
  s.startTime = p.startTime;
  if (owner.rt.initContainers.length) s.initContainerStatuses = completedInitStatuses(owner.rt.initContainers, { start: p.initStart, end: p.initEnd }, sink.rng);
  s.containerStatuses = owner.rt.containers.map((c) => containerStatus(c, { state: p.state, ready: true, started: true, containerID: newContainerId(sink.rng) }));
  s.qosClass = owner.rt.qosClass;
  return s;
}

/** A Job pod that ran to completion (Succeeded) or failed (Failed, exit code of the failure). */
function finishedJobStatus(owner: PodOwnerInfo, plan: PodPlan, o: { sink: PodSink; succeeded: boolean }): PodStatus {
  const { sink, succeeded } = o;
  const node = plan.node as NodeRecord;
  const start = plan.createdMs + 4000;
  const end = plan.endedMs ?? start + 60_000;
  const s = placedStatus(plan, node, succeeded ? 'Succeeded' : 'Failed');
  const times = { scheduled: iso(plan.createdMs), sandboxReady: iso(plan.createdMs + 2000), initialized: iso(plan.createdMs + 3000), ready: iso(end) };
  s.conditions = terminalConditions(times, succeeded ? 'PodCompleted' : 'PodFailed');
  s.startTime = iso(plan.createdMs + 1000);
  const f = owner.rt.failure;
  const exitCode = f && 'exitCode' in f ? f.exitCode : 1;
  s.containerStatuses = owner.rt.containers.map((c) => {
    const id = newContainerId(sink.rng);
    const state = succeeded ? terminated('Completed', 0, { startedAt: iso(start), finishedAt: iso(end), containerID: id }) : terminated('Error', exitCode, { startedAt: iso(start), finishedAt: iso(end), containerID: id });
    return containerStatus(c, { state, ready: false, started: false, containerID: id });
  });
  s.qosClass = owner.rt.qosClass;
  return s;
}

type StateBuilder = (owner: PodOwnerInfo, plan: PodPlan, sink: PodSink) => BuiltStatus;

function failureState(owner: PodOwnerInfo, plan: PodPlan, sink: PodSink): BuiltStatus {
  const spec = owner.rt.failure;
  if (!spec || !isPodFailureMode(spec.mode) || !plan.node) return { status: healthyStatus(owner, plan, sink), creationTimestamp: iso(plan.createdMs) };
  const mod = POD_FAILURES[spec.mode];
  const input = { rt: owner.rt, spec, namespace: owner.namespace, name: plan.name, node: plan.node, podIP: plan.podIP ?? '', createdMs: plan.createdMs, nowMs: sink.nowMs, rng: sink.rng };
  return {
    status: mod.status(input),
    creationTimestamp: iso(plan.createdMs),
    after: (pod) => mod.afterCreate({ pod, input, recorder: sink.recorder, store: sink.store, scripts: sink.scripts }),
  };
}

function evictedState(owner: PodOwnerInfo, plan: PodPlan, sink: PodSink): BuiltStatus {
  const f = owner.rt.template.failure;
  const input = { rt: owner.rt, node: plan.node as NodeRecord, podIP: plan.podIP ?? '', createdMs: plan.createdMs, evictedMs: plan.endedMs ?? sink.nowMs, resource: f?.mode === 'evicted' ? f.resource : ('memory' as const), rng: sink.rng };
  const built = evictedStatus(input);
  const recent = sink.nowMs - input.evictedMs < HOUR_MS;
  return { status: built.status, creationTimestamp: iso(plan.createdMs), ...(recent ? { after: (pod: Pod) => recordEviction(sink.recorder, pod, { input, message: built.message }) } : {}) };
}

const BUILDERS: Record<PodState, StateBuilder> = {
  running: (owner, plan, sink) => ({ status: healthyStatus(owner, plan, sink), creationTimestamp: healthyProto(plan.createdMs).created }),
  failure: failureState,
  unschedulable: (owner, plan, sink) => ({
    status: unschedulableStatus(plan.message ?? '', plan.createdMs, owner.rt.qosClass),
    creationTimestamp: iso(plan.createdMs),
    after: (pod) => recordUnschedulable(sink.recorder, sink.scripts, { pod, message: plan.message ?? '', createdMs: plan.createdMs, nowMs: sink.nowMs }),
  }),
  evicted: evictedState,
  succeeded: (owner, plan, sink) => ({ status: finishedJobStatus(owner, plan, { sink, succeeded: true }), creationTimestamp: iso(plan.createdMs) }),
  'job-failed': (owner, plan, sink) => ({ status: finishedJobStatus(owner, plan, { sink, succeeded: false }), creationTimestamp: iso(plan.createdMs) }),
};

/** Status, creation timestamp and post-create hook of a planned pod. */
export function podStatusFor(owner: PodOwnerInfo, plan: PodPlan, sink: PodSink): BuiltStatus {
  return BUILDERS[plan.state](owner, plan, sink);
}
