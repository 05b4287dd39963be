// SPDX-License-Identifier: Apache-2.0
// /api/v1/namespaces and /api/v1/namespaces/{ns}/workloads over an in-memory cluster view whose workload resolution
// is the kube adapter's own (resolveWorkload).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterView, KindMap, KindName } from '../../domain/kube-ports.ts';
import type { ObjectBase, Pod, ResourceQuota } from '../../domain/resources.ts';
import type { CronJob, Deployment, Job, ReplicaSet } from '../../domain/workload-resources.ts';
import { resolveWorkload } from '../../sources/kube/ownership.ts';
import { buildTestApp } from '../testing.ts';
import type { LatestUsage } from './pods.ts';

type Objects = { [K in KindName]?: KindMap[K][] };

function fakeView(objects: Objects): ClusterView {
  const list = <K extends KindName>(kind: K, ns?: string): KindMap[K][] => ((objects[kind] ?? []) as KindMap[K][]).filter((o) => ns === undefined || o.namespace === ns);
  const get = <K extends KindName>(kind: K, ns: string | undefined, name: string) => list(kind).find((o) => o.name === name && (kind === 'namespaces' || o.namespace === ns));
  const lookup = { replicaSet: (ns: string, n: string) => get('replicasets', ns, n), job: (ns: string, n: string) => get('jobs', ns, n) };
  return { list, get, workloadOf: (p: Pod) => resolveWorkload(p, lookup) } as unknown as ClusterView;
}

const base = (ns: string | undefined, name: string, owners: ObjectBase['owners'] = []): ObjectBase => ({
  key: ns === undefined ? name : `${ns}/${name}`, uid: `${ns}-${name}`, name, ...(ns === undefined ? {} : { namespace: ns }), labels: {}, annotations: {}, owners,
});
const owner = (kind: string, name: string) => [{ kind, name, uid: name, controller: true }];
const replicas = (n: number, ready: number) => ({ replicas: n, readyReplicas: ready, availableReplicas: ready, updatedReplicas: n, currentReplicas: n });

function pod(name: string, o: { ns?: string; owners?: ObjectBase['owners']; phase?: string; cpu?: number; restarts?: number; createdAtMs?: number; labels?: Record<string, string> } = {}): Pod {
  const container = { name: 'app', image: 'i', requests: { cpuMillicores: o.cpu ?? 100, memoryBytes: 1000 }, limits: { cpuMillicores: 500 }, livenessProbe: false, readinessProbe: false, startupProbe: false, privileged: false, preStopHook: false };
  return {
    ...base(o.ns ?? 'shop', name, o.owners), namespace: o.ns ?? 'shop', labels: o.labels ?? {}, nodeName: 'n1', phase: o.phase ?? 'Running', hasAffinity: false, topologySpreadConstraints: 0,
    pvcNames: [], conditions: [], containers: [container], initContainers: [], initContainerStatuses: [],
    containerStatuses: [{ name: 'app', ready: true, restartCount: o.restarts ?? 0, state: { kind: 'running' } }],
    ...(o.createdAtMs === undefined ? {} : { createdAtMs: o.createdAtMs }),
  };
}

const deployment = (name: string, n: number, ready: number) =>
  ({ ...base('shop', name), namespace: 'shop', ...replicas(n, ready), selector: { matchLabels: {}, matchExpressions: [] }, strategy: 'RollingUpdate', unavailableReplicas: 0, conditions: [] }) as Deployment;
const rs = (name: string, deploy: string) => ({ ...base('shop', name, owner('Deployment', deploy)), namespace: 'shop', ...replicas(2, 2), selector: { matchLabels: {}, matchExpressions: [] } }) as ReplicaSet;
const job = (name: string, owners: ObjectBase['owners'] = []) => ({ ...base('shop', name, owners), namespace: 'shop', active: 0, succeeded: 1, failed: 0, conditions: [] }) as Job;
const cronJob = (name: string) => ({ ...base('shop', name), namespace: 'shop', schedule: '0 * * * *', suspend: false, active: 0 }) as CronJob;
const quota = (name: string, hard: Record<string, number>, used: Record<string, number>) =>
  ({ ...base('shop', name), namespace: 'shop', hard, used, scopes: [], hasScopeSelector: false }) as ResourceQuota;

