// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { toTable } from './table.ts';
import { findResource } from '../../model/resource-types.ts';
import type { KubeObject, Node } from '../../model/kube-types.ts';

const NODE = JSON.parse(readFileSync(new URL('./__fixtures__/node-1_35.json', import.meta.url), 'utf8')) as Node;
const NOW = Date.parse('2026-06-26T10:15:00Z');
const CREATED = '2026-06-26T10:12:51Z';

/** The row of one object as column name → cell, wide columns included. */
function row(groupVersion: string, plural: string, obj: Partial<KubeObject> & Record<string, unknown>): Record<string, unknown> {
  const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
  const type = findResource(group ?? '', version ?? 'v1', plural);
  assert.ok(type, `${groupVersion} ${plural}`);
  const full: KubeObject = {
    apiVersion: groupVersion,
    kind: type.kind,
    ...obj,
    metadata: { name: 'x', namespace: 'default', creationTimestamp: CREATED, ...obj.metadata },
  };
  const table = toTable(type, [full], { includeObject: 'None', nowMs: NOW, resourceVersion: '1' });
  const cells = table.rows[0]?.cells ?? [];
  return Object.fromEntries((table.columnDefinitions ?? []).map((c, i) => [c.name, cells[i]]));
}

void test('node from the 1.35 capture', () => {
  assert.deepEqual(row('v1', 'nodes', structuredClone(NODE)), {
    Name: 'datagen-1-35',
    Status: 'Ready',
    Roles: 'control-plane',
    Age: '2m49s',
    Version: 'v1.35.0',
    'Internal-IP': '192.168.67.2',
    'External-IP': '<none>',
    'OS-Image': 'Debian GNU/Linux 12 (bookworm)',
    'Kernel-Version': '6.12.54-linuxkit',
    'Container-Runtime': 'containerd://2.2.1',
  });
});

void test('node status: cordoned, not ready, no Ready condition; roles from both label styles', () => {
  const node = structuredClone(NODE);
  node.spec.unschedulable = true;
  assert.equal(row('v1', 'nodes', node)['Status'], 'Ready,SchedulingDisabled');
  node.status.conditions = node.status.conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown' } : c));
  assert.equal(row('v1', 'nodes', node)['Status'], 'NotReady,SchedulingDisabled');
  node.status.conditions = [];
  node.spec.unschedulable = false;
  assert.equal(row('v1', 'nodes', node)['Status'], 'Unknown');
  node.metadata.labels = { 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'infra', 'node-role.kubernetes.io/': '' };
  assert.equal(row('v1', 'nodes', node)['Roles'], 'infra,worker');
});

void test('deployment, replicaset, statefulset, daemonset', () => {
  const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'fluent-bit:3' }] } };
  const selector = { matchLabels: { app: 'web', tier: 'fe' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'canary'] }] };
  const status = { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
  assert.deepEqual(row('apps/v1', 'deployments', { spec: { replicas: 3, selector, template }, status }), {
    Name: 'x', Ready: '2/3', 'Up-to-date': 3, Available: 2, Age: '2m9s',
    Containers: 'web,log', Images: 'nginx:1.27,fluent-bit:3', Selector: 'app=web,env in (canary,prod),tier=fe',
  });
  assert.deepEqual(row('apps/v1', 'replicasets', { spec: { replicas: 3, template }, status }), {
    Name: 'x', Desired: 3, Current: 3, Ready: 2, Age: '2m9s', Containers: 'web,log', Images: 'nginx:1.27,fluent-bit:3', Selector: '<none>',
  });
  assert.equal(row('apps/v1', 'statefulsets', { spec: { template }, status: {} })['Ready'], '0/1');
  const ds = row('apps/v1', 'daemonsets', {
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [] } } },
    status: { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 3, updatedNumberScheduled: 4, numberAvailable: 3 },
  });
  assert.deepEqual([ds['Desired'], ds['Ready'], ds['Node Selector'], ds['Selector']], [4, 3, 'kubernetes.io/os=linux', 'app=agent']);
});

void test('job status, completions and duration', () => {
  const start = '2026-06-26T10:13:00Z';
  const complete = row('batch/v1', 'jobs', {
    spec: { completions: 4, template: { spec: { containers: [{ name: 'main', image: 'bash:5' }] } } },
    status: { succeeded: 4, startTime: start, completionTime: '2026-06-26T10:13:42Z', conditions: [{ type: 'Complete', status: 'True' }] },
  });
  assert.deepEqual([complete['Status'], complete['Completions'], complete['Duration']], ['Complete', '4/4', '42s']);
  const failed = row('batch/v1', 'jobs', { spec: { completions: 4, parallelism: 2 }, status: { failed: 4, startTime: start, conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] } });
  assert.deepEqual([failed['Status'], failed['Completions'], failed['Duration']], ['Failed', '0/4', '2m']);
  const queue = row('batch/v1', 'jobs', { spec: { parallelism: 3 }, status: { succeeded: 1 } });
  assert.deepEqual([queue['Status'], queue['Completions'], queue['Duration']], ['Running', '1/1 of 3', '']);
  const suspended = row('batch/v1', 'jobs', { spec: {}, status: { conditions: [{ type: 'Suspended', status: 'True' }] } });
  assert.equal(suspended['Status'], 'Suspended');
});

