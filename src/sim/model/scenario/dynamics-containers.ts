// SPDX-License-Identifier: Apache-2.0
// Container restarts while the simulation runs. Crash loops alternate between a short run and the kubelet's
// back-off (10 s doubling to 5 min, state waiting/CrashLoopBackOff); failing liveness probes make the kubelet kill
// and restart the container; OOM kills (decided by the usage model at the memory limit) leave lastState
// terminated/OOMKilled with exit code 137. Each restart bumps restartCount and the aggregated events
// (Pulled/Created/Started, BackOff, Unhealthy, Killing) rather than creating new ones.
import type { ContainerStatus, Pod } from '../kube-types.ts';
import type { ObjectStoreApi } from '../object-store.ts';
import type { EventRecorder } from './events.ts';
import type { CrashLoopScript, LivenessScript } from './failures/types.ts';
import type { Rng } from './rng.ts';
import { containerRef } from './events.ts';
import { backOffMessage, crashBackoffSeconds, crashLoopMessage } from './failures/crashloop.ts';
import { probeFailureMessage } from './failures/probes.ts';
import { newContainerId, terminated } from './pod-status.ts';
import { iso } from './time.ts';

export interface ContainerDriverEnv {
  store: ObjectStoreApi;
  recorder: EventRecorder;
  rng: Rng;
  usage?: { restartContainer(r: { namespace: string; pod: string; container: string; atMs: number }): boolean };
}

/** Patches one container status of a pod; returns false when the pod or container is gone. */
export function patchContainer(store: ObjectStoreApi, target: { namespace: string; pod: string; container: string }, mutate: (cs: ContainerStatus, pod: Pod) => void): boolean {
  let found = false;
  store.patch<Pod>('pods', target.namespace, target.pod, (d) => {
    const cs = d.status.containerStatuses?.find((c) => c.name === target.container);
    if (!cs) return;
    found = true;
    mutate(cs, d);
  });
  return found;
}

function kubeletEvent(env: ContainerDriverEnv, pod: Pod, e: { container: string; node: string; reason: string; message: string; type: 'Normal' | 'Warning'; atMs: number; count: number }): void {
  env.recorder.record({ involved: containerRef(pod, e.container), reason: e.reason, message: e.message, type: e.type, component: 'kubelet', host: e.node, atMs: e.atMs, count: e.count });
}

function restartEvents(env: ContainerDriverEnv, pod: Pod, s: { container: string; node: string; image: string; atMs: number; count: number }): void {
  const base = { container: s.container, node: s.node, type: 'Normal' as const, count: s.count };
  kubeletEvent(env, pod, { ...base, reason: 'Pulled', message: `Container image "${s.image}" already present on machine`, atMs: s.atMs - 600 });
  kubeletEvent(env, pod, { ...base, reason: 'Created', message: `Created container: ${s.container}`, atMs: s.atMs - 300 });
  kubeletEvent(env, pod, { ...base, reason: 'Started', message: `Started container ${s.container}`, atMs: s.atMs });
}

/** Advances a crash loop to `nowMs`; returns false when its pod is gone (the script should be dropped). */
export function advanceCrashLoop(env: ContainerDriverEnv, s: CrashLoopScript, nowMs: number): boolean {
  if (s.nextAtMs > nowMs) return true;
  let restarts = 0;
  let crashes = 0;
  let lastStart = 0;
  let lastCrash = 0;
  for (let guard = 0; s.nextAtMs <= nowMs && guard < 10_000; guard++) {
    if (s.phase === 'waiting') {
      s.restartCount++;
      restarts++;
      lastStart = s.nextAtMs;
      s.phase = 'running';
      s.nextAtMs += s.runMs;
    } else {
      crashes++;
      lastCrash = s.nextAtMs;
      s.phase = 'waiting';
      s.nextAtMs += crashBackoffSeconds(s.restartCount + 1) * 1000;
    }
  }
  return applyCrashLoop(env, s, { restarts, crashes, lastStart, lastCrash });
}

