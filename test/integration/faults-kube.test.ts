// SPDX-License-Identifier: Apache-2.0
// Kubernetes API faults seen through the running service (docs/health.md): an API server that is not there at
// start, one that goes away after the sync and comes back, one that accepts connections and never answers, a watch
// that stalls, and 410 Gone as an HTTP answer and as a watch ERROR event. In each case the service keeps running,
// `/health` says what is wrong, and it recovers by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { KIND_NAMES } from '../../src/domain/kube-ports.ts';
import { startSimulationServer } from '../../src/sim/index.ts';
import { KIND_SPECS } from '../../src/sources/kube/projections.ts';
import { aPod, anObject } from '../fakes/builders.ts';
import { FakeApiServer, type FakeObject } from '../fakes/fake-api-server.ts';
import { freePort } from '../support/prometheus.ts';
import { eventually, kubeconfigForUrl, sampleValue, startTestService, type TestService } from '../support/running-service.ts';

type Health = { status: number; body: Record<string, unknown> };

const health = (svc: TestService): Promise<Health> => svc.get('/health');

/** Resolves once /health matches `want` (status and selected fields). */
async function healthBecomes(svc: TestService, want: { http: number; status: string; kubernetes: string }, ms = 15_000): Promise<Health> {
  return eventually(
    `health ${JSON.stringify(want)}`,
    async () => {
      const h = await health(svc);
      const ok = h.status === want.http && h.body['status'] === want.status && h.body['kubernetes_status'] === want.kubernetes;
      return ok ? h : undefined;
    },
    ms,
  );
}

async function podNames(svc: TestService): Promise<string[]> {
  const res = await svc.get('/api/v1/pods?limit=1000');
  assert.equal(res.status, 200);
  return (res.body['items'] as { name: string }[]).map((p) => p.name).sort();
}

/** A TCP relay to `target` on a fixed port that can be cut (every connection reset) and restored. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnectionTo(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function createConnectionTo(port: number): Socket {
  return connect(port, '127.0.0.1');
}

test('API server unreachable at start: unhealthy and not ready, then ready and healthy once it appears', async (t) => {
  const port = await freePort();
  const svc = await startTestService({ kubeconfigYaml: kubeconfigForUrl(`http://127.0.0.1:${port}`) });
  t.after(() => svc.stop());
  await new Promise((r) => setTimeout(r, 1000));
  const h = await health(svc);
  assert.equal(h.status, 503);
  assert.equal(h.body['status'], 'unhealthy');
  assert.equal(h.body['kubernetes_status'], 'unhealthy');
  assert.equal(h.body['database_status'], 'healthy');
  const ready = await svc.get('/health/readiness');
  assert.equal(ready.status, 503);
  assert.equal((ready.body['error'] as { details: { reason: string } }).details.reason, 'initial_sync_pending');
  assert.equal((await svc.get('/health/liveness')).status, 200, 'still alive');
  // The loops kept retrying (and counted it).
  const restarts = sampleValue(await svc.metricsText(), 'krm_watch_restarts_total{kind="pods"}') ?? 0;
  assert.ok(restarts >= 2, `pods restarts ${restarts}`);

  const sim = await startSimulationServer({ scenario: 'demo', port, speed: 60, bookmarkIntervalMs: 300 });
  t.after(() => sim.stop());
  await eventually('readiness', async () => ((await svc.get('/health/readiness')).status === 200 ? true : undefined));
  await healthBecomes(svc, { http: 200, status: 'healthy', kubernetes: 'healthy' });
  assert.ok((await podNames(svc)).length > 0);
});

test('API server gone after the sync: degraded, cached pods still served; back: healthy again', async (t) => {
  const sim = await startSimulationServer({ scenario: 'demo', port: 0, speed: 60, bookmarkIntervalMs: 300 });
  t.after(() => sim.stop());
  const relay = new Relay(await freePort(), Number(new URL(sim.server.url).port));
  await relay.up();
  t.after(() => relay.down());
  const svc = await startTestService({ kubeconfigYaml: kubeconfigForUrl(`http://127.0.0.1:${relay.port}`) });
  t.after(() => svc.stop());
  await healthBecomes(svc, { http: 200, status: 'healthy', kubernetes: 'healthy' });
  const before = await podNames(svc);
  assert.ok(before.length > 0);

  await relay.down();
  const h = await healthBecomes(svc, { http: 200, status: 'degraded', kubernetes: 'unhealthy' }, 5000);
  assert.equal(h.body['database_status'], 'healthy');
  assert.equal((await svc.get('/health/readiness')).status, 200, 'still ready: the cache is served');
  assert.ok((await podNames(svc)).length > 0, 'cached pods are served');

  await relay.up();
  await healthBecomes(svc, { http: 200, status: 'healthy', kubernetes: 'healthy' }, 10_000);
});

test('a server that accepts connections and never answers: the page timeout fires, health says so, no crash', async (t) => {
  const held = new Set<Socket>();
  const silent = createServer((s) => {
    held.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  const { port } = silent.address() as { port: number };
  const svc = await startTestService({ kubeconfigYaml: kubeconfigForUrl(`http://127.0.0.1:${port}`) });
  t.after(() => svc.stop());
  // Two page timeouts (1 s each with the test tuning) and a backoff: restarts counted, still not ready.
  await eventually('two timed-out lists', async () => ((sampleValue(await svc.metricsText(), 'krm_watch_restarts_total{kind="pods"}') ?? 0) >= 2 ? true : undefined), 10_000);
  const h = await health(svc);
  assert.equal(h.status, 503);
  assert.equal(h.body['kubernetes_status'], 'unhealthy');
  assert.equal((await svc.get('/health/readiness')).status, 503);
  assert.equal((await svc.get('/health/liveness')).status, 200);
  const pods = svc.service.cluster.syncStatus().find((s) => s.kind === 'pods');
  assert.ok((pods?.connection?.consecutiveFailures ?? 0) >= 2, JSON.stringify(pods?.connection));
  assert.notEqual(pods?.connection?.lastError, undefined);
});

/** A fake API server holding one namespace, one node and two pods, and a service synced against it. */
async function fakeCluster(t: { after: (fn: () => Promise<void>) => void }): Promise<{ fake: FakeApiServer; svc: TestService }> {
  const fake = await FakeApiServer.start();
  t.after(() => fake.close());
  const put = (path: string, o: unknown): FakeObject => fake.upsert(path, o as FakeObject);
  put(KIND_SPECS.namespaces.path, anObject('Namespace', { name: 'shop', namespace: '' }));
  put(KIND_SPECS.nodes.path, anObject('Node', { name: 'n1', namespace: '', status: { allocatable: { cpu: '4', memory: '16Gi' } } }));
  put(KIND_SPECS.pods.path, aPod({ name: 'web-a', namespace: 'shop', node: 'n1' }));
  put(KIND_SPECS.pods.path, aPod({ name: 'web-b', namespace: 'shop', node: 'n1' }));
  // Bookmarks well within the watchdog's limit, as an API server sends them to quiet watches.
  const ticker = setInterval(() => {
    for (const kind of KIND_NAMES) fake.bookmark(KIND_SPECS[kind].path);
  }, 200);
  t.after(async () => clearInterval(ticker));
  const svc = await startTestService({ kubeconfigYaml: fake.kubeconfigYaml() });
  t.after(() => svc.stop());
  await eventually('readiness', async () => ((await svc.get('/health/readiness')).status === 200 ? true : undefined));
  await eventually('every watch open', async () => (fake.openWatches() >= KIND_NAMES.length ? true : undefined));
  return { fake, svc };
}

