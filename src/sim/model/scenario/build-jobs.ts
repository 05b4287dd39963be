// SPDX-License-Identifier: Apache-2.0
// Jobs and CronJobs as the job controller and CronJob controller write them. A Job's selector and its pods' labels
// carry the Job's own uid (batch.kubernetes.io/controller-uid), which the API server generates while creating the
// Job; the builder therefore draws the uid itself. Completed Jobs have SuccessCriteriaMet and Complete conditions,
// failed ones FailureTarget and Failed with reason BackoffLimitExceeded.
import type { Condition, CronJob, Job, ObjectReference, StringMap } from '../kube-types.ts';
import type { PodGroup, WorkloadPlan } from './plan.ts';
import { controllerRef, podTemplate } from './controller-common.ts';
import { podLabels } from './plan-helpers.ts';
import { randomUuid } from '../uid.ts';
import type { Rng } from './rng.ts';
import { iso } from './time.ts';

function jobCondition(type: string, atMs: number, text: { reason: string; message: string }): Condition {
  return { type, status: 'True', lastProbeTime: iso(atMs), lastTransitionTime: iso(atMs), reason: text.reason, message: text.message };
}

function jobStatus(g: PodGroup): Job['status'] {
  const job = g.job as NonNullable<PodGroup['job']>;
  const base = { startTime: iso(job.startMs), terminating: 0, uncountedTerminatedPods: {} };
  const failed = g.pods.filter((p) => p.state === 'job-failed').length;
  if (job.outcome === 'complete') {
    const end = job.endMs ?? job.startMs;
    const msg = 'Reached expected number of succeeded pods';
    return { ...base, completionTime: iso(end), conditions: [jobCondition('SuccessCriteriaMet', end, { reason: 'CompletionsReached', message: msg }), jobCondition('Complete', end, { reason: 'CompletionsReached', message: msg })], ready: 0, succeeded: g.pods.length };
  }
  if (job.outcome === 'failed') {
    const end = job.endMs ?? job.startMs;
    const msg = 'Job has reached the specified backoff limit';
    return { ...base, conditions: [jobCondition('FailureTarget', end, { reason: 'BackoffLimitExceeded', message: msg }), jobCondition('Failed', end, { reason: 'BackoffLimitExceeded', message: msg })], failed, ready: 0 };
  }
  const active = g.pods.filter((p) => p.state === 'running').length;
  return { ...base, active, ...(failed ? { failed } : {}), ready: active };
}

/** The Job (its uid drawn here) and the labels its pods carry. */
export function jobObject(g: PodGroup, ctx: { rng: Rng; cronJobUid?: string }): { job: Job; podLabels: StringMap } {
  const w = g.workload;
  const uid = randomUuid(() => ctx.rng.float());
  const idLabels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': g.ownerName, 'controller-uid': uid, 'job-name': g.ownerName };
  const labels = { ...podLabels(w.template, w.name), ...idLabels };
  const metadata: Job['metadata'] = { name: g.ownerName, namespace: w.ns.name, uid, creationTimestamp: iso(g.createdMs), generation: 1, labels };
  if (g.job?.cronJob) {
    metadata.annotations = { 'batch.kubernetes.io/cronjob-scheduled-timestamp': iso(g.job.scheduledMs ?? g.createdMs) };
    metadata.ownerReferences = controllerRef({ apiVersion: 'batch/v1', kind: 'CronJob', name: g.job.cronJob }, ctx.cronJobUid);
  }
  const t = w.template;
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      backoffLimit: t.backoffLimit,
      completionMode: 'NonIndexed',
      completions: t.completions ?? 1,
      manualSelector: false,
      parallelism: t.parallelism ?? 1,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      suspend: false,
      template: podTemplate(g.rt, labels, t.annotations),
    },
    status: jobStatus(g),
  };
  return { job, podLabels: labels };
}

function cronJobStatus(w: WorkloadPlan, jobs: readonly { group: PodGroup; ref: ObjectReference }[]): CronJob['status'] {
  const active = jobs.filter((j) => j.group.job?.outcome === 'running').map((j) => j.ref);
  const succeeded = jobs.filter((j) => j.group.job?.outcome === 'complete');
  const status: CronJob['status'] = {};
  if (active.length) status.active = active;
  const last = w.cronRuns?.[0];
  if (last !== undefined) status.lastScheduleTime = iso(last);
  const lastOk = succeeded[succeeded.length - 1]?.group.job?.endMs;
  if (lastOk !== undefined) status.lastSuccessfulTime = iso(lastOk);
  return status;
}

export function cronJobObject(w: WorkloadPlan, jobs: readonly { group: PodGroup; ref: ObjectReference }[]): CronJob {
  const t = w.template;
  const rt = w.groups[0]?.rt;
  const status = cronJobStatus(w, jobs);
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: w.name, namespace: w.ns.name, creationTimestamp: iso(w.createdMs), generation: 1, labels: podLabels(t, w.name) },
    spec: {
      concurrencyPolicy: 'Allow',
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { creationTimestamp: null },
        spec: { backoffLimit: t.backoffLimit, completions: t.completions ?? 1, parallelism: t.parallelism ?? 1, template: rt ? podTemplate(rt, podLabels(t, w.name), t.annotations) : { metadata: {}, spec: { containers: [] } } },
      },
      schedule: t.schedule ?? '',
      successfulJobsHistoryLimit: 3,
      suspend: false,
    },
    status,
  };
}
