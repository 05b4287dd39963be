// SPDX-License-Identifier: Apache-2.0
// Recent events of the controllers (older ones have expired with the one-hour event TTL): the ReplicaSet
// controller's SuccessfulCreate for pods created within the hour, the Deployment controller's ScalingReplicaSet for
// a rollout in progress, the Job controller's BackoffLimitExceeded / Completed and the CronJob controller's
// SuccessfulCreate and SawCompletedJob.
import type { KubeObject } from '../kube-types.ts';
import type { EventInput } from './events.ts';
import type { NamespacePlan, PodGroup, WorkloadPlan } from './plan.ts';
import type { NamespaceBuildEnv } from './build-context.ts';
import { objectRef } from './events.ts';
import { HOUR_MS } from '../../../domain/time.ts';

type Emit = (e: Omit<EventInput, 'involved'> & { obj: KubeObject | undefined }) => void;

function emitter(env: NamespaceBuildEnv): Emit {
  return ({ obj, ...e }) => {
    if (!obj || env.nowMs - e.atMs > HOUR_MS || e.atMs > env.nowMs) return;
    env.recorder.record({ ...e, involved: objectRef(obj) });
  };
}

function groupOwner(env: NamespaceBuildEnv, g: PodGroup): KubeObject | undefined {
  const key = g.ownerKind === 'ReplicaSet' ? 'replicasets.apps' : g.ownerKind === 'Job' ? 'jobs.batch' : undefined;
  return key ? env.store.get(key, g.workload.ns.name, g.ownerName) : undefined;
}

function podCreations(env: NamespaceBuildEnv, g: PodGroup, emit: Emit): void {
  const component = g.ownerKind === 'Job' ? 'job-controller' : 'replicaset-controller';
  const owner = groupOwner(env, g);
  for (const p of g.pods) emit({ obj: owner, reason: 'SuccessfulCreate', message: `Created pod: ${p.name}`, type: 'Normal', component, atMs: p.createdMs });
}

function rolloutEvents(env: NamespaceBuildEnv, w: WorkloadPlan, emit: Emit): void {
  const stuck = w.groups.find((g) => g.role === 'stuck-new');
  const old = w.groups.find((g) => g.role === 'old' && g.desired > 0);
  if (!stuck) return;
  const d = env.store.get('deployments.apps', w.ns.name, w.name);
  const base = { obj: d, type: 'Normal' as const, component: 'deployment-controller' };
  emit({ ...base, reason: 'ScalingReplicaSet', message: `Scaled up replica set ${stuck.ownerName} from 0 to ${stuck.desired}`, atMs: stuck.createdMs });
  if (old) emit({ ...base, reason: 'ScalingReplicaSet', message: `Scaled down replica set ${old.ownerName} from ${w.replicas} to ${old.desired}`, atMs: stuck.createdMs + 15_000 });
}

function jobEvents(env: NamespaceBuildEnv, g: PodGroup, emit: Emit): void {
  const job = g.job;
  if (!job) return;
  const obj = groupOwner(env, g);
  if (job.outcome === 'failed') emit({ obj, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', type: 'Warning', component: 'job-controller', atMs: job.endMs ?? job.startMs });
  if (job.outcome === 'complete') emit({ obj, reason: 'Completed', message: 'Job completed', type: 'Normal', component: 'job-controller', atMs: job.endMs ?? job.startMs });
  if (job.cronJob) cronJobEvents(env, g, emit);
}

function cronJobEvents(env: NamespaceBuildEnv, g: PodGroup, emit: Emit): void {
  const job = g.job;
  if (!job?.cronJob) return;
  const cj = env.store.get('cronjobs.batch', g.workload.ns.name, job.cronJob);
  const base = { obj: cj, type: 'Normal' as const, component: 'cronjob-controller' };
  emit({ ...base, reason: 'SuccessfulCreate', message: `Created job ${g.ownerName}`, atMs: job.scheduledMs ?? job.startMs });
  if (job.outcome !== 'running') emit({ ...base, reason: 'SawCompletedJob', message: `Saw completed job: ${g.ownerName}, condition: ${job.outcome === 'complete' ? 'Complete' : 'Failed'}`, atMs: (job.endMs ?? job.startMs) + 1000 });
}

/** Records the namespace's recent controller events. */
export function recordControllerEvents(env: NamespaceBuildEnv, ns: NamespacePlan): void {
  const emit = emitter(env);
  for (const w of ns.workloads) {
    rolloutEvents(env, w, emit);
    for (const g of w.groups) {
      if (g.ownerKind === 'ReplicaSet' || g.ownerKind === 'Job') podCreations(env, g, emit);
      jobEvents(env, g, emit);
    }
  }
}
