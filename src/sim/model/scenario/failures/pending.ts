// SPDX-License-Identifier: Apache-2.0
// Unschedulable pods: Pending with only PodScheduled=False (reason Unschedulable, the FitError message) and no
// container statuses. The scheduler retries them at least every 5 minutes (podMaxInUnschedulablePodsDuration) and
// records a FailedScheduling warning on each attempt.
import type { Pod, PodStatus } from '../../kube-types.ts';
import type { EventRecorder } from '../events.ts';
import type { FailureScript } from './types.ts';
import { cond } from '../pod-status.ts';
import { iso } from '../time.ts';
import { MINUTE_MS } from '../../../../domain/time.ts';

const RETRY_MS = 5 * MINUTE_MS;

export function unschedulableStatus(message: string, createdMs: number, qosClass: NonNullable<PodStatus['qosClass']>): PodStatus {
  return { phase: 'Pending', observedGeneration: 1, conditions: [cond('PodScheduled', false, { at: iso(createdMs), reason: 'Unschedulable', message: message })], qosClass };
}

export function recordUnschedulable(recorder: EventRecorder, scripts: FailureScript[], p: { pod: Pod; message: string; createdMs: number; nowMs: number }): void {
  const count = 1 + Math.floor((p.nowMs - p.createdMs) / RETRY_MS);
  const atMs = p.createdMs + (count - 1) * RETRY_MS;
  const event = {
    involved: { apiVersion: 'v1', kind: 'Pod', name: p.pod.metadata.name, namespace: p.pod.metadata.namespace, uid: p.pod.metadata.uid },
    reason: 'FailedScheduling',
    message: p.message,
    type: 'Warning' as const,
    component: 'default-scheduler',
  };
  recorder.record({ ...event, firstMs: p.createdMs, atMs, count });
  scripts.push({ kind: 'recurring-event', event: { ...event, atMs }, periodMs: RETRY_MS, lastMs: atMs });
}
