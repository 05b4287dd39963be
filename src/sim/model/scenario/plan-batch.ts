// SPDX-License-Identifier: Apache-2.0
// Jobs and CronJobs. A Job runs `parallelism` pods at a time until `completions` succeed; a Job whose pods fail
// retries with a back-off (10 s doubling) until backoffLimit + 1 pods have failed, then fails with
// BackoffLimitExceeded. A CronJob keeps the Jobs of its last runs (successfulJobsHistoryLimit 3) named
// "<cronjob>-<scheduled time in minutes since the epoch>", the newest possibly still running.
import type { PodGroup, WorkloadPlan } from './plan.ts';
import { failingCount, newGroup, podLabels, uniquePodName, type PlanContext } from './plan-helpers.ts';
import { parseCron, previousRuns } from './cron.ts';
import { MINUTE_MS } from '../../../domain/time.ts';

const HISTORY = 3;

function jobGroup(w: WorkloadPlan, ctx: PlanContext, g: { name: string; startMs: number; cronJob?: string; scheduledMs?: number }): PodGroup {
  const rt = ctx.cache.get(w.template, { instanceName: w.name, limitRange: w.ns.body.limitRange, sharedClaims: w.sharedClaims });
  const group = newGroup(w, rt, { ownerKind: 'Job', ownerName: g.name, createdMs: g.startMs, revision: 1, desired: w.template.completions ?? 1, labels: podLabels(w.template, w.name) });
  group.job = { startMs: g.startMs, outcome: 'running', ...(g.cronJob ? { cronJob: g.cronJob, scheduledMs: g.scheduledMs } : {}) };
  return group;
}

/** Pods of a Job whose pods keep failing: backoffLimit + 1 failed pods, spaced by the retry back-off. */
function fillFailed(group: PodGroup, ctx: PlanContext): void {
  const t = group.workload.template;
  const taken = new Set<string>();
  let at = group.createdMs + 1000;
  let i = 0;
  for (; i <= t.backoffLimit && at + 6000 < ctx.nowMs; i++) {
    const name = uniquePodName(group.ownerName, taken, ctx.seed);
    group.pods.push({ name, ordinal: -1, state: 'job-failed', createdMs: Math.round(at), endedMs: Math.round(at + 6000) });
    at += 6000 + Math.min(10_000 * 2 ** i, 360_000);
  }
  // A Job still inside its retries keeps backing off; it fails once backoffLimit + 1 pods have failed.
  if (group.job && i > t.backoffLimit) {
    group.job.outcome = 'failed';
    group.job.endMs = group.pods[group.pods.length - 1]?.endedMs ?? at;
  }
}

/** Pods of a healthy Job: completed batches, or the running batch. */
function fillHealthy(group: PodGroup, ctx: PlanContext): void {
  const t = group.workload.template;
  const completions = t.completions ?? 1;
  const parallelism = Math.min(t.parallelism ?? 1, completions);
  const durationMs = t.durationMinutes * MINUTE_MS;
  const batches = Math.ceil(completions / parallelism);
  const taken = new Set<string>();
  const start = group.createdMs + 1000;
  const done = start + batches * durationMs <= ctx.nowMs;
  const count = done ? completions : parallelism;
  for (let i = 0; i < count; i++) {
    const created = done ? start + Math.floor(i / parallelism) * durationMs : start;
    const pod = { name: uniquePodName(group.ownerName, taken, ctx.seed), ordinal: -1, state: done ? ('succeeded' as const) : ('running' as const), createdMs: Math.round(created) };
    group.pods.push(done ? { ...pod, endedMs: Math.round(created + durationMs * ctx.rng.between(0.7, 1)) } : pod);
  }
  if (group.job && done) {
    group.job.outcome = 'complete';
    group.job.endMs = Math.max(...group.pods.map((p) => p.endedMs ?? start));
  }
}

export function planJob(w: WorkloadPlan, rolloutMs: number, ctx: PlanContext): void {
  const failed = failingCount(w.template.failure, 1) > 0;
  const startMs = failed ? Math.round(ctx.nowMs - ctx.rng.between(20, 50) * MINUTE_MS) : rolloutMs;
  const group = jobGroup(w, ctx, { name: w.name, startMs });
  if (failed) fillFailed(group, ctx);
  else fillHealthy(group, ctx);
}

export function planCronJob(w: WorkloadPlan, _rolloutMs: number, ctx: PlanContext): void {
  const runs = previousRuns(parseCron(w.template.schedule ?? '* * * * *'), ctx.nowMs, HISTORY).filter((r) => r > w.createdMs);
  w.cronRuns = runs;
  const failing = failingCount(w.template.failure, 1) > 0;
  runs
    .slice()
    .reverse()
    .forEach((run, i, all) => {
      const group = jobGroup(w, ctx, { name: `${w.name}-${Math.floor(run / MINUTE_MS)}`, startMs: run + 1000, cronJob: w.name, scheduledMs: run });
      if (failing && i === all.length - 1) fillFailed(group, ctx);
      else fillHealthy(group, ctx);
    });
}
