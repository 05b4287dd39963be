// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceQuota } from '../kube-types.ts';
import { ObjectStore } from '../object-store.ts';
import { buildCluster } from './build.ts';
import { parseScenario } from './schema.ts';
import { emptyTotals, quotaPressure, quotaUsed } from './quota.ts';

const NOW = Date.parse('2026-01-15T12:00:00Z');

test('status.used sums the requests and limits of non-terminal pods, in the keys of spec.hard', () => {
  const scenario = parseScenario({
    name: 'q',
    kubeSystem: { corednsReplicas: 0, kubeProxy: false, cni: 'none', metricsServer: false },
    nodePools: [{ name: 'p', count: 1, capacity: { cpu: '16', memory: '64Gi' } }],
    namespaces: [
      {
        name: 'team',
        quota: { hard: { pods: '10', 'requests.cpu': '2', 'requests.memory': '4Gi', 'limits.memory': '8Gi', 'count/deployments.apps': '5', persistentvolumeclaims: '4', 'requests.storage': '100Gi', services: '10' } },
        limitRange: { defaultRequest: { cpu: '50m', memory: '64Mi' } },
        workloads: [
          { name: 'api', kind: 'Deployment', replicas: 3, containers: [{ name: 'app', image: 'a:1', ports: [8080], requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } }] },
          { name: 'batch', kind: 'Deployment', replicas: 2, failure: { mode: 'evicted', count: 2 }, containers: [{ name: 'app', image: 'b:1', limits: { cpu: '500m', memory: '256Mi' } }] },
          { name: 'side', kind: 'Pod', initContainers: [{ name: 'init', image: 'i:1', requests: { cpu: '1', memory: '128Mi' } }], containers: [{ name: 'app', image: 'c:1' }] },
          { name: 'db', kind: 'StatefulSet', replicas: 2, containers: [{ name: 'db', image: 'postgres:16', requests: { cpu: '100m', memory: '256Mi' } }], volumeClaims: [{ name: 'data', storage: '20Gi' }] },
        ],
      },
    ],
  });
  const store = new ObjectStore({ seed: 1, now: () => NOW });
  buildCluster({ scenario, store, nowMs: NOW });
  const q = store.get<ResourceQuota>('resourcequotas', 'team', 'compute-resources') as ResourceQuota;
  // cpu: api 3 × 250m + batch 2 × 500m (requests default to limits) + side max(init 1, app 50m from the LimitRange)
  // + db 2 × 100m; memory likewise (side: max(128Mi, 64Mi)); evicted pods do not count; db has no ports, no Service.
  assert.deepEqual(q.status.used, {
    pods: '8',
    'requests.cpu': '2950m',
    'requests.memory': '2688Mi',
    'limits.memory': '3584Mi',
    'count/deployments.apps': '2',
    persistentvolumeclaims: '2',
    'requests.storage': '40Gi',
    services: '1',
  });
  assert.deepEqual(q.status.hard, q.spec.hard);
  assert.ok(quotaPressure(q.spec.hard, q.status.used ?? {}) > 1);
});

test('decimal hard values keep decimal used values; pressure is the highest ratio', () => {
  const t = { ...emptyTotals(), memoryRequestBytes: 1.5e9, cpuRequestMilli: 900, pods: 3 };
  const used = quotaUsed({ 'requests.memory': '2G', cpu: '1', pods: '10' }, t);
  assert.deepEqual(used, { 'requests.memory': '1500M', cpu: '900m', pods: '3' });
  assert.equal(quotaPressure({ 'requests.memory': '2G', cpu: '1', pods: '10' }, used), 0.9);
});