void test('cronjob', () => {
  assert.deepEqual(
    row('batch/v1', 'cronjobs', {
      spec: { schedule: '*/1 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34.0' }] } } } } },
      status: { active: [{ name: 'x-1' }], lastScheduleTime: '2026-06-26T10:14:00Z' },
    }),
    {
      Name: 'x', Schedule: '*/1 * * * *', Timezone: '<none>', Suspend: 'False', Active: 1, 'Last Schedule': '60s',
      Age: '2m9s', Containers: 'pi', Images: 'perl:5.34.0', Selector: '<none>',
    },
  );
});

void test('hpa targets, pdb', () => {
  const hpa = row('autoscaling/v2', 'horizontalpodautoscalers', {
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '256Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
      ],
    },
    status: { currentReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '90m' } } }] },
  });
  assert.deepEqual([hpa['Reference'], hpa['Targets'], hpa['MinPods'], hpa['MaxPods'], hpa['Replicas']], [
    'Deployment/web', 'cpu: 45%/80%, memory: <unknown>/256Mi + 1 more...', '2', 10, 3,
  ]);
  const noMin = row('autoscaling/v2', 'horizontalpodautoscalers', { spec: { scaleTargetRef: { kind: 'Deployment', name: 'w' }, maxReplicas: 3, metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '30' } } }] } });
  assert.deepEqual([noMin['Targets'], noMin['MinPods']], ['<unknown>/30 (avg)', '<unset>']);
  const pdb = row('policy/v1', 'poddisruptionbudgets', { spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } });
  assert.deepEqual([pdb['Min Available'], pdb['Max Unavailable'], pdb['Allowed Disruptions']], ['50%', 'N/A', 1]);
});

void test('services by type', () => {
  const ports = [{ port: 80, protocol: 'TCP', targetPort: 8080 }, { port: 53, protocol: 'UDP' }];
  const cluster = row('v1', 'services', { spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports, selector: { app: 'dns' } } });
  assert.deepEqual([cluster['Type'], cluster['Cluster-IP'], cluster['External-IP'], cluster['Port(s)'], cluster['Selector']], [
    'ClusterIP', '10.96.0.10', '<none>', '80/TCP,53/UDP', 'app=dns',
  ]);
  const lb = row('v1', 'services', { spec: { type: 'LoadBalancer', clusterIPs: ['10.96.3.4'], ports: [{ port: 443, nodePort: 31443 }] } });
  assert.deepEqual([lb['External-IP'], lb['Port(s)'], lb['Selector']], ['<pending>', '443:31443/TCP', '<none>']);
  const lbReady = row('v1', 'services', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }] } } });
  assert.deepEqual([lbReady['Cluster-IP'], lbReady['External-IP'], lbReady['Port(s)']], ['<none>', '203.0.113.9,lb.example.com', '<none>']);
  assert.equal(row('v1', 'services', { spec: { type: 'ExternalName', externalName: 'db.example.com' } })['External-IP'], 'db.example.com');
});

void test('endpoints and endpoint slices list three addresses then count the rest', () => {
  const addresses = ['10.244.0.5', '10.244.0.6', '10.244.1.2', '10.244.1.3'].map((ip) => ({ ip }));
  const ep = row('v1', 'endpoints', { subsets: [{ addresses, ports: [{ port: 8080 }] }] });
  assert.equal(ep['Endpoints'], '10.244.0.5:8080,10.244.0.6:8080,10.244.1.2:8080 + 1 more...');
  assert.equal(row('v1', 'endpoints', {})['Endpoints'], '<none>');
  const slice = row('discovery.k8s.io/v1', 'endpointslices', {
    addressType: 'IPv4', ports: [{ name: 'http', port: 8080 }, { name: 'metrics' }], endpoints: [{ addresses: ['10.244.0.5'] }],
  });
  assert.deepEqual([slice['AddressType'], slice['Ports'], slice['Endpoints']], ['IPv4', '8080,metrics', '10.244.0.5']);
  assert.equal(row('discovery.k8s.io/v1', 'endpointslices', { addressType: 'IPv4' })['Endpoints'], '<unset>');
});

