// SPDX-License-Identifier: Apache-2.0
// The runtime driver: OOM kills from the usage model, crash-loop back-off timing, churn, Jobs, node conditions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreEvent, CronJob, Job, Node, Pod } from '../kube-types.ts';
import { ObjectStore } from '../object-store.ts';
import { UsageEngine } from '../../usage/engine.ts';
import type { OomKillEvent } from '../../usage/engine.ts';
import { buildCluster } from './build.ts';
import { createDynamics, type Dynamics } from './dynamics.ts';
import { parseScenario } from './schema.ts';
import type { BuiltCluster } from './built-types.ts';
import type { CrashLoopScript } from './failures/types.ts';

const NOW = Date.parse('2026-01-15T12:00:00Z');
const MIN = 60_000;

function cluster(extra: Record<string, unknown>, withUsage = false): { store: ObjectStore; built: BuiltCluster; dyn: Dynamics; usage?: UsageEngine } {
  const scenario = parseScenario({
    name: 't',
    seed: 3,
    kubeSystem: { corednsReplicas: 0, kubeProxy: false, cni: 'none', metricsServer: false },
    nodePools: [{ name: 'pool', count: 2, capacity: { cpu: '8', memory: '32Gi' } }],
    ...extra,
  });
  const store = new ObjectStore({ seed: 3, now: () => NOW });
  const built = buildCluster({ scenario, store, nowMs: NOW });
  let onOom: (e: OomKillEvent) => void = () => undefined;
  const usage = withUsage ? new UsageEngine({ seed: 3, startMs: NOW, onOomKill: (e) => onOom(e) }) : undefined;
  if (usage) for (const c of built.containers) usage.addContainer(c);
  const dyn = createDynamics({ store, scenario, built, ...(usage ? { usage } : {}) });
  onOom = (e) => dyn.onOomKill(e);
  return { store, built, dyn, ...(usage ? { usage } : {}) };
}

const app = (name: string, w: Record<string, unknown> = {}): Record<string, unknown> => ({ name, kind: 'Deployment', replicas: 1, containers: [{ name: 'app', image: 'ghcr.io/acme/app:1.0.1', requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }], ...w });

test('an OOM kill from the usage model is recorded as the kubelet does', () => {
  const { store, dyn } = cluster({ namespaces: [{ name: 'shop', workloads: [app('cart')] }] });
  const pod = store.list<Pod>('pods', 'shop')[0] as Pod;
  const before = pod.status.containerStatuses?.[0];
  dyn.onOomKill({ namespace: 'shop', pod: pod.metadata.name, container: 'app', atMs: NOW + 5 * MIN });
  const after = store.get<Pod>('pods', 'shop', pod.metadata.name)?.status.containerStatuses?.[0];
  assert.equal(after?.restartCount, (before?.restartCount ?? 0) + 1);
  assert.deepEqual(after?.lastState.terminated && { ...after.lastState.terminated, containerID: undefined }, { exitCode: 137, reason: 'OOMKilled', startedAt: before?.state.running?.startedAt, finishedAt: '2026-01-15T12:05:00Z', containerID: undefined });
  assert.equal(after?.lastState.terminated?.containerID, before?.containerID);
  assert.notEqual(after?.containerID, before?.containerID);
  assert.equal(after?.state.running?.startedAt, '2026-01-15T12:05:00Z');
  const evs = store.list<CoreEvent>('events', 'shop').filter((e) => e.involvedObject.name === pod.metadata.name);
  assert.deepEqual(evs.map((e) => e.reason).sort(), ['BackOff', 'Created', 'Pulled', 'Started']);
  assert.equal(dyn.stats().oomKills, 1);
});

