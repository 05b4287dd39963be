// SPDX-License-Identifier: Apache-2.0
// Objects the demo scenario lacks, created with the real kubectl as a user would, so that comparisons of the
// monitor's view against kubectl cover the unusual shapes too (see createEdgeCases).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KObject } from './kube-json.ts';
import { kubectl } from './kubectl.ts';

export interface Target {
  readonly kubeconfig: string;
  /** A scratch directory for the manifests. */
  readonly dir: string;
}

async function kubectlCreate(t: Target, objects: object[]): Promise<void> {
  const file = join(t.dir, `objects-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  // The simulator publishes no OpenAPI schema for client-side validation.
  const r = await kubectl(t.kubeconfig, ['create', '--validate=false', '-f', file]);
  assert.equal(r.code, 0, r.stderr);
}

/** `Kind/name` → uid of the controllers in the namespace, for the ownerReferences of the objects created next. */
async function controllerUids(t: Target, ns: string): Promise<Record<string, string>> {
  const r = await kubectl(t.kubeconfig, ['get', 'sts,deploy,rs,job', '-n', ns, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const items = (JSON.parse(r.stdout) as { items: KObject[] }).items;
  return Object.fromEntries(items.map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.uid]));
}

export const EDGE_NAMESPACE = 'krm-edge';
const NS = EDGE_NAMESPACE;
const meta = (name: string, extra: object = {}): object => ({ name, namespace: NS, ...extra });
const owner = (kind: string, name: string, uid: string | undefined): object => ({
  apiVersion: kind === 'Node' ? 'v1' : kind === 'Job' ? 'batch/v1' : 'apps/v1',
  kind,
  name,
  uid,
  controller: true,
});
const template = { metadata: { labels: { app: 'edge' } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } };
const selector = { matchLabels: { app: 'edge' } };

/**
 * Objects the demo does not have, written as a user would with kubectl: init and sidecar containers, quantities
 * in every notation, an owner list whose controller is not first, a static (Node-owned) pod, a ReplicaSet and a
 * Job without parents, a ReplicaSet whose name does not follow its Deployment's, finished and unscheduled pods, and
 * a cordoned node with valued taints and unusual capacities.
 */
export async function createEdgeCases(t: Target): Promise<void> {
  const nodeName = 'ip-10-0-general-00';
  const node = JSON.parse((await kubectl(t.kubeconfig, ['get', 'node', nodeName, '-o', 'json'])).stdout) as { metadata: { uid: string } };
  await kubectlCreate(t, [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('edge-db'), spec: { replicas: 3, selector, serviceName: 'edge-db', template }, status: { replicas: 2, readyReplicas: 1, currentReplicas: 2, updatedReplicas: 1 } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('frontend'), spec: { selector, template }, status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 } },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('orphan-5d8f'), spec: { replicas: 2, selector, template }, status: { replicas: 1, readyReplicas: 1 } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('adhoc-migrate'), spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } }, status: { succeeded: 1 } },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'edge-node', labels: { 'node-role.kubernetes.io/ingress': '', 'node-role.kubernetes.io/infra': '', 'kubernetes.io/role': 'gateway', 'topology.kubernetes.io/zone': 'eu-west-1c', 'node.kubernetes.io/instance-type': 'm7g.large' } },
      spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'ingress', effect: 'NoExecute' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] },
      status: {
        capacity: { cpu: '2', memory: '8053064Ki', pods: '58', 'ephemeral-storage': '100G' },
        allocatable: { cpu: '1930m', memory: '7.5Gi', pods: '58', 'ephemeral-storage': '95e9' },
        conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }, { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' }],
        nodeInfo: { kubeletVersion: 'v1.35.0' },
        addresses: [{ type: 'Hostname', address: 'edge-node' }, { type: 'InternalIP', address: '10.0.9.9' }],
      },
    },
  ]);
  let uids = await controllerUids(t, NS);
  await kubectlCreate(t, [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('frontend-legacy-abc12', { ownerReferences: [owner('Deployment', 'frontend', uids['Deployment/frontend'])] }), spec: { replicas: 1, selector, template }, status: { replicas: 1 } },
  ]);
  uids = await controllerUids(t, NS);
  const running = (name: string, restartCount: number, last?: object): object => ({ name, ready: true, restartCount, state: { running: { startedAt: '2026-01-01T00:00:00Z' } }, ...(last ? { lastState: { terminated: last } } : {}) });
  await kubectlCreate(t, [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('edge-db-0', {
        labels: { app: 'edge', 'statefulset.kubernetes.io/pod-name': 'edge-db-0' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'edge-config', uid: 'c0nf1g' }, owner('StatefulSet', 'edge-db', uids['StatefulSet/edge-db'])],
      }),
      spec: {
        nodeName,
        initContainers: [
          { name: 'migrate', image: 'x', resources: { requests: { cpu: '2', memory: '1G' } } },
          { name: 'proxy', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
        ],
        containers: [
          { name: 'db', image: 'x', resources: { requests: { cpu: '0.25', memory: '1.5Gi', 'ephemeral-storage': '2G' }, limits: { cpu: '1', memory: '2Gi', 'ephemeral-storage': '4Gi' } } },
          { name: 'exporter', image: 'x', resources: { requests: { cpu: '2500u', memory: '100M' }, limits: { cpu: '1e-1', memory: '128e6' } } },
        ],
      },
      status: {
        phase: 'Running',
        qosClass: 'Burstable',
        conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }, { type: 'PodScheduled', status: 'True' }],
        initContainerStatuses: [
          { name: 'migrate', ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } },
          running('proxy', 2, { reason: 'OOMKilled', exitCode: 137 }),
        ],
        containerStatuses: [
          { name: 'db', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } },
          running('exporter', 0),
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta(`kube-proxy-${nodeName}`, { ownerReferences: [owner('Node', nodeName, node.metadata.uid)] }),
      spec: { nodeName, containers: [{ name: 'proxy', image: 'x', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } } }] },
      status: { phase: 'Running', qosClass: 'Guaranteed', containerStatuses: [running('proxy', 1, { reason: 'Error', exitCode: 2 })] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('orphan-5d8f-x1', { labels: { app: 'edge' }, ownerReferences: [owner('ReplicaSet', 'orphan-5d8f', uids['ReplicaSet/orphan-5d8f'])] }),
      spec: { nodeName, containers: [{ name: 'app', image: 'x' }] },
      status: { phase: 'Running', qosClass: 'BestEffort', containerStatuses: [running('app', 0)] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('frontend-legacy-abc12-p9', { labels: { app: 'edge', 'pod-template-hash': 'zzz99' }, ownerReferences: [owner('ReplicaSet', 'frontend-legacy-abc12', uids['ReplicaSet/frontend-legacy-abc12'])] }),
      spec: { nodeName, containers: [{ name: 'app', image: 'x', resources: { limits: { cpu: '300m', memory: '256Mi' } } }] },
      status: { phase: 'Running', qosClass: 'Guaranteed', containerStatuses: [running('app', 0)] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('adhoc-migrate-q2', { ownerReferences: [owner('Job', 'adhoc-migrate', uids['Job/adhoc-migrate'])] }),
      spec: { nodeName, restartPolicy: 'Never', containers: [{ name: 'app', image: 'x', resources: { requests: { cpu: '1', memory: '1Gi' } } }] },
      status: { phase: 'Succeeded', qosClass: 'Burstable', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('evicted-7'),
      spec: { nodeName, containers: [{ name: 'app', image: 'x', resources: { requests: { memory: '3Gi' } } }] },
      status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.', qosClass: 'Burstable' },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('unschedulable-1'),
      spec: { schedulerName: 'krm-edge-none', containers: [{ name: 'app', image: 'x', resources: { requests: { cpu: '64', memory: '1Ti' } } }] },
      status: { phase: 'Pending', qosClass: 'Burstable', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
    },
  ]);
}