const OBJECTS: Objects = {
  namespaces: [{ ...base(undefined, 'shop'), labels: { tenant: 'retail' }, phase: 'Active' }, { ...base(undefined, 'empty'), phase: 'Active' }],
  deployments: [deployment('web', 2, 1), deployment('idle', 0, 0)],
  replicasets: [rs('web-7d9f', 'web')],
  jobs: [job('report-1', owner('CronJob', 'report')), job('once')],
  cronjobs: [cronJob('report')],
  resourcequotas: [quota('q1', { 'requests.cpu': 1000, 'limits.memory': 8000, pods: 10 }, { 'requests.cpu': 900, 'limits.memory': 1000, pods: 4 }), quota('q2', { cpu: 2000, pods: 5 }, { cpu: 900, pods: 4 })],
  pods: [
    pod('web-7d9f-a', { owners: owner('ReplicaSet', 'web-7d9f'), restarts: 2, createdAtMs: 1 }),
    pod('web-7d9f-b', { owners: owner('ReplicaSet', 'web-7d9f'), restarts: 1, cpu: 200, createdAtMs: 2 }),
    pod('report-1-x', { owners: owner('Job', 'report-1'), phase: 'Succeeded' }),
    pod('bare'),
    pod('elsewhere', { ns: 'other' }),
  ],
};

const USAGE: Record<string, { cpuMillicores: number; memoryBytes: number }> = {
  'shop/web-7d9f-a': { cpuMillicores: 50, memoryBytes: 500 },
  'shop/web-7d9f-b': { cpuMillicores: 70, memoryBytes: 700 },
};
const usage: LatestUsage = { pod: (ns, n) => USAGE[`${ns}/${n}`], node: () => undefined, collectedAtMs: () => Date.UTC(2024, 0, 15, 10, 29) };

function app(objects: Objects = OBJECTS) {
  return buildTestApp({ clusterView: fakeView(objects), latestUsage: usage }).app;
}

interface WorkloadBody {
  items: { kind: string; name: string; pods: number; replicas: { desired: number; ready: number } | null; restarts: number; containers: { name: string; requests: { cpu_millicores: number | null } }[]; cpu: { usage_millicores: number | null; request_millicores: number; limit_millicores: number }; memory: { usage_bytes: number | null } }[];
  total: number;
  continue: string | null;
}

test('workloads resolve through the owner chain and include controllers without pods', async (t) => {
  const a = app();
  t.after(() => a.close());
  const res = await a.inject({ url: '/api/v1/namespaces/shop/workloads' });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<WorkloadBody>();
  assert.deepEqual(
    body.items.map((i) => `${i.kind}/${i.name}:${i.pods}`),
    ['CronJob/report:1', 'Deployment/idle:0', 'Deployment/web:2', 'Job/once:0', 'Pod/bare:1'],
  );
  const web = body.items.find((i) => i.name === 'web');
  assert.deepEqual(web?.replicas, { desired: 2, ready: 1 });
  assert.equal(web?.restarts, 3);
  assert.deepEqual(web?.cpu, { usage_millicores: 120, request_millicores: 300, limit_millicores: 1000 });
  assert.equal(web?.memory.usage_bytes, 1200);
  assert.deepEqual(web?.containers.map((c) => c.requests.cpu_millicores), [200], 'containers come from the newest pod');
  const idle = body.items.find((i) => i.name === 'idle');
  assert.deepEqual(idle?.replicas, { desired: 0, ready: 0 });
  assert.deepEqual(idle?.containers, []);
  assert.equal(idle?.cpu.usage_millicores, null, 'no pod, no usage');
  const cron = body.items.find((i) => i.kind === 'CronJob');
  assert.equal(cron?.replicas, null);
  assert.equal(cron?.cpu.request_millicores, 0, 'finished pods hold no requests');
});

test('workloads: kind filter, pagination, 404 for an unknown namespace, 400 for bad parameters', async (t) => {
  const a = app();
  t.after(() => a.close());
  const deployments = (await a.inject({ url: '/api/v1/namespaces/shop/workloads?kind=Deployment' })).json<WorkloadBody>();
  assert.deepEqual(deployments.items.map((i) => i.name), ['idle', 'web']);
  const seen: string[] = [];
  let url = '/api/v1/namespaces/shop/workloads?limit=2';
  for (;;) {
    const body = (await a.inject({ url })).json<WorkloadBody>();
    seen.push(...body.items.map((i) => i.name));
    if (body.continue === null) break;
    url = `/api/v1/namespaces/shop/workloads?limit=2&continue=${body.continue}`;
  }
  assert.deepEqual(seen, ['report', 'idle', 'web', 'once', 'bare']);
  const missing = await a.inject({ url: '/api/v1/namespaces/nope/workloads' });
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json(), { error: { code: 'KRM_API_NOT_FOUND', message: 'No such namespace.', details: { namespace: 'nope' } } });
  const first = (await a.inject({ url: '/api/v1/namespaces/shop/workloads?limit=1' })).json<WorkloadBody>();
  const cases: [string, string][] = [
    ['limit=0', 'limit'],
    ['kind=A&kind=B', 'kind'],
    [`kind=Deployment&continue=${first.continue}`, 'continue'],
    ['continue=garbage', 'continue'],
  ];
  for (const [q, parameter] of cases) {
    const res = await a.inject({ url: `/api/v1/namespaces/shop/workloads?${q}` });
    assert.equal(res.statusCode, 400, q);
    const error = res.json<{ error: { code: string; details: { parameter: string } } }>().error;
    assert.equal(error.code, 'KRM_API_BAD_REQUEST', q);
    assert.equal(error.details.parameter, parameter, q);
  }
});

