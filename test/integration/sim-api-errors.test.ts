// SPDX-License-Identifier: Apache-2.0
// The simulated API server's answers to bad requests: `Status` objects with the reason and code a real API server
// sends, over plain HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';

let sim: RunningSimulation;

before(async () => {
  sim = await startSimulationServer({ scenario: 'demo', port: 0 });
});

after(async () => {
  await sim.stop();
});

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${sim.server.url}${path}`, init);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

function json(method: string, body: unknown): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

const cases: [string, string, RequestInit, number, string][] = [
  ['unknown pod', '/api/v1/namespaces/shop/pods/nope', {}, 404, 'NotFound'],
  ['unknown resource', '/api/v1/widgets', {}, 404, 'NotFound'],
  ['bad label selector', '/api/v1/pods?labelSelector=a%20b%20c', {}, 400, 'BadRequest'],
  ['unsupported field selector', '/api/v1/pods?fieldSelector=spec.bogus%3D1', {}, 400, 'BadRequest'],
  ['malformed continue token', '/api/v1/pods?limit=5&continue=garbage', {}, 400, 'BadRequest'],
  ['bad limit', '/api/v1/pods?limit=ten', {}, 400, 'BadRequest'],
  ['write to a read-only RBAC kind', '/apis/rbac.authorization.k8s.io/v1/clusterroles', json('POST', { metadata: { name: 'x' } }), 405, 'MethodNotAllowed'],
  ['create without a name', '/api/v1/namespaces/default/configmaps', json('POST', { metadata: {} }), 422, 'Invalid'],
  ['create in a missing namespace', '/api/v1/namespaces/nowhere/configmaps', json('POST', { metadata: { name: 'a' } }), 404, 'NotFound'],
  ['create an existing object', '/api/v1/namespaces', json('POST', { metadata: { name: 'shop' } }), 409, 'AlreadyExists'],
  ['body that is not JSON', '/api/v1/namespaces', { method: 'POST', body: '{not json' }, 400, 'BadRequest'],
];

for (const [what, path, init, code, reason] of cases) {
  test(`${what}: ${code} ${reason} as a Status`, async () => {
    const r = await call(path, init);
    assert.equal(r.status, code);
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.status, 'Failure');
    assert.equal(r.body.code, code);
    assert.equal(r.body.reason, reason);
    assert.equal(typeof r.body.message, 'string');
  });
}

test('an expired continue token is 410 Expired', async () => {
  const first = await call('/api/v1/pods?limit=5');
  const token = (first.body.metadata as { continue: string }).continue;
  // A change after the first page, then a compaction past it (as etcd compacts every few minutes).
  sim.simulation.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bump', namespace: 'default' } });
  sim.simulation.store.compact();
  const r = await call(`/api/v1/pods?limit=5&continue=${encodeURIComponent(token)}`);
  assert.equal(r.status, 410);
  assert.equal(r.body.reason, 'Expired');
});

test('a watch from a version older than the window: HTTP 200, then an ERROR event with a 410 Status', async () => {
  sim.simulation.store.compact();
  const res = await fetch(`${sim.server.url}/api/v1/pods?watch=1&resourceVersion=1`);
  assert.equal(res.status, 200);
  const line = (await res.text()).trim().split('\n')[0] ?? '';
  const ev = JSON.parse(line) as { type: string; object: { code: number; reason: string; message: string } };
  assert.equal(ev.type, 'ERROR');
  assert.equal(ev.object.code, 410);
  assert.equal(ev.object.reason, 'Expired');
  assert.match(ev.object.message, /too old resource version/);
});

test('pod log errors: several containers without a name, no previous container', async () => {
  const pods = sim.simulation.store.list<{ apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec: { containers: unknown[] }; status: { phase: string; containerStatuses?: { restartCount: number }[] } }>('pods');
  const healthy = pods.find((p) => p.status.phase === 'Running' && p.status.containerStatuses?.every((c) => c.restartCount === 0) && p.spec.containers.length === 1);
  assert.ok(healthy);
  const r = await call(`/api/v1/namespaces/${healthy.metadata.namespace}/pods/${healthy.metadata.name}/log?previous=true`);
  assert.equal(r.status, 400);
  assert.match(String(r.body.message), /previous terminated container "[^"]+" in pod "[^"]+" not found/);
});