function applyCrashLoop(env: ContainerDriverEnv, s: CrashLoopScript, d: { restarts: number; crashes: number; lastStart: number; lastCrash: number }): boolean {
  const id = newContainerId(env.rng);
  const runStart = s.phase === 'running' ? s.nextAtMs - s.runMs : d.lastCrash - s.runMs;
  const ok = patchContainer(env.store, s, (cs, pod) => {
    cs.restartCount = s.restartCount;
    if (s.phase === 'running') {
      if (d.crashes > 0) cs.lastState = terminated('Error', s.exitCode, { startedAt: iso(d.lastCrash - s.runMs), finishedAt: iso(d.lastCrash), containerID: cs.containerID });
      cs.state = { running: { startedAt: iso(runStart) } };
      cs.started = true;
    } else {
      cs.lastState = terminated('Error', s.exitCode, { startedAt: iso(runStart), finishedAt: iso(d.lastCrash), containerID: id });
      cs.state = { waiting: { reason: 'CrashLoopBackOff', message: crashLoopMessage(crashBackoffSeconds(s.restartCount + 1), s.container, pod) } };
      cs.started = false;
    }
    cs.containerID = id;
    cs.ready = false;
  });
  if (!ok) return false;
  const pod = env.store.get<Pod>('pods', s.namespace, s.pod);
  if (!pod) return false;
  if (d.restarts > 0) restartEvents(env, pod, { container: s.container, node: s.node, image: s.image, atMs: d.lastStart, count: d.restarts });
  if (d.crashes > 0) kubeletEvent(env, pod, { container: s.container, node: s.node, reason: 'BackOff', type: 'Warning', message: backOffMessage(s.container, pod), atMs: d.lastCrash + 1000, count: d.crashes });
  return true;
}

/** Advances a liveness-failure script: each cycle the probe fails failureThreshold times and the kubelet restarts. */
export function advanceLiveness(env: ContainerDriverEnv, s: LivenessScript, nowMs: number): boolean {
  let kills = 0;
  let lastKill = 0;
  while (s.nextAtMs <= nowMs && kills < 10_000) {
    kills++;
    lastKill = s.nextAtMs;
    s.restartCount++;
    s.nextAtMs += s.cycleMs;
  }
  if (kills === 0) return true;
  const ok = patchContainer(env.store, s, (cs) => {
    const prevStart = cs.state.running?.startedAt ?? iso(lastKill - s.cycleMs);
    cs.lastState = terminated('Error', 137, { startedAt: kills > 1 ? iso(lastKill - s.cycleMs + 1000) : prevStart, finishedAt: iso(lastKill), containerID: cs.containerID });
    cs.state = { running: { startedAt: iso(lastKill + 1000) } };
    cs.restartCount = s.restartCount;
    cs.containerID = newContainerId(env.rng);
  });
  const pod = ok ? env.store.get<Pod>('pods', s.namespace, s.pod) : undefined;
  if (!pod) return false;
  const base = { container: s.container, node: s.node, atMs: lastKill };
  kubeletEvent(env, pod, { ...base, reason: 'Unhealthy', type: 'Warning', message: probeFailureMessage('Liveness', s.statusCode), count: kills * s.failureThreshold, atMs: lastKill - 500 });
  kubeletEvent(env, pod, { ...base, reason: 'Killing', type: 'Normal', message: `Container ${s.container} failed liveness probe, will be restarted`, count: kills });
  restartEvents(env, pod, { container: s.container, node: s.node, image: s.image, atMs: lastKill + 1000, count: kills });
  env.usage?.restartContainer({ namespace: s.namespace, pod: s.pod, container: s.container, atMs: lastKill + 1000 });
  return true;
}

/** The usage model's OOM kill, as the kubelet reports it. */
export interface OomKill {
  namespace: string;
  pod: string;
  container: string;
  atMs: number;
  memoryBytes?: number;
}

/** Records an OOM kill on the pod: lastState OOMKilled (137), restartCount + 1, running again from the kill. */
export function applyOomKill(env: ContainerDriverEnv, e: OomKill): boolean {
  let image = '';
  const ok = patchContainer(env.store, e, (cs) => {
    const started = cs.state.running?.startedAt ?? iso(e.atMs - 60_000);
    cs.lastState = terminated('OOMKilled', 137, { startedAt: started, finishedAt: iso(e.atMs), containerID: cs.containerID });
    cs.state = { running: { startedAt: iso(e.atMs) } };
    cs.restartCount += 1;
    cs.containerID = newContainerId(env.rng);
    image = cs.image;
  });
  const pod = ok ? env.store.get<Pod>('pods', e.namespace, e.pod) : undefined;
  if (!pod) return false;
  const node = pod.spec.nodeName ?? '';
  const specImage = pod.spec.containers.find((c) => c.name === e.container)?.image ?? image;
  kubeletEvent(env, pod, { container: e.container, node, reason: 'BackOff', type: 'Warning', message: backOffMessage(e.container, pod), atMs: e.atMs, count: 1 });
  restartEvents(env, pod, { container: e.container, node, image: specImage, atMs: e.atMs + 1000, count: 1 });
  return true;
}
