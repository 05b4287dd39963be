// SPDX-License-Identifier: Apache-2.0
// Prometheus down, seen through the running service: with `prometheus.url` on a closed port and the simulator as
// the cluster, collection falls back to metrics-server, `/health` reports Prometheus unhealthy and the instance
// degraded, and pods still get usage. The same running service checks the self-metrics: `/metrics` passes
// `promtool check metrics` and the watch, pod and upstream-request metrics are there and move.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { kubeconfigFor, startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';
import { freePort } from '../support/prometheus.ts';
import { eventually, sampleValue, startTestService, type TestService } from '../support/running-service.ts';

const PROMTOOL = '/usr/bin/promtool';

let sim: RunningSimulation;
let svc: TestService;

before(async () => {
  sim = await startSimulationServer({ scenario: 'demo', port: 0, speed: 60, bookmarkIntervalMs: 300 });
  const closed = `http://127.0.0.1:${await freePort()}`;
  svc = await startTestService({ kubeconfigYaml: kubeconfigFor(sim.server), flags: { prometheusUrl: closed } });
});

after(async () => {
  await svc.stop();
  await sim.stop();
});

test('Prometheus down: metrics-server serves usage, prometheus_status unhealthy, status degraded', async () => {
  const h = await eventually('the first collection with every watch settled', async () => {
    const res = await svc.get('/health');
    return res.body['last_collection'] === null || res.body['kubernetes_status'] !== 'healthy' ? undefined : res;
  });
  assert.equal(h.status, 200);
  assert.equal(h.body['status'], 'degraded');
  assert.equal(h.body['prometheus_status'], 'unhealthy');
  assert.equal(h.body['kubernetes_status'], 'healthy');
  assert.equal(h.body['database_status'], 'healthy');
  assert.equal(h.body['usage_source'], 'metrics-server');
  assert.equal((h.body['last_collection'] as { source: string }).source, 'metrics-server');
  assert.equal((await svc.get('/health/readiness')).status, 200);
  const pods = await svc.get('/api/v1/pods?limit=100&sort=cpu');
  const items = pods.body['items'] as { cpu: { usage_millicores: number | null } }[];
  assert.ok(items.length > 0);
  assert.ok((items[0]?.cpu.usage_millicores ?? 0) > 0, 'pods have usage from metrics-server');
});

test('/metrics passes promtool; watch, pod and request metrics are present and move', async () => {
  const first = await svc.metricsText();
  if (existsSync(PROMTOOL)) {
    const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: first, encoding: 'utf8' });
    assert.equal(result.stdout + result.stderr, '', 'promtool check metrics');
    assert.equal(result.status, 0);
  }
  const podsHeld = svc.service.cluster.counts().pods;
  assert.equal(sampleValue(first, 'krm_pods'), podsHeld);
  assert.ok(podsHeld > 0);
  for (const kind of ['pods', 'nodes', 'namespaces']) {
    assert.notEqual(sampleValue(first, `krm_watch_events_total{kind="${kind}"}`), undefined, `events of ${kind}`);
    assert.notEqual(sampleValue(first, `krm_watch_restarts_total{kind="${kind}"}`), undefined, `restarts of ${kind}`);
  }
  const lists = sampleValue(first, 'krm_kube_request_duration_seconds_count{verb="LIST",resource="pods",code="200"}') ?? 0;
  assert.ok(lists >= 1, 'the pods list is timed');
  assert.ok((sampleValue(first, 'krm_kube_request_duration_seconds_count{verb="WATCH",resource="pods",code="200"}') ?? 0) >= 1, 'the pods watch is timed');
  assert.ok((sampleValue(first, 'krm_kube_request_duration_seconds_count{verb="LIST",resource="pods.metrics.k8s.io",code="200"}') ?? 0) >= 1, 'metrics-server is timed');
  const promCalls = (text: string): number =>
    ['instant', 'names', 'ready'].reduce((n, type) => n + (sampleValue(text, `krm_prometheus_request_duration_seconds_count{type="${type}"}`) ?? 0), 0);
  assert.ok(promCalls(first) >= 1, 'the failed Prometheus requests are timed');
  // The simulated cluster keeps changing: pod events arrive over the watch.
  await eventually(
    'pod watch events',
    async () => ((sampleValue(await svc.metricsText(), 'krm_watch_events_total{kind="pods"}') ?? 0) > (sampleValue(first, 'krm_watch_events_total{kind="pods"}') ?? 0) ? true : undefined),
    20_000,
  );
});
