// SPDX-License-Identifier: Apache-2.0
// Bad input. Configuration: `krm serve` with a bad value in the YAML file, in a `KRM_*` variable or in a flag
// exits with 2 and a message naming the key and the reason, before anything is opened (no database file). Query
// parameters: every /api/v1 route of the running service answers a bad parameter with 400 KRM_API_BAD_REQUEST and
// `details.parameter`, an unknown route with 404 in the error shape, and a missing or wrong token with 401.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { KIND_NAMES } from '../../src/domain/kube-ports.ts';
import { KIND_SPECS } from '../../src/sources/kube/projections.ts';
import { aPod, anObject } from '../fakes/builders.ts';
import { FakeApiServer, type FakeObject } from '../fakes/fake-api-server.ts';
import { eventually, startTestService } from '../support/running-service.ts';
import { repoRoot } from '../support/tools.ts';

interface ServeRun {
  code: number;
  stderr: string;
  dbCreated: boolean;
}

/**
 * Runs `krm serve` in-process through the CLI's `main` (the one place mapping errors to exit codes) with `env` as
 * the environment and a fresh working directory; the database path is inside that directory.
 */
async function serveInProcess(t: TestContext, args: string[], env: Record<string, string> = {}): Promise<ServeRun> {
  const dir = mkdtempSync(join(tmpdir(), 'krm-config-fault-'));
  const dbPath = join(dir, 'data', 'k8s_metrics.db');
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const lines: string[] = [];
  const error = t.mock.method(console, 'error', (...a: unknown[]) => void lines.push(a.map(String).join(' ')));
  try {
    for (const k of Object.keys(process.env)) if (k.startsWith('KRM_')) delete process.env[k];
    Object.assign(process.env, env);
    process.chdir(dir);
    const code = await main(['serve', '--db', dbPath, '--host', '127.0.0.1', '--kubeconfig', join(dir, 'none.yaml'), ...args]);
    return { code, stderr: lines.join('\n'), dbCreated: existsSync(dbPath) || existsSync(join(dir, 'data')) };
  } finally {
    error.mock.restore();
    process.chdir(savedCwd);
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a bad flag value: exit 2, the key and the reason, nothing opened', async (t) => {
  const run = await serveInProcess(t, ['--port', '70000']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /server\.port/);
  assert.match(run.stderr, /65535|too big|less than or equal/i);
  assert.match(run.stderr, /KRM_CONFIG_INVALID/);
  assert.equal(run.dbCreated, false);
});

test('a bad environment variable: exit 2, the key, the variable and the reason', async (t) => {
  const run = await serveInProcess(t, [], { KRM_METRICS_SOURCE: 'graphite' });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /collection\.source/);
  assert.match(run.stderr, /KRM_METRICS_SOURCE/);
  assert.match(run.stderr, /prometheus|metrics-server|expected one of/i);
  assert.equal(run.dbCreated, false);
});

test('a bad YAML value: exit 2, the key and the reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'krm-config-yaml-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'krm.yaml');
  writeFileSync(file, 'collection:\n  interval: 5s\n');
  const run = await serveInProcess(t, ['--config', file]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /collection\.interval/);
  assert.match(run.stderr, /15s|at least|minimum/i);
  assert.equal(run.dbCreated, false);
});