void test('storage classes, volumes and claims', () => {
  const sc = row('storage.k8s.io/v1', 'storageclasses', {
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer',
  });
  assert.deepEqual(Object.values(sc), ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '2m9s']);
  const pv = row('v1', 'persistentvolumes', {
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', claimRef: { namespace: 'scraper', name: 'e2e-pv-claim' }, storageClassName: 'standard', volumeMode: 'Filesystem' },
    status: { phase: 'Bound' },
  });
  assert.deepEqual(Object.values(pv), ['x', '1Gi', 'RWO,RWX', 'Delete', 'Bound', 'scraper/e2e-pv-claim', 'standard', '<unset>', '', '2m9s', 'Filesystem']);
  const bound = row('v1', 'persistentvolumeclaims', {
    spec: { volumeName: 'pvc-123', storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } },
    status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] },
  });
  assert.deepEqual(Object.values(bound), ['x', 'Bound', 'pvc-123', '1Gi', 'RWO', 'standard', '<unset>', '2m9s', '<unset>']);
  const pending = row('v1', 'persistentvolumeclaims', { metadata: { name: 'p', deletionTimestamp: CREATED }, spec: {}, status: { phase: 'Pending' } });
  assert.deepEqual([pending['Status'], pending['Capacity'], pending['Access Modes']], ['Terminating', '', '']);
});

void test('resource quota splits requests and limits, sorted, with missing usage as 0', () => {
  const quota = row('v1', 'resourcequotas', {
    status: {
      hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi', pods: '10' },
      used: { 'requests.cpu': '500m', 'requests.memory': '300Mi', 'limits.cpu': '1', pods: '3' },
    },
  });
  assert.deepEqual(quota, {
    Name: 'x',
    Request: 'pods: 3/10, requests.cpu: 500m/1, requests.memory: 300Mi/1Gi',
    Limit: 'limits.cpu: 1/2, limits.memory: 0/2Gi',
    Age: '2m9s',
  });
});

void test('core/v1 event', () => {
  const ev = row('v1', 'events', {
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{web}' },
    reason: 'BackOff', message: 'Back-off restarting failed container web in pod web-1_default(uid)\n', type: 'Warning',
    count: 7, firstTimestamp: '2026-06-26T10:05:00Z', lastTimestamp: '2026-06-26T10:14:30Z', source: { component: 'kubelet', host: 'node-1' },
  });
  assert.deepEqual(ev, {
    'Last Seen': '30s', Type: 'Warning', Reason: 'BackOff', Object: 'pod/web-1', Subobject: 'spec.containers{web}',
    Source: 'kubelet, node-1', Message: 'Back-off restarting failed container web in pod web-1_default(uid)',
    'First Seen': '10m', Count: 7, Name: 'x',
  });
});

void test('events.k8s.io event: fields mapped, series and eventTime used, singleton count 1', () => {
  const series = row('events.k8s.io/v1', 'events', {
    regarding: { kind: 'Node', name: 'node-1' }, note: 'Node node-1 status is now: NodeNotReady', reason: 'NodeNotReady',
    type: 'Normal', eventTime: '2026-06-26T10:00:00.000000Z', reportingController: 'node-controller',
    series: { count: 4, lastObservedTime: '2026-06-26T10:14:00.000000Z' },
  });
  assert.deepEqual([series['Last Seen'], series['First Seen'], series['Count'], series['Object'], series['Source']], [
    '60s', '15m', 4, 'node/node-1', 'node-controller',
  ]);
  const single = row('events.k8s.io/v1', 'events', { regarding: { kind: 'Pod', name: 'p' }, eventTime: '2026-06-26T10:14:55.000000Z', reportingController: 'default-scheduler', reportingInstance: 'default-scheduler-cp' });
  assert.deepEqual([single['Last Seen'], single['Count'], single['Source']], ['5s', 1, 'default-scheduler, default-scheduler-cp']);
});

void test('namespaces, config maps, leases, network policies, role bindings', () => {
  assert.deepEqual(Object.values(row('v1', 'namespaces', { metadata: { name: 'scraper' }, status: { phase: 'Active' } })), ['scraper', 'Active', '2m9s']);
  assert.equal(row('v1', 'configmaps', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })['Data'], 3);
  assert.equal(row('coordination.k8s.io/v1', 'leases', { spec: { holderIdentity: 'node-1' } })['Holder'], 'node-1');
  assert.equal(row('networking.k8s.io/v1', 'networkpolicies', { spec: { podSelector: {} } })['Pod-Selector'], '<none>');
  const binding = row('rbac.authorization.k8s.io/v1', 'rolebindings', {
    roleRef: { kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'krm', namespace: 'monitoring' }, { kind: 'Group', name: 'devs' }],
  });
  assert.deepEqual(Object.values(binding), ['x', 'ClusterRole/view', '2m9s', 'jane', 'devs', 'monitoring/krm']);
});
