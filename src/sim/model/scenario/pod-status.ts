// SPDX-License-Identifier: Apache-2.0
// Pod status as the kubelet writes it (1.35): conditions in the kubelet's order (PodReadyToStartContainers,
// Initialized, Ready, ContainersReady, PodScheduled) with observedGeneration, container statuses with state,
// lastState, restartCount, containerID and imageID, and the QoS class. Healthy pods of one rollout share their
// conditions and container-status prototypes; only container IDs and IPs are per pod.
import type { Condition, ContainerState, ContainerStatus } from '../kube-types.ts';
import type { ResolvedContainer } from './containers.ts';
import type { Rng } from './rng.ts';

export const EMPTY_STATE: ContainerState = Object.freeze({}) as ContainerState;

export interface ConditionDetail {
  at: string;
  reason?: string | undefined;
  message?: string | undefined;
}

/** One pod condition as the kubelet / scheduler writes it; `at` is the transition time (or a detail object). */
export function cond(type: string, ok: boolean | 'Unknown', at: string | ConditionDetail): Condition {
  const d = typeof at === 'string' ? { at } : at;
  const c: Condition = { lastProbeTime: null, lastTransitionTime: d.at, status: ok === 'Unknown' ? 'Unknown' : ok ? 'True' : 'False', type };
  if (d.message !== undefined) c.message = d.message;
  if (d.reason !== undefined) c.reason = d.reason;
  c.observedGeneration = 1;
  return c;
}

export interface ConditionTimes {
  scheduled: string;
  initialized: string;
  sandboxReady: string;
  ready: string;
}

/** Conditions of a pod whose containers all run and pass readiness. */
export function readyConditions(t: ConditionTimes): Condition[] {
  return [
    cond('PodReadyToStartContainers', true, t.sandboxReady),
    cond('Initialized', true, t.initialized),
    cond('Ready', true, t.ready),
    cond('ContainersReady', true, t.ready),
    cond('PodScheduled', true, t.scheduled),
  ];
}

/** Conditions of a scheduled pod with unready containers (crash loop, failing readiness, image pull). */
export function notReadyConditions(t: ConditionTimes, unready: readonly string[], sandboxReady = true): Condition[] {
  const message = `containers with unready status: [${unready.join(' ')}]`;
  return [
    cond('PodReadyToStartContainers', sandboxReady, t.sandboxReady),
    cond('Initialized', true, t.initialized),
    cond('Ready', false, { at: t.ready, reason: 'ContainersNotReady', message: message }),
    cond('ContainersReady', false, { at: t.ready, reason: 'ContainersNotReady', message: message }),
    cond('PodScheduled', true, t.scheduled),
  ];
}

/** Conditions of a pod whose containers all terminated (Succeeded: PodCompleted, Failed: PodFailed). */
export function terminalConditions(t: ConditionTimes, reason: 'PodCompleted' | 'PodFailed'): Condition[] {
  return [
    cond('PodReadyToStartContainers', false, t.ready),
    cond('Initialized', true, t.initialized),
    cond('Ready', false, { at: t.ready, reason: reason }),
    cond('ContainersReady', false, { at: t.ready, reason: reason }),
    cond('PodScheduled', true, t.scheduled),
  ];
}

export interface ContainerStatusInput {
  state: ContainerState;
  lastState?: ContainerState;
  ready: boolean;
  started: boolean;
  restartCount?: number;
  containerID?: string;
  /** Image not pulled yet: status.imageID is empty and the image is reported as written in the spec. */
  notPulled?: boolean;
}

/** A container status in the field order of the Go type (as `kubectl get -o json` prints it). */
export function containerStatus(c: ResolvedContainer, s: ContainerStatusInput): ContainerStatus {
  const out: ContainerStatus = {
    name: c.name,
    state: s.state,
    lastState: s.lastState ?? EMPTY_STATE,
    ready: s.ready,
    restartCount: s.restartCount ?? 0,
    image: s.notPulled ? c.spec.image : c.statusImage,
    imageID: s.notPulled ? '' : c.imageID,
  };
  if (s.containerID !== undefined) out.containerID = s.containerID;
  out.started = s.started;
  if (c.allocatedResources) out.allocatedResources = c.allocatedResources;
  out.resources = c.statusResources;
  out.volumeMounts = c.statusVolumeMounts;
  return out;
}

/** "containerd://" + 64 hex digits. */
export function newContainerId(rng: Rng): string {
  return rng.prefixedHex('containerd://', 64);
}

/** Terminated state of a finished container. */
export function terminated(reason: string, exitCode: number, run: { startedAt: string; finishedAt: string; containerID?: string | undefined }): ContainerState {
  const t: NonNullable<ContainerState['terminated']> = { exitCode, reason, startedAt: run.startedAt, finishedAt: run.finishedAt };
  if (run.containerID !== undefined) t.containerID = run.containerID;
  return { terminated: t };
}

/** Init containers that ran to completion before the app containers started. */
export function completedInitStatuses(init: readonly ResolvedContainer[], span: { start: string; end: string }, rng: Rng): ContainerStatus[] {
  return init.map((c) => {
    const id = newContainerId(rng);
    return containerStatus(c, { state: terminated('Completed', 0, { startedAt: span.start, finishedAt: span.end, containerID: id }), ready: true, started: false, containerID: id });
  });
}

/** Go's time.Duration formatting for whole seconds, as the kubelet prints back-off ("20s", "1m20s", "5m0s"). */
export function goDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${m}m${s % 60}s` : `${m}m${s % 60}s`;
}
