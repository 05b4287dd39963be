// SPDX-License-Identifier: Apache-2.0
// Pod projection: the fields of REQUIREMENTS §1.2 that diagnostics, rightsizing and ownership read. At 150,000
// pods this is the bulk of the cache, so volumes, env, mounts, tolerations and probe details are not kept.
import type { ContainerSpec, ContainerState, ContainerStatus, ContainerTermination, Pod } from '../../domain/resources.ts';
import { baseFields, conditions, containerResources, count, flag, projectBase } from './project-common.ts';
import { arr, istr, message, num, obj, objOrUndefined, timeMs, type RawObject } from './raw-access.ts';

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

function pvcNames(volumes: unknown): string[] {
  const out: string[] = [];
  for (const v of arr(volumes)) {
    const claim = istr(obj(obj(v).persistentVolumeClaim).claimName);
    if (claim) out.push(claim);
  }
  return out;
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
    containers: arr(spec.containers).map(containerSpec),
    initContainers: arr(spec.initContainers).map(containerSpec),
    containerStatuses: arr(status.containerStatuses).map(containerStatus),
    initContainerStatuses: arr(status.initContainerStatuses).map(containerStatus),
    startedAtMs: timeMs(status.startTime),
    ...baseFields(b),
    namespace: b.namespace,
  };
}