test('a stalled watch: the watchdog fires, Kubernetes is unhealthy, and the next event heals it', async (t) => {
  const { fake, svc } = await fakeCluster(t);
  await healthBecomes(svc, { http: 200, status: 'healthy', kubernetes: 'healthy' });
  const pods = KIND_SPECS.pods.path;
  fake.injectWatchFault(pods, { type: 'stall' }, { type: 'stall' });
  fake.endWatches();
  const h = await healthBecomes(svc, { http: 200, status: 'degraded', kubernetes: 'unhealthy' }, 5000);
  assert.equal(h.body['database_status'], 'healthy');
  const state = svc.service.cluster.loopStates().find((s) => s.kind === 'pods');
  assert.ok((state?.watchdogFirings ?? 0) >= 1, 'the watchdog fired');
  assert.equal((await svc.get('/health/readiness')).status, 200);
  assert.deepEqual(await podNames(svc), ['web-a', 'web-b'], 'the cache is still served');
  // Once the stalls are used up, a change arrives over a working stream.
  await eventually('a working pods watch', async () => (fake.openWatches(pods) > 0 ? true : undefined), 10_000);
  fake.upsert(pods, aPod({ name: 'web-c', namespace: 'shop', node: 'n1' }) as FakeObject);
  await healthBecomes(svc, { http: 200, status: 'healthy', kubernetes: 'healthy' });
  assert.deepEqual(await podNames(svc), ['web-a', 'web-b', 'web-c']);
});

test('410 as an HTTP answer and as a watch ERROR event: the kind relists and the served data is right', async (t) => {
  const { fake, svc } = await fakeCluster(t);
  const pods = KIND_SPECS.pods.path;
  const restarts = async (): Promise<number> => sampleValue(await svc.metricsText(), 'krm_watch_restarts_total{kind="pods"}') ?? 0;
  const listsBefore = fake.requestsOf(pods, 'list').length;
  const r0 = await restarts();

  // HTTP 410 on the reconnect; a pod deleted and one added meanwhile are in the relist.
  fake.injectWatchFault(pods, { type: 'gone-http' });
  fake.delete(pods, 'shop', 'web-a');
  fake.compact();
  fake.endWatches();
  fake.upsert(pods, aPod({ name: 'web-d', namespace: 'shop', node: 'n1' }) as FakeObject);
  await eventually('a relist after HTTP 410', async () => (fake.requestsOf(pods, 'list').length > listsBefore ? true : undefined));
  await eventually('the relisted pods', async () => ((await podNames(svc)).join() === 'web-b,web-d' ? true : undefined));
  assert.ok((await restarts()) > r0, 'the relist is counted');

  // An ERROR event carrying a 410 Status.
  const lists = fake.requestsOf(pods, 'list').length;
  fake.injectWatchFault(pods, { type: 'gone-event' });
  fake.endWatches();
  fake.upsert(pods, aPod({ name: 'web-e', namespace: 'shop', node: 'n1' }) as FakeObject);
  await eventually('a relist after the ERROR event', async () => (fake.requestsOf(pods, 'list').length > lists ? true : undefined));
  await eventually('the relisted pods', async () => ((await podNames(svc)).join() === 'web-b,web-d,web-e' ? true : undefined));
  await healthBecomes(svc, { http: 200, status: 'healthy', kubernetes: 'healthy' });
  assert.equal((await svc.get('/health/readiness')).status, 200);
});
