// SPDX-License-Identifier: Apache-2.0
// Cluster access against the fake API server over real HTTP and TLS: bearer tokens, CA plus client certificates,
// exec plugins, in-cluster ServiceAccount tokens that rotate, context selection, KUBECONFIG lists and the
// client-side rate limit. Every method goes through the same request function.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ConfigError } from '../../src/errors/app-error.ts';
import { createKubeClient, TOKEN_REREAD_MS, type KubeClient } from '../../src/sources/kube/client.ts';
import { FakeApiServer } from '../fakes/fake-api-server.ts';
import { testCertificates, type TestCertificates } from '../fakes/tls.ts';

let plain: FakeApiServer;
let secure: FakeApiServer;
let certs: TestCertificates;
let dir: string;

const b64 = (s: string): string => Buffer.from(s).toString('base64');

before(async () => {
  certs = await testCertificates();
  plain = await FakeApiServer.start();
  secure = await FakeApiServer.start({ tls: { key: certs.key, cert: certs.cert, clientCa: certs.cert } });
  dir = mkdtempSync(join(tmpdir(), 'krm-kube-client-'));
});

after(async () => {
  await plain.close();
  await secure.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(client: KubeClient, path = '/api/v1/namespaces'): Promise<{ status: number; body: unknown }> {
  const res = await client.request({ path, query: { limit: '1', continue: undefined }, signal: new AbortController().signal });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

function lastRequest(server: FakeApiServer): NonNullable<FakeApiServer['requests'][number]> {
  const r = server.requests.at(-1);
  assert.ok(r, 'a request was recorded');
  return r;
}

function kubeconfig(clusters: string, users: string, contexts = 'contexts: [{ name: c, context: { cluster: k, user: u } }]\ncurrent-context: c'): string {
  return `apiVersion: v1\nkind: Config\n${clusters}\n${users}\n${contexts}\n`;
}

test('bearer token from the kubeconfig over plain HTTP; query values encoded, undefined ones left out', async () => {
  const client = createKubeClient({ kubeconfigYaml: plain.kubeconfigYaml('sekret'), qps: 0 });
  const res = await get(client);
  assert.equal(res.status, 200);
  const r = lastRequest(plain);
  assert.equal(r.headers.authorization, 'Bearer sekret');
  assert.equal(r.headers.accept, 'application/json');
  assert.deepEqual(r.query, { limit: '1' });
  assert.equal(client.contextName, 'fake');
  assert.equal(client.server, plain.url);
});

test('TLS: the cluster CA verifies the server and a client certificate authenticates us', async () => {
  const yaml = kubeconfig(
    `clusters: [{ name: k, cluster: { server: "${secure.url}", certificate-authority-data: ${b64(certs.cert)} } }]`,
    `users: [{ name: u, user: { client-certificate-data: ${b64(certs.clientCert)}, client-key-data: ${b64(certs.clientKey)} } }]`,
  );
  const res = await get(createKubeClient({ kubeconfigYaml: yaml, qps: 0 }));
  assert.equal(res.status, 200);
  assert.equal(lastRequest(secure).clientCertCN, 'krm-client');
  assert.equal(lastRequest(secure).headers.authorization, undefined);
});

test('requests share kept-alive connections, over TLS with a client certificate and over plain HTTP', async () => {
  const yaml = kubeconfig(
    `clusters: [{ name: k, cluster: { server: "${secure.url}", certificate-authority-data: ${b64(certs.cert)} } }]`,
    `users: [{ name: u, user: { client-certificate-data: ${b64(certs.clientCert)}, client-key-data: ${b64(certs.clientKey)} } }]`,
  );
  for (const [server, client] of [
    [secure, createKubeClient({ kubeconfigYaml: yaml, qps: 0 })],
    [plain, createKubeClient({ kubeconfigYaml: plain.kubeconfigYaml('sekret'), qps: 0 })],
  ] as const) {
    const before = server.requests.length;
    for (let i = 0; i < 4; i++) assert.equal((await get(client)).status, 200);
    const ports = new Set(server.requests.slice(before).map((r) => r.remotePort));
    // One TCP connection (and one TLS handshake) for the four sequential requests, where each used to open its own.
    assert.equal(ports.size, 1, `connections used: ${[...ports].join(', ')}`);
    assert.equal(lastRequest(server).clientCertCN, server === secure ? 'krm-client' : undefined);
  }
});

test('TLS: a server certificate outside the configured CA is refused', async () => {
  const other = await testCertificates();
  const yaml = kubeconfig(
    `clusters: [{ name: k, cluster: { server: "${secure.url}", certificate-authority-data: ${b64(other.cert)} } }]`,
    'users: [{ name: u, user: { token: t } }]',
  );
  await assert.rejects(get(createKubeClient({ kubeconfigYaml: yaml, qps: 0 })), /certificate|self.signed/i);
});

test('exec credential plugin: its token is sent', async () => {
  const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 'from-exec' } });
  const script = join(dir, 'plugin.sh');
  writeFileSync(script, `#!/bin/sh\nprintf '%s' '${credential}'\n`, { mode: 0o755 });
  const yaml = kubeconfig(
    `clusters: [{ name: k, cluster: { server: "${plain.url}" } }]`,
    `users: [{ name: u, user: { exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: "${script}", interactiveMode: Never } } }]`,
  );
  await get(createKubeClient({ kubeconfigYaml: yaml, qps: 0 }));
  assert.equal(lastRequest(plain).headers.authorization, 'Bearer from-exec');
});

