// SPDX-License-Identifier: Apache-2.0
// Turns each workload template of a namespace into controller groups and pod plans, the way the controllers
// would have created them: a Deployment's current ReplicaSet (plus its scaled-down previous revision, or the old
// and new ReplicaSets of a stuck rollout), a StatefulSet's ordinal pods, a bare Pod. DaemonSet pods are added by
// the placement step (one per eligible node); Jobs and CronJobs are planned in plan-batch.ts.
import type { NamespacePlan, PodGroup, PodPlan, WorkloadPlan } from './plan.ts';
import type { WorkloadTemplate } from './schema-workload.ts';
import {
  addGeneratedPods,
  failingCount,
  hasUnboundClaims,
  instanceNames,
  newGroup,
  podCreatedMs,
  podLabels,
  workloadTimes,
  type PlanContext,
} from './plan-helpers.ts';
import { planCronJob, planJob } from './plan-batch.ts';
import { healthyVariant, previousVariant, stuckVariant } from './variants.ts';
import { MINUTE_MS, HOUR_MS } from '../../../domain/time.ts';

function desiredReplicas(t: WorkloadTemplate): number {
  if (!t.hpa) return t.replicas;
  if (t.hpa.stuckAtMax) return t.hpa.max;
  return Math.min(t.hpa.max, Math.max(t.hpa.min, t.replicas));
}

function resolveFor(w: WorkloadPlan, t: WorkloadTemplate, ctx: PlanContext): PodGroup['rt'] {
  return ctx.cache.get(t, { instanceName: w.name, limitRange: w.ns.body.limitRange, sharedClaims: w.sharedClaims });
}

function rsGroup(w: WorkloadPlan, g: { t: WorkloadTemplate; createdMs: number; revision: number; desired: number; role: PodGroup['role'] }, ctx: PlanContext): PodGroup {
  const { t, ...rest } = g;
  const rt = resolveFor(w, t, ctx);
  const ownerName = `${w.name}-${rt.hash}`;
  const group = newGroup(w, rt, { ownerKind: 'ReplicaSet', ownerName, ...rest, labels: { ...podLabels(w.template, w.name), 'pod-template-hash': rt.hash } });
  group.unboundClaims = hasUnboundClaims(t, ctx);
  return group;
}

/** Fills a ReplicaSet group: failing pods first, healthy ones, then evicted leftovers. */
function fillReplicaSet(group: PodGroup, n: number, ctx: PlanContext): void {
  const taken = new Set<string>();
  const failing = failingCount(group.rt.failure, n);
  addGeneratedPods(group, { n: failing, state: 'failure', taken }, ctx);
  addGeneratedPods(group, { n: n - failing, state: 'running', taken }, ctx);
  const f = group.workload.template.failure;
  if (f?.mode === 'evicted' && group.role === 'current') {
    const start = group.pods.length;
    addGeneratedPods(group, { n: f.count, state: 'evicted', taken }, ctx);
    for (const p of group.pods.slice(start)) p.endedMs = Math.round(ctx.nowMs - ctx.rng.between(10, 50) * MINUTE_MS);
  }
}

function planDeployment(w: WorkloadPlan, rolloutMs: number, ctx: PlanContext): void {
  const t = w.template;
  const replicas = w.replicas;
  if (t.failure?.mode === 'rollout-stuck') {
    const surge = Math.ceil(replicas / 4);
    const unavailable = Math.floor(replicas / 4);
    const newCount = Math.max(1, Math.min(replicas, surge + unavailable));
    const startedMs = ctx.nowMs - ctx.rng.between(25, 50) * MINUTE_MS;
    const old = rsGroup(w, { t: healthyVariant(t), createdMs: rolloutMs, revision: 1, desired: replicas - unavailable, role: 'old' }, ctx);
    fillReplicaSet(old, replicas - unavailable, ctx);
    const stuck = rsGroup(w, { t: stuckVariant(t), createdMs: Math.round(startedMs), revision: 2, desired: newCount, role: 'stuck-new' }, ctx);
    fillReplicaSet(stuck, newCount, ctx);
    return;
  }
  const prev = previousVariant(t);
  const hasHistory = prev !== undefined && rolloutMs - w.createdMs > HOUR_MS;
  if (prev && hasHistory) rsGroup(w, { t: prev, createdMs: w.createdMs, revision: 1, desired: 0, role: 'old' }, ctx);
  const current = rsGroup(w, { t: t, createdMs: rolloutMs, revision: hasHistory ? 2 : 1, desired: replicas, role: 'current' }, ctx);
  fillReplicaSet(current, replicas, ctx);
}

