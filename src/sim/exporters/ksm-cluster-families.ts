// SPDX-License-Identifier: Apache-2.0
// kube-state-metrics v2 families for nodes, namespaces, resource quotas, persistent volume claims and volumes,
// and services, with the v2.19 capture's names, HELP texts and label order.
import type { KubeObject, Node } from '../model/kube-types.ts';
import type { ClusterView } from './cluster-view.ts';
import { conditionSamples, kindFamily, phaseSamples, single } from './ksm-common.ts';
import { resourceLabels } from './ksm-pod-families.ts';
import { stringAt, stringMapAt } from './object-fields.ts';
import { nodeInternalIp } from './pod-facts.ts';
import { parseQuantity } from './quantity.ts';
import type { FamilyCollector, Labels, Sample } from './series.ts';

const nodeLabels = (n: Node): Labels => [['node', n.metadata.name]];
const nsOf = (o: KubeObject): string => o.metadata.namespace ?? '';

function* nodeInfo(n: Node): Generator<Sample> {
  const info = n.status.nodeInfo;
  yield {
    labels: [
      ['node', n.metadata.name],
      ['kernel_version', info['kernelVersion'] ?? ''],
      ['os_image', info['osImage'] ?? ''],
      ['container_runtime_version', info['containerRuntimeVersion'] ?? ''],
      ['kubelet_version', info['kubeletVersion'] ?? ''],
      // KSM v2.19 writes this constant: kube-proxy no longer reports its version through the node.
      ['kubeproxy_version', 'deprecated'],
      ['provider_id', stringAt(n, 'spec', 'providerID') ?? ''],
      ['pod_cidr', stringAt(n, 'spec', 'podCIDR') ?? ''],
      ['system_uuid', info['systemUUID'] ?? ''],
      ['internal_ip', nodeInternalIp(n) ?? ''],
    ],
    value: 1,
  };
}

function nodeResources(which: 'allocatable' | 'capacity'): (n: Node) => Generator<Sample> {
  return function* (n) {
    for (const [resource, quantity] of Object.entries(n.status[which])) {
      const value = parseQuantity(quantity);
      if (value === undefined) continue;
      const [label, unit] = resourceLabels(resource);
      yield { labels: [['node', n.metadata.name], ['resource', label], ['unit', unit]], value };
    }
  };
}

function* nodeTaints(n: Node): Generator<Sample> {
  for (const t of n.spec.taints ?? []) {
    yield { labels: [['node', n.metadata.name], ['key', t.key], ['value', t.value ?? ''], ['effect', t.effect]], value: 1 };
  }
}

/** Quota values are quantities; KSM reports cpu in cores and memory in bytes, like every other quantity. */
function* quotaSamples(q: KubeObject): Generator<Sample> {
  const base: Labels = [['namespace', nsOf(q)], ['resourcequota', q.metadata.name]];
  for (const type of ['hard', 'used'] as const) {
    for (const [resource, quantity] of Object.entries(stringMapAt(q, 'status', type))) {
      const value = parseQuantity(quantity);
      if (value !== undefined) yield { labels: [...base, ['resource', resource], ['type', type]], value };
    }
  }
}

const pvcLabels = (c: KubeObject): Labels => [['namespace', nsOf(c)], ['persistentvolumeclaim', c.metadata.name]];

function* pvcInfo(c: KubeObject): Generator<Sample> {
  const labels: Labels = [
    ...pvcLabels(c),
    ['storageclass', stringAt(c, 'spec', 'storageClassName') ?? ''],
    ['volumename', stringAt(c, 'spec', 'volumeName') ?? ''],
    ['volumemode', stringAt(c, 'spec', 'volumeMode') ?? 'Filesystem'],
  ];
  yield { labels, value: 1 };
}

