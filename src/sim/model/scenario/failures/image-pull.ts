// SPDX-License-Identifier: Apache-2.0
// ErrImagePull / ImagePullBackOff: the pod is scheduled but stays Pending; the container waits with reason
// ImagePullBackOff (ErrImagePull right after a failed attempt). The kubelet retries pulls with the same 10 s → 5 min
// back-off and emits Pulling, Failed ("Failed to pull image ...: rpc error: code = NotFound desc = ..."),
// Failed ("Error: ErrImagePull"), BackOff ("Back-off pulling image ...") and Failed ("Error: ImagePullBackOff").
import { containerStatus, notReadyConditions } from '../pod-status.ts';
import { containerRef, type EventInput } from '../events.ts';
import { normalizeImage } from '../images.ts';
import {
  failingContainerOf,
  healthySiblings,
  podStatusOf,
  scheduledEvent,
  startupTimes,
  type FailureAfterCreate,
  type FailurePodInput,
  type PodFailureModule,
} from './types.ts';
import { MINUTE_MS } from '../../../../domain/time.ts';

const PULL_RETRY_MS = 5 * MINUTE_MS;
const BACKOFF_EVENT_MS = 15_000;

/** The CRI error for the pull, as containerd 2.x words it. */
export function pullError(image: string, reason: 'not-found' | 'unauthorized'): { code: string; detail: string } {
  const ref = normalizeImage(image);
  const resolve = `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}"`;
  return reason === 'not-found'
    ? { code: 'NotFound', detail: `${resolve}: ${ref}: not found` }
    : { code: 'Unknown', detail: `${resolve}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed` };
}

function reasonOf(input: FailurePodInput): 'not-found' | 'unauthorized' {
  return 'reason' in input.spec ? input.spec.reason : 'not-found';
}

export const imagePull: PodFailureModule = {
  createdMs(_spec, nowMs, rng) {
    return nowMs - rng.between(8, 55) * MINUTE_MS;
  },

  status(input) {
    const c = failingContainerOf(input);
    const { times, startedMs } = startupTimes(input.createdMs);
    const err = pullError(c.spec.image, reasonOf(input));
    const failing = containerStatus(c, {
      state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.spec.image}": ErrImagePull: ${err.detail}` } },
      ready: false,
      started: false,
      notPulled: true,
    });
    return podStatusOf(input, { phase: 'Pending', conditions: notReadyConditions(times, [c.name]), containerStatuses: healthySiblings(input, failing, startedMs), startedMs });
  },

  afterCreate(ctx) {
    scheduledEvent(ctx);
    for (const e of pullEvents(ctx)) {
      ctx.recorder.record(e.event);
      ctx.scripts.push({ kind: 'recurring-event', event: { ...e.event, count: 1, firstMs: undefined }, periodMs: e.periodMs, lastMs: e.event.atMs });
    }
  },
};

function pullEvents(ctx: FailureAfterCreate): { event: EventInput; periodMs: number }[] {
  const { input, pod } = ctx;
  const c = failingContainerOf(input);
  const err = pullError(c.spec.image, reasonOf(input));
  const involved = containerRef(pod, c.name);
  const first = input.createdMs + 3000;
  const elapsed = input.nowMs - first;
  const pulls = 1 + Math.floor(elapsed / PULL_RETRY_MS);
  const backoffs = 1 + Math.floor(elapsed / BACKOFF_EVENT_MS);
  const common = { involved, component: 'kubelet', host: input.node.name, firstMs: first };
  const lastPull = first + (pulls - 1) * PULL_RETRY_MS;
  type Spec = Pick<EventInput, 'reason' | 'type' | 'message'>;
  const pull = (e: Spec): { event: EventInput; periodMs: number } => ({ event: { ...common, ...e, count: pulls, atMs: lastPull + (e.reason === 'Pulling' ? 0 : 800) }, periodMs: PULL_RETRY_MS });
  const backoff = (e: Spec): { event: EventInput; periodMs: number } => ({ event: { ...common, ...e, count: backoffs, atMs: input.nowMs - 5000 }, periodMs: BACKOFF_EVENT_MS });
  return [
    pull({ reason: 'Pulling', type: 'Normal', message: `Pulling image "${c.spec.image}"` }),
    pull({ reason: 'Failed', type: 'Warning', message: `Failed to pull image "${c.spec.image}": rpc error: code = ${err.code} desc = ${err.detail}` }),
    pull({ reason: 'Failed', type: 'Warning', message: 'Error: ErrImagePull' }),
    backoff({ reason: 'BackOff', type: 'Normal', message: `Back-off pulling image "${c.spec.image}"` }),
    backoff({ reason: 'Failed', type: 'Warning', message: 'Error: ImagePullBackOff' }),
  ];
}
