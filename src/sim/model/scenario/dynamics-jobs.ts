// SPDX-License-Identifier: Apache-2.0
// Jobs finishing and CronJobs firing while the simulation runs. A running Job's pods terminate with Completed and
// the Job gets its Complete condition; at each scheduled time a CronJob creates a Job (and its pod) named after the
// scheduled minute, lists it as active, and prunes Jobs beyond its history limit, as the CronJob controller does.
import type { CronJob, Job, Pod } from '../kube-types.ts';
import type { CronJobRuntime, RunningContainer, RunningJob } from './built-types.ts';
import type { NamespacePlan, PodGroup, PodPlan, WorkloadPlan } from './plan.ts';
import { pickReadyNode, type ChurnEnv } from './dynamics-churn.ts';
import type { FailureScript } from './failures/types.ts';
import { createPod } from './build-pods.ts';
import { controllerRef } from './controller-common.ts';
import { jobObject } from './build-jobs.ts';
import { allocatePodIp } from './node-record.ts';
import { terminalConditions, terminated } from './pod-status.ts';
import { objectRef } from './events.ts';
import { parseCron, nextRun } from './cron.ts';
import { iso } from './time.ts';
import { MINUTE_MS } from '../../../domain/time.ts';

const HISTORY = 3;

export type JobEnv = ChurnEnv;

function finishPod(env: JobEnv, pod: { namespace: string; name: string }, endMs: number): void {
  const { namespace: ns, name } = pod;
  env.store.patch<Pod>('pods', ns, name, (d) => {
    const started = d.status.containerStatuses?.[0]?.state.running?.startedAt ?? iso(endMs - 60_000);
    d.status.phase = 'Succeeded';
    d.status.conditions = terminalConditions({ scheduled: iso(endMs), sandboxReady: iso(endMs), initialized: iso(endMs), ready: iso(endMs) }, 'PodCompleted');
    for (const cs of d.status.containerStatuses ?? []) {
      cs.state = terminated('Completed', 0, { startedAt: cs.state.running?.startedAt ?? started, finishedAt: iso(endMs), containerID: cs.containerID });
      cs.ready = false;
      cs.started = false;
    }
  });
  env.usage?.removePod(ns, name);
}

/** Completes a running Job at its end time. */
export function completeJob(env: JobEnv, j: RunningJob): void {
  for (const p of j.pods) finishPod(env, { namespace: j.namespace, name: p }, j.endMs);
  const msg = 'Reached expected number of succeeded pods';
  const at = iso(j.endMs);
  const job = env.store.patch<Job>('jobs.batch', j.namespace, j.name, (d) => {
    const succeeded = (d.status.succeeded ?? 0) + j.pods.length;
    d.status = {
      completionTime: at,
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: at, lastTransitionTime: at, reason: 'CompletionsReached', message: msg },
        { type: 'Complete', status: 'True', lastProbeTime: at, lastTransitionTime: at, reason: 'CompletionsReached', message: msg },
      ],
      ready: 0,
      startTime: d.status.startTime,
      succeeded,
      terminating: 0,
      uncountedTerminatedPods: {},
    };
  });
  if (job) env.recorder.record({ involved: objectRef(job), reason: 'Completed', message: 'Job completed', type: 'Normal', component: 'job-controller', atMs: j.endMs });
  if (!j.cronJob) return;
  const cj = env.store.patch<CronJob>('cronjobs.batch', j.namespace, j.cronJob, (d) => {
    const active = (d.status.active ?? []).filter((r) => r.name !== j.name);
    if (active.length) d.status.active = active;
    else delete d.status.active;
    d.status.lastSuccessfulTime = at;
  });
  if (cj) env.recorder.record({ involved: objectRef(cj), reason: 'SawCompletedJob', message: `Saw completed job: ${j.name}, condition: Complete`, type: 'Normal', component: 'cronjob-controller', atMs: j.endMs + 1000 });
}

