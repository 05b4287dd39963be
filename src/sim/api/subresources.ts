// SPDX-License-Identifier: Apache-2.0
// Non-CRUD paths: pod logs (with follow), the node proxy to kubelet endpoints, and metrics.k8s.io, which a real
// cluster serves from metrics-server through the aggregation layer.
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../model/kube-types.ts';
import type { ResourceType } from '../model/resource-types.ts';
import { StoreError } from '../model/store-error.ts';
import type { LogQuery, SimBackend, TextBody } from './backend.ts';
import { boolParam, intParam, sendJson } from './http-util.ts';
import { selectorsOf } from './list-watch.ts';

export function logQueryOf(namespace: string, pod: string, q: URLSearchParams): LogQuery {
  return {
    namespace,
    pod,
    container: q.get('container') ?? undefined,
    previous: boolParam(q, 'previous'),
    tailLines: intParam(q, 'tailLines'),
    sinceSeconds: intParam(q, 'sinceSeconds'),
    sinceTime: q.get('sinceTime') ?? undefined,
    timestamps: boolParam(q, 'timestamps'),
    limitBytes: intParam(q, 'limitBytes'),
  };
}

/** Writes a container's log; with follow=true keeps the stream open and appends new lines every second. */
export function handleLogs(opts: { res: ServerResponse; backend: SimBackend; query: LogQuery; follow: boolean }): void {
  const { res, backend, query } = opts;
  const text = backend.podLogs(query);
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  if (!opts.follow) {
    res.end(text);
    return;
  }
  res.write(text);
  let last = backend.nowMs();
  const timer = setInterval(() => {
    const now = backend.nowMs();
    const more = backend.followLogs(query, last);
    last = now;
    if (more) res.write(more);
  }, 1000);
  res.on('close', () => clearInterval(timer));
}

export function writeTextBody(res: ServerResponse, body: TextBody): void {
  res.writeHead(200, { 'Content-Type': body.contentType });
  if (typeof body.body === 'string') {
    res.end(body.body);
    return;
  }
  for (const chunk of body.body) res.write(chunk);
  res.end();
}

export function handleNodeProxy(opts: { res: ServerResponse; backend: SimBackend; node: string; rest: string[]; search?: string }): void {
  const { backend, node } = opts;
  if (!backend.store.get('nodes', undefined, node)) throw new StoreError('NotFound', `nodes "${node}" not found`, { name: node, kind: 'nodes' });
  const body = backend.nodeProxy(node, `${opts.rest.join('/')}${opts.search ?? ''}`);
  if (!body) throw new StoreError('NotFound', 'the server could not find the requested resource');
  writeTextBody(opts.res, body);
}

/** GET on metrics.k8s.io: lists (with label selectors) and single objects. */
export function handleMetrics(opts: { res: ServerResponse; backend: SimBackend; rt: ResourceType; namespace?: string; name?: string; query: URLSearchParams }): void {
  const { backend, rt } = opts;
  const all = rt.plural === 'nodes' ? backend.nodeMetrics() : backend.podMetrics(opts.namespace);
  if (opts.name !== undefined) {
    const one = all.find((m) => m.metadata.name === opts.name);
    if (!one) throw new StoreError('NotFound', `${rt.plural}.metrics.k8s.io "${opts.name}" not found`, { name: opts.name, group: 'metrics.k8s.io', kind: rt.plural });
    sendJson(opts.res, 200, one);
    return;
  }
  const filter = selectorsOf(rt, opts.query);
  const items: KubeObject[] = filter ? all.filter(filter) : all;
  sendJson(opts.res, 200, {
    kind: `${rt.kind}List`,
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {},
    items,
  });
}
