// SPDX-License-Identifier: Apache-2.0
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeHttp, KubeHttpRequest, KubeHttpResponse } from '../kube/kube-http.ts';
import { KubeApiError } from '../kube/kube-errors.ts';
import { createDecodePool } from './decode-pool.ts';
import type { UsageDecoder } from './decoder.ts';
import { createMetricsServerSource, METRICS_SERVER_PODS_PATH } from './metrics-server.ts';

const signal = new AbortController().signal;

function podMetrics(timestamp: string): unknown {
  return {
    kind: 'PodMetricsList',
    items: [
      { metadata: { name: 'web-1', namespace: 'shop' }, timestamp, window: '20s', containers: [{ name: 'app', usage: { cpu: '1966817n', memory: '17436Ki' } }] },
      { metadata: { name: 'db-0', namespace: 'shop' }, timestamp: '2026-01-15T10:00:00Z', window: '20s', containers: [{ name: 'pg', usage: { cpu: '250m', memory: '1Gi' } }] },
    ],
  };
}

const nodeMetrics = { items: [{ metadata: { name: 'n1' }, timestamp: '2026-01-15T10:00:00Z', usage: { cpu: '1500m', memory: '2Gi' } }] };

function fakeHttp(bodies: { pods: () => unknown; status?: number }): KubeHttp {
  return async (req: KubeHttpRequest): Promise<KubeHttpResponse> => {
    const text = JSON.stringify(req.path === METRICS_SERVER_PODS_PATH ? bodies.pods() : nodeMetrics);
    // Two chunks, as a socket delivers a body: the source joins them before it parses.
    const bytes = Buffer.from(text);
    const half = Math.floor(bytes.length / 2);
    const body = (async function* (): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, half);
      yield bytes.subarray(half);
    })();
    return { status: bodies.status ?? 200, body, text: async () => text, discard: () => undefined };
  };
}

// The same tests with the list parsed in the calling thread and in a decode worker (decode-pool.ts).
const pool = createDecodePool();
after(() => pool.close());
const decoders: ReadonlyArray<readonly [string, UsageDecoder | undefined]> = [
  ['in the calling thread', undefined],
  ['in a decode worker', pool],
];

for (const [where, decoder] of decoders) {
  const decoding = decoder === undefined ? {} : { decoder };
  test(`${where}: parses quantities and skips pods whose timestamp did not change since the last collect`, async () => {
    let ts = '2026-01-15T10:00:00Z';
    const source = createMetricsServerSource({ ...decoding, http: fakeHttp({ pods: () => podMetrics(ts) }) });
    const first = await source.collect({ nowMs: 0, signal });
    assert.deepEqual(
      first.containers.map((c) => [c.pod, c.container, c.cpuCores, c.memoryWorkingSetBytes, c.tsMs]),
      [
        ['web-1', 'app', 0.001966817, 17436 * 1024, Date.parse(ts)],
        ['db-0', 'pg', 0.25, 2 ** 30, Date.parse(ts)],
      ],
    );
    assert.deepEqual(first.nodes, [{ node: 'n1', tsMs: Date.parse(ts), cpuCores: 1.5, memoryWorkingSetBytes: 2 * 2 ** 30 }]);
    assert.equal((await source.collect({ nowMs: 1, signal })).containers.length, 0);
    ts = '2026-01-15T10:00:15Z';
    assert.deepEqual((await source.collect({ nowMs: 2, signal })).containers.map((c) => c.pod), ['web-1']);
  });

  test(`${where}: a non-2xx answer rejects with a typed KubeApiError`, async () => {
    const source = createMetricsServerSource({ ...decoding, http: fakeHttp({ pods: () => ({ kind: 'Status', code: 404, message: 'the server could not find the requested resource' }), status: 404 }) });
    await assert.rejects(source.collect({ nowMs: 0, signal }), (e: unknown) => e instanceof KubeApiError && e.code === 'KRM_KUBE_NOT_FOUND');
  });

  test(`${where}: a body that is not a JSON list rejects with KRM_KUBE_BAD_RESPONSE`, async () => {
    for (const pods of [() => ({ kind: 'PodMetricsList' }), () => 'not json']) {
      const source = createMetricsServerSource({ ...decoding, http: fakeHttp({ pods }) });
      await assert.rejects(source.collect({ nowMs: 0, signal }), (e: unknown) => e instanceof KubeApiError && e.code === 'KRM_KUBE_BAD_RESPONSE');
    }
  });

  test(`${where}: a collect that fails on the nodes list skips nothing in the next one`, async () => {
    let nodesFail = true;
    const ok = fakeHttp({ pods: () => podMetrics('2026-01-15T10:00:00Z') });
    const failing = fakeHttp({ pods: () => ({ kind: 'Status', code: 503, message: 'unavailable' }), status: 503 });
    const http: KubeHttp = async (req) => (nodesFail && req.path !== METRICS_SERVER_PODS_PATH ? failing(req) : ok(req));
    const source = createMetricsServerSource({ ...decoding, http });
    await assert.rejects(source.collect({ nowMs: 0, signal }), KubeApiError);
    nodesFail = false;
    assert.deepEqual((await source.collect({ nowMs: 1, signal })).containers.map((c) => c.pod), ['web-1', 'db-0']);
  });

  test(`${where}: the nodes list failing ends the pods list's request too`, async () => {
    let podsSignal: AbortSignal | undefined;
    const failing = fakeHttp({ pods: () => ({}), status: 503 });
    const http: KubeHttp = async (req) => {
      if (req.path !== METRICS_SERVER_PODS_PATH) return failing(req);
      podsSignal = req.signal;
      // A body that would stream for ever: only the abort ends it.
      const body = (async function* (): AsyncGenerator<Uint8Array> {
        yield Buffer.from('{"kind":"PodMetricsList","items":[');
        await new Promise((resolve) => req.signal?.addEventListener('abort', resolve, { once: true }));
        throw new DOMException('aborted', 'AbortError');
      })();
      return { status: 200, body, text: async () => '', discard: () => undefined };
    };
    await assert.rejects(createMetricsServerSource({ ...decoding, http }).collect({ nowMs: 0, signal }), KubeApiError);
    assert.equal(podsSignal?.aborted, true);
  });

  test(`${where}: the pods are reported as the body streams in, and the snapshot counts them without holding them again`, async () => {
    const parts: string[][] = [];
    const text = JSON.stringify(podMetrics('2026-01-15T10:00:00Z'));
    // Two chunks, the first ending just after the first pod: each chunk's pods are reported on their own.
    const cut = text.indexOf('{"metadata":{"name":"db-0"');
    const http: KubeHttp = async (req) => {
      if (req.path !== METRICS_SERVER_PODS_PATH) return fakeHttp({ pods: () => ({}) })(req);
      const body = (async function* (): AsyncGenerator<Uint8Array> {
        yield Buffer.from(text.slice(0, cut));
        yield Buffer.from(text.slice(cut));
      })();
      return { status: 200, body, text: async () => text, discard: () => undefined };
    };
    const snap = await createMetricsServerSource({ ...decoding, http }).collect({ nowMs: 0, signal, onContainers: (cs) => parts.push(cs.map((c) => c.pod)) });
    assert.deepEqual(parts, [['web-1'], ['db-0']]);
    assert.deepEqual(snap.containers, [], 'what was reported is not kept again');
    assert.equal(snap.reported, 2);
  });
}

test('the decode worker served its tests (it did not fall back to the calling thread)', () => {
  assert.ok(pool.inWorker);
});
