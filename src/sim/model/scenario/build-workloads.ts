// SPDX-License-Identifier: Apache-2.0
// Stores the controllers of one namespace in owner-first order (Deployment → ReplicaSets, CronJob → Jobs,
// StatefulSets, DaemonSets), so every ReplicaSet, Job and pod can point at its owner's uid, then the pods in name
// order (the store keeps keys sorted; appending in order is cheapest).
import type { ObjectReference, StringMap } from '../kube-types.ts';
import type { NamespacePlan, PodGroup, PodPlan, WorkloadPlan } from './plan.ts';
import type { PodOwnerInfo } from './built-types.ts';
import type { PodSink } from './build-context.ts';
import type { Rng } from './rng.ts';
import { createPod } from './build-pods.ts';
import { controllerRef } from './controller-common.ts';
import { daemonSetObject, deploymentObject, replicaSetObject, statefulSetObject } from './build-controllers.ts';
import { cronJobObject, jobObject } from './build-jobs.ts';


function createJobs(sink: PodSink & { rng: Rng }, groups: readonly PodGroup[], cronJobUid?: string): { group: PodGroup; ref: ObjectReference }[] {
  return groups.map((g) => {
    const { job, podLabels } = jobObject(g, { rng: sink.rng, ...(cronJobUid ? { cronJobUid } : {}) });
    const stored = sink.store.create(job);
    g.labels = podLabels;
    g.ownerUid = stored.metadata.uid;
    g.ownerRefs = controllerRef({ apiVersion: 'batch/v1', kind: 'Job', name: g.ownerName }, stored.metadata.uid);
    return { group: g, ref: { apiVersion: 'batch/v1', kind: 'Job', name: g.ownerName, namespace: g.workload.ns.name, resourceVersion: stored.metadata.resourceVersion, uid: stored.metadata.uid } };
  });
}

function createDeployment(sink: PodSink & OwnerSink, w: WorkloadPlan): void {
  const d = sink.store.create(deploymentObject(w));
  for (const g of [...w.groups].sort((a, b) => (a.ownerName < b.ownerName ? -1 : 1))) {
    const rs = sink.store.create(replicaSetObject(g, d.metadata.uid));
    g.ownerUid = rs.metadata.uid;
    g.ownerRefs = controllerRef({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: g.ownerName }, rs.metadata.uid);
    if (rs.metadata.uid) sink.owners.set(rs.metadata.uid, ownerInfoOf(g));
  }
}

interface OwnerSink {
  owners: Map<string, PodOwnerInfo>;
}

function createOwned(sink: PodSink, w: WorkloadPlan): void {
  const g = w.groups[0];
  if (!g) return;
  const obj = w.template.kind === 'StatefulSet' ? statefulSetObject(g) : daemonSetObject(g);
  const stored = sink.store.create(obj);
  g.ownerUid = stored.metadata.uid;
  g.ownerRefs = controllerRef({ apiVersion: 'apps/v1', kind: w.template.kind, name: w.name }, stored.metadata.uid);
}

/** Creates the namespace's controllers (pods come after). */
export function createControllers(sink: PodSink & OwnerSink, ns: NamespacePlan): void {
  const byKind = (kind: string): WorkloadPlan[] => ns.workloads.filter((w) => w.template.kind === kind).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const w of byKind('Deployment')) createDeployment(sink, w);
  for (const w of byKind('StatefulSet')) createOwned(sink, w);
  for (const w of byKind('DaemonSet')) createOwned(sink, w);
  for (const w of byKind('CronJob')) {
    // The CronJob's status lists its active Jobs, so the Jobs' references are built first and the uid patched in.
    const cj = sink.store.create(cronJobObject(w, []));
    const jobs = createJobs(sink, w.groups, cj.metadata.uid);
    const full = cronJobObject(w, jobs);
    sink.store.patch('cronjobs.batch', ns.name, w.name, (draft) => {
      draft.status = full.status;
    });
  }
  for (const w of byKind('Job')) createJobs(sink, w.groups);
}

const ownerInfos = new WeakMap<PodGroup, PodOwnerInfo>();

export function ownerInfoOf(g: PodGroup): PodOwnerInfo {
  let info = ownerInfos.get(g);
  if (!info) {
    const annotations: StringMap = { ...g.workload.template.annotations, ...g.rt.podAnnotations };
    info = {
      namespace: g.workload.ns.name,
      rt: g.rt,
      labels: g.labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ...(g.ownerRefs ? { ownerRefs: g.ownerRefs } : {}),
      ...(g.ownerKind ? { ownerKind: g.ownerKind } : {}),
      ownerName: g.ownerName,
      generateName: `${g.ownerName}-`,
    };
    ownerInfos.set(g, info);
  }
  return info;
}

/** Creates every pod of the namespace in name order; each plan keeps its stored pod. */
export function createNamespacePods(sink: PodSink, ns: NamespacePlan): void {
  const plans: PodPlan[] = [];
  const owners: PodOwnerInfo[] = [];
  for (const w of ns.workloads) {
    for (const g of w.groups) {
      const owner = ownerInfoOf(g);
      for (const plan of g.pods) {
        plans.push(plan);
        owners.push(owner);
      }
    }
  }
  const order = plans.map((_, i) => i).sort((a, b) => ((plans[a] as PodPlan).name < (plans[b] as PodPlan).name ? -1 : 1));
  for (const i of order) {
    const plan = plans[i] as PodPlan;
    plan.pod = createPod(owners[i] as PodOwnerInfo, plan, sink);
  }
}
