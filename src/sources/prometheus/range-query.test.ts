// SPDX-License-Identifier: Apache-2.0
// The range querier over HTTP on loopback: the transfer encoding it asks a Prometheus on this host for, the direct
// scan of a matrix answer, and the typed errors of answers the scan leaves to JSON.parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusError } from './errors.ts';
import { createRangeQuerier, transferHeaders } from './range-query.ts';

test('a Prometheus on this host is asked for uncompressed answers, any other keeps compression', () => {
  for (const url of ['http://127.0.0.1:9090', 'http://localhost:9090/prom', 'http://[::1]:9090']) assert.deepEqual(transferHeaders(url), { 'Accept-Encoding': 'identity' });
  for (const url of ['http://prometheus.monitoring:9090', 'https://10.0.0.7', 'not a url']) assert.deepEqual(transferHeaders(url), {});
});

test('answers are scanned or parsed into series, errors keep their codes', async () => {
  const seen: IncomingHttpHeaders[] = [];
  let answer = { status: 200, body: '' };
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const querier = createRangeQuerier({ url, headers: transferHeaders(url) });
    const req = { signal: new AbortController().signal, startMs: 0, endMs: 600_000, stepMs: 300_000 };
    const values = '[[0,"1"],[300,"2"],[600,"3"]]';
    for (const body of [
      `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pod":"a"},"values":${values}}]}}`,
      `{"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {"pod": "a"}, "values": ${values}}]}}`,
    ]) {
      answer = { status: 200, body };
      const [s] = await querier.queryRange('up', req);
      assert.deepEqual({ labels: s?.labels, ts: [...(s?.timestampsMs ?? [])], vs: [...(s?.values ?? [])] }, { labels: { pod: 'a' }, ts: [0, 300_000, 600_000], vs: [1, 2, 3] });
    }
    assert.equal(seen.at(-1)?.['accept-encoding'], 'identity');
    answer = { status: 422, body: '{"status":"error","errorType":"execution","error":"too many samples"}' };
    await assert.rejects(querier.queryRange('up', req), (e: unknown) => e instanceof PrometheusError && e.code === 'KRM_PROM_QUERY_FAILED');
    answer = { status: 200, body: '{"status":"success","data":{"resultType":"vector","result":[]}}' };
    await assert.rejects(querier.queryRange('up', req), (e: unknown) => e instanceof PrometheusError && e.code === 'KRM_PROM_BAD_RESPONSE');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
