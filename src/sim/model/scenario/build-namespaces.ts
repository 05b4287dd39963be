// SPDX-License-Identifier: Apache-2.0
// Per-namespace objects besides workloads: the Namespace itself, the kube-root-ca.crt ConfigMap the root CA
// publisher creates in every namespace, declared ConfigMaps, LimitRange, ResourceQuota with status computed from
// the namespace's pods, NetworkPolicies and the developer Role.
import type { ConfigMap, KubeObject, LimitRange, Namespace, ResourceQuota, StringMap } from '../kube-types.ts';
import type { ObjectStoreApi } from '../object-store.ts';
import type { NamespacePlan } from './plan.ts';
import type { ResourceList } from './schema-common.ts';
import { namespaceRbac } from './rbac.ts';
import { quotaUsed, type NamespaceTotals } from './quota.ts';
import { Rng } from './rng.ts';
import { iso } from './time.ts';

const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

let rootCa: StringMap | undefined;

/** One fake (but PEM-shaped) cluster CA certificate shared by every namespace's kube-root-ca.crt. */
function rootCaData(): StringMap {
  if (!rootCa) {
    const rng = new Rng(0x5eed);
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const lines: string[] = ['MIIDBTCCAe2gAwIBAgIIQ2xvdWQtc2ltMA0GCSqGSIb3DQEBCwUAMBUxEzARBgNV'];
    for (let i = 0; i < 16; i++) lines.push(Array.from({ length: 64 }, () => chars[rng.int(0, 63)]).join(''));
    rootCa = { 'ca.crt': `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n` };
  }
  return rootCa;
}

export function namespaceObject(ns: NamespacePlan): Namespace {
  const metadata: Namespace['metadata'] = { name: ns.name, creationTimestamp: iso(ns.createdMs), labels: ns.labels };
  if (ns.annotations) metadata.annotations = ns.annotations;
  return { apiVersion: 'v1', kind: 'Namespace', metadata, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

function configMap(at: { namespace: string; name: string; createdMs: number }, data: StringMap, annotations?: StringMap): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: at.name, namespace: at.namespace, creationTimestamp: iso(at.createdMs), ...(annotations ? { annotations } : {}) }, data };
}

/** ConfigMaps of the namespace in name order. */
export function configMapsOf(ns: NamespacePlan): ConfigMap[] {
  const out = [configMap({ namespace: ns.name, name: 'kube-root-ca.crt', createdMs: ns.createdMs + 1000 }, rootCaData(), { 'kubernetes.io/description': ROOT_CA_DESCRIPTION })];
  for (const name of ns.body.configMaps ?? []) {
    out.push(configMap({ namespace: ns.name, name: name, createdMs: ns.createdMs + 60_000 }, { 'application.yaml': `server:\n  port: 8080\nfeature-flags:\n  ${name}: true\n`, LOG_LEVEL: 'info' }));
  }
  if (ns.name === 'kube-system') {
    out.push(configMap({ namespace: ns.name, name: 'coredns', createdMs: ns.createdMs + 5000 }, { Corefile: '.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n' }));
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

function listOf(r: ResourceList | undefined): StringMap | undefined {
  if (!r) return undefined;
  const out: StringMap = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out;
}

export function limitRangeObject(ns: NamespacePlan): LimitRange | undefined {
  const lr = ns.body.limitRange;
  if (!lr) return undefined;
  const item: LimitRange['spec']['limits'][number] = { type: 'Container' };
  for (const key of ['default', 'defaultRequest', 'max', 'min'] as const) {
    const v = listOf(lr[key]);
    if (v) item[key] = v;
  }
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: lr.name ?? 'limits', namespace: ns.name, creationTimestamp: iso(ns.createdMs + 30_000) }, spec: { limits: [item] } };
}

export function quotaObject(ns: NamespacePlan, totals: NamespaceTotals): ResourceQuota | undefined {
  const q = ns.body.quota;
  if (!q) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: q.name ?? 'compute-resources', namespace: ns.name, creationTimestamp: iso(ns.createdMs + 30_000) },
    spec: { hard: q.hard },
    status: { hard: q.hard, used: quotaUsed(q.hard, totals) },
  };
}

function networkPolicies(ns: NamespacePlan): KubeObject[] {
  const meta = (name: string): KubeObject['metadata'] => ({ name, namespace: ns.name, creationTimestamp: iso(ns.createdMs + 60_000), generation: 1 });
  return [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('allow-same-namespace'), spec: { ingress: [{ from: [{ podSelector: {} }] }], podSelector: {}, policyTypes: ['Ingress'] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('default-deny-ingress'), spec: { podSelector: {}, policyTypes: ['Ingress'] } },
  ];
}

/** Namespace-level objects that do not depend on pods (ConfigMaps, LimitRange, policies, RBAC). */
export function createNamespaceBasics(store: ObjectStoreApi, ns: NamespacePlan): number {
  const objs: KubeObject[] = [...configMapsOf(ns)];
  const lr = limitRangeObject(ns);
  if (lr) objs.push(lr);
  if (ns.body.networkPolicies) objs.push(...networkPolicies(ns));
  const roles = ns.body.roles ?? (!ns.generated && !ns.system);
  if (roles) objs.push(...namespaceRbac(ns.name, ns.createdMs + 60_000));
  for (const o of objs) store.create(o);
  return objs.length;
}
