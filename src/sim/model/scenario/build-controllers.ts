// SPDX-License-Identifier: Apache-2.0
// Deployments, ReplicaSets, StatefulSets and DaemonSets with the spec defaults and status fields their
// controllers maintain: revisions and desired/max-replicas annotations on ReplicaSets, Available and Progressing
// conditions on Deployments (ProgressDeadlineExceeded for a stuck rollout), revisions on StatefulSets and the
// scheduled/ready/available numbers of DaemonSets.
import type { Condition, DaemonSet, Deployment, ReplicaSet, StatefulSet, StringMap } from '../kube-types.ts';
import type { PodGroup, WorkloadPlan } from './plan.ts';
import { controllerRef, countGroup, podTemplate } from './controller-common.ts';
import { podLabels } from './plan-helpers.ts';
import { iso } from './time.ts';

function labelsOf(w: WorkloadPlan): StringMap {
  return podLabels(w.template, w.name);
}

function objectMeta(w: WorkloadPlan, createdMs: number, extra: { annotations?: StringMap; generation?: number } = {}): Deployment['metadata'] {
  const m: Deployment['metadata'] = { name: w.name, namespace: w.ns.name, creationTimestamp: iso(createdMs), generation: extra.generation ?? 1, labels: labelsOf(w) };
  const annotations = { ...w.template.annotations, ...extra.annotations };
  if (Object.keys(annotations).length) m.annotations = annotations;
  return m;
}

const ROLLING_UPDATE = Object.freeze({ rollingUpdate: Object.freeze({ maxSurge: '25%', maxUnavailable: '25%' }), type: 'RollingUpdate' });
const rsAnnotations = new Map<string, StringMap>();

/** The ReplicaSet annotations the Deployment controller sets (shared by equal values). */
function replicaSetAnnotations(desired: number, max: number, revision: number): StringMap {
  const key = `${desired}/${max}/${revision}`;
  let a = rsAnnotations.get(key);
  if (!a) {
    a = { 'deployment.kubernetes.io/desired-replicas': String(desired), 'deployment.kubernetes.io/max-replicas': String(max), 'deployment.kubernetes.io/revision': String(revision) };
    rsAnnotations.set(key, a);
  }
  return a;
}

function deploymentConditions(w: WorkloadPlan, s: { available: number; current: PodGroup }): Condition[] {
  const minAvailable = w.replicas - Math.floor(w.replicas / 4);
  const ok = s.available >= minAvailable;
  const at = iso(s.current.createdMs + 8000);
  const available: Condition = ok
    ? { type: 'Available', status: 'True', lastUpdateTime: at, lastTransitionTime: at, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { type: 'Available', status: 'False', lastUpdateTime: at, lastTransitionTime: at, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
  const rs = s.current.ownerName;
  const progressing: Condition =
    s.current.role === 'stuck-new'
      ? { type: 'Progressing', status: 'False', lastUpdateTime: iso(s.current.createdMs + 600_000), lastTransitionTime: iso(s.current.createdMs + 600_000), reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rs}" has timed out progressing.` }
      : { type: 'Progressing', status: 'True', lastUpdateTime: at, lastTransitionTime: iso(w.createdMs), reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs}" has successfully progressed.` };
  return [available, progressing];
}

/** The newest ReplicaSet: the stuck new one, else the current one. */
export function newestGroup(w: WorkloadPlan): PodGroup | undefined {
  return w.groups.find((g) => g.role === 'stuck-new') ?? w.groups.find((g) => g.role === 'current');
}

export function deploymentObject(w: WorkloadPlan): Deployment {
  const current = newestGroup(w) as PodGroup;
  let replicas = 0;
  let ready = 0;
  for (const g of w.groups) {
    const c = countGroup(g);
    replicas += c.replicas;
    ready += c.ready;
  }
  const updated = countGroup(current).replicas;
  const status: Deployment['status'] = { availableReplicas: ready, conditions: deploymentConditions(w, { available: ready, current }), observedGeneration: current.revision, readyReplicas: ready, replicas, updatedReplicas: updated };
  if (replicas > ready) status.unavailableReplicas = replicas - ready;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(w, w.createdMs, { annotations: { 'deployment.kubernetes.io/revision': String(current.revision) }, generation: current.revision }),
    spec: {
      progressDeadlineSeconds: 600,
      replicas: w.replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: labelsOf(w) },
      strategy: ROLLING_UPDATE,
      template: podTemplate(current.rt, labelsOf(w), w.template.annotations),
    },
    status,
  };
}

export function replicaSetObject(g: PodGroup, deploymentUid: string | undefined): ReplicaSet {
  const w = g.workload;
  const { replicas, ready } = countGroup(g);
  const status: ReplicaSet['status'] = replicas === 0 ? { observedGeneration: 1, replicas: 0 } : { availableReplicas: ready, fullyLabeledReplicas: replicas, observedGeneration: 1, readyReplicas: ready, replicas };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: g.ownerName,
      namespace: w.ns.name,
      creationTimestamp: iso(g.createdMs),
      generation: 1,
      labels: g.labels,
      annotations: replicaSetAnnotations(w.replicas, w.replicas + Math.ceil(w.replicas / 4), g.revision),
      ownerReferences: controllerRef({ apiVersion: 'apps/v1', kind: 'Deployment', name: w.name }, deploymentUid),
    },
    spec: { replicas: g.desired, selector: { matchLabels: g.labels }, template: podTemplate(g.rt, g.labels, w.template.annotations) },
    status,
  };
}

function claimTemplates(w: WorkloadPlan): unknown[] {
  return (w.template.volumeClaims ?? []).map((c) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { creationTimestamp: null, name: c.name },
    spec: { accessModes: c.accessModes, resources: { requests: { storage: c.storage } }, ...(c.storageClass ? { storageClassName: c.storageClass } : {}), volumeMode: 'Filesystem' },
    status: { phase: 'Pending' },
  }));
}

export function statefulSetObject(g: PodGroup): StatefulSet {
  const w = g.workload;
  const { replicas, ready } = countGroup(g);
  const revision = `${w.name}-${g.rt.hash}`;
  const spec: StatefulSet['spec'] = {
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    podManagementPolicy: 'OrderedReady',
    replicas: w.replicas,
    revisionHistoryLimit: 10,
    selector: { matchLabels: labelsOf(w) },
    serviceName: w.name,
    template: podTemplate(g.rt, labelsOf(w), w.template.annotations),
    updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
  };
  const claims = claimTemplates(w);
  if (claims.length) spec.volumeClaimTemplates = claims;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: objectMeta(w, w.createdMs),
    spec,
    status: { availableReplicas: ready, collisionCount: 0, currentReplicas: replicas, currentRevision: revision, observedGeneration: 1, readyReplicas: ready, replicas, updateRevision: revision, updatedReplicas: replicas },
  };
}

export function daemonSetObject(g: PodGroup): DaemonSet {
  const w = g.workload;
  const scheduled = g.pods.filter((p) => p.node !== undefined).length;
  const { ready } = countGroup(g);
  const status: DaemonSet['status'] = { currentNumberScheduled: scheduled, desiredNumberScheduled: g.desired, numberAvailable: ready, numberMisscheduled: 0, numberReady: ready, observedGeneration: 1, updatedNumberScheduled: scheduled };
  if (g.desired > ready) status.numberUnavailable = g.desired - ready;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: objectMeta(w, w.createdMs, { annotations: { 'deprecated.daemonset.template.generation': '1' } }),
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: labelsOf(w) },
      template: podTemplate(g.rt, labelsOf(w), w.template.annotations),
      updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' },
    },
    status,
  };
}
