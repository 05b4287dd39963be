// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/series`: parameter parsing on its own, then the route over a real SQLite store holding known history
// (downsampled min/max/mean/count per step, tiers, quantiles) and its 400/404 answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { METRIC } from '../../domain/series.ts';
import { AppError } from '../../errors/app-error.ts';
import { openTestStore, tempDir, type AfterHook } from '../../store/testing.ts';
import { buildTestApp } from '../testing.ts';
import { MAX_QUANTILES, parseSeriesRequest, seriesRoutes } from './series.ts';

const NOW = Date.UTC(2024, 0, 15, 12);
const T0 = Date.UTC(2024, 0, 13);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const ctx = { nowMs: NOW, cluster: 'c1' };

function parameterOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'KRM_API_BAD_REQUEST');
    return e.details?.['parameter'];
  }
  assert.fail('expected a 400');
}

test('parsing: defaults are to = now and from = one hour earlier, no step, no quantiles', () => {
  const r = parseSeriesRequest({ kind: 'workload', entity: 'shop/Deployment/web', metric: 'cpu_m' }, ctx);
  assert.deepEqual(r, { kind: 'workload', entity: 'shop/Deployment/web', metric: 'cpu_m', fromMs: NOW - HOUR, toMs: NOW, quantiles: [] });
  assert.equal(parseSeriesRequest({ kind: 'cluster', metric: 'pods' }, ctx).entity, 'c1');
});

test('parsing: times as RFC 3339 (any offset) or epoch ms, step as a duration, quantiles as a list', () => {
  const r = parseSeriesRequest(
    { kind: 'node', entity: 'n1', metric: 'mem_ws_b', from: '2024-01-15T10:30:00+02:00', to: String(NOW), step: '5m', quantiles: '0.5, 0.95,1,0' },
    ctx,
  );
  assert.equal(r.fromMs, Date.UTC(2024, 0, 15, 8, 30));
  assert.equal(r.toMs, NOW);
  assert.equal(r.stepMs, 5 * MINUTE);
  assert.deepEqual(r.quantiles, [0.5, 0.95, 1, 0]);
  assert.equal(parseSeriesRequest({ kind: 'node', entity: 'n1', metric: 'cpu_m', from: '2024-01-15t11:00:00.250z' }, ctx).fromMs, NOW - HOUR + 250);
});

test('parsing: every invalid parameter is a 400 naming it', () => {
  const base = { kind: 'workload', entity: 'shop/Deployment/web', metric: 'cpu_m' };
  const cases: [Record<string, unknown>, string][] = [
    [{ entity: 'x', metric: 'cpu_m' }, 'kind'],
    [{ ...base, kind: 'deployment' }, 'kind'],
    [{ kind: 'workload', metric: 'cpu_m' }, 'entity'],
    [{ ...base, metric: 'cpu' }, 'metric'],
    [{ kind: 'workload', entity: 'x' }, 'metric'],
    [{ ...base, from: 'yesterday' }, 'from'],
    [{ ...base, to: '2024-01-15' }, 'to'],
    [{ ...base, to: '2024-13-45T99:00:00Z' }, 'to'],
    [{ ...base, from: String(NOW), to: String(NOW) }, 'from'],
    [{ ...base, from: String(NOW + 1) }, 'from'],
    [{ ...base, step: '60' }, 'step'],
    [{ ...base, step: '500ms' }, 'step'],
    [{ ...base, from: String(NOW - 14 * 24 * HOUR), step: '1m' }, 'step'],
    [{ ...base, quantiles: '0.5,1.5' }, 'quantiles'],
    [{ ...base, quantiles: '-0.1' }, 'quantiles'],
    [{ ...base, quantiles: 'p99' }, 'quantiles'],
    [{ ...base, quantiles: Array.from({ length: MAX_QUANTILES + 1 }, () => '0.5').join(',') }, 'quantiles'],
    [{ ...base, metric: ['cpu_m', 'mem_ws_b'] }, 'metric'],
  ];
  for (const [query, parameter] of cases) assert.equal(parameterOf(() => parseSeriesRequest(query, ctx)), parameter, JSON.stringify(query));
  // A week at one-minute steps is still allowed.
  assert.equal(parseSeriesRequest({ ...base, from: String(NOW - 7 * 24 * HOUR), step: '1m' }, ctx).stepMs, MINUTE);
});

/** A store holding two days of one workload's CPU at one sample a minute, value = minute of the hour (0–59). */
async function appWithHistory(t: AfterHook) {
  const store = await openTestStore(t, { path: join(tempDir(t), 'db.sqlite'), clock: { now: () => NOW } });
  const [id] = await store.resolveSeries([{ cluster: 'c1', kind: 'workload', entity: 'shop/Deployment/web', metric: METRIC.cpuMillicores }]);
  const n = 2 * 24 * 60;
  const timestampsMs = Float64Array.from({ length: n }, (_, i) => T0 + i * MINUTE);
  const values = Float64Array.from({ length: n }, (_, i) => i % 60);
  await store.writeHistory({ series: [{ seriesId: id as number, timestampsMs, values }] });
  const { app } = buildTestApp();
  seriesRoutes(app, { store, cluster: 'c1', now: () => NOW });
  t.after(() => app.close());
  return app;
}

