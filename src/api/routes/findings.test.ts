// SPDX-License-Identifier: Apache-2.0
// /api/v1/findings and /api/v1/recommendations over a real SQLite store: filters, both sorts with their cursors,
// the wire shape, and 400 answers naming the parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Finding } from '../../analysis/findings.ts';
import type { Severity } from '../../analysis/severity.ts';
import { openTestStore, tempDir, type AfterHook } from '../../store/testing.ts';
import { buildTestApp } from '../testing.ts';

const T0 = Date.UTC(2026, 0, 10);

function aFinding(name: string, o: { severity: Severity; namespace: string; analysis?: Finding['analysis'] }): Finding {
  return {
    cluster: 'default',
    analysis: o.analysis ?? 'leak',
    rule: 'memory-leak',
    entity: { kind: 'container', namespace: o.namespace, name, container: 'app' },
    severity: o.severity,
    title: 'Memory leak',
    explanation: `${name} leaks.`,
    action: 'Fix it.',
    confidence: 'medium',
    evidence: { growth: 0.2, workload: `Deployment/${name}` },
    detectedAtMs: T0,
  };
}

async function setup(t: AfterHook) {
  const store = await openTestStore(t, { path: join(tempDir(t), 'krm.db') });
  const sev: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
  const findings = Array.from({ length: 12 }, (_, i) => aFinding(`p${i}`, { severity: sev[i % 5] as Severity, namespace: i % 2 === 0 ? 'shop' : 'data' }));
  await store.findings.saveRun({ cluster: 'default', analysis: 'leak' }, findings, T0);
  await store.findings.saveRun({ cluster: 'default', analysis: 'quota' }, [aFinding('q', { severity: 'medium', namespace: 'shop', analysis: 'quota' })], T0 + 1000);
  const { app } = buildTestApp({ findingStore: store.findings });
  t.after(() => app.close());
  return { app, store };
}

test('findings: filters and the wire shape', async (t) => {
  const { app } = await setup(t);
  const res = await app.inject({ url: '/api/v1/findings?severity=high&namespace=shop' });
  assert.equal(res.statusCode, 200);
  const body = res.json<{ items: { severity: string; entity: { namespace: string }; first_seen_at: string; state: string; evidence: Record<string, unknown> }[]; continue: string | null }>();
  assert.ok(body.items.length > 0);
  assert.ok(body.items.every((f) => (f.severity === 'high' || f.severity === 'critical') && f.entity.namespace === 'shop'), JSON.stringify(body.items));
  assert.equal(body.items[0]?.first_seen_at, new Date(T0).toISOString());
  assert.equal(body.items[0]?.state, 'open');
  assert.equal(body.continue, null);
  const quota = await app.inject({ url: '/api/v1/findings?analysis=quota' });
  assert.deepEqual(quota.json<{ items: { analysis: string }[] }>().items.map((f) => f.analysis), ['quota']);
  // `kind` is the same filter by the name users give it.
  const byKind = await app.inject({ url: '/api/v1/findings?kind=quota' });
  assert.deepEqual(byKind.json<{ items: { analysis: string }[] }>().items.map((f) => f.analysis), ['quota']);
  const newest = await app.inject({ url: '/api/v1/findings?limit=1' });
  assert.equal(newest.json<{ items: { analysis: string }[] }>().items[0]?.analysis, 'quota');
});

test('findings: both sorts page without gaps; a cursor of one sort is refused by the other', async (t) => {
  const { app } = await setup(t);
  for (const sort of ['newest', 'severity']) {
    const seen: number[] = [];
    let next: string | null = null;
    do {
      const url: string = `/api/v1/findings?sort=${sort}&limit=5${next === null ? '' : `&continue=${next}`}`;
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200);
      const body = res.json<{ items: { id: number }[]; continue: string | null }>();
      seen.push(...body.items.map((f) => f.id));
      next = body.continue;
    } while (next !== null);
    assert.equal(new Set(seen).size, 13, sort);
  }
  const first = (await app.inject({ url: '/api/v1/findings?sort=severity&limit=2' })).json<{ continue: string }>();
  const res = await app.inject({ url: `/api/v1/findings?limit=2&continue=${first.continue}` });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json<{ error: { details: { parameter: string } } }>().error.details.parameter, 'continue');
});

test('findings and recommendations: 400 names the parameter', async (t) => {
  const { app } = await setup(t);
  const cases = [
    ['/api/v1/findings?severity=urgent', 'severity'],
    ['/api/v1/findings?analysis=magic', 'analysis'],
    ['/api/v1/findings?kind=magic', 'kind'],
    ['/api/v1/findings?kind=leak&analysis=quota', 'kind'],
    ['/api/v1/findings?entity_kind=galaxy', 'entity_kind'],
    ['/api/v1/findings?state=maybe', 'state'],
    ['/api/v1/findings?sort=random', 'sort'],
    ['/api/v1/findings?limit=5000', 'limit'],
    ['/api/v1/findings?continue=%%%', 'continue'],
    ['/api/v1/recommendations?strategy=magic', 'strategy'],
    ['/api/v1/recommendations?continue=eyJ4IjoxfQ', 'continue'],
  ] as const;
  for (const [url, parameter] of cases) {
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 400, url);
    const body = res.json<{ error: { code: string; details: { parameter: string } } }>();
    assert.equal(body.error.code, 'KRM_API_BAD_REQUEST');
    assert.equal(body.error.details.parameter, parameter, url);
  }
});

test('recommendations: filtered by namespace, workload and strategy', async (t) => {
  const { app, store } = await setup(t);
  const rec = (namespace: string, name: string) => ({
    cluster: 'default',
    namespace,
    workload: { kind: 'Deployment', name },
    container: 'app',
    strategy: 'krm' as const,
    status: 'ok' as const,
    current: { cpuRequest: 2000, memRequest: 2 ** 31 },
    recommended: { cpuRequest: 100, memRequest: 2 ** 28 },
    monthlySavings: 75.5,
    severity: 'high' as const,
    confidence: 'medium' as const,
    explanation: 'Request 100m CPU and 256Mi memory.',
    patch: 'spec:\n  template: {}\n',
    notes: [],
    detectedAtMs: T0,
  });
  await store.findings.saveRecommendations('default', [rec('ml', 'notebook'), rec('ml', 'trainer'), rec('shop', 'web')]);
  const res = await app.inject({ url: '/api/v1/recommendations?namespace=ml&workload=notebook&strategy=krm' });
  assert.equal(res.statusCode, 200);
  const body = res.json<{ items: { workload: { name: string }; monthly_savings: number; current: { cpu_request_millicores: number }; recommended: { memory_request_bytes: number }; patch: string }[] }>();
  assert.equal(body.items.length, 1);
  assert.equal(body.items[0]?.monthly_savings, 75.5);
  assert.equal(body.items[0]?.current.cpu_request_millicores, 2000);
  assert.equal(body.items[0]?.recommended.memory_request_bytes, 2 ** 28);
  const page = (await app.inject({ url: '/api/v1/recommendations?limit=2' })).json<{ items: unknown[]; continue: string }>();
  assert.equal(page.items.length, 2);
  const rest = (await app.inject({ url: `/api/v1/recommendations?limit=2&continue=${page.continue}` })).json<{ items: unknown[]; continue: string | null }>();
  assert.equal(rest.items.length, 1);
  assert.equal(rest.continue, null);
});
