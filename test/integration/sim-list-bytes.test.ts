// SPDX-License-Identifier: Apache-2.0
// The simulated API server's LIST bodies are written from cached item texts with a Content-Length added up from
// their cached UTF-8 lengths: the header must match the bytes sent, non-ASCII text included, and a core Event listed
// as events.k8s.io must not be measured by its core form's cache.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';

let sim: RunningSimulation;

before(async () => {
  sim = await startSimulationServer({ scenario: 'demo', port: 0 });
});

after(async () => {
  await sim.stop();
});

/** GET with node:http: the Content-Length header and the bytes that came. */
function rawGet(path: string): Promise<{ status: number; length: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${sim.server.url}${path}`, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, length: Number(res.headers['content-length']), body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function post(path: string, body: unknown): Promise<void> {
  const r = await fetch(`${sim.server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(r.status, 201, await r.text());
}

test('a LIST of items with non-ASCII text has the Content-Length of the bytes sent, before and after the cache is made', async () => {
  const text = 'grüße, 東京, emoji 🚀';
  await post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'utf8-a' }, data: { greeting: text } });
  await post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'utf8-b', annotations: { note: text } } });
  for (const pass of ['first', 'cached']) {
    const res = await rawGet('/api/v1/namespaces/default/configmaps');
    assert.equal(res.status, 200);
    assert.equal(res.length, res.body.length, `${pass} LIST: Content-Length`);
    const list = JSON.parse(res.body.toString('utf8')) as { items: { metadata: { name: string }; data?: Record<string, string> }[] };
    assert.equal(list.items.find((i) => i.metadata.name === 'utf8-a')?.data?.greeting, text, pass);
    const paged = await rawGet('/api/v1/namespaces/default/configmaps?limit=1');
    assert.equal(paged.length, paged.body.length, `${pass} page: Content-Length`);
  }
});

test('core Events listed in both API versions have their own lengths', async () => {
  const core = await rawGet('/api/v1/events');
  assert.equal(core.length, core.body.length, 'core events');
  const v1 = await rawGet('/apis/events.k8s.io/v1/events');
  assert.equal(v1.length, v1.body.length, 'events.k8s.io events after the core LIST cached the core form');
  const items = (JSON.parse(v1.body.toString('utf8')) as { items: unknown[] }).items;
  assert.ok(items.length > 0, 'the demo has events');
});