test('the real CLI process exits with 2 on a bad value and creates no database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'krm-config-cli-'));
  try {
    const dbPath = join(dir, 'data', 'k8s_metrics.db');
    const env = { PATH: process.env['PATH'] ?? '', HOME: dir, KRM_PORT: 'eighty' };
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'krm.js'), 'serve', '--db', dbPath], { env, cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /server\.port/);
    assert.match(r.stderr, /KRM_PORT/);
    assert.equal(existsSync(join(dir, 'data')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Bad queries per route template; every one must be a 400 naming the parameter. */
const BAD_QUERIES: Readonly<Record<string, readonly string[]>> = {
  '/api/v1/pods': ['limit=abc', 'limit=0', 'limit=1001', 'sort=size', 'phase=Sleeping', 'labelSelector=a%20in%20', 'continue=nope', 'node=a&node=b'],
  '/api/v1/namespaces': ['limit=-1', 'sort=bogus', 'continue=nope'],
  '/api/v1/namespaces/{ns}/workloads': ['limit=abc', 'continue=nope'],
  '/api/v1/series': ['metric=cpu_m', 'kind=galaxy&metric=cpu_m', 'kind=pod&entity=shop/a&metric=cpu_m&step=abc', 'kind=pod&entity=shop/a&metric=cpu_m&quantiles=2', 'kind=pod&entity=shop/a&metric=cpu_m&from=yesterday'],
  '/api/v1/events': ['type=Boom', 'since=yesterday', 'limit=abc'],
};

const TOKEN = 'fault-test-token-0123456789';

test('bad query parameters, unknown routes and missing tokens on every /api/v1 route', async (t) => {
  const fake = await FakeApiServer.start();
  t.after(() => fake.close());
  fake.upsert(KIND_SPECS.namespaces.path, anObject('Namespace', { name: 'shop', namespace: '' }) as FakeObject);
  fake.upsert(KIND_SPECS.pods.path, aPod({ name: 'web-a', namespace: 'shop', node: 'n1' }) as FakeObject);
  const ticker = setInterval(() => {
    for (const kind of KIND_NAMES) fake.bookmark(KIND_SPECS[kind].path);
  }, 200);
  t.after(async () => clearInterval(ticker));
  const svc = await startTestService({ kubeconfigYaml: fake.kubeconfigYaml(), env: { KRM_AUTH_MODE: 'token', KRM_AUTH_TOKEN: TOKEN } });
  t.after(() => svc.stop());
  await eventually('readiness', async () => ((await svc.get('/health/readiness')).status === 200 ? true : undefined));
  const auth = { Authorization: `Bearer ${TOKEN}` };

  const openapi = await svc.get('/openapi.json');
  const templates = Object.keys(openapi.body['paths'] as Record<string, unknown>).filter((p) => p.startsWith('/api/v1/'));
  assert.ok(templates.includes('/api/v1/pods'), `routes: ${templates.join(', ')}`);
  t.diagnostic(`/api/v1 routes: ${templates.join(', ')}`);
  let checked = 0;
  for (const template of templates) {
    const path = template.replace('{ns}', 'shop').replace(/\{[^}]+\}/g, 'x');
    for (const headers of [undefined, { Authorization: 'Bearer wrong-token-0123456789' }]) {
      const res = await svc.get(path, headers);
      assert.equal(res.status, 401, `${path} without a valid token`);
      assert.equal((res.body['error'] as { code: string }).code, 'KRM_API_UNAUTHORIZED', path);
    }
    for (const query of BAD_QUERIES[template] ?? []) {
      const res = await svc.get(`${path}?${query}`, auth);
      assert.equal(res.status, 400, `${path}?${query}: ${JSON.stringify(res.body)}`);
      const error = res.body['error'] as { code: string; message: string; details: Record<string, unknown> };
      assert.equal(error.code, 'KRM_API_BAD_REQUEST', `${path}?${query}`);
      assert.equal(typeof error.message, 'string');
      assert.equal(typeof error.details['parameter'], 'string', `${path}?${query}: details.parameter`);
      checked++;
    }
  }
  assert.ok(checked >= BAD_QUERIES['/api/v1/pods']!.length, `${checked} bad queries checked`);

  for (const path of ['/api/v1/nope', '/api/v2/pods', '/nothing']) {
    const res = await svc.get(path, auth);
    assert.equal(res.status, 404, path);
    const error = res.body['error'] as { code: string; message: string };
    assert.equal(typeof error.code, 'string', path);
    assert.equal(typeof error.message, 'string', path);
  }
  // Health and metrics are never behind the token.
  assert.equal((await svc.get('/health/readiness')).status, 200);
  assert.equal((await fetch(`${svc.service.url}/metrics`)).status, 200);
});
