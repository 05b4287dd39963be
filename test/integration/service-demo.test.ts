// SPDX-License-Identifier: Apache-2.0
// The demo service end to end, in-process: the simulated cluster, the watch loops, one collection from the
// simulated kubelets into a temporary database, the HTTP routes, a clean shutdown, and the stored series still there
// when the same database is opened again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { METRIC } from '../../src/domain/series.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createLifecycle, type Lifecycle } from '../../src/runtime/lifecycle.ts';
import { startDemo, type RunningDemo } from '../../src/service.ts';
import { SqliteSampleStore } from '../../src/store/sample-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'krm-service-demo-'));
const dbPath = join(dir, 'k8s_metrics.db');
const log = createLogger({ level: 'warn', destination: { write: () => undefined } });
let lifecycle: Lifecycle;
let demo: RunningDemo;

interface PodItem {
  namespace: string;
  name: string;
  cpu: { usage_millicores: number | null };
  memory: { usage_bytes: number | null };
}

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(demo.url + path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Polls `probe` every 100 ms until it returns a value, for at most `ms`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  const config = loadConfig({ flags: { port: '0', host: '127.0.0.1', db: dbPath }, env: {}, cwd: dir, readFile: () => undefined });
  lifecycle = createLifecycle({ process: { on: () => undefined, removeListener: () => undefined, exit: () => undefined }, log });
  demo = await startDemo({ config, log, lifecycle });
});

after(async () => {
  await lifecycle.shutdown('test end');
  rmSync(dir, { recursive: true, force: true });
});

test('the demo becomes ready and every component is healthy or disabled', async () => {
  await until('readiness', async () => ((await getJson('/health/readiness')).status === 200 ? true : undefined));
  const health = await until('the first collection', async () => {
    const h = await getJson('/health');
    return h.body['last_collection'] === null ? undefined : h;
  });
  assert.equal(health.status, 200);
  assert.equal(health.body['status'], 'healthy');
  assert.equal(health.body['database_status'], 'healthy');
  assert.equal(health.body['kubernetes_status'], 'healthy');
  assert.equal(health.body['prometheus_status'], 'disabled');
  // The demo collects from the simulated kubelets (summary and cAdvisor) unless a source is configured.
  assert.equal(health.body['usage_source'], 'kubelet');
});

test('/api/v1/pods lists the pods with the usage of the last collection', async () => {
  const { status, body } = await getJson('/api/v1/pods?limit=50');
  assert.equal(status, 200);
  const items = body['items'] as PodItem[];
  assert.ok(items.length > 0 && items.length <= 50, `${items.length} pods`);
  const measured = items.filter((p) => (p.cpu.usage_millicores ?? 0) > 0 && (p.memory.usage_bytes ?? 0) > 0);
  assert.ok(measured.length > 0, 'some pods with CPU and memory usage');
  assert.equal(typeof body['collected_at'], 'string');
  const next = body['continue'];
  if (typeof next === 'string') {
    const page2 = await getJson(`/api/v1/pods?limit=50&continue=${next}`);
    const names = new Set(items.map((p) => `${p.namespace}/${p.name}`));
    assert.ok((page2.body['items'] as PodItem[]).every((p) => !names.has(`${p.namespace}/${p.name}`)), 'no pod on two pages');
  }
  const sorted = await getJson('/api/v1/pods?sort=cpu&limit=5');
  const cpus = (sorted.body['items'] as PodItem[]).map((p) => p.cpu.usage_millicores ?? -1);
  assert.deepEqual(cpus, [...cpus].sort((a, b) => b - a));
});

test('/api/v1/cluster and /api/v1/nodes summarise the simulated cluster', async () => {
  const cluster = await getJson('/api/v1/cluster');
  assert.equal(cluster.status, 200);
  const nodes = cluster.body['nodes'] as { total: number };
  assert.ok(nodes.total > 0);
  assert.ok(((cluster.body['cpu'] as { usage_millicores: number | null }).usage_millicores ?? 0) > 0);
  const list = await getJson('/api/v1/nodes');
  assert.equal((list.body['items'] as unknown[]).length, nodes.total);
});

test('bad parameters answer 400 with the error shape', async () => {
  for (const query of ['limit=abc', 'limit=0', 'sort=size', 'phase=Sleeping', 'labelSelector=a%20in%20', 'continue=nope']) {
    const { status, body } = await getJson(`/api/v1/pods?${query}`);
    assert.equal(status, 400, query);
    const error = body['error'] as { code: string; message: string; details: Record<string, unknown> };
    assert.equal(error.code, 'KRM_API_BAD_REQUEST', query);
    assert.equal(typeof error.message, 'string');
    assert.equal(typeof error.details['parameter'], 'string');
  }
});

test('shutdown is clean and the stored series survive a reopen', async () => {
  const started = Date.now();
  assert.equal(await lifecycle.shutdown('test'), 0);
  assert.ok(Date.now() - started < 10_000, 'within 10 s');
  const store = await SqliteSampleStore.open({ path: dbPath });
  try {
    const series = await store.findSeries({ kind: 'container', metrics: [METRIC.cpuMillicores] });
    assert.ok(series.length > 0, 'container CPU series');
    const result = await store.query({ selector: { kind: 'container', metrics: [METRIC.cpuMillicores] }, fromMs: 0, toMs: Date.now() + 30 * 86_400_000, tier: 'raw' });
    assert.ok(result.series.some((s) => s.points.length > 0), 'stored points');
  } finally {
    await store.close();
  }
});
