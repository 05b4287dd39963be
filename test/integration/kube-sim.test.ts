// SPDX-License-Identifier: Apache-2.0
// The cluster cache against the simulated cluster (demo scenario) over TLS with a bearer token: every kind syncs,
// the cache equals the simulator's store, live changes arrive, and a forced compaction makes every kind relist and
// end consistent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KIND_NAMES, type KindName } from '../../src/domain/kube-ports.ts';
import { kubeconfigFor, startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';
import { ClusterCache } from '../../src/sources/kube/cluster-cache.ts';
import { createKubeClient } from '../../src/sources/kube/client.ts';
import { KIND_SPECS } from '../../src/sources/kube/projections.ts';
import { until } from '../fakes/wait.ts';

let sim: RunningSimulation;
let cache: ClusterCache;
const controller = new AbortController();
let running: Promise<void>;

/** The simulator's store key of a kind: `pods`, `deployments.apps`, `storageclasses.storage.k8s.io`. */
function storeKey(kind: KindName): string {
  const m = /^\/apis\/([^/]+)\/[^/]+\/([^/]+)$/.exec(KIND_SPECS[kind].path);
  return m ? `${m[2]}.${m[1]}` : kind;
}

function storeKeys(kind: KindName): string[] {
  return sim.simulation.store
    .list(storeKey(kind))
    .map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name))
    .sort();
}

function cacheKeys(kind: KindName): string[] {
  return cache
    .list(kind)
    .map((o) => o.key)
    .sort();
}

/** Waits until every loop has seen the store's current version (events or bookmarks). */
async function converged(): Promise<void> {
  const current = (): string => String(sim.simulation.store.currentResourceVersion());
  await until(() => cache.loopStates().every((s) => s.phase === 'watching' && s.resourceVersion === current()), 'every kind at the current version', 10_000);
}

before(async () => {
  // A small change window and frequent bookmarks, so that relists and version catch-up happen in test time.
  sim = await startSimulationServer({ scenario: 'demo', port: 0, tls: true, token: 'sim-token', eventWindow: 500, bookmarkIntervalMs: 100 });
  const client = createKubeClient({ kubeconfigYaml: kubeconfigFor(sim.server, 'sim-token'), qps: 0 });
  cache = new ClusterCache({ http: client.request });
  running = cache.run(controller.signal);
});

after(async () => {
  controller.abort();
  await running;
  await sim.stop();
});

test('every kind of the demo scenario syncs; the cache equals the store (pods and nodes field by field)', async () => {
  await cache.whenReady(controller.signal);
  // Freeze the simulated cluster, then let the watches catch up with the last changes.
  sim.simulation.stop();
  await converged();
  for (const kind of KIND_NAMES) assert.deepEqual(cacheKeys(kind), storeKeys(kind), kind);
  assert.ok(cache.counts().pods > 100, 'the demo has a real number of pods');
  for (const kind of ['pods', 'nodes'] as const) {
    for (const raw of sim.simulation.store.list(storeKey(kind))) {
      const want = KIND_SPECS[kind].project(raw);
      assert.ok(want);
      assert.deepEqual(cache.get(kind, want.namespace, want.name), want, want.key);
    }
  }
  const unresolved = cache.list('pods').filter((p) => !cache.workloadOf(p).resolved);
  assert.deepEqual(unresolved.map((p) => p.key), [], 'every owner chain resolves from the cache');
});

test('a pod created in the store shows up, and disappears when deleted', async () => {
  const store = sim.simulation.store;
  store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'krm-probe', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '250m', memory: '64Mi' } } }] },
    status: { phase: 'Pending' },
  });
  await until(() => cache.get('pods', 'default', 'krm-probe') !== undefined, 'created pod in the cache');
  assert.equal(cache.get('pods', 'default', 'krm-probe')?.containers[0]?.requests.cpuMillicores, 250);
  store.delete('pods', 'default', 'krm-probe');
  await until(() => cache.get('pods', 'default', 'krm-probe') === undefined, 'deleted pod gone from the cache');
});

test('ended watches plus a compaction force every kind to relist, and the result is consistent', async () => {
  await converged();
  const store = sim.simulation.store;
  const before = new Map(cache.loopStates().map((s) => [s.kind, s.relists]));
  const victim = store.list('pods').find((p) => p.metadata.namespace === 'default') ?? store.list('pods')[0];
  assert.ok(victim);
  // All in one synchronous turn: the loops' reconnects cannot reach the server before the compaction, so each
  // resumes from a version that is now too old, gets an ERROR event with a 410 Status, and relists. The delete and
  // create are never delivered as events: only the relist can show them.
  sim.server.endWatches();
  store.delete('pods', victim.metadata.namespace, victim.metadata.name);
  store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'after-compaction', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Pending' } });
  store.compact();
  await until(() => cache.loopStates().every((s) => s.relists > (before.get(s.kind) ?? 0)), 'a relist of every kind', 10_000);
  await converged();
  for (const kind of KIND_NAMES) assert.deepEqual(cacheKeys(kind), storeKeys(kind), kind);
  assert.equal(cache.get('pods', victim.metadata.namespace, victim.metadata.name), undefined);
  assert.ok(cache.get('pods', 'default', 'after-compaction'));
  assert.ok(cache.isReady());
});
