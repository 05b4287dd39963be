// SPDX-License-Identifier: Apache-2.0
// A container that was OOM-killed earlier: the kernel killed it at its memory limit (exit code 137, reason
// OOMKilled in lastState), the kubelet restarted it and it runs again with restartCount > 0. New OOM kills while
// the simulation runs come from the usage model (leak profile) through the runtime.
import { containerStatus, newContainerId, readyConditions, terminated } from '../pod-status.ts';
import { containerRef } from '../events.ts';
import { iso } from '../time.ts';
import { failingContainerOf, healthySiblings, podStatusOf, startupTimes, type FailurePodInput, type PodFailureModule } from './types.ts';
import { MINUTE_MS, HOUR_MS } from '../../../../domain/time.ts';

function restartsOf(input: FailurePodInput): number {
  return 'restarts' in input.spec ? input.spec.restarts : 1;
}

/** When the last OOM kill happened: between 20 and 50 minutes ago, so its restart events are still kept. */
function lastKillMs(input: FailurePodInput): number {
  const span = input.nowMs - input.createdMs;
  return input.createdMs + Math.max(span - 50 * MINUTE_MS, span * 0.8);
}

export const oomHistory: PodFailureModule = {
  createdMs(_spec, nowMs, rng) {
    return nowMs - rng.between(2, 9) * HOUR_MS;
  },

  status(input) {
    const c = failingContainerOf(input);
    const { times, startedMs } = startupTimes(input.createdMs);
    const killed = lastKillMs(input);
    const r = restartsOf(input);
    const prevStart = r === 1 ? startedMs : killed - (killed - startedMs) / r;
    const failing = containerStatus(c, {
      state: { running: { startedAt: iso(killed + 10_000) } },
      lastState: terminated('OOMKilled', 137, { startedAt: iso(prevStart), finishedAt: iso(killed), containerID: newContainerId(input.rng) }),
      ready: true,
      started: true,
      restartCount: r,
      containerID: newContainerId(input.rng),
    });
    return podStatusOf(input, { phase: 'Running', conditions: readyConditions({ ...times, ready: iso(killed + 12_000) }), containerStatuses: healthySiblings(input, failing, startedMs), startedMs });
  },

  afterCreate(ctx) {
    const { input, pod } = ctx;
    const c = failingContainerOf(input);
    const restartMs = lastKillMs(input) + 10_000;
    const common = { involved: containerRef(pod, c.name), component: 'kubelet', host: input.node.name, firstMs: input.createdMs + 3000, count: restartsOf(input) + 1, type: 'Normal' as const };
    ctx.recorder.record({ ...common, reason: 'Pulled', message: `Container image "${c.spec.image}" already present on machine`, atMs: restartMs - 500 });
    ctx.recorder.record({ ...common, reason: 'Created', message: `Created container: ${c.name}`, atMs: restartMs - 200 });
    ctx.recorder.record({ ...common, reason: 'Started', message: `Started container ${c.name}`, atMs: restartMs });
  },
};
