// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import { buildTestApp } from './testing.ts';

const TOKEN = 's3cret-token-value';

// Test-only /api routes: the app under test serves no /api route yet.
function addProbeRoutes(app: FastifyInstance): void {
  const schema = { querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } }, additionalProperties: false } };
  app.get('/api/v1/probe/:name', { schema }, async (request) => ({ params: request.params }));
  app.get('/api/v1/boom', async () => {
    throw new Error('secret internals at /var/lib/x');
  });
  app.get('/api/v1/unavailable', async () => {
    throw new AppError('KRM_STORE_READONLY', 'The history database is read-only.');
  });
}

function assertErrorShape(body: string, code: string): Record<string, unknown> {
  const parsed = JSON.parse(body) as { error: { code: string; message: string } };
  assert.deepEqual(Object.keys(parsed), ['error']);
  assert.equal(parsed.error.code, code);
  assert.equal(typeof parsed.error.message, 'string');
  assert.doesNotMatch(body, /at .*\.ts:\d+|stack/);
  return parsed.error;
}

test('an unknown route answers 404 with the error shape', async (t) => {
  const { app } = buildTestApp();
  t.after(() => app.close());
  const res = await app.inject({ url: '/nope?x=1' });
  assert.equal(res.statusCode, 404);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const error = assertErrorShape(res.body, 'KRM_API_NOT_FOUND');
  assert.deepEqual(error['details'], { method: 'GET', path: '/nope' });
});

test('a validation failure answers 400 KRM_API_BAD_REQUEST with the issues', async (t) => {
  const { app } = buildTestApp();
  addProbeRoutes(app);
  t.after(() => app.close());
  const res = await app.inject({ url: '/api/v1/probe/x?limit=0' });
  assert.equal(res.statusCode, 400);
  const error = assertErrorShape(res.body, 'KRM_API_BAD_REQUEST');
  assert.equal((error['details'] as { context: string }).context, 'querystring');
});

test('an unexpected error answers 500 without internals and is logged at error; AppError codes map to their status', async (t) => {
  const { app, logLines } = buildTestApp();
  addProbeRoutes(app);
  t.after(() => app.close());
  const res = await app.inject({ url: '/api/v1/boom' });
  assert.equal(res.statusCode, 500);
  assertErrorShape(res.body, 'KRM_INTERNAL');
  assert.doesNotMatch(res.body, /secret internals/);
  assert.ok(logLines.some((l) => l.includes('"level":"ERROR"') && l.includes('secret internals')));
  const unavailable = await app.inject({ url: '/api/v1/unavailable' });
  assert.equal(unavailable.statusCode, 503);
  assertErrorShape(unavailable.body, 'KRM_STORE_READONLY');
});

test('with a token, /api/* needs the bearer token; health, /metrics and /openapi.json stay open; the token is never logged', async (t) => {
  const { app, logLines } = buildTestApp({ config: { token: TOKEN } });
  addProbeRoutes(app);
  t.after(() => app.close());
  const missing = await app.inject({ url: '/api/v1/probe/a' });
  assert.equal(missing.statusCode, 401);
  assert.equal(missing.headers['www-authenticate'], 'Bearer realm="krm"');
  assertErrorShape(missing.body, 'KRM_API_UNAUTHORIZED');
  const wrong = await app.inject({ url: '/api/v1/probe/a', headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.statusCode, 401);
  const unknownApi = await app.inject({ url: '/api/v1/does-not-exist' });
  assert.equal(unknownApi.statusCode, 401, 'routes under /api are not discoverable without the token');
  const ok = await app.inject({ url: '/api/v1/probe/a', headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { params: { name: 'a' } });
  for (const url of ['/health', '/health/liveness', '/health/readiness', '/metrics', '/openapi.json']) {
    assert.equal((await app.inject({ url })).statusCode, 200, url);
  }
  await app.inject({ url: '/api/v1/boom', headers: { authorization: `Bearer ${TOKEN}` } });
  assert.ok(logLines.length > 0);
  assert.ok(logLines.every((l) => !l.includes(TOKEN)));
});

test('without a token, /api/* is open', async (t) => {
  const { app } = buildTestApp();
  addProbeRoutes(app);
  t.after(() => app.close());
  assert.equal((await app.inject({ url: '/api/v1/probe/a' })).statusCode, 200);
});

test('/openapi.json is an OpenAPI 3.1 document listing the served routes', async (t) => {
  const { app } = buildTestApp({ version: '1.2.3' });
  t.after(() => app.close());
  const doc = (await app.inject({ url: '/openapi.json' })).json<{ openapi: string; info: { version: string }; paths: Record<string, unknown> }>();
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.version, '1.2.3');
  assert.deepEqual(Object.keys(doc.paths).sort(), ['/health', '/health/liveness', '/health/readiness', '/metrics', '/openapi.json']);
});

test('full stack on a real loopback listener', async (t) => {
  const { app, metrics } = buildTestApp();
  t.after(() => app.close());
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const health = await fetch(`${address}/health`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { status: string }).status, 'healthy');
  const missing = await fetch(`${address}/missing`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'KRM_API_NOT_FOUND');
  const text = await (await fetch(`${address}/metrics`)).text();
  assert.match(text, /^http_requests_total\{method="GET",endpoint="\/health",status="200"\} 1$/m);
  assert.match(text, /^active_connections \d+$/m);
  assert.ok((await metrics.activeConnections.get()).values.length === 1);
});
