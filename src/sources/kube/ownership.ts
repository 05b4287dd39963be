// SPDX-License-Identifier: Apache-2.0
// Workload resolution through ownerReferences (REQUIREMENTS §1.4): Pod → ReplicaSet → Deployment,
// Pod → Job → CronJob, Pod → StatefulSet / DaemonSet; a bare pod is its own workload.
import type { WorkloadRef } from '../../domain/kube-ports.ts';
import type { OwnerRef, Pod } from '../../domain/resources.ts';
import type { Job, ReplicaSet } from '../../domain/workload-resources.ts';

/** The intermediate owners the resolution needs to look up. */
export interface OwnerLookup {
  replicaSet(namespace: string, name: string): ReplicaSet | undefined;
  job(namespace: string, name: string): Job | undefined;
}

/**
 * The managing owner: the reference with `controller: true`, else the first one (some operators omit the flag
 * and kube-state-metrics' `kube_pod_owner` reports such owners all the same).
 */
export function controllerOf(owners: readonly OwnerRef[]): OwnerRef | undefined {
  return owners.find((o) => o.controller) ?? owners[0];
}

function viaReplicaSet(pod: Pod, rsName: string, lookup: OwnerLookup): WorkloadRef {
  const namespace = pod.namespace;
  const rs = lookup.replicaSet(namespace, rsName);
  if (rs) {
    // Deployment normally; another controller (an Argo Rollout) owns ReplicaSets the same way.
    const parent = controllerOf(rs.owners);
    return parent ? { namespace, kind: parent.kind, name: parent.name, resolved: true } : { namespace, kind: 'ReplicaSet', name: rsName, resolved: true };
  }
  // The ReplicaSet is not cached (initial sync still running, or deleted during a rollout). The Deployment
  // controller names its ReplicaSets `<deployment>-<pod-template-hash>` and stamps the hash on their pods.
  const hash = pod.labels['pod-template-hash'];
  if (hash && rsName.endsWith(`-${hash}`)) {
    return { namespace, kind: 'Deployment', name: rsName.slice(0, -(hash.length + 1)), resolved: false };
  }
  return { namespace, kind: 'ReplicaSet', name: rsName, resolved: false };
}

function viaJob(pod: Pod, jobName: string, lookup: OwnerLookup): WorkloadRef {
  const namespace = pod.namespace;
  const job = lookup.job(namespace, jobName);
  if (!job) return { namespace, kind: 'Job', name: jobName, resolved: false };
  const parent = controllerOf(job.owners);
  return parent ? { namespace, kind: parent.kind, name: parent.name, resolved: true } : { namespace, kind: 'Job', name: jobName, resolved: true };
}

/** The workload a pod belongs to. Pure: the caller supplies the cached ReplicaSets and Jobs. */
export function resolveWorkload(pod: Pod, lookup: OwnerLookup): WorkloadRef {
  const owner = controllerOf(pod.owners);
  // Static (mirror) pods are owned by their Node object; they are workloads of their own.
  if (!owner || owner.kind === 'Node') return { namespace: pod.namespace, kind: 'Pod', name: pod.name, resolved: true };
  if (owner.kind === 'ReplicaSet') return viaReplicaSet(pod, owner.name, lookup);
  if (owner.kind === 'Job') return viaJob(pod, owner.name, lookup);
  return { namespace: pod.namespace, kind: owner.kind, name: owner.name, resolved: true };
}