test('a leaking container reaches its limit and is OOM-killed through the usage engine', () => {
  const leak = app('cart', { ageHours: 1, containers: [{ name: 'app', image: 'ghcr.io/acme/cart:1.0.0', requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' }, usage: { kind: 'leak', memory: { bytes: 100 * 2 ** 20 }, leak: { bytesPerHour: 80 * 2 ** 20 } } }] });
  const { store, dyn, usage } = cluster({ namespaces: [{ name: 'shop', workloads: [leak] }] }, true);
  for (let t = NOW; t <= NOW + 3 * 60 * MIN; t += MIN) {
    usage?.advance(t);
    dyn.tick(t);
  }
  const cs = store.list<Pod>('pods', 'shop')[0]?.status.containerStatuses?.[0];
  assert.ok((cs?.restartCount ?? 0) >= 1);
  assert.equal(cs?.lastState.terminated?.reason, 'OOMKilled');
  assert.ok(dyn.stats().oomKills >= 1);
});

test('a crash loop restarts after 10 s, 20 s, 40 s … back-offs capped at 5 minutes', () => {
  const { store, built, dyn } = cluster({ namespaces: [{ name: 'a', workloads: [app('crasher', { failure: { mode: 'crashloop', restarts: 1 } })] }] });
  const script = built.scripts.find((s): s is CrashLoopScript => s.kind === 'crashloop') as CrashLoopScript;
  const podName = script.pod;
  const status = (): NonNullable<Pod['status']['containerStatuses']>[number] => store.get<Pod>('pods', 'a', podName)?.status.containerStatuses?.[0] as NonNullable<Pod['status']['containerStatuses']>[number];
  assert.equal(status().state.waiting?.reason, 'CrashLoopBackOff');
  assert.match(status().state.waiting?.message ?? '', /^back-off 20s restarting failed container=app pod=crasher-/);
  let t = script.nextAtMs;
  dyn.tick(t - 1);
  assert.equal(status().restartCount, 1);
  const waits: string[] = [];
  for (let restart = 2; restart <= 7; restart++) {
    dyn.tick(t);
    assert.equal(status().restartCount, restart);
    assert.ok(status().state.running);
    dyn.tick(t + 2000);
    const waiting = status().state.waiting;
    assert.equal(waiting?.reason, 'CrashLoopBackOff');
    assert.equal(status().lastState.terminated?.finishedAt, new Date(Math.floor((t + 2000) / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    waits.push(/back-off (\S+) /.exec(waiting?.message ?? '')?.[1] ?? '');
    t = script.nextAtMs;
  }
  assert.deepEqual(waits, ['40s', '1m20s', '2m40s', '5m0s', '5m0s', '5m0s']);
  const backOff = store.list<CoreEvent>('events', 'a').filter((e) => e.reason === 'BackOff' && e.involvedObject.name === podName);
  assert.equal(backOff.length, 1);
  assert.ok((backOff[0]?.count ?? 0) >= 6);
});

test('churn deletes and recreates pods at the configured rate with new names', () => {
  const { store, built, dyn } = cluster({ churn: { podsPerSecond: 2 }, namespaces: [{ name: 'web', workloads: [app('front', { replicas: 5, churn: true }), app('steady', { replicas: 3 })] }] });
  const names = new Set(store.list<Pod>('pods', 'web').map((p) => p.metadata.name));
  assert.equal(built.churn.length, 1);
  dyn.tick(NOW + 10_000);
  assert.equal(dyn.stats().podsDeleted, 20);
  assert.equal(dyn.stats().podsCreated, 20);
  const now = store.list<Pod>('pods', 'web');
  assert.equal(now.length, 8);
  const fresh = now.filter((p) => !names.has(p.metadata.name));
  assert.ok(fresh.length >= 1 && fresh.every((p) => p.metadata.name.startsWith('front-')));
  assert.ok(fresh.some((p) => p.status.containerStatuses?.[0]?.state.waiting?.reason === 'ContainerCreating'));
  dyn.tick(NOW + 20_000);
  const settled = store.list<Pod>('pods', 'web').filter((p) => !names.has(p.metadata.name) && p.metadata.creationTimestamp === '2026-01-15T12:00:15Z');
  assert.ok(settled.every((p) => p.status.phase === 'Running' && p.status.containerStatuses?.[0]?.ready === true));
  assert.equal(store.list<Pod>('pods', 'web').filter((p) => p.metadata.name.startsWith('steady-')).length, 3);
});

test('running Jobs complete, CronJobs create their next Job', () => {
  const job = { name: 'backfill', kind: 'Job', completions: 2, parallelism: 2, durationMinutes: 30, ageHours: 0.25, containers: [{ name: 'run', image: 'ghcr.io/acme/backfill:1.0.0' }] };
  const cron = { name: 'report', kind: 'CronJob', schedule: '*/30 * * * *', durationMinutes: 5, containers: [{ name: 'run', image: 'ghcr.io/acme/report:1.0.0' }] };
  const { store, dyn } = cluster({ namespaces: [{ name: 'data', workloads: [job, cron] }] });
  assert.equal(store.get<Job>('jobs.batch', 'data', 'backfill')?.status.active, 2);
  dyn.tick(NOW + 31 * MIN);
  const done = store.get<Job>('jobs.batch', 'data', 'backfill') as Job;
  assert.deepEqual(done.status.conditions?.map((c) => c.type), ['SuccessCriteriaMet', 'Complete']);
  assert.equal(done.status.succeeded, 2);
  const jobPods = store.list<Pod>('pods', 'data').filter((p) => p.metadata.labels?.['job-name'] === 'backfill');
  assert.ok(jobPods.every((p) => p.status.phase === 'Succeeded'));
  const next = `report-${Math.floor((NOW + 30 * MIN) / MIN)}`;
  assert.ok(store.get('jobs.batch', 'data', next));
  assert.ok(store.list<CronJob>('cronjobs.batch', 'data')[0]?.status.lastScheduleTime);
  assert.equal(store.list('jobs.batch', 'data').filter((j) => j.metadata.name.startsWith('report-')).length, 3);
});

test('node conditions switch on and off on schedule; pods of a dead node are evicted after 300 s', () => {
  const { store, dyn } = cluster({
    nodePools: [{ name: 'pool', count: 2, capacity: { cpu: '8', memory: '32Gi' }, conditions: [{ condition: 'NotReady', nodes: [0], fromMinute: 1, untilMinute: 30 }] }],
    namespaces: [{ name: 'a', workloads: [app('web', { replicas: 4 })] }],
  });
  const node = (): Node => store.get<Node>('nodes', undefined, 'pool-node-00') as Node;
  const ready = (): string | undefined => node().status.conditions.find((c) => c.type === 'Ready')?.status;
  assert.equal(ready(), 'True');
  dyn.tick(NOW + 2 * MIN);
  assert.equal(ready(), 'Unknown');
  const onNode = (): Pod[] => store.list<Pod>('pods', 'a').filter((p) => p.spec.nodeName === 'pool-node-00');
  assert.ok(onNode().length > 0 && onNode().every((p) => !p.metadata.deletionTimestamp));
  const doomed = onNode().length;
  dyn.tick(NOW + 8 * MIN);
  assert.ok(onNode().every((p) => p.metadata.deletionTimestamp && p.status.conditions?.[0]?.reason === 'DeletionByTaintManager'));
  // The ReplicaSet replaces them on the node that is still Ready.
  assert.equal(dyn.stats().podsReplaced, doomed);
  dyn.tick(NOW + 9 * MIN);
  const elsewhere = store.list<Pod>('pods', 'a').filter((p) => p.spec.nodeName === 'pool-node-01' && !p.metadata.deletionTimestamp);
  assert.equal(elsewhere.length, 4);
  assert.ok(elsewhere.every((p) => p.status.phase === 'Running'));
  dyn.tick(NOW + 31 * MIN);
  assert.equal(ready(), 'True');
  assert.equal(node().spec.taints, undefined);
});

test('repeated warnings bump count and lastTimestamp; old events expire after an hour', () => {
  const { store, dyn } = cluster({ namespaces: [{ name: 'a', workloads: [app('web', { failure: { mode: 'readiness' } })] }] });
  const unhealthy = (): CoreEvent[] => store.list<CoreEvent>('events', 'a').filter((e) => e.reason === 'Unhealthy');
  const before = unhealthy()[0]?.count ?? 0;
  dyn.tick(NOW + MIN);
  assert.equal(unhealthy().length, 1);
  assert.equal(unhealthy()[0]?.count, before + 6);
  assert.equal(unhealthy()[0]?.lastTimestamp?.slice(0, 16), '2026-01-15T12:00');
  const scheduled = store.list<CoreEvent>('events', 'a').filter((e) => e.reason === 'Scheduled');
  assert.equal(scheduled.length, 1);
  dyn.tick(NOW + 2 * 60 * MIN);
  assert.equal(store.list<CoreEvent>('events', 'a').filter((e) => e.reason === 'Scheduled').length, 0);
  assert.equal(unhealthy().length, 1);
});
