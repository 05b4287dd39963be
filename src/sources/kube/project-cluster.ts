// SPDX-License-Identifier: Apache-2.0
// Projections of nodes, namespaces, events, quotas, storage, services and network policies (REQUIREMENTS §1.2).
import { parseCpuMillicores, parseQuantity } from '../../domain/quantity.ts';
import type { EndpointSlice, KubeEvent, LimitRange, Namespace, Node, NodeResources, PersistentVolume, PersistentVolumeClaim, ResourceQuota, Service, StorageClass, Taint } from '../../domain/resources.ts';
import type { NetworkPolicy } from '../../domain/workload-resources.ts';
import { baseFields, conditions, count, flag, labelSelector, objectKey, projectBase, resourceValues } from './project-common.ts';
import { arr, message, obj, objOrUndefined, str, strList, strMap, timeMs } from './raw-access.ts';

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
/** The label some installers (kops among them) set, whose value is the role; kubectl prints it too. */
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

function nodeResources(raw: unknown): NodeResources {
  const r = strMap(raw);
  return {
    cpuMillicores: parseCpuMillicores(r.cpu),
    memoryBytes: parseQuantity(r.memory),
    pods: parseQuantity(r.pods),
    ephemeralStorageBytes: parseQuantity(r['ephemeral-storage']),
  };
}

/**
 * The roles `kubectl get nodes` prints: the suffixes of `node-role.kubernetes.io/<role>` keys and the value of the
 * legacy `kubernetes.io/role` label, deduplicated and sorted, so the monitor and kubectl name a node's roles alike.
 */
function nodeRoles(labels: Readonly<Record<string, string>>): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    const role = key.startsWith(NODE_ROLE_PREFIX) ? key.slice(NODE_ROLE_PREFIX.length) : key === LEGACY_ROLE_LABEL ? value : '';
    if (role !== '') roles.add(role);
  }
  return [...roles].sort();
}

function taints(raw: unknown): Taint[] {
  return arr(raw).map((t) => ({ key: str(obj(t).key) ?? '', value: str(obj(t).value), effect: str(obj(t).effect) ?? '' }));
}

function internalIP(addresses: unknown): string | undefined {
  const found = arr(addresses).find((a) => obj(a).type === 'InternalIP');
  return str(obj(found).address);
}

export function projectNode(raw: unknown): Node | undefined {
  const b = projectBase(raw);
  if (!b) return undefined;
  const { spec, status } = b;
  return {
    unschedulable: flag(spec.unschedulable),
    taints: taints(spec.taints),
    capacity: nodeResources(status.capacity),
    allocatable: nodeResources(status.allocatable),
    conditions: conditions(status.conditions),
    zone: b.labels['topology.kubernetes.io/zone'],
    instanceType: b.labels['node.kubernetes.io/instance-type'],
    roles: nodeRoles(b.labels),
    kubeletVersion: str(obj(status.nodeInfo).kubeletVersion),
    internalIP: internalIP(status.addresses),
    ...baseFields(b),
  };
}

export function projectNamespace(raw: unknown): Namespace | undefined {
  const b = projectBase(raw);
  return b && { phase: str(b.status.phase), ...baseFields(b) };
}

/** Event times: `lastTimestamp` (legacy), else `series.lastObservedTime`, else `eventTime` (events.k8s.io writers). */
function eventTimes(e: ReturnType<typeof obj>): { first?: number; last?: number } {
  const eventTime = timeMs(e.eventTime);
  const first = timeMs(e.firstTimestamp) ?? eventTime;
  const last = timeMs(e.lastTimestamp) ?? timeMs(obj(e.series).lastObservedTime) ?? eventTime ?? first;
  return { first, last };
}

export function projectEvent(raw: unknown): KubeEvent | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const e = obj(raw);
  const io = obj(e.involvedObject);
  const subject = { kind: str(io.kind), namespace: str(io.namespace), name: str(io.name), uid: str(io.uid), fieldPath: str(io.fieldPath) };
  const type = str(e.type) ?? 'Normal';
  const reportingComponent = str(e.reportingComponent) || str(obj(e.source).component);
  const times = eventTimes(e);
  const seriesCount = obj(e.series).count;
  return {
    type,
    reason: str(e.reason),
    message: message(e.message),
    subject,
    count: Math.max(count(e.count), count(seriesCount), 1),
    firstSeenAtMs: times.first,
    lastSeenAtMs: times.last,
    reportingComponent,
    dedupeKey: [subject.kind, objectKey(subject.namespace, subject.name ?? ''), subject.fieldPath, type, str(e.reason), reportingComponent, str(e.message)].join('|'),
    ...baseFields(b),
    namespace: b.namespace,
  };
}

