// SPDX-License-Identifier: Apache-2.0
// Test support for the exporter tests only: a small cluster covering every case the exporters treat differently
// (running, pending, crash-looping and completed pods; a claim-backed StatefulSet; quota, HPA, jobs, a taint).
import type { Container, ContainerStatus, KubeObject, Node, Pod } from '../model/kube-types.ts';
import type { ObjectStoreApi } from '../model/object-store.ts';

export const START = '2026-06-26T09:00:00Z';
export const START_MS = Date.parse(START);

function aNode(name: string, ip: string, extra: { cpu: string; memory: string; taint?: boolean }): Node {
  const resources = { cpu: extra.cpu, memory: extra.memory, pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: { podCIDR: '10.244.0.0/24', ...(extra.taint ? { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } : {}) },
    status: {
      capacity: resources,
      allocatable: { ...resources, memory: extra.memory === '16Gi' ? '15Gi' : extra.memory },
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady' },
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kernelVersion: '6.12.54',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://2.2.1',
        kubeletVersion: 'v1.35.0',
        systemUUID: `uuid-${name}`,
        architecture: 'amd64',
      },
    },
  };
}

interface PodInput {
  namespace: string;
  name: string;
  node?: string;
  phase: Pod['status']['phase'];
  containers: Container[];
  statuses?: ContainerStatus[];
  owner?: { kind: string; name: string; apiVersion: string };
  volumes?: unknown[];
  conditions?: Pod['status']['conditions'];
}

function aPod(p: PodInput): Pod {
  const ownerReferences = p.owner ? [{ ...p.owner, uid: `uid-${p.owner.name}`, controller: true }] : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace, creationTimestamp: START, labels: { app: p.name.split('-')[0] ?? p.name }, ownerReferences },
    spec: { containers: p.containers, ...(p.node ? { nodeName: p.node } : {}), ...(p.volumes ? { volumes: p.volumes } : {}) },
    status: {
      phase: p.phase,
      ...(p.node ? { hostIP: '10.0.0.11', podIP: `10.244.0.${p.name.length}`, startTime: START } : {}),
      conditions: p.conditions,
      containerStatuses: p.statuses,
    },
  };
}

function running(name: string, image: string, restartCount = 0): ContainerStatus {
  return { name, image, imageID: `${image}@sha256:abc`, ready: true, restartCount, state: { running: { startedAt: START } }, lastState: {} };
}

const ready = (status: 'True' | 'False'): NonNullable<Pod['status']['conditions']> => [
  { type: 'PodScheduled', status: 'True' },
  { type: 'Ready', status },
];