function stubGroup(c: CronJobRuntime, jobName: string, runMs: number): PodGroup {
  const ns = { name: c.namespace } as NamespacePlan;
  const workload = { ns, name: c.name, template: c.rt.template, createdMs: runMs, replicas: 1, groups: [], sharedClaims: [] } as WorkloadPlan;
  return { workload, rt: c.rt, ownerKind: 'Job', ownerName: jobName, createdMs: runMs + 1000, revision: 1, desired: 1, pods: [], labels: c.labels, role: 'current', job: { startMs: runMs + 1000, outcome: 'running', cronJob: c.name, scheduledMs: runMs } };
}

function pruneHistory(env: JobEnv, c: CronJobRuntime, at: { atMs: number; cj: CronJob }): void {
  const { atMs, cj } = at;
  while (c.jobs.length > HISTORY) {
    const old = c.jobs.shift() as string;
    for (const p of env.store.list<Pod>('pods', c.namespace)) {
      if (p.metadata.labels?.['job-name'] !== old) continue;
      env.store.delete('pods', c.namespace, p.metadata.name);
      env.usage?.removePod(c.namespace, p.metadata.name);
      env.logs.delete(c.namespace, p.metadata.name);
    }
    env.store.delete('jobs.batch', c.namespace, old);
    env.recorder.record({ involved: objectRef(cj), reason: 'SuccessfulDelete', message: `Deleted job ${old}`, type: 'Normal', component: 'cronjob-controller', atMs });
  }
}

/** Fires a CronJob run: Job, pod, CronJob status, events; returns the Job to complete later. */
export function fireCronJob(env: JobEnv, c: CronJobRuntime, runMs: number): RunningJob | undefined {
  const cj = env.store.get<CronJob>('cronjobs.batch', c.namespace, c.name);
  const node = pickReadyNode(env, c.rt, Math.floor(runMs / MINUTE_MS));
  c.nextMs = nextRun(parseCron(c.schedule), runMs);
  if (!cj || !node) return undefined;
  const name = `${c.name}-${Math.floor(runMs / MINUTE_MS)}`;
  const group = stubGroup(c, name, runMs);
  const plan: PodPlan = { name: `${name}-${env.rng.suffix()}`, ordinal: -1, state: 'running', createdMs: runMs + 2000, node, podIP: allocatePodIp(node) };
  group.pods.push(plan);
  const { job, podLabels } = jobObject(group, { rng: env.rng, cronJobUid: cj.metadata.uid });
  const stored = env.store.create(job);
  const containers: RunningContainer[] = [];
  const scripts: FailureScript[] = [];
  const sink = { store: env.store, nowMs: runMs + 2000, rng: env.rng, recorder: env.recorder, scripts, containers, logs: env.logs };
  createPod({ namespace: c.namespace, rt: c.rt, labels: podLabels, ownerRefs: controllerRef({ apiVersion: 'batch/v1', kind: 'Job', name: name }, stored.metadata.uid), ownerKind: 'Job', ownerName: name }, plan, sink);
  for (const rc of containers) env.usage?.addContainer(rc);
  c.jobs.push(name);
  const updated = env.store.patch<CronJob>('cronjobs.batch', c.namespace, c.name, (d) => {
    d.status.active = [...(d.status.active ?? []), { apiVersion: 'batch/v1', kind: 'Job', name, namespace: c.namespace, resourceVersion: stored.metadata.resourceVersion, uid: stored.metadata.uid }];
    d.status.lastScheduleTime = iso(runMs);
  });
  env.recorder.record({ involved: objectRef(updated ?? cj), reason: 'SuccessfulCreate', message: `Created job ${name}`, type: 'Normal', component: 'cronjob-controller', atMs: runMs });
  pruneHistory(env, c, { atMs: runMs, cj: updated ?? cj });
  return { namespace: c.namespace, name, cronJob: c.name, pods: [plan.name], endMs: runMs + 1000 + c.durationMs };
}
