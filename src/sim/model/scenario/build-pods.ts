// SPDX-License-Identifier: Apache-2.0
// Pod objects: metadata with the owner's labels and ownerReferences, the template's shared spec plus nodeName
// (StatefulSet pods add hostname, subdomain and their own claims; DaemonSet pods their node affinity), and a
// status chosen by the pod's planned state. Running containers are handed to the usage model.
import type { Pod, PodStatus, StringMap } from '../kube-types.ts';
import type { PodLogProfiles } from './log-index.ts';
import type { NodeRecord } from './node-record.ts';
import type { PodPlan } from './plan.ts';
import type { ResolvedTemplate } from './pod-template.ts';
import type { PodOwnerInfo } from './built-types.ts';
import type { PodSink } from './build-context.ts';
import { podStatusFor } from './pod-states.ts';

const dsAffinity = new Map<string, Record<string, unknown>>();

/** DaemonSet pods are pinned with required node affinity on metadata.name (one object per node, shared). */
function daemonSetAffinity(node: string): Record<string, unknown> {
  let a = dsAffinity.get(node);
  if (!a) {
    a = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } };
    dsAffinity.set(node, a);
  }
  return a;
}

function podSpec(owner: PodOwnerInfo, plan: PodPlan): Pod['spec'] {
  const base = owner.rt.podSpec as Pod['spec'];
  if (!plan.node) return base;
  const nodeName = plan.node.name;
  if (owner.ownerKind === 'DaemonSet') return { ...base, affinity: daemonSetAffinity(nodeName), nodeName };
  if (owner.ownerKind !== 'StatefulSet' || !owner.rt.template.volumeClaims?.length) {
    return owner.ownerKind === 'StatefulSet' ? { ...base, hostname: plan.name, nodeName, subdomain: owner.ownerName } : { ...base, nodeName };
  }
  const claims = owner.rt.template.volumeClaims.map((c) => ({ name: c.name, persistentVolumeClaim: { claimName: `${c.name}-${owner.ownerName}-${plan.ordinal}` } }));
  return { ...base, hostname: plan.name, nodeName, subdomain: owner.ownerName, volumes: [...claims, ...(base.volumes as unknown[])] };
}

function podLabels(owner: PodOwnerInfo, plan: PodPlan): StringMap {
  if (owner.ownerKind !== 'StatefulSet') return owner.labels;
  return { ...owner.labels, 'apps.kubernetes.io/pod-index': String(plan.ordinal), 'statefulset.kubernetes.io/pod-name': plan.name };
}

/** The Pod object for a plan and a status. */
export function podObject(owner: PodOwnerInfo, plan: PodPlan, s: { status: PodStatus; creationTimestamp: string }): Pod {
  const metadata: Pod['metadata'] = { name: plan.name };
  if (owner.ownerKind) metadata.generateName = owner.generateName ?? `${owner.ownerName}-`;
  metadata.namespace = owner.namespace;
  metadata.generation = 1;
  metadata.creationTimestamp = s.creationTimestamp;
  metadata.labels = podLabels(owner, plan);
  if (owner.annotations) metadata.annotations = owner.annotations;
  if (owner.ownerRefs) metadata.ownerReferences = owner.ownerRefs;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec(owner, plan), status: s.status };
}

const logProfiles = new WeakMap<ResolvedTemplate, PodLogProfiles>();

function logProfilesOf(rt: ResolvedTemplate): PodLogProfiles {
  let p = logProfiles.get(rt);
  if (!p) {
    const all = [...rt.initContainers, ...rt.containers];
    p = { containers: all.map((c) => c.name), profiles: all.map((c) => c.logs) };
    logProfiles.set(rt, p);
  }
  return p;
}

function registerRunning(pod: Pod, at: { rt: ResolvedTemplate; node: NodeRecord }, sink: PodSink): void {
  const { rt, node } = at;
  const statuses = pod.status.containerStatuses ?? [];
  let lastIso = '';
  let lastMs = 0;
  rt.containers.forEach((c, i) => {
    const startedAt = statuses[i]?.state.running?.startedAt;
    if (startedAt === undefined) return;
    if (startedAt !== lastIso) {
      lastIso = startedAt;
      lastMs = Date.parse(startedAt);
    }
    sink.containers.push({ namespace: pod.metadata.namespace ?? '', pod: pod.metadata.name, container: c.name, node: node.name, profile: c.usage, requests: c.requests, limits: c.limits, startedAtMs: lastMs, logProfile: c.logs });
  });
}

/** Creates one pod in the store with the status its plan calls for; records its events and runtime scripts. */
export function createPod(owner: PodOwnerInfo, plan: PodPlan, sink: PodSink): Pod {
  const built = podStatusFor(owner, plan, sink);
  const pod = sink.store.create(podObject(owner, plan, built));
  built.after?.(pod);
  if (plan.node) {
    sink.logs.set(owner.namespace, plan.name, logProfilesOf(owner.rt));
    if (pod.status.phase === 'Running' || pod.status.phase === 'Pending') registerRunning(pod, { rt: owner.rt, node: plan.node }, sink);
  }
  return pod;
}
