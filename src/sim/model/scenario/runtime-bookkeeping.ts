// SPDX-License-Identifier: Apache-2.0
// What the runtime keeps driving after the build: churn-enabled ReplicaSets and their pods, Jobs still running,
// and CronJobs with their next scheduled run.
import type { NamespacePlan, WorkloadPlan } from './plan.ts';
import type { NamespaceBuildEnv } from './build-context.ts';
import type { NodeRecord } from './node-record.ts';
import { parseCron, nextRun } from './cron.ts';
import { podLabels } from './plan-helpers.ts';
import { MINUTE_MS } from '../../../domain/time.ts';

function collectChurn(env: NamespaceBuildEnv, w: WorkloadPlan): void {
  for (const g of w.groups) {
    if (g.ownerKind !== 'ReplicaSet' || g.role === 'old') continue;
    const pods = g.pods.filter((p) => p.state === 'running' && p.node);
    env.churn.push({
      namespace: w.ns.name,
      ownerName: g.ownerName,
      rt: g.rt,
      labels: g.labels,
      ...(g.ownerRefs ? { ownerRefs: g.ownerRefs } : {}),
      pods: pods.map((p) => ({ name: p.name, node: p.node as NodeRecord, podIP: p.podIP ?? '' })),
    });
  }
}

function collectJobs(env: NamespaceBuildEnv, w: WorkloadPlan): void {
  for (const g of w.groups) {
    if (g.job?.outcome !== 'running') continue;
    const pods = g.pods.filter((p) => p.state === 'running').map((p) => p.name);
    env.jobs.push({ namespace: w.ns.name, name: g.ownerName, ...(g.job.cronJob ? { cronJob: g.job.cronJob } : {}), pods, endMs: g.job.startMs + w.template.durationMinutes * MINUTE_MS });
  }
}

function collectCronJob(env: NamespaceBuildEnv, w: WorkloadPlan): void {
  const t = w.template;
  if (t.kind !== 'CronJob' || !t.schedule) return;
  const rt = w.groups[0]?.rt ?? env.templateFor(w);
  env.cronJobs.push({ namespace: w.ns.name, name: w.name, schedule: t.schedule, nextMs: nextRun(parseCron(t.schedule), env.nowMs), jobs: w.groups.map((g) => g.ownerName), rt, labels: podLabels(t, w.name), durationMs: t.durationMinutes * MINUTE_MS });
}

export function collectRuntime(env: NamespaceBuildEnv, ns: NamespacePlan): void {
  for (const w of ns.workloads) {
    if (env.churnEnabled && w.template.churn) collectChurn(env, w);
    collectJobs(env, w);
    collectCronJob(env, w);
  }
}
