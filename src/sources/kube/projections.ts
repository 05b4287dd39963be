// SPDX-License-Identifier: Apache-2.0
// The watched kinds: collection path, projection and whether the kind gates readiness. One table, so adding a
// kind is one line here plus its projection and its entry in the domain's KindMap.
import type { KindMap, KindName } from '../../domain/kube-ports.ts';
import {
  projectEndpointSlice,
  projectEvent,
  projectLimitRange,
  projectNamespace,
  projectNetworkPolicy,
  projectNode,
  projectPersistentVolume,
  projectPersistentVolumeClaim,
  projectResourceQuota,
  projectService,
  projectStorageClass,
} from './project-cluster.ts';
import { projectPod } from './project-pod.ts';
import {
  projectCronJob,
  projectDaemonSet,
  projectDeployment,
  projectHorizontalPodAutoscaler,
  projectJob,
  projectPodDisruptionBudget,
  projectReplicaSet,
  projectStatefulSet,
} from './project-workloads.ts';

/** How one kind is listed, watched and projected. */
export interface KindSpec<K extends KindName> {
  /** Cluster-wide collection path (all namespaces). */
  readonly path: string;
  readonly namespaced: boolean;
  /** Raw API object → projection; undefined for an object without name (or namespace, if namespaced). */
  readonly project: (raw: unknown) => KindMap[K] | undefined;
  /**
   * Whether readiness waits for this kind's first list. NetworkPolicy is Optional in REQUIREMENTS §1.2: a
   * cluster (or an RBAC role) without it must not keep the monitor unready.
   */
  readonly gatesReadiness: boolean;
}

const core = (plural: string): string => `/api/v1/${plural}`;
const group = (groupVersion: string, plural: string): string => `/apis/${groupVersion}/${plural}`;

/** Every watched kind. Core Events (v1) rather than events.k8s.io: same objects, and `count` is kept there. */
export const KIND_SPECS: { readonly [K in KindName]: KindSpec<K> } = {
  namespaces: { path: core('namespaces'), namespaced: false, project: projectNamespace, gatesReadiness: true },
  nodes: { path: core('nodes'), namespaced: false, project: projectNode, gatesReadiness: true },
  pods: { path: core('pods'), namespaced: true, project: projectPod, gatesReadiness: true },
  events: { path: core('events'), namespaced: true, project: projectEvent, gatesReadiness: true },
  resourcequotas: { path: core('resourcequotas'), namespaced: true, project: projectResourceQuota, gatesReadiness: true },
  limitranges: { path: core('limitranges'), namespaced: true, project: projectLimitRange, gatesReadiness: true },
  persistentvolumeclaims: { path: core('persistentvolumeclaims'), namespaced: true, project: projectPersistentVolumeClaim, gatesReadiness: true },
  persistentvolumes: { path: core('persistentvolumes'), namespaced: false, project: projectPersistentVolume, gatesReadiness: true },
  storageclasses: { path: group('storage.k8s.io/v1', 'storageclasses'), namespaced: false, project: projectStorageClass, gatesReadiness: true },
  services: { path: core('services'), namespaced: true, project: projectService, gatesReadiness: true },
  endpointslices: { path: group('discovery.k8s.io/v1', 'endpointslices'), namespaced: true, project: projectEndpointSlice, gatesReadiness: true },
  deployments: { path: group('apps/v1', 'deployments'), namespaced: true, project: projectDeployment, gatesReadiness: true },
  replicasets: { path: group('apps/v1', 'replicasets'), namespaced: true, project: projectReplicaSet, gatesReadiness: true },
  statefulsets: { path: group('apps/v1', 'statefulsets'), namespaced: true, project: projectStatefulSet, gatesReadiness: true },
  daemonsets: { path: group('apps/v1', 'daemonsets'), namespaced: true, project: projectDaemonSet, gatesReadiness: true },
  jobs: { path: group('batch/v1', 'jobs'), namespaced: true, project: projectJob, gatesReadiness: true },
  cronjobs: { path: group('batch/v1', 'cronjobs'), namespaced: true, project: projectCronJob, gatesReadiness: true },
  horizontalpodautoscalers: {
    path: group('autoscaling/v2', 'horizontalpodautoscalers'),
    namespaced: true,
    project: projectHorizontalPodAutoscaler,
    gatesReadiness: true,
  },
  poddisruptionbudgets: { path: group('policy/v1', 'poddisruptionbudgets'), namespaced: true, project: projectPodDisruptionBudget, gatesReadiness: true },
  networkpolicies: { path: group('networking.k8s.io/v1', 'networkpolicies'), namespaced: true, project: projectNetworkPolicy, gatesReadiness: false },
};
