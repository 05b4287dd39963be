// SPDX-License-Identifier: Apache-2.0
// Objects only the system namespaces hold: the `kubernetes` Service in default (the API server's endpoints,
// maintained by the API server itself rather than the endpoints controller), the cluster-info ConfigMap in
// kube-public, and in kube-system the control-plane leader-election Leases and the well-known RBAC objects.
import type { Endpoints, EndpointSlice, Lease, Service } from '../kube-types.ts';
import type { NamespacePlan } from './plan.ts';
import type { NamespaceBuildEnv } from './build-context.ts';
import { kubeSystemRbac } from './rbac.ts';
import { iso, isoMicro } from './time.ts';

const API_SERVERS = ['172.20.0.11', '172.20.0.12'];

function kubernetesService(createdMs: number): { svc: Service; ep: Endpoints; slice: EndpointSlice } {
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const meta = { name: 'kubernetes', namespace: 'default', creationTimestamp: iso(createdMs), labels };
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta,
    spec: { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
    status: { loadBalancer: {} },
  };
  const ep: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { ...meta, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: API_SERVERS.map((ip) => ({ ip })), ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }] };
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { ...meta, labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: API_SERVERS.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  };
  return { svc, ep, slice };
}

function leaderLease(name: string, holder: string, t: { createdMs: number; renewMs: number }): Lease {
  const { createdMs, renewMs } = t;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: 'kube-system', creationTimestamp: iso(createdMs) },
    spec: { acquireTime: isoMicro(createdMs + 60_000), holderIdentity: holder, leaseDurationSeconds: 15, leaseTransitions: 3, renewTime: isoMicro(renewMs) },
  };
}

/** Creates the extra objects of the system namespaces (no-op for others). */
export function createSystemExtras(env: NamespaceBuildEnv, ns: NamespacePlan, clusterCreatedMs: number): void {
  if (ns.name === 'default') {
    const k = kubernetesService(clusterCreatedMs);
    env.store.create(k.svc);
    env.store.create(k.ep);
    env.store.create(k.slice);
  }
  if (ns.name === 'kube-public') {
    env.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public', creationTimestamp: iso(clusterCreatedMs) }, data: { kubeconfig: 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://172.20.0.10:6443\n  name: ""\ncontexts: null\ncurrent-context: ""\nkind: Config\npreferences: {}\nusers: null\n' } });
  }
  if (ns.name === 'kube-system') {
    const renew = env.nowMs - 2000;
    env.store.create(leaderLease('kube-controller-manager', 'ip-172-20-0-11_5e3b1d2a-4f6c-4b8e-9a7d-2c1f0e9b8a71', { createdMs: clusterCreatedMs, renewMs: renew }));
    env.store.create(leaderLease('kube-scheduler', 'ip-172-20-0-12_9c8d7e6f-1a2b-4c3d-8e9f-0a1b2c3d4e5f', { createdMs: clusterCreatedMs, renewMs: renew }));
    for (const o of kubeSystemRbac(clusterCreatedMs)) env.store.create(o);
  }
}