const webContainers: Container[] = [
  { name: 'app', image: 'ghcr.io/shop/web:1.4', resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
  { name: 'sidecar', image: 'envoyproxy/envoy:v1.30', resources: { limits: { cpu: '50m', memory: '64Mi' } } },
];

const rsOwner = { kind: 'ReplicaSet', name: 'web-6d4cf56db6', apiVersion: 'apps/v1' };

function pods(): Pod[] {
  const webStatuses = [running('app', 'ghcr.io/shop/web:1.4'), running('sidecar', 'envoyproxy/envoy:v1.30')];
  const crash: ContainerStatus = {
    ...running('worker', 'ghcr.io/shop/worker:2.0', 3),
    ready: false,
    state: { waiting: { reason: 'CrashLoopBackOff' } },
    lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: START } },
  };
  const claim = [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }, { name: 'kube-api-access-x1' }];
  return [
    aPod({ namespace: 'shop', name: 'web-6d4cf56db6-abcde', node: 'node-a', phase: 'Running', containers: webContainers, statuses: webStatuses, owner: rsOwner, conditions: ready('True') }),
    aPod({ namespace: 'shop', name: 'web-6d4cf56db6-fghij', node: 'node-b', phase: 'Running', containers: webContainers, statuses: webStatuses, owner: rsOwner, conditions: ready('True') }),
    aPod({
      namespace: 'shop',
      name: 'db-0',
      node: 'node-b',
      phase: 'Running',
      containers: [{ name: 'postgres', image: 'postgres:16', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }],
      statuses: [running('postgres', 'postgres:16')],
      owner: { kind: 'StatefulSet', name: 'db', apiVersion: 'apps/v1' },
      volumes: claim,
      conditions: ready('True'),
    }),
    aPod({
      namespace: 'shop',
      name: 'pending-x',
      phase: 'Pending',
      containers: [{ name: 'main', image: 'busybox:1.36', resources: { requests: { cpu: '100m', memory: '32Mi' } } }],
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available' }],
    }),
    aPod({
      namespace: 'shop',
      name: 'crash',
      node: 'node-a',
      phase: 'Running',
      containers: [{ name: 'worker', image: 'ghcr.io/shop/worker:2.0', resources: { limits: { memory: '64Mi' } } }],
      statuses: [crash],
      conditions: ready('False'),
    }),
    aPod({
      namespace: 'shop',
      name: 'report-29000000-x1y2z',
      node: 'node-a',
      phase: 'Succeeded',
      containers: [{ name: 'report', image: 'busybox:1.36' }],
      statuses: [{ ...running('report', 'busybox:1.36'), ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      owner: { kind: 'Job', name: 'report-29000000', apiVersion: 'batch/v1' },
    }),
  ];
}

interface ObjHead {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  ownerReferences?: KubeObject['metadata']['ownerReferences'];
}

function obj(head: ObjHead, body: Record<string, unknown>): KubeObject {
  const { apiVersion, kind, ...metadata } = head;
  return { apiVersion, kind, metadata, ...body };
}

function workloads(): KubeObject[] {
  const ns = 'shop';
  const conditions = [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }];
  return [
    obj({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns }, { spec: { replicas: 2 }, status: { replicas: 2, availableReplicas: 2, updatedReplicas: 2, conditions } }),
    obj({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-6d4cf56db6', namespace: ns, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u1', controller: true }] }, { spec: { replicas: 2 } }),
    obj({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', namespace: ns }, { spec: { replicas: 1 }, status: { readyReplicas: 1 } }),
    obj({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', namespace: 'kube-system' }, { status: { desiredNumberScheduled: 2, numberReady: 2 } }),
    obj({ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', namespace: ns }, { spec: { schedule: '0 * * * *', concurrencyPolicy: 'Forbid' } }),
    obj({ apiVersion: 'batch/v1', kind: 'Job', name: 'report-29000000', namespace: ns, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: 'u2', controller: true }] }, { status: { succeeded: 1 } }),
    obj({ apiVersion: 'batch/v1', kind: 'Job', name: 'migrate', namespace: ns }, { status: { failed: 2, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] } }),
    obj({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'web', namespace: ns }, {
      spec: { minReplicas: 2, maxReplicas: 5 },
      status: { currentReplicas: 2, desiredReplicas: 3, conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }] },
    }),
  ];
}

function infrastructure(): KubeObject[] {
  return [
    obj({ apiVersion: 'v1', kind: 'Namespace', name: 'shop' }, { status: { phase: 'Active' } }),
    obj({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' }, { status: { phase: 'Active' } }),
    obj({ apiVersion: 'v1', kind: 'ResourceQuota', name: 'compute', namespace: 'shop' }, {
      status: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '20' }, used: { 'requests.cpu': '1500m', 'requests.memory': '3Gi', pods: '4' } },
    }),
    obj({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'data-db-0', namespace: 'shop' }, {
      spec: { storageClassName: 'standard', volumeName: 'pvc-0001', volumeMode: 'Filesystem', resources: { requests: { storage: '10Gi' } } },
      status: { phase: 'Bound' },
    }),
    obj({ apiVersion: 'v1', kind: 'PersistentVolume', name: 'pvc-0001' }, { spec: { capacity: { storage: '10Gi' } } }),
    obj({ apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'shop' }, { spec: { clusterIP: '10.96.12.34', type: 'ClusterIP' } }),
  ];
}

/** Fills `store` with two nodes and the demo workloads; returns it for chaining. */
export function buildTestCluster<S extends ObjectStoreApi>(store: S): S {
  store.create(aNode('node-a', '10.0.0.11', { cpu: '4', memory: '16Gi' }));
  store.create(aNode('node-b', '10.0.0.12', { cpu: '8', memory: '32Gi', taint: true }));
  for (const o of [...infrastructure(), ...workloads(), ...pods()]) store.create(o);
  return store;
}
