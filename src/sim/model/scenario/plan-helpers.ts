// SPDX-License-Identifier: Apache-2.0
// Shared pieces of workload planning: instance names, pod labels, ages, unique generated pod names and the
// assignment of a template's failure mode to its first pods.
import type { StringMap } from '../kube-types.ts';
import type { NamespacePlan, OwnerKind, PodGroup, PodPlan, PodState, WorkloadPlan } from './plan.ts';
import type { ResolvedTemplate, TemplateCache } from './pod-template.ts';
import { Rng, subSeed } from './rng.ts';
import type { FailureSpec, WorkloadTemplate } from './schema-workload.ts';
import { POD_FAILURES, isPodFailureMode } from './failures/registry.ts';
import { HOUR_MS, DAY_MS } from '../../../domain/time.ts';

export interface PlanContext {
  nowMs: number;
  rng: Rng;
  /** The scenario seed (streams that must not depend on draw order derive from it). */
  seed: number;
  cache: TemplateCache;
  /** Names of StorageClasses that exist. */
  storageClasses: ReadonlySet<string>;
  defaultStorageClass?: string;
}

export function instanceNames(t: WorkloadTemplate): string[] {
  if (t.count === 1) return [t.name];
  return Array.from({ length: t.count }, (_, i) => `${t.name}-${i + 1}`);
}

const labelCache = new WeakMap<WorkloadTemplate, Map<string, StringMap>>();

/**
 * Pod labels of an instance: the template's labels (or app=<name>); copies of one template get an instance label.
 * One shared object per template and instance name (selectors, templates and pods all point at it).
 */
export function podLabels(t: WorkloadTemplate, instance: string): StringMap {
  let perInstance = labelCache.get(t);
  if (!perInstance) labelCache.set(t, (perInstance = new Map()));
  let labels = perInstance.get(instance);
  if (!labels) {
    labels = !t.labels ? { app: instance } : t.count > 1 ? { ...t.labels, 'app.kubernetes.io/instance': instance } : t.labels;
    perInstance.set(instance, labels);
  }
  return labels;
}

/** When the workload was created and when its current template was rolled out. */
export function workloadTimes(ns: NamespacePlan, t: WorkloadTemplate, ctx: PlanContext): { createdMs: number; rolloutMs: number } {
  const { nowMs, rng } = ctx;
  const span = Math.max(2 * HOUR_MS, nowMs - ns.createdMs - HOUR_MS);
  const createdMs = Math.round(Math.min(nowMs - 2 * HOUR_MS, ns.createdMs + rng.between(0.05, 0.6) * span));
  if (t.ageHours !== undefined) return { createdMs: Math.min(createdMs, nowMs - t.ageHours * HOUR_MS), rolloutMs: nowMs - t.ageHours * HOUR_MS };
  const sinceCreated = nowMs - createdMs;
  // Most workloads were rolled out again since creation; recent rollouts are more common than old ones.
  const rolloutAge = Math.max(2 * HOUR_MS, Math.min(sinceCreated, 14 * DAY_MS) * rng.float() ** 2);
  return { createdMs, rolloutMs: Math.round(nowMs - rolloutAge) };
}

// One name stream per owner and group: a pod's generated name depends only on its owner, not on how many names
// were drawn before it, so a simulation restarted at a later time (more Job runs behind it) keeps the names of the
// pods that still exist (the demo resumes on its database this way).
const nameStreams = new WeakMap<Set<string>, Map<string, Rng>>();

function nameStream(prefix: string, taken: Set<string>, seed: number): Rng {
  let byPrefix = nameStreams.get(taken);
  if (byPrefix === undefined) nameStreams.set(taken, (byPrefix = new Map()));
  let rng = byPrefix.get(prefix);
  if (rng === undefined) byPrefix.set(prefix, (rng = new Rng(subSeed(seed, `pod-names/${prefix}`))));
  return rng;
}

/** Generated pod name `<prefix>-<5 chars>`, unique within the group. */
export function uniquePodName(prefix: string, taken: Set<string>, seed: number): string {
  const rng = nameStream(prefix, taken, seed);
  for (;;) {
    // join yields a flat string; a template literal would keep a cons string per pod name.
    const name = [prefix, '-', rng.suffix()].join('');
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

export function newGroup(w: WorkloadPlan, rt: ResolvedTemplate, g: { ownerKind?: OwnerKind; ownerName: string; createdMs: number; revision: number; desired: number; labels: StringMap; role?: PodGroup['role'] }): PodGroup {
  const group: PodGroup = { workload: w, rt, ...g, pods: [], role: g.role ?? 'current' };
  w.groups.push(group);
  return group;
}

/** How many of `replicas` pods the failure applies to. */
export function failingCount(failure: FailureSpec | undefined, replicas: number): number {
  if (!failure || !isPodFailureMode(failure.mode)) return 0;
  const pods = 'pods' in failure ? failure.pods : undefined;
  return Math.min(replicas, pods ?? replicas);
}

/** Creation time of a pod in the given state. */
export function podCreatedMs(g: PodGroup, state: PodState, ctx: PlanContext): number {
  const f = g.rt.failure;
  if (state === 'failure' && f && isPodFailureMode(f.mode)) return Math.round(Math.max(g.workload.createdMs, POD_FAILURES[f.mode].createdMs(f, ctx.nowMs, ctx.rng)));
  if (state === 'unschedulable') return Math.round(ctx.nowMs - ctx.rng.between(10, 50) * 60_000);
  return g.createdMs;
}

/** Adds `n` ReplicaSet/DaemonSet/Job-style pods (generated names) in the given state. */
export function addGeneratedPods(g: PodGroup, add: { n: number; state: PodState; taken: Set<string> }, ctx: PlanContext): void {
  const { n, state, taken } = add;
  for (let i = 0; i < n; i++) {
    const pod: PodPlan = { name: uniquePodName(g.ownerName, taken, ctx.seed), ordinal: -1, state, createdMs: 0 };
    pod.createdMs = podCreatedMs(g, state, ctx);
    g.pods.push(pod);
  }
}

/** True when a claim of the template names a StorageClass that does not exist (it can never bind). */
export function hasUnboundClaims(t: WorkloadTemplate, ctx: PlanContext): boolean {
  return (t.volumeClaims ?? []).some((c) => {
    const cls = c.storageClass ?? ctx.defaultStorageClass;
    return cls === undefined || !ctx.storageClasses.has(cls);
  });
}
