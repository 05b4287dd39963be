// SPDX-License-Identifier: Apache-2.0
// /openapi.json documents every route the app registers, so a new route module cannot ship undocumented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterView } from '../domain/kube-ports.ts';
import { buildTestApp } from './testing.ts';

const view = { list: () => [], get: () => undefined, workloadOf: () => undefined } as unknown as ClusterView;
const usage = { pod: () => undefined, node: () => undefined, collectedAtMs: () => undefined };

/** fastify's `:param` templates in OpenAPI's `{param}` form. */
const toOpenApi = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

for (const wired of [false, true]) {
  test(`every registered route is in /openapi.json (usage routes ${wired ? 'on' : 'off'})`, async (t) => {
    const routes: { method: string; url: string }[] = [];
    const { app } = buildTestApp(wired ? { clusterView: view, latestUsage: usage } : {});
    t.after(() => app.close());
    await app.ready();
    const doc = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>> }>();
    // printRoutes draws a tree: each level indents by 4 characters and a child prints only its suffix.
    const stack: string[] = [];
    for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
      const m = /^(.*?)[└├]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
      if (!m) continue;
      const depth = (m[1] ?? '').length / 4;
      const url = (depth > 0 ? (stack[depth - 1] ?? '') : '') + (m[2] ?? '');
      stack[depth] = url;
      stack.length = depth + 1;
      for (const method of m[3]?.split(', ') ?? []) routes.push({ method, url });
    }
    assert.ok(routes.length >= 6, `parsed routes: ${JSON.stringify(routes)}`);
    for (const r of routes) {
      if (r.method === 'HEAD') continue;
      const op = doc.paths[toOpenApi(r.url)]?.[r.method.toLowerCase()];
      assert.ok(op !== undefined, `${r.method} ${r.url} is missing from /openapi.json`);
      if (r.url.startsWith('/api/')) {
        assert.deepEqual(op.security, [{ bearer: [] }], `${r.url} declares bearer security`);
        assert.ok('400' in op.responses && '401' in op.responses, `${r.url} documents 400 and 401`);
      }
    }
    if (wired) {
      for (const p of ['/api/v1/cluster', '/api/v1/nodes', '/api/v1/namespaces', '/api/v1/namespaces/{ns}/workloads', '/api/v1/pods']) assert.ok(p in doc.paths, p);
    }
  });
}

test('every $ref in /openapi.json resolves', async (t) => {
  const { app } = buildTestApp({ clusterView: view, latestUsage: usage });
  t.after(() => app.close());
  const doc = (await app.inject({ url: '/openapi.json' })).json<Record<string, unknown>>();
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1] ?? '');
  assert.ok(refs.length > 5);
  for (const ref of refs) {
    const target = ref.split('/').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);
    assert.ok(target !== undefined, ref);
  }
});

