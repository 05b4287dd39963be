// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrometheusClient, parseEnvelope } from './client.ts';
import { PrometheusError } from './errors.ts';
import { checkFamilies, usageQueries } from './queries.ts';

const signal = new AbortController().signal;

test('queries are one aggregated expression per family, never naming pods', () => {
  const q = usageQueries();
  assert.equal(q.containerCpuCores, 'sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{container!="", container!="POD"}[5m]))');
  for (const expr of Object.values(q)) assert.doesNotMatch(expr, /pod=~/);
  const custom = usageQueries({ namespace: 'kubernetes_namespace', pod: 'kubernetes_pod_name', container: 'container', node: 'instance', cadvisorSelector: 'job="kubelet"', rateWindow: '2m' });
  assert.match(custom.containerMemoryWorkingSet, /^max by \(kubernetes_namespace, kubernetes_pod_name, container\) \(container_memory_working_set_bytes\{container!="", container!="POD", job="kubelet"\}\)$/);
});

test('family check: exact names and prefixes', () => {
  const res = checkFamilies(['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes', 'kube_pod_info', 'node_load1']);
  assert.deepEqual(res.find((r) => r.provider === 'cAdvisor')?.missing, ['container_cpu_cfs_*']);
  assert.deepEqual(res.find((r) => r.provider === 'kube-state-metrics')?.missing, ['kube_node_*', 'kube_resourcequota']);
  assert.deepEqual(res.find((r) => r.provider === 'node-exporter')?.missing, []);
});

test('envelope errors become typed errors', () => {
  const bad = (status: number, body: string): PrometheusError => {
    try {
      parseEnvelope(status, body);
    } catch (e) {
      if (e instanceof PrometheusError) return e;
    }
    throw new Error('expected a PrometheusError');
  };
  assert.equal(bad(400, '{"status":"error","errorType":"bad_data","error":"parse error"}').code, 'KRM_PROM_QUERY_FAILED');
  assert.equal(bad(503, '{"status":"error","errorType":"timeout","error":"query timed out"}').code, 'KRM_PROM_TIMEOUT');
  assert.equal(bad(503, 'Service Unavailable').code, 'KRM_PROM_UNAVAILABLE');
  assert.equal(bad(401, 'Unauthorized').code, 'KRM_PROM_UNAUTHORIZED');
  assert.equal(bad(200, '<html>').code, 'KRM_PROM_BAD_RESPONSE');
});

test('POSTs the query with basic auth and extra headers; parses the vector', async () => {
  const seen: { url: string; init: RequestInit }[] = [];
  const fakeFetch: typeof fetch = async (url, init) => {
    seen.push({ url: String(url), init: init ?? {} });
    const body = { status: 'success', data: { resultType: 'vector', result: [{ metric: { namespace: 'a', pod: 'b' }, value: [1700000000.5, '0.25'] }] } };
    return new Response(JSON.stringify(body), { status: 200 });
  };
  const client = createPrometheusClient({ url: 'http://p:9090/prom/', auth: { type: 'basic', username: 'u', password: 'p' }, headers: { 'X-Scope-OrgID': 't1' }, fetch: fakeFetch });
  const res = await client.queryVector('up', { signal, timeSec: 1700000000 });
  assert.deepEqual(res, [{ labels: { namespace: 'a', pod: 'b' }, timestampSec: 1700000000.5, value: 0.25 }]);
  const call = seen[0];
  assert.equal(call?.url, 'http://p:9090/prom/api/v1/query');
  assert.equal(call?.init.method, 'POST');
  assert.equal(String(call?.init.body), 'query=up&time=1700000000');
  const headers = call?.init.headers as Record<string, string>;
  assert.equal(headers.Authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  assert.equal(headers['X-Scope-OrgID'], 't1');
});

test('a matrix result or a refused connection is a typed error', async () => {
  const matrix: typeof fetch = async () => new Response('{"status":"success","data":{"resultType":"matrix","result":[]}}');
  await assert.rejects(createPrometheusClient({ url: 'http://p', fetch: matrix }).queryVector('up', { signal }), { code: 'KRM_PROM_BAD_RESPONSE' });
  const refused: typeof fetch = async () => {
    throw new TypeError('fetch failed');
  };
  await assert.rejects(createPrometheusClient({ url: 'http://p', fetch: refused }).metricNames({ signal }), { code: 'KRM_PROM_TRANSPORT' });
});
