// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildTestApp } from '../api/testing.ts';
import { createSelfMetrics } from './registry.ts';

const PROMTOOL = '/usr/bin/promtool';

const EXPECTED_TYPES: Readonly<Record<string, string>> = {
  http_requests_total: 'counter',
  http_request_duration_seconds: 'histogram',
  active_connections: 'gauge',
  pods_collected_total: 'counter',
  collection_duration_seconds: 'histogram',
  collection_errors_total: 'counter',
  krm_database_size_bytes: 'gauge',
  krm_watch_events_total: 'counter',
  krm_watch_restarts_total: 'counter',
  krm_pods: 'gauge',
  krm_kube_request_duration_seconds: 'histogram',
  krm_prometheus_request_duration_seconds: 'histogram',
};

test('every self-metric has its name and type; the rest are krm_ or default process metrics', async () => {
  const text = await createSelfMetrics().registry.metrics();
  const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [String(m[1]), String(m[2])]));
  for (const [name, type] of Object.entries(EXPECTED_TYPES)) assert.equal(types.get(name), type, name);
  for (const name of types.keys()) {
    assert.ok(name in EXPECTED_TYPES || /^(krm_|process_|nodejs_)/.test(name), `unexpected metric ${name}`);
  }
  assert.ok(types.has('process_cpu_seconds_total') && types.has('nodejs_eventloop_lag_seconds'));
  assert.match(text, /^collection_errors_total\{source="metrics-server"\} 0$/m);
});

test('registries are per instance', async () => {
  const a = createSelfMetrics({ processMetrics: false });
  const b = createSelfMetrics({ processMetrics: false });
  a.podsCollected.inc(5);
  assert.match(await a.registry.metrics(), /^pods_collected_total 5$/m);
  assert.match(await b.registry.metrics(), /^pods_collected_total 0$/m);
});

test('http metrics are labelled with the route template, and unmatched paths with "unmatched"', async (t) => {
  const { app } = buildTestApp();
  app.get('/api/v1/pods/:name', async () => ({ ok: true }));
  t.after(() => app.close());
  await app.inject({ url: '/api/v1/pods/web-1' });
  await app.inject({ url: '/api/v1/pods/web-2' });
  await app.inject({ url: '/no/such/path' });
  const res = await app.inject({ url: '/metrics' });
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  assert.match(res.body, /^http_requests_total\{method="GET",endpoint="\/api\/v1\/pods\/:name",status="200"\} 2$/m);
  assert.match(res.body, /^http_requests_total\{method="GET",endpoint="unmatched",status="404"\} 1$/m);
  assert.match(res.body, /^http_request_duration_seconds_count\{method="GET",endpoint="\/api\/v1\/pods\/:name"\} 2$/m);
  assert.doesNotMatch(res.body, /web-1|no\/such/);
});

test('promtool check metrics passes on the /metrics output', { skip: !existsSync(PROMTOOL) && 'promtool not installed' }, async (t) => {
  const { app, metrics } = buildTestApp();
  t.after(() => app.close());
  metrics.watchEvents.inc({ kind: 'pods' });
  metrics.kubeRequestDuration.observe({ verb: 'list', resource: 'pods', code: '200' }, 0.2);
  await app.inject({ url: '/health' });
  const text = (await app.inject({ url: '/metrics' })).body;
  const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(result.stdout + result.stderr, '');
  assert.equal(result.status, 0);
});