function planStatefulSet(w: WorkloadPlan, rolloutMs: number, ctx: PlanContext): void {
  const rt = resolveFor(w, w.template, ctx);
  const labels = { ...podLabels(w.template, w.name), 'controller-revision-hash': `${w.name}-${rt.hash}` };
  const group = newGroup(w, rt, { ownerKind: 'StatefulSet', ownerName: w.name, createdMs: rolloutMs, revision: 1, desired: w.replicas, labels });
  group.unboundClaims = hasUnboundClaims(w.template, ctx);
  // Failures hit the highest ordinals: with OrderedReady, a failing low ordinal would block the ones after it.
  const failing = failingCount(rt.failure, w.replicas);
  for (let i = 0; i < w.replicas; i++) {
    const state = i >= w.replicas - failing ? 'failure' : 'running';
    group.pods.push({ name: `${w.name}-${i}`, ordinal: i, state, createdMs: rolloutMs });
  }
  for (const p of group.pods) if (p.state === 'failure') p.createdMs = Math.max(rolloutMs, podCreatedMs(group, 'failure', ctx));
}

function planDaemonSet(w: WorkloadPlan, rolloutMs: number, ctx: PlanContext): void {
  const rt = resolveFor(w, w.template, ctx);
  const labels = { ...podLabels(w.template, w.name), 'controller-revision-hash': rt.hash, 'pod-template-generation': '1' };
  newGroup(w, rt, { ownerKind: 'DaemonSet', ownerName: w.name, createdMs: rolloutMs, revision: 1, desired: 0, labels });
}

function planBarePod(w: WorkloadPlan, rolloutMs: number, ctx: PlanContext): void {
  const rt = resolveFor(w, w.template, ctx);
  const group = newGroup(w, rt, { ownerName: w.name, createdMs: rolloutMs, revision: 1, desired: 1, labels: podLabels(w.template, w.name) });
  group.unboundClaims = hasUnboundClaims(w.template, ctx);
  const state = failingCount(rt.failure, 1) > 0 ? 'failure' : 'running';
  const pod: PodPlan = { name: w.name, ordinal: -1, state, createdMs: rolloutMs };
  if (state === 'failure') pod.createdMs = Math.max(w.createdMs, podCreatedMs(group, 'failure', ctx));
  group.pods.push(pod);
}

const PLANNERS = {
  Deployment: planDeployment,
  StatefulSet: planStatefulSet,
  DaemonSet: planDaemonSet,
  Job: planJob,
  CronJob: planCronJob,
  Pod: planBarePod,
} as const;

/** Plans every workload instance of a namespace (appends to ns.workloads). */
export function planNamespace(ns: NamespacePlan, ctx: PlanContext): void {
  for (const t of ns.body.workloads) {
    for (const name of instanceNames(t)) {
      const { createdMs, rolloutMs } = workloadTimes(ns, t, ctx);
      const sharedClaims = t.kind === 'StatefulSet' ? [] : (t.volumeClaims ?? []).map((c) => ({ name: c.name, claimName: `${name}-${c.name}` }));
      const w: WorkloadPlan = { ns, name, template: t, createdMs: Math.min(createdMs, rolloutMs), replicas: desiredReplicas(t), groups: [], sharedClaims };
      ns.workloads.push(w);
      PLANNERS[t.kind](w, rolloutMs, ctx);
    }
  }
}
