// SPDX-License-Identifier: Apache-2.0
// CreateContainerConfigError: the image is present but the kubelet cannot build the container's environment
// because a referenced ConfigMap does not exist. The pod stays Pending, the container waits with
// `configmap "x" not found`, and the kubelet repeats Pulled and Failed ("Error: configmap "x" not found") on
// every sync retry.
import { containerStatus, notReadyConditions } from '../pod-status.ts';
import { containerRef } from '../events.ts';
import { failingContainerOf, healthySiblings, podStatusOf, scheduledEvent, startupTimes, type PodFailureModule } from './types.ts';
import { MINUTE_MS } from '../../../../domain/time.ts';

const RETRY_MS = 30_000;

function configMapOf(spec: { mode: string; configMap?: string }): string {
  return spec.configMap ?? 'app-config';
}

export const configError: PodFailureModule = {
  createdMs(_spec, nowMs, rng) {
    return nowMs - rng.between(5, 45) * MINUTE_MS;
  },

  status(input) {
    const c = failingContainerOf(input);
    const { times, startedMs } = startupTimes(input.createdMs);
    const failing = containerStatus(c, {
      state: { waiting: { reason: 'CreateContainerConfigError', message: `configmap "${configMapOf(input.spec)}" not found` } },
      ready: false,
      started: false,
      notPulled: true,
    });
    return podStatusOf(input, { phase: 'Pending', conditions: notReadyConditions(times, [c.name]), containerStatuses: healthySiblings(input, failing, startedMs), startedMs });
  },

  afterCreate(ctx) {
    const { input, pod } = ctx;
    const c = failingContainerOf(input);
    scheduledEvent(ctx);
    const first = input.createdMs + 3000;
    const count = 1 + Math.floor((input.nowMs - first) / RETRY_MS);
    const atMs = first + (count - 1) * RETRY_MS;
    const common = { involved: containerRef(pod, c.name), component: 'kubelet', host: input.node.name, firstMs: first, atMs, count };
    const events = [
      { ...common, reason: 'Pulled', type: 'Normal' as const, message: `Container image "${c.spec.image}" already present on machine` },
      { ...common, reason: 'Failed', type: 'Warning' as const, message: `Error: configmap "${configMapOf(input.spec)}" not found` },
    ];
    for (const e of events) {
      ctx.recorder.record(e);
      ctx.scripts.push({ kind: 'recurring-event', event: { ...e, count: 1, firstMs: undefined }, periodMs: RETRY_MS, lastMs: atMs });
    }
  },
};
