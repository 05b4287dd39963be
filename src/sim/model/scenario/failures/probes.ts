// SPDX-License-Identifier: Apache-2.0
// Probe failures. A failing readiness probe keeps the container running but not ready, so the pod is not Ready and
// leaves its Services' endpoints; the kubelet emits "Readiness probe failed: HTTP probe failed with statuscode: 503"
// every period. A failing liveness probe makes the kubelet kill the container after failureThreshold misses
// ("Container app failed liveness probe, will be restarted") and restart it: restartCount grows and lastState holds
// the killed run (exit code 137 after SIGKILL at the end of the grace period).
import type { Probe } from '../schema-common.ts';
import { containerStatus, newContainerId, notReadyConditions, readyConditions, terminated } from '../pod-status.ts';
import { containerRef } from '../events.ts';
import { iso } from '../time.ts';
import {
  failingContainerOf,
  healthySiblings,
  podStatusOf,
  scheduledEvent,
  startupTimes,
  targetOf,
  type FailureAfterCreate,
  type FailurePodInput,
  type PodFailureModule,
} from './types.ts';
import { MINUTE_MS } from '../../../../domain/time.ts';

/** How long a container passes its liveness probe after each start before it starts failing. */
export const LIVENESS_CYCLE_MS = 12 * MINUTE_MS;

function probeOf(input: FailurePodInput, kind: 'liveness' | 'readiness'): Probe {
  const c = input.rt.template.containers[input.rt.failingContainer];
  return c?.probes?.[kind] ?? { path: '/healthz', port: 8080, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 };
}

function statusCodeOf(input: FailurePodInput, fallback: number): number {
  return 'statusCode' in input.spec ? input.spec.statusCode : fallback;
}

export function probeFailureMessage(kind: 'Liveness' | 'Readiness', statusCode: number): string {
  return `${kind} probe failed: HTTP probe failed with statuscode: ${statusCode}`;
}

export const readinessFailure: PodFailureModule = {
  createdMs(_spec, nowMs, rng) {
    return nowMs - rng.between(15, 55) * MINUTE_MS;
  },

  status(input) {
    const c = failingContainerOf(input);
    const { times, startedMs } = startupTimes(input.createdMs);
    const failing = containerStatus(c, { state: { running: { startedAt: iso(startedMs) } }, ready: false, started: true, containerID: newContainerId(input.rng) });
    return podStatusOf(input, { phase: 'Running', conditions: notReadyConditions(times, [c.name]), containerStatuses: healthySiblings(input, failing, startedMs), startedMs });
  },

  afterCreate(ctx) {
    const { input, pod } = ctx;
    const probe = probeOf(input, 'readiness');
    const periodMs = probe.periodSeconds * 1000;
    const first = input.createdMs + 4000 + probe.initialDelaySeconds * 1000;
    const count = 1 + Math.floor((input.nowMs - first) / periodMs);
    const atMs = first + (count - 1) * periodMs;
    const event = {
      involved: containerRef(pod, failingContainerOf(input).name),
      reason: 'Unhealthy',
      message: probeFailureMessage('Readiness', statusCodeOf(input, 503)),
      type: 'Warning' as const,
      component: 'kubelet',
      host: input.node.name,
    };
    scheduledEvent(ctx);
    ctx.recorder.record({ ...event, firstMs: first, atMs, count });
    ctx.scripts.push({ kind: 'recurring-event', event: { ...event, atMs }, periodMs, lastMs: atMs });
  },
};

function restartsOf(input: FailurePodInput): number {
  return 'restarts' in input.spec ? input.spec.restarts : 1;
}

export const livenessFailure: PodFailureModule = {
  createdMs(spec, nowMs, rng) {
    const r = 'restarts' in spec ? spec.restarts : 1;
    return nowMs - r * LIVENESS_CYCLE_MS - rng.between(1, 8) * MINUTE_MS;
  },

  status(input) {
    const c = failingContainerOf(input);
    const r = restartsOf(input);
    const { times, startedMs } = startupTimes(input.createdMs);
    const killedAt = startedMs + r * LIVENESS_CYCLE_MS;
    const id = newContainerId(input.rng);
    const failing = containerStatus(c, {
      state: { running: { startedAt: iso(killedAt + 1000) } },
      lastState: terminated('Error', 137, { startedAt: iso(killedAt - LIVENESS_CYCLE_MS + 1000), finishedAt: iso(killedAt), containerID: newContainerId(input.rng) }),
      ready: true,
      started: true,
      restartCount: r,
      containerID: id,
    });
    return podStatusOf(input, { phase: 'Running', conditions: readyConditions({ ...times, ready: iso(killedAt + 6000) }), containerStatuses: healthySiblings(input, failing, startedMs), startedMs });
  },

  afterCreate(ctx) {
    const { input } = ctx;
    const r = restartsOf(input);
    const probe = probeOf(input, 'liveness');
    const startedMs = input.createdMs + 4000;
    scheduledEvent(ctx);
    recordLivenessHistory(ctx, { restarts: r, failureThreshold: probe.failureThreshold, startedMs });
    ctx.scripts.push({
      kind: 'liveness',
      ...targetOf(ctx),
      statusCode: statusCodeOf(input, 500),
      failureThreshold: probe.failureThreshold,
      restartCount: r,
      cycleMs: LIVENESS_CYCLE_MS,
      nextAtMs: startedMs + (r + 1) * LIVENESS_CYCLE_MS,
    });
  },
};

function recordLivenessHistory(ctx: FailureAfterCreate, h: { restarts: number; failureThreshold: number; startedMs: number }): void {
  const { input, pod } = ctx;
  const c = failingContainerOf(input);
  const lastKill = h.startedMs + h.restarts * LIVENESS_CYCLE_MS;
  const firstKill = h.startedMs + LIVENESS_CYCLE_MS;
  const common = { involved: containerRef(pod, c.name), component: 'kubelet', host: input.node.name, firstMs: firstKill - 20_000 };
  ctx.recorder.record({ ...common, reason: 'Unhealthy', type: 'Warning', message: probeFailureMessage('Liveness', statusCodeOf(input, 500)), atMs: lastKill, count: h.restarts * h.failureThreshold });
  ctx.recorder.record({ ...common, reason: 'Killing', type: 'Normal', message: `Container ${c.name} failed liveness probe, will be restarted`, firstMs: firstKill, atMs: lastKill, count: h.restarts });
  ctx.recorder.record({ ...common, reason: 'Pulled', type: 'Normal', message: `Container image "${c.spec.image}" already present on machine`, firstMs: input.createdMs + 3000, atMs: lastKill + 1000, count: h.restarts + 1 });
}