function* serviceInfo(s: KubeObject): Generator<Sample> {
  const lbIngress = stringAt(s, 'status', 'loadBalancer', 'ingress', '0', 'ip') ?? stringAt(s, 'spec', 'loadBalancerIP') ?? '';
  const labels: Labels = [
    ['namespace', nsOf(s)],
    ['service', s.metadata.name],
    ['uid', s.metadata.uid ?? ''],
    ['cluster_ip', stringAt(s, 'spec', 'clusterIP') ?? ''],
    ['external_name', stringAt(s, 'spec', 'externalName') ?? ''],
    ['load_balancer_ip', lbIngress],
    ['external_traffic_policy', stringAt(s, 'spec', 'externalTrafficPolicy') ?? ''],
  ];
  yield { labels, value: 1 };
}

/** Node, namespace, quota, storage and service families. */
export const KSM_CLUSTER_FAMILIES: readonly FamilyCollector<ClusterView>[] = [
  kindFamily<Node>({ key: 'nodes', name: 'kube_node_info', help: '[STABLE] Information about a cluster node.' }, nodeInfo),
  kindFamily<Node>({ key: 'nodes', name: 'kube_node_spec_taint', help: '[STABLE] The taint of a cluster node.' }, nodeTaints),
  kindFamily<Node>(
    { key: 'nodes', name: 'kube_node_spec_unschedulable', help: '[STABLE] Whether a node can schedule new pods.' },
    single(nodeLabels, (n) => (n.spec.unschedulable === true ? 1 : 0)),
  ),
  kindFamily<Node>(
    {
      key: 'nodes',
      name: 'kube_node_status_allocatable',
      help: '[STABLE] The allocatable for different resources of a node that are available for scheduling.',
    },
    nodeResources('allocatable'),
  ),
  kindFamily<Node>(
    { key: 'nodes', name: 'kube_node_status_capacity', help: '[STABLE] The capacity for different resources of a node.' },
    nodeResources('capacity'),
  ),
  kindFamily<Node>({ key: 'nodes', name: 'kube_node_status_condition', help: '[STABLE] The condition of a cluster node.' }, (n) =>
    conditionSamples(nodeLabels(n), n.status.conditions),
  ),
  kindFamily({ key: 'namespaces', name: 'kube_namespace_status_phase', help: '[STABLE] kubernetes namespace status phase.' }, (ns) =>
    phaseSamples([['namespace', ns.metadata.name]], ['Active', 'Terminating'], stringAt(ns, 'status', 'phase') ?? 'Active'),
  ),
  kindFamily({ key: 'resourcequotas', name: 'kube_resourcequota', help: '[STABLE] Information about resource quota.' }, quotaSamples),
  kindFamily(
    { key: 'persistentvolumeclaims', name: 'kube_persistentvolumeclaim_info', help: '[STABLE] Information about persistent volume claim.' },
    pvcInfo,
  ),
  kindFamily(
    {
      key: 'persistentvolumeclaims',
      name: 'kube_persistentvolumeclaim_status_phase',
      help: '[STABLE] The phase the persistent volume claim is currently in.',
    },
    (c) => phaseSamples(pvcLabels(c), ['Lost', 'Bound', 'Pending'], stringAt(c, 'status', 'phase')),
  ),
  kindFamily(
    {
      key: 'persistentvolumeclaims',
      name: 'kube_persistentvolumeclaim_resource_requests_storage_bytes',
      help: '[STABLE] The capacity of storage requested by the persistent volume claim.',
    },
    single(pvcLabels, (c) => parseQuantity(stringMapAt(c, 'spec', 'resources', 'requests')['storage'])),
  ),
  kindFamily(
    { key: 'persistentvolumes', name: 'kube_persistentvolume_capacity_bytes', help: '[STABLE] Persistentvolume capacity in bytes.' },
    single(
      (pv) => [['persistentvolume', pv.metadata.name]],
      (pv) => parseQuantity(stringMapAt(pv, 'spec', 'capacity')['storage']),
    ),
  ),
  kindFamily({ key: 'services', name: 'kube_service_info', help: '[STABLE] Information about service.' }, serviceInfo),
];
