// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeKubeRequest, timedKubeHttp, type KubeHttpResponse, type KubeRequestObservation } from './kube-http.ts';

test('request labels: verb from the path and watch flag, resource with group and subresource, no names', () => {
  const cases: [string, Record<string, string> | undefined, string, string][] = [
    ['/api/v1/pods', undefined, 'LIST', 'pods'],
    ['/api/v1/pods', { watch: 'true' }, 'WATCH', 'pods'],
    ['/api/v1/namespaces/shop/pods', undefined, 'LIST', 'pods'],
    ['/api/v1/namespaces/shop/pods/web-1', undefined, 'GET', 'pods'],
    ['/api/v1/namespaces/shop', undefined, 'GET', 'namespaces'],
    ['/apis/apps/v1/deployments', { watch: '1' }, 'WATCH', 'deployments.apps'],
    ['/apis/metrics.k8s.io/v1beta1/pods', undefined, 'LIST', 'pods.metrics.k8s.io'],
    ['/api/v1/nodes/node-7/proxy/stats/summary', undefined, 'GET', 'nodes/proxy'],
  ];
  for (const [path, query, verb, resource] of cases) assert.deepEqual(describeKubeRequest({ path, query }), { verb, resource }, path);
});

test('timedKubeHttp reports the status, or `error` when the request rejects, and passes the outcome on', async () => {
  const seen: KubeRequestObservation[] = [];
  const response = { status: 410 } as KubeHttpResponse;
  const ok = timedKubeHttp(async () => response, (o) => seen.push(o));
  assert.equal(await ok({ path: '/api/v1/pods', query: { watch: 'true' }, signal: new AbortController().signal }), response);
  const failing = timedKubeHttp(
    async () => {
      throw new Error('ECONNREFUSED');
    },
    (o) => seen.push(o),
  );
  await assert.rejects(failing({ path: '/api/v1/nodes', signal: new AbortController().signal }), /ECONNREFUSED/);
  assert.deepEqual(
    seen.map(({ verb, resource, code }) => ({ verb, resource, code })),
    [
      { verb: 'WATCH', resource: 'pods', code: '410' },
      { verb: 'LIST', resource: 'nodes', code: 'error' },
    ],
  );
  assert.ok(seen.every((o) => o.durationSec >= 0 && o.durationSec < 5));
});
