// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, ResourceQuota } from '../../domain/resources.ts';
import type { Sample } from '../../domain/series.ts';
import { capacityOutlook, capacityScopes } from './capacity.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const GIB = 2 ** 30;
const NOW = Date.UTC(2026, 0, 10);
const base = { uid: 'u', annotations: {}, owners: [] };
const node = (name: string, pool: string): Node => ({
  ...base,
  key: name,
  name,
  labels: { pool },
  unschedulable: false,
  taints: [],
  capacity: {},
  allocatable: { cpuMillicores: 4000, memoryBytes: 16 * GIB },
  conditions: [],
  roles: [],
});
const pod = ({ ns, name, nodeName, cpu }: { ns: string; name: string; nodeName: string; cpu: number }): Pod =>
  ({
    ...base,
    labels: {},
    key: `${ns}/${name}`,
    name,
    namespace: ns,
    nodeName,
    phase: 'Running',
    hasAffinity: false,
    topologySpreadConstraints: 0,
    pvcNames: [],
    conditions: [],
    containers: [{ name: 'c', image: 'x', requests: { cpuMillicores: cpu, memoryBytes: GIB }, limits: {}, livenessProbe: false, readinessProbe: false, startupProbe: false, privileged: false, preStopHook: false }],
    initContainers: [],
    containerStatuses: [],
    initContainerStatuses: [],
  }) as Pod;
const quota: ResourceQuota = { ...base, labels: {}, key: 'shop/q', name: 'q', namespace: 'shop', hard: { 'requests.cpu': 4000 }, used: { 'requests.cpu': 3000 }, scopes: [], hasScopeSelector: false };

test('scopes: cluster, pools by label, namespaces and quotas, CPU and memory', () => {
  const scopes = capacityScopes({ nodes: [node('a', 'gp'), node('b', 'gp'), node('c', 'gpu')], pods: [pod({ ns: 'shop', name: 'p1', nodeName: 'a', cpu: 2000 }), pod({ ns: 'ml', name: 'p2', nodeName: 'c', cpu: 3000 })], quotas: [quota], cluster: 'default', poolLabel: 'pool' });
  const key = (s: (typeof scopes)[number]) => `${s.level}:${s.entity}:${s.resource}:${s.capacity ?? '-'}:${s.currentRequests}`;
  const cpu = scopes.filter((s) => s.resource === 'cpu').map(key);
  assert.deepEqual(cpu, ['cluster:default:cpu:12000:5000', 'nodepool:gp:cpu:8000:2000', 'nodepool:gpu:cpu:4000:3000', 'namespace:ml:cpu:-:3000', 'namespace:shop:cpu:-:2000', 'quota:shop/q:cpu:4000:3000']);
  assert.equal(capacityScopes({ nodes: [], pods: [], quotas: [], cluster: 'x' }).length, 2);
});

test('outlook: requests growing towards 90 % of allocatable give days to exhaustion and nodes to add; N − 1 checked', () => {
  const [scope] = capacityScopes({ nodes: [node('a', 'gp'), node('b', 'gp'), node('c', 'gp')], pods: [pod({ ns: 'shop', name: 'p', nodeName: 'a', cpu: 9000 })], quotas: [], cluster: 'default' });
  assert.ok(scope !== undefined);
  // Requests grow 500 m a day from 6,000 m: 90 % of 12,000 m is reached in about 6.6 days from 7,700 m.
  const requests: Sample[] = Array.from({ length: 4 * 24 }, (_, i) => ({ tsMs: NOW - (4 * 24 - 1 - i) * HOUR, value: 6000 + (500 * i) / 24 }));
  const usage: Sample[] = requests.map((s) => ({ tsMs: s.tsMs, value: s.value / 2 }));
  const o = capacityOutlook({ ...scope, currentRequests: 7975 }, { usage, requests, nowMs: NOW, horizonMs: 14 * DAY });
  assert.equal(o.requests?.status, 'ok');
  const days = o.requestsExhaustion?.expectedDays;
  assert.ok(days !== undefined && days > 3 && days < 14, String(days));
  assert.ok((o.nodesForGrowth ?? 0) >= 1);
  assert.equal(o.nMinusOne?.fits, true);
  // A namespace has no capacity of its own: forecasts only.
  const ns = capacityOutlook({ level: 'namespace', entity: 'shop', resource: 'cpu', currentRequests: 1 }, { usage, nowMs: NOW, horizonMs: DAY });
  assert.equal(ns.requestsExhaustion, undefined);
  assert.equal(ns.usage.status, 'ok');
  // No data: insufficient, no exhaustion date.
  const empty = capacityOutlook(scope, { usage: [], requests: [], nowMs: NOW, horizonMs: DAY });
  assert.equal(empty.usage.status, 'insufficient_data');
  assert.equal(empty.requestsExhaustion?.expectedDays, undefined);
});