export function projectResourceQuota(raw: unknown): ResourceQuota | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  return {
    hard: resourceValues(b.spec.hard),
    used: resourceValues(b.status.used),
    scopes: strList(b.spec.scopes),
    hasScopeSelector: objOrUndefined(b.spec.scopeSelector) !== undefined,
    ...baseFields(b),
    namespace: b.namespace,
  };
}

export function projectLimitRange(raw: unknown): LimitRange | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const limits = arr(b.spec.limits).map((item) => {
    const l = obj(item);
    return {
      type: str(l.type) ?? '',
      default: resourceValues(l.default),
      defaultRequest: resourceValues(l.defaultRequest),
      min: resourceValues(l.min),
      max: resourceValues(l.max),
      maxLimitRequestRatio: resourceValues(l.maxLimitRequestRatio),
    };
  });
  return { limits, ...baseFields(b), namespace: b.namespace };
}

export function projectPersistentVolumeClaim(raw: unknown): PersistentVolumeClaim | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const { spec, status } = b;
  return {
    requestedBytes: parseQuantity(strMap(obj(spec.resources).requests).storage),
    capacityBytes: parseQuantity(strMap(status.capacity).storage),
    storageClassName: str(spec.storageClassName),
    volumeName: str(spec.volumeName) || undefined,
    phase: str(status.phase),
    accessModes: strList(spec.accessModes),
    conditions: conditions(status.conditions),
    ...baseFields(b),
    namespace: b.namespace,
  };
}

export function projectPersistentVolume(raw: unknown): PersistentVolume | undefined {
  const b = projectBase(raw);
  if (!b) return undefined;
  const claim = objOrUndefined(b.spec.claimRef);
  const claimName = str(claim?.name);
  return {
    capacityBytes: parseQuantity(strMap(b.spec.capacity).storage),
    storageClassName: str(b.spec.storageClassName),
    claimRef: claimName ? { namespace: str(claim?.namespace), name: claimName } : undefined,
    reclaimPolicy: str(b.spec.persistentVolumeReclaimPolicy),
    phase: str(b.status.phase),
    ...baseFields(b),
  };
}

export function projectStorageClass(raw: unknown): StorageClass | undefined {
  const b = projectBase(raw);
  if (!b) return undefined;
  // StorageClass keeps its settings at the top level of the object, not under spec.
  const o = obj(raw);
  return {
    provisioner: str(o.provisioner) ?? '',
    reclaimPolicy: str(o.reclaimPolicy),
    volumeBindingMode: str(o.volumeBindingMode),
    allowVolumeExpansion: flag(o.allowVolumeExpansion),
    isDefault: b.annotations['storageclass.kubernetes.io/is-default-class'] === 'true',
    ...baseFields(b),
  };
}

export function projectService(raw: unknown): Service | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const selector = objOrUndefined(b.spec.selector);
  return { type: str(b.spec.type) ?? 'ClusterIP', selector: selector && strMap(selector), ...baseFields(b), namespace: b.namespace };
}

export function projectEndpointSlice(raw: unknown): EndpointSlice | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  // Like StorageClass, EndpointSlice has no spec: `endpoints` sits at the top level.
  const endpoints = arr(obj(raw).endpoints);
  return {
    serviceName: b.labels['kubernetes.io/service-name'],
    endpoints: endpoints.length,
    // The API documents an unset `ready` as "ready": consumers must treat unknown as ready.
    readyEndpoints: endpoints.filter((e) => obj(obj(e).conditions).ready !== false).length,
    ...baseFields(b),
    namespace: b.namespace,
  };
}

export function projectNetworkPolicy(raw: unknown): NetworkPolicy | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  return {
    podSelector: labelSelector(b.spec.podSelector),
    policyTypes: strList(b.spec.policyTypes),
    ingressRules: arr(b.spec.ingress).length,
    egressRules: arr(b.spec.egress).length,
    ...baseFields(b),
    namespace: b.namespace,
  };
}
