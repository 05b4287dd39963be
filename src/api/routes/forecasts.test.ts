// SPDX-License-Identifier: Apache-2.0
// /api/v1/forecasts over a report of real outlooks (the pure forecast of src/analysis): 503 before the first pass,
// filters, paging, the wire shape with intervals and days to exhaustion, and 400 answers naming the parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capacityOutlook, capacityScopes } from '../../analysis/forecast/index.ts';
import type { Node } from '../../domain/resources.ts';
import type { Sample } from '../../domain/series.ts';
import { buildTestApp } from '../testing.ts';
import type { ForecastReportView } from './forecasts.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 0, 10);
const GiB = 2 ** 30;

const node = (name: string): Node =>
  ({ key: name, uid: name, name, labels: { 'node.kubernetes.io/instance-type': 'm5' }, annotations: {}, owners: [], unschedulable: false, taints: [], capacity: {}, allocatable: { cpuMillicores: 4000, memoryBytes: 16 * GiB }, conditions: [], roles: [] }) as unknown as Node;

function report(): ForecastReportView {
  const scopes = capacityScopes({ nodes: [node('a'), node('b')], pods: [], quotas: [], cluster: 'default' });
  // CPU usage climbing 1 core a day from 2 cores: it reaches the 8 cores allocatable within the week.
  const usage: Sample[] = Array.from({ length: 4 * 24 }, (_, i) => ({ tsMs: NOW - (4 * 24 - 1 - i) * HOUR, value: 2000 + (1000 * i) / 24 }));
  const outlooks = scopes.map((s) => capacityOutlook(s, { usage: s.resource === 'cpu' ? usage : [], nowMs: NOW, horizonMs: 7 * DAY }));
  return { computedAtMs: NOW, horizonMs: 7 * DAY, requestsHistory: 'empty', outlooks };
}

interface Item {
  level: string;
  entity: string;
  resource: string;
  unit: string;
  capacity: number | null;
  usage: { status: string; points: { ts: string; mean: number; lower80: number; upper80: number; lower95: number; upper95: number }[] } | null;
  requests: unknown;
  usage_exhaustion: { expected_days: number | null; earliest_days: number | null; horizon_days: number } | null;
  n_minus_one: { fits: boolean; largest_node: string | null } | null;
  nodes_for_growth: number | null;
}

test('forecasts: 503 KRM_API_NOT_READY until the first pass has run', async (t) => {
  const { app } = buildTestApp({ forecasts: () => undefined });
  t.after(() => app.close());
  const res = await app.inject({ url: '/api/v1/forecasts' });
  assert.equal(res.statusCode, 503);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'KRM_API_NOT_READY');
});

test('forecasts: the wire shape, with intervals, days to exhaustion and N − 1', async (t) => {
  const { app } = buildTestApp({ forecasts: report });
  t.after(() => app.close());
  const res = await app.inject({ url: '/api/v1/forecasts?level=cluster&resource=cpu' });
  assert.equal(res.statusCode, 200);
  const body = res.json<{ computed_at: string; horizon_days: number; requests_history: string; items: Item[]; total: number; continue: string | null }>();
  assert.equal(body.computed_at, new Date(NOW).toISOString());
  assert.equal(body.horizon_days, 7);
  assert.equal(body.total, 1);
  assert.equal(body.continue, null);
  const [cpu] = body.items;
  assert.ok(cpu !== undefined);
  assert.equal(cpu.unit, 'millicores');
  assert.equal(cpu.capacity, 8000);
  assert.equal(cpu.usage?.status, 'ok');
  const p = cpu.usage?.points.at(-1);
  assert.ok(p !== undefined && p.lower95 <= p.lower80 && p.lower80 <= p.mean && p.mean <= p.upper80 && p.upper80 <= p.upper95, JSON.stringify(p));
  const days = cpu.usage_exhaustion?.expected_days;
  assert.ok(days !== null && days !== undefined && days > 1 && days < 7, String(days));
  assert.equal(cpu.requests, null);
  assert.equal(cpu.n_minus_one?.fits, true);
  assert.equal(cpu.nodes_for_growth, 0);
  // Memory had no usage: insufficient_data, no date.
  const mem = (await app.inject({ url: '/api/v1/forecasts?level=cluster&resource=memory' })).json<{ items: Item[] }>().items[0];
  assert.equal(mem?.usage?.status, 'insufficient_data');
  assert.equal(mem?.usage_exhaustion?.expected_days, null);
});

test('forecasts: filters by entity, pages with continue, and refuses bad parameters', async (t) => {
  const { app } = buildTestApp({ forecasts: report });
  t.after(() => app.close());
  const pool = (await app.inject({ url: '/api/v1/forecasts?entity=m5' })).json<{ items: Item[] }>();
  assert.deepEqual(pool.items.map((i) => `${i.level}/${i.resource}`), ['nodepool/cpu', 'nodepool/memory']);
  const first = (await app.inject({ url: '/api/v1/forecasts?limit=3' })).json<{ items: Item[]; total: number; continue: string | null }>();
  assert.equal(first.total, 4);
  assert.equal(first.items.length, 3);
  assert.ok(first.continue !== null);
  const second = (await app.inject({ url: `/api/v1/forecasts?limit=3&continue=${first.continue}` })).json<{ items: Item[]; continue: string | null }>();
  assert.equal(second.items.length, 1);
  assert.equal(second.continue, null);
  for (const [q, parameter] of [['level=pod', 'level'], ['resource=gpu', 'resource'], ['limit=0', 'limit'], ['continue=x', 'continue']]) {
    const res = await app.inject({ url: `/api/v1/forecasts?${q}` });
    assert.equal(res.statusCode, 400, q);
    const err = res.json<{ error: { code: string; details: { parameter: string } } }>().error;
    assert.equal(err.code, 'KRM_API_BAD_REQUEST');
    assert.equal(err.details.parameter, parameter);
  }
});

test('forecasts and costs are documented in /openapi.json when wired, with bearer security and the error answers', async (t) => {
  const { app } = buildTestApp({ forecasts: report, costs: async () => ({ fromMs: NOW - DAY, toMs: NOW, prices: { cpuCoreHour: 0, memoryGiBHour: 0, storageGiBHour: 0 }, requestsBasis: 'current', items: [] }) });
  t.after(() => app.close());
  const doc = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, { get?: { security: unknown; responses: Record<string, unknown> } }> }>();
  for (const path of ['/api/v1/forecasts', '/api/v1/costs']) {
    const op = doc.paths[path]?.get;
    assert.ok(op !== undefined, path);
    assert.deepEqual(op.security, [{ bearer: [] }]);
    assert.ok('400' in op.responses && '503' in op.responses, path);
  }
  const bare = buildTestApp();
  t.after(() => bare.app.close());
  const plain = (await bare.app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
  assert.equal(plain.paths['/api/v1/forecasts'], undefined);
});