interface NamespaceBody {
  items: {
    name: string;
    phase: string | null;
    labels: Record<string, string>;
    pods: { total: number; by_phase: Record<string, number> };
    cpu: { usage_millicores: number | null; request_millicores: number; limit_millicores: number };
    quota: { count: number; resources: Record<string, { hard: number; used: number; ratio: number | null }>; max_ratio: { resource: string; ratio: number } | null } | null;
    workloads: number;
  }[];
  total: number;
  continue: string | null;
}

test('namespaces summarize pods, usage, quota (tightest hard wins) and workloads', async (t) => {
  const a = app();
  t.after(() => a.close());
  const res = await a.inject({ url: '/api/v1/namespaces' });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<NamespaceBody>();
  assert.deepEqual(body.items.map((i) => i.name), ['empty', 'shop']);
  const [empty, shop] = body.items;
  assert.equal(empty?.quota, null);
  assert.equal(empty?.cpu.usage_millicores, null);
  assert.equal(empty?.workloads, 0);
  assert.equal(shop?.phase, 'Active');
  assert.deepEqual(shop?.labels, { tenant: 'retail' });
  assert.equal(shop?.pods.total, 4);
  assert.equal(shop?.pods.by_phase['Running'], 3);
  assert.equal(shop?.pods.by_phase['Succeeded'], 1);
  assert.deepEqual(shop?.cpu, { usage_millicores: 120, request_millicores: 400, limit_millicores: 1500 });
  assert.equal(shop?.workloads, 5);
  assert.equal(shop?.quota?.count, 2);
  // requests.cpu: q1 hard 1000 (used 900) is tighter than q2's `cpu` alias at 2000; pods: q2's 5 beats q1's 10.
  assert.deepEqual(shop?.quota?.resources['requests.cpu'], { hard: 1000, used: 900, ratio: 0.9 });
  assert.deepEqual(shop?.quota?.resources['pods'], { hard: 5, used: 4, ratio: 0.8 });
  assert.deepEqual(shop?.quota?.resources['limits.memory'], { hard: 8000, used: 1000, ratio: 0.125 });
  assert.equal(shop?.quota?.resources['limits.cpu'], undefined);
  assert.deepEqual(shop?.quota?.max_ratio, { resource: 'requests.cpu', ratio: 0.9 });
});

test('namespaces sort by usage and page with a cursor; bad parameters are 400 with the parameter', async (t) => {
  const a = app();
  t.after(() => a.close());
  const byCpu = (await a.inject({ url: '/api/v1/namespaces?sort=cpu' })).json<NamespaceBody>();
  assert.deepEqual(byCpu.items.map((i) => i.name), ['shop', 'empty']);
  const page1 = (await a.inject({ url: '/api/v1/namespaces?limit=1' })).json<NamespaceBody>();
  assert.deepEqual(page1.items.map((i) => i.name), ['empty']);
  assert.equal(page1.total, 2);
  const page2 = (await a.inject({ url: `/api/v1/namespaces?limit=1&continue=${page1.continue}` })).json<NamespaceBody>();
  assert.deepEqual(page2.items.map((i) => i.name), ['shop']);
  assert.equal(page2.continue, null);
  for (const [q, parameter] of [['sort=size', 'sort'], ['limit=-1', 'limit'], [`sort=cpu&continue=${page1.continue}`, 'continue']] as const) {
    const res = await a.inject({ url: `/api/v1/namespaces?${q}` });
    assert.equal(res.statusCode, 400, q);
    assert.equal(res.json<{ error: { details: { parameter: string } } }>().error.details.parameter, parameter, q);
  }
});
