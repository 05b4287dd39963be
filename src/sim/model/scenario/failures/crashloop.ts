// SPDX-License-Identifier: Apache-2.0
// CrashLoopBackOff as the kubelet produces it: the container exits (Error, exit code 1 by default), the kubelet
// waits a back-off that starts at 10 s and doubles per crash up to 5 min, then restarts it; between restarts the
// state is waiting/CrashLoopBackOff with "back-off 40s restarting failed container=app pod=name_ns(uid)", lastState
// holds the terminated run, and BackOff warnings "Back-off restarting failed container app in pod ..." repeat.
import type { Pod } from '../../kube-types.ts';
import { containerStatus, goDuration, newContainerId, notReadyConditions, terminated } from '../pod-status.ts';
import { iso } from '../time.ts';
import { containerRef } from '../events.ts';
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

const BACKOFF_BASE_S = 10;
const BACKOFF_MAX_S = 300;
/** How long a crashing container runs before it exits. */
export const CRASH_RUN_MS = 2000;
const STARTUP_MS = 4000;

/** Kubelet back-off after the n-th crash (1-based): 10 s, 20 s, 40 s … capped at 5 min. */
export function crashBackoffSeconds(crashes: number): number {
  return Math.min(BACKOFF_BASE_S * 2 ** Math.max(0, crashes - 1), BACKOFF_MAX_S);
}

/** Start time of the container's run number `run` (0-based), relative to pod creation. */
function runStartOffsetMs(run: number): number {
  let t = STARTUP_MS;
  for (let i = 1; i <= run; i++) t += CRASH_RUN_MS + crashBackoffSeconds(i) * 1000;
  return t;
}

/** Fraction of the current back-off already waited at build time. */
const WAITED_FRACTION = 0.4;

function restartsOf(input: { spec: FailurePodInput['spec'] }): number {
  return 'restarts' in input.spec ? input.spec.restarts : 1;
}

function exitCodeOf(input: { spec: FailurePodInput['spec'] }): number {
  return 'exitCode' in input.spec ? input.spec.exitCode : 1;
}

/** The waiting message, which names the pod with its uid as the kubelet's format does. */
export function crashLoopMessage(backoffS: number, container: string, pod: Pod): string {
  return `back-off ${goDuration(backoffS)} restarting failed container=${container} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

export const crashLoop: PodFailureModule = {
  createdMs(spec, nowMs) {
    const r = 'restarts' in spec ? spec.restarts : 1;
    return nowMs - runStartOffsetMs(r) - CRASH_RUN_MS - WAITED_FRACTION * crashBackoffSeconds(r + 1) * 1000;
  },

  status(input) {
    const r = restartsOf(input);
    const { times } = startupTimes(input.createdMs);
    const lastStart = input.createdMs + runStartOffsetMs(r);
    const id = newContainerId(input.rng);
    const c = failingContainerOf(input);
    const failing = containerStatus(c, {
      state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(crashBackoffSeconds(r + 1))} restarting failed container=${c.name} pod=${input.name}_${input.namespace}()` } },
      lastState: terminated('Error', exitCodeOf(input), { startedAt: iso(lastStart), finishedAt: iso(lastStart + CRASH_RUN_MS), containerID: id }),
      ready: false,
      started: false,
      restartCount: r,
      containerID: id,
    });
    const readyTimes = { ...times, ready: iso(input.createdMs + STARTUP_MS + CRASH_RUN_MS) };
    return podStatusOf(input, { phase: 'Running', conditions: notReadyConditions(readyTimes, [c.name]), containerStatuses: healthySiblings(input, failing, input.createdMs + STARTUP_MS), startedMs: input.createdMs + STARTUP_MS });
  },

  afterCreate(ctx) {
    const r = restartsOf(ctx.input);
    const target = targetOf(ctx);
    const { input, pod } = ctx;
    const backoffS = crashBackoffSeconds(r + 1);
    ctx.store.patch<Pod>('pods', input.namespace, input.name, (d) => {
      const st = d.status.containerStatuses?.[target.containerIndex];
      if (st?.state.waiting) st.state.waiting.message = crashLoopMessage(backoffS, target.container, pod);
    });
    scheduledEvent(ctx);
    recordHistory(ctx, r);
    const lastStart = input.createdMs + runStartOffsetMs(r);
    ctx.scripts.push({ kind: 'crashloop', ...target, exitCode: exitCodeOf(input), restartCount: r, phase: 'waiting', nextAtMs: lastStart + CRASH_RUN_MS + backoffS * 1000, runMs: CRASH_RUN_MS });
  },
};

/** Pulled/Created/Started once per run and the BackOff warnings between runs, aggregated as the correlator does. */
function recordHistory(ctx: FailureAfterCreate, restarts: number): void {
  const { input, pod } = ctx;
  const c = failingContainerOf(input);
  const involved = containerRef(pod, c.name);
  const first = input.createdMs + 3000;
  const lastStart = input.createdMs + runStartOffsetMs(restarts);
  const base = { involved, component: 'kubelet', host: input.node.name, firstMs: first, atMs: lastStart - 500, count: restarts + 1 };
  ctx.recorder.record({ ...base, reason: 'Pulled', type: 'Normal', message: `Container image "${c.spec.image}" already present on machine` });
  ctx.recorder.record({ ...base, reason: 'Created', type: 'Normal', message: `Created container: ${c.name}` });
  ctx.recorder.record({ ...base, reason: 'Started', type: 'Normal', message: `Started container ${c.name}`, atMs: lastStart });
  ctx.recorder.record({
    ...base,
    reason: 'BackOff',
    type: 'Warning',
    message: backOffMessage(c.name, pod),
    firstMs: input.createdMs + STARTUP_MS + CRASH_RUN_MS,
    atMs: lastStart + CRASH_RUN_MS + 1000,
    count: restarts + 1 + Math.floor(runStartOffsetMs(restarts) / 60_000),
  });
}

/** The kubelet's BackOff event message. */
export function backOffMessage(container: string, pod: Pod): string {
  return `Back-off restarting failed container ${container} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}
