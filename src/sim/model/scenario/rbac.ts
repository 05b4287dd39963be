// SPDX-License-Identifier: Apache-2.0
// A few RBAC objects of the kinds a real cluster always has (served read-only): the default user-facing
// ClusterRoles, their bootstrap bindings, a kube-system Role, and a developer Role per team namespace.
import type { KubeObject } from '../kube-types.ts';
import { iso } from './time.ts';

const RBAC = 'rbac.authorization.k8s.io/v1';
const BOOTSTRAP = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

function rule(apiGroups: string[], resources: string[], verbs: string[]): Record<string, unknown> {
  return { apiGroups, resources, verbs };
}

function clusterRole(name: string, rules: Record<string, unknown>[], createdMs: number): KubeObject {
  return { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name, creationTimestamp: iso(createdMs), labels: BOOTSTRAP, annotations: AUTOUPDATE }, rules };
}

/** Cluster-scoped roles and bindings, in name order. */
export function clusterRbac(createdMs: number): KubeObject[] {
  const workloads = ['deployments', 'replicasets', 'statefulsets', 'daemonsets'];
  const core = ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'events'];
  const roles = [
    clusterRole('admin', [rule([''], core, [...READ, ...WRITE]), rule(['apps'], workloads, [...READ, ...WRITE]), rule(['rbac.authorization.k8s.io'], ['roles', 'rolebindings'], [...READ, ...WRITE])], createdMs),
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), { nonResourceURLs: ['*'], verbs: ['*'] }], createdMs),
    clusterRole('edit', [rule([''], core, [...READ, ...WRITE]), rule(['apps'], workloads, [...READ, ...WRITE]), rule(['batch'], ['jobs', 'cronjobs'], [...READ, ...WRITE])], createdMs),
    clusterRole('system:node', [rule([''], ['nodes', 'nodes/status'], [...READ, 'patch', 'update']), rule(['coordination.k8s.io'], ['leases'], ['create', 'delete', 'get', 'patch', 'update'])], createdMs),
    clusterRole('view', [rule([''], core, READ), rule(['apps'], workloads, READ), rule(['batch'], ['jobs', 'cronjobs'], READ)], createdMs),
  ];
  const binding: KubeObject = {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'cluster-admin', creationTimestamp: iso(createdMs), labels: BOOTSTRAP, annotations: AUTOUPDATE },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
  };
  const nodes: KubeObject = {
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'system:node', creationTimestamp: iso(createdMs), labels: BOOTSTRAP, annotations: AUTOUPDATE },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:nodes' }],
  };
  return [...roles, binding, nodes];
}

/** The developer Role and its binding for a team namespace. */
export function namespaceRbac(namespace: string, createdMs: number): KubeObject[] {
  const role: KubeObject = {
    apiVersion: RBAC,
    kind: 'Role',
    metadata: { name: 'developer', namespace, creationTimestamp: iso(createdMs) },
    rules: [rule([''], ['pods', 'pods/log', 'services', 'configmaps', 'events'], READ), rule(['apps'], ['deployments', 'replicasets', 'statefulsets'], [...READ, 'patch']), rule(['batch'], ['jobs', 'cronjobs'], READ)],
  };
  const binding: KubeObject = {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name: 'developer', namespace, creationTimestamp: iso(createdMs) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'developer' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `${namespace}:developers` }],
  };
  return [role, binding];
}

/** kube-system's well-known Role and binding. */
export function kubeSystemRbac(createdMs: number): KubeObject[] {
  const name = 'extension-apiserver-authentication-reader';
  return [
    { apiVersion: RBAC, kind: 'Role', metadata: { name, namespace: 'kube-system', creationTimestamp: iso(createdMs), labels: BOOTSTRAP, annotations: AUTOUPDATE }, rules: [{ apiGroups: [''], resourceNames: ['extension-apiserver-authentication'], resources: ['configmaps'], verbs: READ }] },
    {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'system::extension-apiserver-authentication-reader', namespace: 'kube-system', creationTimestamp: iso(createdMs), labels: BOOTSTRAP, annotations: AUTOUPDATE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:kube-controller-manager' }, { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:kube-scheduler' }],
    },
  ];
}
