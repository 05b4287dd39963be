// SPDX-License-Identifier: Apache-2.0
// The kinds the simulated API server serves, with the discovery facts a real API server publishes for them
// (names, short names, categories and verbs as in Kubernetes 1.31–1.35 discovery documents). Discovery, routing,
// Table printing and the object store all key off this one table.

/** One served resource: `group` is '' for the core group. */
export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  /** Read-only kinds (RBAC) answer writes with 405 MethodNotAllowed. */
  readonly readOnly?: boolean;
  /** Subresources served besides the object itself (for example `log` on pods). */
  readonly subresources?: readonly string[];
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const RO = ['get', 'list', 'watch'] as const;

export function verbsOf(rt: ResourceType): readonly string[] {
  if (rt.group === 'metrics.k8s.io') return ['get', 'list'];
  return rt.readOnly ? RO : RW;
}

export function apiVersionOf(rt: ResourceType): string {
  return rt.group === '' ? rt.version : `${rt.group}/${rt.version}`;
}

/** A core/v1 resource; namespaced unless `extra.namespaced` says otherwise. */
function core(plural: string, kind: string, extra: Partial<ResourceType> = {}): ResourceType {
  return { group: '', version: 'v1', plural, singular: kind.toLowerCase(), kind, namespaced: true, ...extra };
}

/** A resource of a named group, given as `group/version` and `plural/Kind`; namespaced unless `extra` says not. */
function grp(groupVersion: string, pluralKind: string, extra: Partial<ResourceType> = {}): ResourceType {
  const [group = '', version = 'v1'] = groupVersion.split('/');
  const [plural = '', kind = ''] = pluralKind.split('/');
  return { group, version, plural, singular: kind.toLowerCase(), kind, namespaced: true, ...extra };
}

const all = ['all'] as const;

/** Every served resource. Order is the order of discovery output. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  core('configmaps', 'ConfigMap', { shortNames: ['cm'] }),
  core('endpoints', 'Endpoints', { shortNames: ['ep'] }),
  core('events', 'Event', { shortNames: ['ev'] }),
  core('limitranges', 'LimitRange', { shortNames: ['limits'] }),
  core('namespaces', 'Namespace', { namespaced: false, shortNames: ['ns'] }),
  core('nodes', 'Node', { namespaced: false, shortNames: ['no'], subresources: ['proxy', 'status'] }),
  core('persistentvolumeclaims', 'PersistentVolumeClaim', { shortNames: ['pvc'], subresources: ['status'] }),
  core('persistentvolumes', 'PersistentVolume', { namespaced: false, shortNames: ['pv'], subresources: ['status'] }),
  core('pods', 'Pod', { shortNames: ['po'], categories: all, subresources: ['log', 'status'] }),
  core('resourcequotas', 'ResourceQuota', { shortNames: ['quota'], subresources: ['status'] }),
  core('services', 'Service', { shortNames: ['svc'], categories: all, subresources: ['status'] }),
  grp('apps/v1', 'daemonsets/DaemonSet', { shortNames: ['ds'], categories: all, subresources: ['status'] }),
  grp('apps/v1', 'deployments/Deployment', { shortNames: ['deploy'], categories: all, subresources: ['status'] }),
  grp('apps/v1', 'replicasets/ReplicaSet', { shortNames: ['rs'], categories: all, subresources: ['status'] }),
  grp('apps/v1', 'statefulsets/StatefulSet', { shortNames: ['sts'], categories: all, subresources: ['status'] }),
  grp('autoscaling/v2', 'horizontalpodautoscalers/HorizontalPodAutoscaler', {
    shortNames: ['hpa'],
    categories: all,
    subresources: ['status'],
  }),
  grp('batch/v1', 'cronjobs/CronJob', { shortNames: ['cj'], categories: all, subresources: ['status'] }),
  grp('batch/v1', 'jobs/Job', { categories: all, subresources: ['status'] }),
  grp('coordination.k8s.io/v1', 'leases/Lease'),
  grp('discovery.k8s.io/v1', 'endpointslices/EndpointSlice'),
  grp('events.k8s.io/v1', 'events/Event', { shortNames: ['ev'] }),
  grp('networking.k8s.io/v1', 'networkpolicies/NetworkPolicy', { shortNames: ['netpol'] }),
  grp('policy/v1', 'poddisruptionbudgets/PodDisruptionBudget', { shortNames: ['pdb'], subresources: ['status'] }),
  grp('rbac.authorization.k8s.io/v1', 'clusterrolebindings/ClusterRoleBinding', { namespaced: false, readOnly: true }),
  grp('rbac.authorization.k8s.io/v1', 'clusterroles/ClusterRole', { namespaced: false, readOnly: true }),
  grp('rbac.authorization.k8s.io/v1', 'rolebindings/RoleBinding', { readOnly: true }),
  grp('rbac.authorization.k8s.io/v1', 'roles/Role', { readOnly: true }),
  grp('storage.k8s.io/v1', 'storageclasses/StorageClass', { namespaced: false, shortNames: ['sc'] }),
  grp('metrics.k8s.io/v1beta1', 'nodes/NodeMetrics', { namespaced: false, readOnly: true }),
  grp('metrics.k8s.io/v1beta1', 'pods/PodMetrics', { readOnly: true }),
];

/** Store key of a resource type: `plural.group` (`pods`, `deployments.apps`, `events.events.k8s.io`). */
export function storeKeyOf(rt: ResourceType): string {
  return rt.group === '' ? rt.plural : `${rt.plural}.${rt.group}`;
}

/** Resource types served under one group version, for discovery and routing. */
export function resourcesOf(group: string, version: string): ResourceType[] {
  return RESOURCE_TYPES.filter((rt) => rt.group === group && rt.version === version);
}

/** The group versions served, core first, then named groups alphabetically. */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const rt of RESOURCE_TYPES) seen.set(apiVersionOf(rt), { group: rt.group, version: rt.version });
  return [...seen.values()].sort((a, b) => (a.group === '' ? -1 : b.group === '' ? 1 : a.group.localeCompare(b.group)));
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((rt) => rt.group === group && rt.version === version && rt.plural === plural);
}

/** Looks a resource up by its Kind and apiVersion, as found on an object. */
export function resourceForObject(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((rt) => apiVersionOf(rt) === apiVersion && rt.kind === kind);
}
