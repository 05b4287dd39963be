// SPDX-License-Identifier: Apache-2.0
// What a failure mode contributes: the failing pod's creation time and status at build time, its events once the
// pod exists, and the script the runtime keeps playing (restarts, repeated probe failures, repeated warnings).
import type { ContainerStatus, Pod, PodStatus } from '../../kube-types.ts';
import type { ObjectStoreApi } from '../../object-store.ts';
import type { EventInput, EventRecorder } from '../events.ts';
import type { NodeRecord } from '../node-record.ts';
import type { ResolvedTemplate } from '../pod-template.ts';
import type { Rng } from '../rng.ts';
import type { FailureSpec } from '../schema-workload.ts';
import type { NodeConditionKind } from './node-conditions.ts';
import { completedInitStatuses, containerStatus, newContainerId, type ConditionTimes } from '../pod-status.ts';
import { iso } from '../time.ts';

/** A warning (or normal event) that keeps recurring every `periodMs` while the failure lasts. */
export interface RecurringEventScript {
  kind: 'recurring-event';
  event: EventInput;
  periodMs: number;
  lastMs: number;
}

/** Identity of a failing container for runtime scripts. */
export interface ContainerTarget {
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  containerIndex: number;
  node: string;
  image: string;
}

/** A container in CrashLoopBackOff: restarts after each back-off (10 s doubling to 5 min), crashes after runMs. */
export interface CrashLoopScript extends ContainerTarget {
  kind: 'crashloop';
  exitCode: number;
  restartCount: number;
  phase: 'waiting' | 'running';
  /** When the next transition (restart while waiting, crash while running) happens. */
  nextAtMs: number;
  runMs: number;
}

/** A container whose liveness probe starts failing `cycleMs` after each start; the kubelet kills and restarts it. */
export interface LivenessScript extends ContainerTarget {
  kind: 'liveness';
  statusCode: number;
  failureThreshold: number;
  restartCount: number;
  cycleMs: number;
  nextAtMs: number;
}

/** A node condition switching on at fromMs and off at untilMs. */
export interface NodeConditionRuntimeScript {
  kind: 'node-condition';
  node: string;
  condition: NodeConditionKind;
  fromMs: number;
  untilMs?: number;
  state: 'pending' | 'active' | 'done';
}

export type FailureScript = RecurringEventScript | CrashLoopScript | LivenessScript | NodeConditionRuntimeScript;

/** Everything a failure mode needs to shape one pod. */
export interface FailurePodInput {
  rt: ResolvedTemplate;
  spec: FailureSpec;
  namespace: string;
  name: string;
  node: NodeRecord;
  podIP: string;
  createdMs: number;
  nowMs: number;
  rng: Rng;
}

export interface FailureAfterCreate {
  pod: Pod;
  input: FailurePodInput;
  recorder: EventRecorder;
  store: ObjectStoreApi;
  scripts: FailureScript[];
}

export interface PodFailureModule {
  /** When the failing pod was created, so that restart counts and event counts are consistent with its age. */
  createdMs(spec: FailureSpec, nowMs: number, rng: Rng): number;
  status(input: FailurePodInput): PodStatus;
  afterCreate(ctx: FailureAfterCreate): void;
}

/** Milestones of a pod's start-up: scheduled, sandbox ready, init done, containers started, ready. */
export function startupTimes(createdMs: number): { times: ConditionTimes; startedMs: number } {
  const t: ConditionTimes = { scheduled: iso(createdMs), sandboxReady: iso(createdMs + 2000), initialized: iso(createdMs + 3000), ready: iso(createdMs + 6000) };
  return { times: t, startedMs: createdMs + 4000 };
}

/** Status of the containers other than the failing one: running and ready since start-up. */
export function healthySiblings(input: FailurePodInput, failing: ContainerStatus, startedMs: number): ContainerStatus[] {
  const startedAt = iso(startedMs);
  return input.rt.containers.map((c, i) =>
    i === input.rt.failingContainer ? failing : containerStatus(c, { state: { running: { startedAt } }, ready: true, started: true, containerID: newContainerId(input.rng) }),
  );
}

/** Assembles a pod status in the Go field order. */
export function podStatusOf(input: FailurePodInput, parts: Pick<PodStatus, 'phase' | 'conditions' | 'containerStatuses'> & { reason?: string; message?: string; startedMs: number }): PodStatus {
  const s: PodStatus = { phase: parts.phase };
  s.observedGeneration = 1;
  s.conditions = parts.conditions;
  if (parts.message !== undefined) s.message = parts.message;
  if (parts.reason !== undefined) s.reason = parts.reason;
  s.hostIP = input.node.internalIP;
  s.hostIPs = input.node.hostIPs;
  s.podIP = input.podIP;
  s.podIPs = [{ ip: input.podIP }];
  s.startTime = iso(input.createdMs + 1000);
  if (input.rt.initContainers.length) s.initContainerStatuses = completedInitStatuses(input.rt.initContainers, { start: iso(input.createdMs + 2000), end: iso(parts.startedMs - 1000) }, input.rng);
  s.containerStatuses = parts.containerStatuses;
  s.qosClass = input.rt.qosClass;
  return s;
}

/** The failing container's resolved entry. */
export function failingContainerOf(input: FailurePodInput): ResolvedTemplate['containers'][number] {
  return input.rt.containers[input.rt.failingContainer] as ResolvedTemplate['containers'][number];
}

/** The scheduler's assignment event, kept while the pod is younger than the event TTL. */
export function scheduledEvent(ctx: FailureAfterCreate): void {
  const { pod, input } = ctx;
  if (input.nowMs - input.createdMs > 3_600_000) return;
  ctx.recorder.record({
    involved: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: input.namespace, uid: pod.metadata.uid },
    reason: 'Scheduled',
    message: `Successfully assigned ${input.namespace}/${pod.metadata.name} to ${input.node.name}`,
    type: 'Normal',
    component: 'default-scheduler',
    atMs: input.createdMs,
  });
}

/** Target identity for runtime scripts. */
export function targetOf(ctx: FailureAfterCreate): ContainerTarget {
  const c = failingContainerOf(ctx.input);
  return {
    namespace: ctx.input.namespace,
    pod: ctx.pod.metadata.name,
    podUid: ctx.pod.metadata.uid ?? '',
    container: c.name,
    containerIndex: ctx.input.rt.failingContainer,
    node: ctx.input.node.name,
    image: c.spec.image,
  };
}