interface Answer {
  series: Record<string, unknown>;
  tier: string;
  step_ms: number;
  approximate_quantiles: boolean;
  quantiles: number[];
  points: { t: number; count: number; min: number; max: number; mean: number; quantiles?: number[] }[];
}

const WEB = 'kind=workload&entity=shop%2FDeployment%2Fweb&metric=cpu_m';

test('downsamples stored history into steps with count, min, max and mean', async (t) => {
  const app = await appWithHistory(t);
  const from = new Date(T0).toISOString();
  const hourly = await app.inject({ method: 'GET', url: `/api/v1/series?${WEB}&from=${from}&to=${T0 + 6 * HOUR}&step=1h` });
  assert.equal(hourly.statusCode, 200, hourly.body);
  const h = hourly.json() as Answer;
  assert.deepEqual(h.series, { cluster: 'c1', kind: 'workload', entity: 'shop/Deployment/web', metric: 'cpu_m', unit: 'millicores' });
  assert.equal(h.step_ms, HOUR);
  assert.equal(h.tier, '1h');
  assert.equal(h.points.length, 6);
  h.points.forEach((p, k) => assert.deepEqual(p, { t: T0 + k * HOUR, count: 60, min: 0, max: 59, mean: 29.5 }));

  const tenMinutes = (await app.inject({ method: 'GET', url: `/api/v1/series?${WEB}&from=${T0 + HOUR}&to=${T0 + 2 * HOUR}&step=10m` })).json() as Answer;
  assert.equal(tenMinutes.step_ms, 10 * MINUTE);
  assert.deepEqual(
    tenMinutes.points.map((p) => [p.count, p.min, p.max, p.mean]),
    [0, 1, 2, 3, 4, 5].map((k) => [10, 10 * k, 10 * k + 9, 10 * k + 4.5]),
  );
});

test('quantiles are exact on raw samples and flagged approximate from rollup sketches', async (t) => {
  const app = await appWithHistory(t);
  const raw = (await app.inject({ method: 'GET', url: `/api/v1/series?${WEB}&from=${T0}&to=${T0 + 5 * MINUTE}&step=1m&quantiles=0.5,1` })).json() as Answer;
  assert.equal(raw.tier, 'raw');
  assert.equal(raw.approximate_quantiles, false);
  assert.deepEqual(raw.quantiles, [0.5, 1]);
  assert.deepEqual(raw.points.map((p) => p.quantiles), [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]);

  const daily = (await app.inject({ method: 'GET', url: `/api/v1/series?${WEB}&from=${T0}&to=${T0 + 48 * HOUR}&step=1d&quantiles=0.99` })).json() as Answer;
  assert.equal(daily.approximate_quantiles, true);
  assert.deepEqual(daily.points.map((p) => p.count), [1440, 1440]);
  for (const p of daily.points) assert.ok(Math.abs((p.quantiles?.[0] ?? 0) - 59) <= 59 * 0.02, `p99 ${p.quantiles?.[0]}`);
});

test('a known series with no samples in range has no points; an unknown one is 404', async (t) => {
  const app = await appWithHistory(t);
  const empty = await app.inject({ method: 'GET', url: `/api/v1/series?${WEB}` });
  assert.equal(empty.statusCode, 200);
  assert.deepEqual((empty.json() as Answer).points, []);
  const missing = await app.inject({ method: 'GET', url: '/api/v1/series?kind=workload&entity=shop%2FDeployment%2Fnope&metric=cpu_m' });
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json(), {
    error: { code: 'KRM_API_NOT_FOUND', message: 'No stored series has this kind, entity and metric.', details: { kind: 'workload', entity: 'shop/Deployment/nope', metric: 'cpu_m' } },
  });
});

test('bad parameters are 400 KRM_API_BAD_REQUEST with the parameter named', async (t) => {
  const app = await appWithHistory(t);
  for (const [q, parameter] of [
    ['kind=pods&entity=x&metric=cpu_m', 'kind'],
    [`${WEB}&from=${NOW}&to=${NOW - 1}`, 'from'],
    [`${WEB}&step=1m&from=2024-01-01T00:00:00Z`, 'step'],
    [`${WEB}&metric=cpu_m`, 'metric'],
  ]) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/series?${q}` });
    assert.equal(res.statusCode, 400, q);
    const body = res.json() as { error: { code: string; details: { parameter: string } } };
    assert.equal(body.error.code, 'KRM_API_BAD_REQUEST');
    assert.equal(body.error.details.parameter, parameter, q);
  }
});
