// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/events` over a real SQLite store holding Events and lifecycle entries: the wire shape of both
// sources, filters, keyset pages that join up, and 400 KRM_API_BAD_REQUEST naming the parameter.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { LifecycleRecord } from '../../domain/history.ts';
import type { KubeEvent } from '../../domain/resources.ts';
import { openTestStore, tempDir } from '../../store/testing.ts';
import { buildTestApp } from '../testing.ts';
import { eventsPaths, eventsRoutes } from './events.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.UTC(2024, 0, 15, 12);

function anEvent(i: number): KubeEvent {
  const pod = i % 2 ? 'web-1' : 'web-2';
  const type = i % 3 ? 'Normal' : 'Warning';
  const reason = i % 3 ? 'Pulled' : 'BackOff';
  return {
    key: `shop/e${i}`,
    uid: `e${i}`,
    name: `${pod}.e${i}`,
    namespace: 'shop',
    labels: {},
    annotations: {},
    owners: [],
    type,
    reason,
    message: `message ${i}`,
    subject: { kind: 'Pod', namespace: 'shop', name: pod, uid: `uid-${pod}`, fieldPath: 'spec.containers{app}' },
    count: 1 + i,
    firstSeenAtMs: NOW - 3 * HOUR + i * MINUTE,
    lastSeenAtMs: NOW - 2 * HOUR + i * MINUTE,
    reportingComponent: 'kubelet',
    dedupeKey: `Pod/shop/${pod}|${type}|${reason}|kubelet|message ${i}`,
  };
}

function anOom(i: number): LifecycleRecord {
  return {
    type: 'termination',
    namespace: 'data',
    pod: 'spark-worker-0',
    podUid: 'uid-spark',
    nodeName: 'node-3',
    workload: { namespace: 'data', kind: 'Deployment', name: 'spark-worker', resolved: true },
    container: 'worker',
    reason: 'OOMKilled',
    exitCode: 137,
    restartCount: i + 1,
    memoryLimitBytes: 2 ** 31,
    atMs: NOW - HOUR + i * MINUTE,
    dedupeKey: `uid-spark|termination|worker|${i}`,
  };
}

async function appWithHistory(t: TestContext): Promise<FastifyInstance> {
  const store = await openTestStore(t, { path: join(tempDir(t), 'events.db') });
  await store.history.record({
    cluster: 'c1',
    events: Array.from({ length: 12 }, (_, i) => anEvent(i)),
    lifecycle: Array.from({ length: 5 }, (_, i) => anOom(i)),
    pods: [],
    nodes: [],
    deletions: [],
    observedAtMs: NOW,
  });
  const { app } = buildTestApp();
  eventsRoutes(app, { history: store.history, cluster: 'c1', now: () => NOW });
  t.after(() => app.close());
  return app;
}

interface Page {
  items: Array<Record<string, unknown> & { source: string; type: string; last_at: string }>;
  continue: string | null;
}

async function get(app: FastifyInstance, url: string): Promise<Page> {
  const res = await app.inject({ method: 'GET', url });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<Page>();
}

test('newest first over both sources, with the wire shape of each', async (t) => {
  const app = await appWithHistory(t);
  const page = await get(app, '/api/v1/events');
  assert.equal(page.items.length, 17);
  assert.equal(page.continue, null);
  const times = page.items.map((i) => Date.parse(i.last_at));
  assert.deepEqual(times, [...times].sort((a, b) => b - a));
  assert.deepEqual(page.items[0], {
    source: 'lifecycle',
    type: 'termination',
    reason: 'OOMKilled',
    message: null,
    namespace: 'data',
    object: { kind: 'Pod', name: 'spark-worker-0', uid: 'uid-spark', field_path: null },
    count: 1,
    first_at: new Date(NOW - HOUR + 4 * MINUTE).toISOString(),
    last_at: new Date(NOW - HOUR + 4 * MINUTE).toISOString(),
    workload: { kind: 'Deployment', name: 'spark-worker' },
    node: 'node-3',
    container: 'worker',
    exit_code: 137,
    restart_count: 5,
    memory_limit_bytes: 2 ** 31,
  });
  const event = page.items.find((i) => i.source === 'event');
  assert.deepEqual(event, {
    source: 'event',
    type: 'Normal',
    reason: 'Pulled',
    message: 'message 11',
    namespace: 'shop',
    object: { kind: 'Pod', name: 'web-1', uid: 'uid-web-1', field_path: 'spec.containers{app}' },
    count: 12,
    first_at: new Date(NOW - 3 * HOUR + 11 * MINUTE).toISOString(),
    last_at: new Date(NOW - 2 * HOUR + 11 * MINUTE).toISOString(),
    reporting_component: 'kubelet',
  });
});

test('filters: type, pod, kind/name, reason, namespace, since/until', async (t) => {
  const app = await appWithHistory(t);
  const count = async (query: string): Promise<number> => (await get(app, `/api/v1/events?${query}`)).items.length;
  assert.equal(await count('type=Warning'), 4);
  assert.equal(await count('type=Warning,termination'), 9);
  assert.equal(await count('type=eviction'), 0);
  assert.equal(await count('pod=web-1'), 6);
  assert.equal(await count('pod=spark-worker-0'), 5);
  assert.equal(await count('kind=Pod&name=web-2'), 6);
  assert.equal(await count('kind=Deployment&name=spark-worker'), 5);
  assert.equal(await count('reason=BackOff'), 4);
  assert.equal(await count('namespace=data'), 5);
  assert.equal(await count('since=90m'), 5, 'a duration before now');
  assert.equal(await count(`until=${new Date(NOW - HOUR).toISOString()}`), 12);
  assert.equal(await count(`since=${encodeURIComponent(new Date(NOW - 2 * HOUR + 6 * MINUTE).toISOString())}&until=1h`), 6);
});

test('keyset pages join up without gaps or repeats', async (t) => {
  const app = await appWithHistory(t);
  const all = (await get(app, '/api/v1/events')).items;
  const paged: Page['items'] = [];
  let url = '/api/v1/events?limit=5';
  for (let i = 0; i < 10; i++) {
    const page = await get(app, url);
    paged.push(...page.items);
    if (page.continue === null) break;
    url = `/api/v1/events?limit=5&continue=${page.continue}`;
  }
  assert.deepEqual(paged, all);
});

test('bad parameters answer 400 KRM_API_BAD_REQUEST naming the parameter', async (t) => {
  const app = await appWithHistory(t);
  const cases: Array<[string, string]> = [
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['type=Error', 'type'],
    ['since=yesterday', 'since'],
    ['until=2024-13-45T00:00:00Z', 'until'],
    ['since=1h&until=2h', 'since'],
    ['continue=bm9wZQ', 'continue'],
    ['namespace=a&namespace=b', 'namespace'],
  ];
  for (const [query, parameter] of cases) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/events?${query}` });
    assert.equal(res.statusCode, 400, query);
    const body = res.json<{ error: { code: string; message: string; details: { parameter: string } } }>();
    assert.equal(body.error.code, 'KRM_API_BAD_REQUEST', query);
    assert.equal(body.error.details.parameter, parameter, query);
  }
});

test('the OpenAPI fragment documents the route and its parameters', () => {
  const op = eventsPaths['/api/v1/events']?.['get'] as { parameters: Array<{ name: string }> };
  assert.deepEqual(
    op.parameters.map((p) => p.name),
    ['namespace', 'kind', 'name', 'pod', 'type', 'reason', 'since', 'until', 'limit', 'continue'],
  );
});
