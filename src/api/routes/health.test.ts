// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HealthReport } from '../contract.ts';
import { buildTestApp } from '../testing.ts';

const BASE: HealthReport = { database: 'ok', kubernetes: 'healthy', prometheus: 'healthy', usageSource: 'prometheus' };

const RULES: readonly { name: string; report: Partial<HealthReport>; status: string; http: number; db: string }[] = [
  { name: 'all healthy', report: {}, status: 'healthy', http: 200, db: 'healthy' },
  { name: 'prometheus disabled', report: { prometheus: 'disabled' }, status: 'healthy', http: 200, db: 'healthy' },
  { name: 'prometheus down', report: { prometheus: 'unhealthy', usageSource: 'metrics-server' }, status: 'degraded', http: 200, db: 'healthy' },
  { name: 'kubernetes down', report: { kubernetes: 'unhealthy' }, status: 'degraded', http: 200, db: 'healthy' },
  { name: 'cluster never synced', report: { kubernetes: 'unhealthy', initialSyncDone: false }, status: 'unhealthy', http: 503, db: 'healthy' },
  { name: 'database read-only', report: { database: 'degraded' }, status: 'degraded', http: 200, db: 'unhealthy' },
  { name: 'database unavailable', report: { database: 'unavailable' }, status: 'unhealthy', http: 503, db: 'unhealthy' },
  { name: 'database unavailable and more', report: { database: 'unavailable', kubernetes: 'unhealthy' }, status: 'unhealthy', http: 503, db: 'unhealthy' },
];

for (const rule of RULES) {
  test(`/health: ${rule.name} → ${rule.status}`, async (t) => {
    const { app, health } = buildTestApp();
    t.after(() => app.close());
    health.report = { ...BASE, ...rule.report };
    const res = await app.inject({ url: '/health' });
    assert.equal(res.statusCode, rule.http);
    const body = res.json<Record<string, unknown>>();
    assert.equal(body['status'], rule.status);
    assert.equal(body['database_status'], rule.db);
    assert.equal(body['prometheus_status'], health.report.prometheus);
    assert.equal(body['kubernetes_status'], health.report.kubernetes);
  });
}

test('/health carries the fixed fields, the usage source and the last collection', async (t) => {
  const { app, health } = buildTestApp();
  t.after(() => app.close());
  const startedAtMs = Date.UTC(2024, 0, 15, 10, 29);
  health.report = { ...BASE, lastCollection: { source: 'prometheus', startedAtMs, finishedAtMs: startedAtMs + 1500, pods: 12, containers: 20, errors: 0 } };
  const body = (await app.inject({ url: '/health' })).json();
  assert.deepEqual(body, {
    status: 'healthy',
    timestamp: '2024-01-15T10:30:00.000Z',
    database_status: 'healthy',
    kubernetes_status: 'healthy',
    prometheus_status: 'healthy',
    usage_source: 'prometheus',
    last_collection: {
      source: 'prometheus',
      started_at: '2024-01-15T10:29:00.000Z',
      finished_at: '2024-01-15T10:29:01.500Z',
      duration_ms: 1500,
      pods: 12,
      containers: 20,
      errors: 0,
    },
  });
});

test('/health/readiness is 503 with the error shape before the initial sync and while the database is closed', async (t) => {
  const { app, health } = buildTestApp();
  t.after(() => app.close());
  health.state = { initialSyncDone: false, databaseOpen: true };
  const before = await app.inject({ url: '/health/readiness' });
  assert.equal(before.statusCode, 503);
  assert.deepEqual(before.json(), { error: { code: 'KRM_API_NOT_READY', message: 'The instance is not ready.', details: { reason: 'initial_sync_pending' } } });
  health.state = { initialSyncDone: true, databaseOpen: false };
  assert.equal((await app.inject({ url: '/health/readiness' })).json<{ error: { details: { reason: string } } }>().error.details.reason, 'database_not_open');
  health.state = { initialSyncDone: true, databaseOpen: true };
  health.report = { ...BASE, database: 'degraded' };
  const ready = await app.inject({ url: '/health/readiness' });
  assert.equal(ready.statusCode, 200, 'a read-only database keeps the instance ready');
  assert.deepEqual(ready.json(), { status: 'ready', timestamp: '2024-01-15T10:30:00.000Z' });
});

test('/health/liveness follows the event-loop lag only', async (t) => {
  let lagMs = 10;
  const { app, health } = buildTestApp({ eventLoopLagMs: () => lagMs });
  t.after(() => app.close());
  health.report = { ...BASE, database: 'unavailable', kubernetes: 'unhealthy' };
  health.state = { initialSyncDone: false, databaseOpen: false };
  const alive = await app.inject({ url: '/health/liveness' });
  assert.equal(alive.statusCode, 200);
  assert.deepEqual(alive.json(), { status: 'alive', timestamp: '2024-01-15T10:30:00.000Z' });
  lagMs = 6000;
  const blocked = await app.inject({ url: '/health/liveness' });
  assert.equal(blocked.statusCode, 503);
  assert.equal(blocked.json<{ error: { code: string } }>().error.code, 'KRM_API_NOT_READY');
});

test('the default liveness probe measures the real event loop', async (t) => {
  const { app } = buildTestApp({ eventLoopLagMs: undefined });
  t.after(() => app.close());
  assert.equal((await app.inject({ url: '/health/liveness' })).statusCode, 200);
});
