// SPDX-License-Identifier: Apache-2.0
// Resolves a pod log request the way the API server and kubelet do, with their error messages: which container,
// whether it has a previous incarnation, whether it ever started. The text itself comes from ../logs.
import { followLogs, renderLogs, type LogProfile, type LogRequest } from './logs/index.ts';
import type { ContainerStatus, ContainerStateTerminated, Pod } from './model/kube-types.ts';
import type { ObjectStore } from './model/object-store.ts';
import { StoreError } from './model/store-error.ts';
import type { LogQuery } from './api/backend.ts';
import { hashSeed } from './usage/random.ts';

export interface LogSources {
  store: ObjectStore;
  profileOf(namespace: string, pod: string, container: string): LogProfile | undefined;
}

function badRequest(message: string): StoreError {
  return new StoreError('BadRequest', message);
}

function pickContainer(pod: Pod, requested: string | undefined): string {
  const names = pod.spec.containers.map((c) => c.name);
  if (requested === undefined || requested === '') {
    if (names.length === 1) return names[0] as string;
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
  }
  const all = [...names, ...(pod.spec.initContainers ?? []).map((c) => c.name)];
  if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
  return requested;
}

function waitingMessage(pod: Pod, container: string, status: ContainerStatus | undefined): string {
  const reason = status?.state.waiting?.reason ?? 'ContainerCreating';
  const why = reason === 'ImagePullBackOff' || reason === 'ErrImagePull' ? 'trying and failing to pull image' : reason;
  return `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${why}`;
}

function ms(t: string | undefined, fallback: number): number {
  const v = t ? Date.parse(t) : NaN;
  return Number.isNaN(v) ? fallback : v;
}

interface Span {
  startedAtMs: number;
  endMs: number;
  terminated: boolean;
}

function terminatedSpan(t: ContainerStateTerminated, nowMs: number): Span {
  return { startedAtMs: ms(t.startedAt, nowMs - 3_600_000), endMs: ms(t.finishedAt, nowMs), terminated: true };
}

function statusOf(pod: Pod, container: string): ContainerStatus | undefined {
  const all = [...(pod.status.containerStatuses ?? []), ...(pod.status.initContainerStatuses ?? [])];
  return all.find((s) => s.name === container);
}

/** The incarnation a request names, with its time span, or the error a real server gives. */
function incarnation(at: { pod: Pod; container: string; previous: boolean; nowMs: number }): Span {
  const { pod, container, nowMs } = at;
  const status = statusOf(pod, container);
  const last = status?.lastState.terminated;
  if (at.previous) {
    if (!last) throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
    return terminatedSpan(last, nowMs);
  }
  const span = currentSpan(status, nowMs);
  if (!span) throw badRequest(waitingMessage(pod, container, status));
  return span;
}

function currentSpan(status: ContainerStatus | undefined, nowMs: number): Span | undefined {
  const state = status?.state;
  if (state?.running) return { startedAtMs: ms(state.running.startedAt, nowMs), endMs: nowMs, terminated: false };
  if (state?.terminated) return terminatedSpan(state.terminated, nowMs);
  // A container waiting after a crash still has its last run's log: the kubelet serves that one.
  const last = status?.lastState.terminated;
  return last && status.restartCount > 0 ? terminatedSpan(last, nowMs) : undefined;
}

function profileFor(base: LogProfile, span: Span, status: ContainerStatus | undefined): LogProfile {
  if (!span.terminated) return base;
  return status?.lastState.terminated?.reason === 'OOMKilled' ? 'oom' : base;
}

/** Builds the generator request for a log query, or throws the StoreError a real server answers with. */
export function resolveLogRequest(src: LogSources, q: LogQuery, nowMs: number): LogRequest {
  const pod = src.store.get<Pod>('pods', q.namespace, q.pod);
  if (!pod) throw new StoreError('NotFound', `pods "${q.pod}" not found`, { name: q.pod, kind: 'pods' });
  if (!pod.spec.nodeName) throw badRequest(waitingMessage(pod, pickContainer(pod, q.container), undefined));
  const container = pickContainer(pod, q.container);
  const span = incarnation({ pod, container, previous: q.previous, nowMs });
  const status = pod.status.containerStatuses?.find((s) => s.name === container);
  const base = src.profileOf(q.namespace, q.pod, container) ?? 'web';
  const image = pod.spec.containers.find((c) => c.name === container)?.image ?? '';
  return {
    profile: profileFor(base, span, status),
    seed: hashSeed(pod.metadata.uid ?? pod.metadata.name, container),
    containerName: container,
    image,
    startedAtMs: span.startedAtMs,
    endMs: span.endMs,
    previous: span.terminated,
    tailLines: q.tailLines,
    sinceSeconds: q.sinceSeconds,
    sinceTimeMs: q.sinceTime ? Date.parse(q.sinceTime) : undefined,
    timestamps: q.timestamps,
    limitBytes: q.limitBytes,
    nowMs,
  };
}

export function podLogText(src: LogSources, q: LogQuery, nowMs: number): string {
  return renderLogs(resolveLogRequest(src, q, nowMs));
}

export function podLogFollow(src: LogSources, q: LogQuery, range: { afterMs: number; nowMs: number }): string {
  const req = resolveLogRequest(src, q, range.nowMs);
  return followLogs(req, range.afterMs, range.nowMs);
}
