// SPDX-License-Identifier: Apache-2.0
// Pieces shared by the controller builders: pod readiness as controllers count it, owner references, and the pod
// template as stored in a controller's spec (what the user wrote plus API defaults, without what admission
// plugins add to pods: the service-account token volume and the default not-ready/unreachable tolerations).
import type { OwnerReference, PodTemplateSpec, StringMap } from '../kube-types.ts';
import type { PodGroup, PodPlan } from './plan.ts';
import type { ResolvedTemplate } from './pod-template.ts';

/** Failure modes in which the pod still reports Ready. */
const READY_FAILURES = new Set(['liveness', 'oom']);

export function isReadyPlan(plan: PodPlan, rt: ResolvedTemplate): boolean {
  if (plan.state === 'running') return true;
  if (plan.state !== 'failure') return false;
  return READY_FAILURES.has(rt.failure?.mode ?? '');
}

/** Pods the controller counts (terminal pods are not replicas any more). */
export function isActivePlan(plan: PodPlan): boolean {
  return plan.state === 'running' || plan.state === 'failure' || plan.state === 'unschedulable';
}

export interface GroupCounts {
  replicas: number;
  ready: number;
}

export function countGroup(g: PodGroup): GroupCounts {
  let replicas = 0;
  let ready = 0;
  for (const p of g.pods) {
    if (!isActivePlan(p)) continue;
    replicas++;
    if (isReadyPlan(p, g.rt)) ready++;
  }
  return { replicas, ready };
}

/** ownerReferences of an object its controller created. */
export function controllerRef(owner: { apiVersion: string; kind: string; name: string }, uid: string | undefined): OwnerReference[] {
  return [{ apiVersion: owner.apiVersion, blockOwnerDeletion: true, controller: true, kind: owner.kind, name: owner.name, uid: uid ?? '' }];
}

const templateSpecs = new WeakMap<ResolvedTemplate, PodTemplateSpec['spec']>();

/** The pod spec as it sits in the controller's template (shared per resolved template). */
export function templateSpecOf(rt: ResolvedTemplate): PodTemplateSpec['spec'] {
  let spec = templateSpecs.get(rt);
  if (!spec) {
    const { tolerations: _t, volumes, containers, initContainers, ...rest } = rt.podSpec as Record<string, unknown>;
    const strip = (cs: unknown): unknown => (cs as { volumeMounts?: { name: string }[] }[] | undefined)?.map((c) => {
      const mounts = (c.volumeMounts ?? []).filter((m) => !m.name.startsWith('kube-api-access-'));
      const { volumeMounts: _vm, ...other } = c;
      return mounts.length ? { ...other, volumeMounts: mounts } : other;
    });
    const ownVolumes = (volumes as { name: string }[]).filter((v) => !v.name.startsWith('kube-api-access-'));
    const own = rt.template.tolerations;
    spec = { ...rest, containers: strip(containers), ...(initContainers ? { initContainers: strip(initContainers) } : {}), ...(own?.length ? { tolerations: own } : {}), ...(ownVolumes.length ? { volumes: ownVolumes } : {}) } as PodTemplateSpec['spec'];
    // Admission (ServiceAccount, Priority, defaulting of pods) sets these on pods, not on templates.
    for (const k of ['serviceAccount', 'serviceAccountName', 'priority', 'preemptionPolicy', 'enableServiceLinks']) delete (spec as Record<string, unknown>)[k];
    templateSpecs.set(rt, spec);
  }
  return spec;
}

export function podTemplate(rt: ResolvedTemplate, labels: StringMap, annotations?: StringMap): PodTemplateSpec {
  return { metadata: { ...(annotations ? { annotations } : {}), creationTimestamp: null, labels }, spec: templateSpecOf(rt) };
}
