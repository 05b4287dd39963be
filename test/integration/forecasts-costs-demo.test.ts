// SPDX-License-Identifier: Apache-2.0
// Capacity forecasts and showback over the demo, in-process: the seeded week of usage totals and the simulated
// cluster go through the start-up analysis pass into /api/v1/forecasts, and through the cost provider into
// /api/v1/costs. Both must answer with data for the cluster, its pools and its namespaces.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createLifecycle, type Lifecycle } from '../../src/runtime/lifecycle.ts';
import { startDemo, type RunningDemo } from '../../src/service.ts';
import { eventually } from '../support/running-service.ts';

const dir = mkdtempSync(join(tmpdir(), 'krm-forecasts-demo-'));
const log = createLogger({ level: 'warn', destination: { write: () => undefined } });
let lifecycle: Lifecycle;
let demo: RunningDemo;

interface Outlook {
  level: string;
  entity: string;
  resource: string;
  capacity: number | null;
  current_requests: number;
  usage: { status: string; points: { mean: number; lower95: number; upper95: number }[] } | null;
  usage_exhaustion: { expected_days: number | null; horizon_days: number } | null;
  n_minus_one: { fits: boolean; largest_node: string | null } | null;
}

interface CostItem {
  namespace?: string;
  tenant: string;
  namespaces: string[];
  total_cost: number;
  idle_cost: number;
  waste_ratio: { cpu: number | null; memory: number | null };
}

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(demo.url + path);
  return { status: res.status, body: (await res.json()) as T };
}

before(async () => {
  const config = loadConfig({ flags: { port: '0', host: '127.0.0.1', db: join(dir, 'krm.db') }, env: {}, cwd: dir, readFile: () => undefined });
  lifecycle = createLifecycle({ process: { on: () => undefined, removeListener: () => undefined, exit: () => undefined }, log });
  demo = await startDemo({ config, log, lifecycle });
  await demo.firstAnalysis;
});

after(async () => {
  await lifecycle.shutdown('test end');
  rmSync(dir, { recursive: true, force: true });
});

test('forecasts: the cluster has seasonal usage forecasts with intervals from the seeded week', async () => {
  const { status, body } = await getJson<{ items: Outlook[]; total: number; horizon_days: number }>('/api/v1/forecasts?level=cluster&limit=1000');
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.horizon_days, 14);
  assert.deepEqual(body.items.map((o) => o.resource).sort(), ['cpu', 'memory']);
  for (const o of body.items) {
    assert.ok((o.capacity ?? 0) > 0, `${o.resource} capacity`);
    assert.ok(o.current_requests > 0, `${o.resource} requests`);
    assert.equal(o.usage?.status, 'ok', `${o.resource} usage forecast`);
    assert.ok((o.usage?.points.length ?? 0) > 0);
    assert.ok(o.usage?.points.every((p) => p.lower95 <= p.mean && p.mean <= p.upper95));
    assert.ok(o.n_minus_one !== null && o.n_minus_one.largest_node !== null);
  }
});

test('forecasts: every namespace with pods has a scope, and filters narrow the list', async () => {
  const { body } = await getJson<{ items: Outlook[] }>('/api/v1/forecasts?level=namespace&resource=cpu&limit=1000');
  const names = body.items.map((o) => o.entity);
  for (const ns of ['shop', 'data', 'ml', 'payments']) assert.ok(names.includes(ns), `${ns} in ${names.join(',')}`);
  assert.ok(body.items.some((o) => o.usage?.status === 'ok'), 'a namespace usage forecast');
  const shop = await getJson<{ items: Outlook[] }>('/api/v1/forecasts?entity=shop');
  assert.deepEqual(shop.body.items.map((o) => `${o.level}/${o.resource}`).sort(), ['namespace/cpu', 'namespace/memory']);
});

test('costs: per namespace and per tenant over the last day, with idle share and waste', async () => {
  const byNs = await getJson<{ items: CostItem[]; total_cost: number }>('/api/v1/costs');
  assert.equal(byNs.status, 200, JSON.stringify(byNs.body));
  assert.ok(byNs.body.total_cost > 0);
  const shop = byNs.body.items.find((i) => i.namespace === 'shop');
  assert.ok(shop !== undefined && shop.total_cost > 0, JSON.stringify(shop));
  assert.ok(byNs.body.items.some((i) => i.waste_ratio.cpu !== null));
  const byTenant = await getJson<{ items: CostItem[]; total_cost: number }>('/api/v1/costs?group_by=tenant&window=7d');
  assert.equal(byTenant.status, 200);
  assert.ok(byTenant.body.items.length > 0 && byTenant.body.items.length <= byNs.body.items.length);
  const covered = byTenant.body.items.flatMap((i) => i.namespaces).sort();
  assert.ok(covered.includes('shop'));
});

test('the pod history is recorded in the scenario\'s time, on which the capacity forecasts read the requests history', async () => {
  // Read from the file beside the service, as `krm report --db` would.
  const db = new Database(join(dir, 'krm.db'), { readonly: true });
  let first: number;
  try {
    first = await eventually('the recorder wrote the pods', () =>
      Promise.resolve((db.prepare('SELECT MIN(first_seen_ms) FROM pod_history').pluck().get() as number | null) ?? undefined),
    );
  } finally {
    db.close();
  }
  // The scenario runs days behind the wall clock: a pod first seen on the wall clock would lie in the analyses' future,
  // and the requests history would start after the time it is read at.
  const scenarioNow = demo.simulation.simulation.nowMs();
  assert.ok(first <= scenarioNow && scenarioNow < Date.now() - 86_400_000, `${new Date(first).toISOString()} vs ${new Date(scenarioNow).toISOString()}`);
});
