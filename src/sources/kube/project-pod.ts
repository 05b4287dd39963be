// SPDX-License-Identifier: Apache-2.0
// Pod projection: the fields of REQUIREMENTS §1.2 that diagnostics, rightsizing and ownership read. At 150,000
// pods this is the bulk of the cache, so volumes, env, mounts, tolerations and probe details are not kept.
import type { ContainerSpec, ContainerState, ContainerStatus, ContainerTermination, Pod } from '../../domain/resources.ts';
import { CandidatePool, EMPTY_LIST, listOrEmpty, sameData, timeKey } from './intern.ts';
import { conditions, containerResources, count, flag, projectBase } from './project-common.ts';
import { arr, istr, message, num, obj, objOrUndefined, timeMs, type RawObject } from './raw-access.ts';

/**
 * Container lists are shared: every replica of a workload has the same containers (name, image, resources, probes),
 * so a cluster of 150,000 pods has a few thousand distinct lists.
 */
const containersPool = new CandidatePool<string, readonly ContainerSpec[]>({ maxEntries: 50_000, perKey: 16, equal: sameSpecs });
/**
 * Container statuses repeat as well: replicas started in the same second (kept by start time), waiting ones with one
 * reason (kept by container name).
 */
const statusPool = new CandidatePool<string | number, ContainerStatus>({ maxEntries: 200_000, perKey: 16, equal: sameStatus });

function sameSpecs(a: readonly ContainerSpec[], b: readonly ContainerSpec[]): boolean {
  return a.length === b.length && a.every((x, i) => sameSpec(x, b[i]));
}

function sameSpec(a: ContainerSpec, b: ContainerSpec | undefined): boolean {
  return b !== undefined && a.name === b.name && a.image === b.image && sameData(a.requests, b.requests) && sameData(a.limits, b.limits) && sameFlags(a, b);
}

function sameFlags(a: ContainerSpec, b: ContainerSpec): boolean {
  return (
    a.livenessProbe === b.livenessProbe &&
    a.readinessProbe === b.readinessProbe &&
    a.startupProbe === b.startupProbe &&
    a.privileged === b.privileged &&
    a.preStopHook === b.preStopHook &&
    a.restartPolicy === b.restartPolicy
  );
}

function sameStatus(a: ContainerStatus, b: ContainerStatus): boolean {
  return (
    a.name === b.name &&
    a.ready === b.ready &&
    a.restartCount === b.restartCount &&
    a.started === b.started &&
    sameData(a.state, b.state) &&
    sameData(a.lastTermination, b.lastTermination)
  );
}

function statusKey(s: ContainerStatus): string | number {
  const state = s.state;
  const started = state.kind === 'running' || state.kind === 'terminated' ? state.startedAtMs : undefined;
  return started === undefined ? s.name : timeKey(started);
}

function containers(raw: unknown): readonly ContainerSpec[] {
  const list = arr(raw);
  if (list.length === 0) return EMPTY_LIST;
  const specs = list.map(containerSpec);
  return containersPool.share(specs[0]?.image ?? '', specs);
}

function containerSpec(raw: unknown): ContainerSpec {
  const c = obj(raw);
  const resources = obj(c.resources);
  return {
    name: istr(c.name) ?? '',
    image: istr(c.image) ?? '',
    requests: containerResources(resources.requests),
    limits: containerResources(resources.limits),
    livenessProbe: objOrUndefined(c.livenessProbe) !== undefined,
    readinessProbe: objOrUndefined(c.readinessProbe) !== undefined,
    startupProbe: objOrUndefined(c.startupProbe) !== undefined,
    privileged: flag(obj(c.securityContext).privileged),
    preStopHook: objOrUndefined(obj(c.lifecycle).preStop) !== undefined,
    restartPolicy: istr(c.restartPolicy),
  };
}

function containerState(raw: unknown): ContainerState {
  const s = obj(raw);
  const running = objOrUndefined(s.running);
  if (running) return { kind: 'running', startedAtMs: timeMs(running.startedAt) };
  const waiting = objOrUndefined(s.waiting);
  if (waiting) return { kind: 'waiting', reason: istr(waiting.reason), message: message(waiting.message) };
  const terminated = objOrUndefined(s.terminated);
  if (terminated) {
    return {
      kind: 'terminated',
      reason: istr(terminated.reason),
      message: message(terminated.message),
      exitCode: num(terminated.exitCode),
      startedAtMs: timeMs(terminated.startedAt),
      finishedAtMs: timeMs(terminated.finishedAt),
    };
  }
  return { kind: 'unknown' };
}

function termination(raw: RawObject | undefined): ContainerTermination | undefined {
  if (!raw) return undefined;
  return {
    reason: istr(raw.reason),
    exitCode: count(raw.exitCode),
    signal: num(raw.signal),
    startedAtMs: timeMs(raw.startedAt),
    finishedAtMs: timeMs(raw.finishedAt),
  };
}

function containerStatus(raw: unknown): ContainerStatus {
  const c = obj(raw);
  return {
    name: istr(c.name) ?? '',
    ready: flag(c.ready),
    restartCount: count(c.restartCount),
    started: typeof c.started === 'boolean' ? c.started : undefined,
    state: containerState(c.state),
    lastTermination: termination(objOrUndefined(obj(c.lastState).terminated)),
  };
}

function containerStatuses(raw: unknown): readonly ContainerStatus[] {
  const list = arr(raw);
  return list.length === 0 ? EMPTY_LIST : list.map((raw) => {
    const status = containerStatus(raw);
    return statusPool.share(statusKey(status), status);
  });
}

function pvcNames(volumes: unknown): readonly string[] {
  const out: string[] = [];
  for (const v of arr(volumes)) {
    const claim = istr(obj(obj(v).persistentVolumeClaim).claimName);
    if (claim) out.push(claim);
  }
  return listOrEmpty(out);
}

/** Projects a v1 Pod; undefined when it has no name or namespace. */
export function projectPod(raw: unknown): Pod | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const { spec, status } = b;
  return {
    nodeName: istr(spec.nodeName),
    phase: istr(status.phase) ?? 'Unknown',
    reason: istr(status.reason),
    message: message(status.message),
    qosClass: istr(status.qosClass),
    priorityClassName: istr(spec.priorityClassName),
    terminationGracePeriodSeconds: num(spec.terminationGracePeriodSeconds),
    hasAffinity: objOrUndefined(spec.affinity) !== undefined,
    topologySpreadConstraints: arr(spec.topologySpreadConstraints).length,
    pvcNames: pvcNames(spec.volumes),
    conditions: conditions(status.conditions),
    containers: containers(spec.containers),
    initContainers: containers(spec.initContainers),
    containerStatuses: containerStatuses(status.containerStatuses),
    initContainerStatuses: containerStatuses(status.initContainerStatuses),
    startedAtMs: timeMs(status.startTime),
    // The base fields written out rather than spread: a spread puts them in a separate property array, 88 bytes
    // more per pod. Same order as baseFields, so the pod's fields enumerate as every other projection's do.
    key: b.key,
    uid: b.uid,
    name: b.name,
    namespace: b.namespace,
    labels: b.labels,
    annotations: b.annotations,
    owners: b.owners,
    createdAtMs: b.createdAtMs,
    deletingAtMs: b.deletingAtMs,
  };
}