test('in-cluster: ServiceAccount CA and token, the token file re-read within 60 s', async () => {
  const sa = join(dir, 'serviceaccount');
  mkdirSync(sa, { recursive: true });
  writeFileSync(join(sa, 'ca.crt'), certs.cert);
  writeFileSync(join(sa, 'token'), 'token-1\n');
  let nowMs = 1_000_000;
  const port = new URL(secure.url).port;
  const client = createKubeClient({
    inCluster: true,
    serviceAccountDir: sa,
    env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port },
    clock: { now: () => nowMs },
    qps: 0,
  });
  assert.equal(client.server, `https://127.0.0.1:${port}`);
  assert.equal(client.contextName, 'in-cluster');
  await get(client);
  assert.equal(lastRequest(secure).headers.authorization, 'Bearer token-1');
  writeFileSync(join(sa, 'token'), 'token-2\n');
  nowMs += TOKEN_REREAD_MS - 1;
  await get(client);
  assert.equal(lastRequest(secure).headers.authorization, 'Bearer token-1', 'cached within the period');
  nowMs += 1;
  await get(client);
  assert.equal(lastRequest(secure).headers.authorization, 'Bearer token-2', 'rotated token picked up');
  assert.ok(TOKEN_REREAD_MS <= 60_000);
});

test('in-cluster without the service environment falls back to kubernetes.default.svc', () => {
  const sa = join(dir, 'serviceaccount');
  const client = createKubeClient({ inCluster: true, serviceAccountDir: sa, env: {} });
  assert.equal(client.server, 'https://kubernetes.default.svc:443');
});

test('--context picks another context; an unknown one is a ConfigError', () => {
  const yaml = kubeconfig(
    `clusters: [{ name: k, cluster: { server: "${plain.url}" } }, { name: k2, cluster: { server: "https://other.example:6443" } }]`,
    'users: [{ name: u, user: {} }]',
    'contexts: [{ name: c, context: { cluster: k, user: u } }, { name: c2, context: { cluster: k2, user: u } }]\ncurrent-context: c',
  );
  assert.equal(createKubeClient({ kubeconfigYaml: yaml, context: 'c2' }).server, 'https://other.example:6443');
  assert.throws(
    () => createKubeClient({ kubeconfigYaml: yaml, context: 'nope' }),
    (err: unknown) => err instanceof ConfigError && err.code === 'KRM_CONFIG_INVALID',
  );
});

test('KUBECONFIG path list: files are merged and the first current-context wins; HOME is the fallback', () => {
  const first = join(dir, 'first.yaml');
  const second = join(dir, 'second.yaml');
  writeFileSync(first, kubeconfig(`clusters: [{ name: k, cluster: { server: "${plain.url}" } }]`, 'users: [{ name: u, user: {} }]'));
  writeFileSync(
    second,
    kubeconfig(
      'clusters: [{ name: k2, cluster: { server: "https://second.example" } }, { name: k, cluster: { server: "https://shadowed.example" } }]',
      'users: [{ name: u2, user: {} }]',
      'contexts: [{ name: c2, context: { cluster: k2, user: u2 } }, { name: c3, context: { cluster: k, user: u2 } }]\ncurrent-context: c2',
    ),
  );
  const env = { KUBECONFIG: `${first}${delimiter}${second}` };
  assert.equal(createKubeClient({ env }).server, plain.url);
  assert.equal(createKubeClient({ env, context: 'c2' }).server, 'https://second.example');
  assert.equal(createKubeClient({ env, context: 'c3' }).server, plain.url, 'a name defined twice keeps its first definition');
  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  writeFileSync(join(home, '.kube', 'config'), kubeconfig('clusters: [{ name: k, cluster: { server: "https://home.example" } }]', 'users: [{ name: u, user: {} }]'));
  assert.equal(createKubeClient({ env: { HOME: home }, serviceAccountDir: join(dir, 'none') }).server, 'https://home.example');
  assert.throws(() => createKubeClient({ env: { HOME: join(dir, 'empty') }, serviceAccountDir: join(dir, 'none') }), ConfigError);
});

test('client-side rate limit: requests beyond the burst wait 1/qps each', async () => {
  const delays: number[] = [];
  const client = createKubeClient({
    kubeconfigYaml: plain.kubeconfigYaml(),
    qps: 2,
    burst: 1,
    clock: { now: () => 0 },
    sleep: async (ms) => {
      delays.push(ms);
      return true;
    },
  });
  await get(client);
  await get(client);
  await get(client);
  assert.deepEqual(delays, [500, 1000]);
});
