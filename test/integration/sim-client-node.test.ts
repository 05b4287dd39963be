// SPDX-License-Identifier: Apache-2.0
// @kubernetes/client-node (the official JavaScript client) against the simulator: paginated list, watch, an
// informer that must relist after a 410, TLS with a bearer token, and a Lease update that loses a conflict.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';

let running: RunningSimulation;

function kubeConfig(server: string, opts: { token?: string; caCert?: string } = {}): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server, skipTLSVerify: !opts.caCert, caData: opts.caCert ? Buffer.from(opts.caCert).toString('base64') : undefined }],
    users: [{ name: 'sim', token: opts.token }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'sim' }],
    currentContext: 'sim',
  });
  return kc;
}

async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(async () => {
  // A small change window, so that a watch which falls behind gets 410 Gone quickly.
  running = await startSimulationServer({ scenario: 'demo', port: 0, eventWindow: 50, bookmarkIntervalMs: 200 });
});

after(async () => {
  await running.stop();
});

test('paginated list returns every pod exactly once, and objects round-trip through the serializer', async () => {
  const api = kubeConfig(running.server.url).makeApiClient(k8s.CoreV1Api);
  const names = new Set<string>();
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await api.listPodForAllNamespaces({ limit: 40, _continue: token });
    for (const p of page.items) names.add(`${p.metadata?.namespace}/${p.metadata?.name}`);
    token = page.metadata?._continue;
    pages++;
  } while (token);
  assert.equal(names.size, running.simulation.store.count('pods'));
  assert.ok(pages > 2);
  const one = (await api.listPodForAllNamespaces({ limit: 1 })).items[0];
  assert.ok(one?.metadata?.creationTimestamp instanceof Date, 'timestamps deserialize as dates');
  assert.ok(one?.status?.containerStatuses?.length || one?.status?.phase === 'Pending');
  // dumpYaml/loadYaml go through the client's ObjectSerializer in both directions.
  const again = k8s.loadYaml<k8s.V1Pod>(k8s.dumpYaml({ ...one, apiVersion: 'v1', kind: 'Pod' }));
  assert.equal(again.metadata?.uid, one?.metadata?.uid);
  assert.deepEqual(again.spec?.containers.map((c) => c.resources), one?.spec?.containers.map((c) => c.resources));
  assert.equal(again.status?.qosClass, one?.status?.qosClass);
});

test('watch receives ADDED, MODIFIED and DELETED for a ConfigMap', async () => {
  const kc = kubeConfig(running.server.url);
  const api = kc.makeApiClient(k8s.CoreV1Api);
  const seen: string[] = [];
  const req = await new k8s.Watch(kc).watch(
    '/api/v1/namespaces/default/configmaps',
    { allowWatchBookmarks: true },
    (type: string, obj: { metadata?: { name?: string } }) => {
      if (obj.metadata?.name === 'watched') seen.push(type);
    },
    () => undefined,
  );
  try {
    await new Promise((r) => setTimeout(r, 100));
    await api.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' }, data: { a: '1' } } });
    await api.patchNamespacedConfigMap({ namespace: 'default', name: 'watched', body: { data: { a: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await api.deleteNamespacedConfigMap({ namespace: 'default', name: 'watched' });
    await until(() => seen.length >= 3, 'three watch events');
    assert.deepEqual(seen, ['ADDED', 'MODIFIED', 'DELETED']);
  } finally {
    req.abort();
  }
});

test('an informer relists after its watch gets 410 Gone, and ends up with the store\'s pods', async () => {
  const kc = kubeConfig(running.server.url);
  const api = kc.makeApiClient(k8s.CoreV1Api);
  let lists = 0;
  const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/pods', () => {
    lists++;
    return api.listNamespacedPod({ namespace: 'default' });
  });
  let stopped = false;
  informer.on('error', () => {
    // client-node stops on error; start again as its documentation advises
    setTimeout(() => {
      if (!stopped) void informer.start();
    }, 50);
  });
  await informer.start();
  try {
    const store = running.simulation.store;
    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] }, status: { phase: 'Pending' } });
    store.create(pod('before-gap'));
    await until(() => informer.list().some((p) => p.metadata?.name === 'before-gap'), 'informer sees before-gap');
    // Cut the stream, then move the store far past the change window before the client reconnects.
    running.server.endWatches();
    for (let i = 0; i < 120; i++) store.create(pod(`gap-${i}`));
    await until(() => lists >= 2, 'a relist after 410');
    await until(() => informer.list().length === store.list('pods', 'default').length, 'informer cache equals the store');
  } finally {
    stopped = true;
    await informer.stop();
  }
});

test('TLS with a bearer token: the right token is accepted, a missing one gets 401', async () => {
  const secure = await startSimulationServer({ scenario: 'demo', port: 0, tls: true, token: 's3cret-token' });
  try {
    assert.match(secure.server.url, /^https:/);
    const ok = kubeConfig(secure.server.url, { token: 's3cret-token', caCert: secure.server.caCert }).makeApiClient(k8s.CoreV1Api);
    const nodes = await ok.listNode();
    assert.ok(nodes.items.length > 0);
    const anonymous = kubeConfig(secure.server.url, { caCert: secure.server.caCert }).makeApiClient(k8s.CoreV1Api);
    await assert.rejects(anonymous.listNode(), (err: { code?: number }) => err.code === 401);
  } finally {
    await secure.stop();
  }
});

test('a Lease update from a stale resourceVersion gets 409 Conflict', async () => {
  const api = kubeConfig(running.server.url).makeApiClient(k8s.CoordinationV1Api);
  const lease = await api.createNamespacedLease({
    namespace: 'default',
    body: { metadata: { name: 'krm-leader' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } },
  });
  const stale = structuredClone(lease);
  lease.spec = { ...lease.spec, holderIdentity: 'b' };
  const updated = await api.replaceNamespacedLease({ namespace: 'default', name: 'krm-leader', body: lease });
  assert.equal(updated.spec?.holderIdentity, 'b');
  stale.spec = { ...stale.spec, holderIdentity: 'c' };
  await assert.rejects(api.replaceNamespacedLease({ namespace: 'default', name: 'krm-leader', body: stale }), (err: { code?: number; body?: string }) => {
    return err.code === 409 && /Conflict/.test(String(err.body));
  });
});
