// SPDX-License-Identifier: Apache-2.0
// The simulated Kubernetes API server: plain HTTP on loopback by default, or HTTPS with a generated self-signed
// certificate and bearer-token authentication, so that clients' TLS and auth paths are exercised too.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { StoreError } from '../model/store-error.ts';
import type { SimBackend } from './backend.ts';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.ts';
import { sendError, sendJson, sendText, wantsTable } from './http-util.ts';
import { handleList, handleWatch, includeObjectOf } from './list-watch.ts';
import { createObject, deleteObject, getObject, patchObject, replaceObject } from './objects.ts';
import { parseRoute, type Route } from './route.ts';
import { handleLogs, handleMetrics, handleNodeProxy, logQueryOf, writeTextBody } from './subresources.ts';
import type { TablePrinter } from './table-printer.ts';
import { generateCertificate } from './certificate.ts';
import { toTable, toWatchTable } from './tables/index.ts';

const DEFAULT_TABLES: TablePrinter = { table: toTable, watchTable: toWatchTable };

export interface SimServerOptions {
  backend: SimBackend;
  /** Server-side printers for `as=Table` requests (default: ./tables). */
  tables?: TablePrinter;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  tls?: boolean;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  bookmarkIntervalMs?: number;
}

export interface SimServer {
  readonly url: string;
  readonly port: number;
  /** PEM of the self-signed certificate when serving TLS (also the CA a client must trust). */
  readonly caCert?: string;
  /** Ends every open watch stream cleanly, as an API server restart or a load balancer timeout would. */
  endWatches(): number;
  close(): Promise<void>;
}

type Ctx = { req: IncomingMessage; res: ServerResponse; url: URL; opts: SimServerOptions; watches: Set<() => void> };

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const got = Buffer.from(req.headers.authorization ?? '');
  const want = Buffer.from(`Bearer ${token}`);
  return got.length === want.length && timingSafeEqual(got, want);
}

const PLAIN_PATHS: Record<string, (c: Ctx) => void> = {
  '/version': (c) => sendJson(c.res, 200, versionInfo()),
  '/healthz': (c) => sendText(c.res, 200, 'ok'),
  '/livez': (c) => sendText(c.res, 200, 'ok'),
  '/readyz': (c) => sendText(c.res, 200, 'ok'),
  '/metrics': (c) => writeTextBody(c.res, c.opts.backend.clusterMetrics()),
  '/api': (c) => sendJson(c.res, 200, apiVersions(c.req.headers.host ?? '127.0.0.1')),
  '/apis': (c) => sendJson(c.res, 200, apiGroupList()),
};

function handlePlain(c: Ctx): boolean {
  const handler = PLAIN_PATHS[c.url.pathname.replace(/\/$/, '')];
  if (!handler) return false;
  handler(c);
  return true;
}

function methodNotAllowed(): StoreError {
  return new StoreError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

type ResourceRoute = Extract<Route, { type: 'resource' }>;

/** Paths that are not plain object verbs, keyed `group/plural/subresource`. */
const SPECIAL: Record<string, (c: Ctx, r: ResourceRoute) => void> = {
  '/pods/log': (c, r) => {
    const q = c.url.searchParams;
    const follow = q.get('follow') === 'true' || q.get('follow') === '1';
    handleLogs({ res: c.res, backend: c.opts.backend, query: logQueryOf(r.namespace ?? '', r.name ?? '', q), follow });
  },
  // The query goes through to the kubelet as the API server's proxy passes it (e.g. only_cpu_and_memory=true).
  '/nodes/proxy': (c, r) => handleNodeProxy({ res: c.res, backend: c.opts.backend, node: r.name ?? '', rest: r.rest, search: c.url.search }),
};

/** metrics.k8s.io, pod logs and the node proxy. True when handled. */
function handleSpecial(c: Ctx, r: ResourceRoute): boolean {
  if (r.rt.group === 'metrics.k8s.io') {
    if (c.req.method !== 'GET') throw methodNotAllowed();
    handleMetrics({ res: c.res, backend: c.opts.backend, rt: r.rt, namespace: r.namespace, name: r.name, query: c.url.searchParams });
    return true;
  }
  const handler = SPECIAL[`${r.rt.group}/${r.rt.plural}/${r.subresource ?? ''}`];
  if (!handler) return false;
  handler(c, r);
  return true;
}

async function handleCollection(c: Ctx, base: Parameters<typeof getObject>[0]): Promise<void> {
  const { backend } = c.opts;
  const q = c.url.searchParams;
  const method = c.req.method ?? 'GET';
  if (method === 'POST') {
    sendJson(c.res, 201, await createObject(base));
    return;
  }
  if (method !== 'GET') throw methodNotAllowed();
  const coll = {
    ...base,
    res: c.res,
    query: q,
    tables: c.opts.tables ?? DEFAULT_TABLES,
    nowMs: () => backend.nowMs(),
    bookmarkIntervalMs: c.opts.bookmarkIntervalMs ?? 60_000,
    activeWatches: c.watches,
  };
  const watch = q.get('watch') === 'true' || q.get('watch') === '1';
  (watch ? handleWatch : handleList)(coll);
}

async function handleResource(c: Ctx, r: ResourceRoute): Promise<void> {
  if (handleSpecial(c, r)) return;
  if (r.subresource !== undefined && r.subresource !== 'status') throw new StoreError('NotFound', 'the server could not find the requested resource');
  const base = { req: c.req, rt: r.rt, namespace: r.namespace, name: r.name, store: c.opts.backend.store };
  if (r.name === undefined) await handleCollection(c, base);
  else await handleOne(c, base);
}

async function handleOne(c: Ctx, base: Parameters<typeof getObject>[0]): Promise<void> {
  const method = c.req.method ?? 'GET';
  if (method === 'GET') {
    const obj = getObject(base);
    if (wantsTable(c.req)) {
      const rv = obj.metadata.resourceVersion ?? '';
      sendJson(c.res, 200, (c.opts.tables ?? DEFAULT_TABLES).table(base.rt, [obj], { includeObject: includeObjectOf(c.url.searchParams), nowMs: c.opts.backend.nowMs(), resourceVersion: rv }));
    } else sendJson(c.res, 200, obj);
  } else if (method === 'PUT') sendJson(c.res, 200, await replaceObject(base));
  else if (method === 'PATCH') sendJson(c.res, 200, await patchObject(base));
  else if (method === 'DELETE') sendJson(c.res, 200, deleteObject(base));
  else throw methodNotAllowed();
}

async function dispatch(c: Ctx): Promise<void> {
  if (!authorized(c.req, c.opts.token)) {
    sendError(c.res, new StoreError('Unauthorized', 'Unauthorized'));
    return;
  }
  if (handlePlain(c)) return;
  const route = parseRoute(c.url.pathname);
  if (route.type === 'discovery') {
    const list = apiResourceList(route.group, route.version);
    if (list) sendJson(c.res, 200, list);
    else throw new StoreError('NotFound', 'the server could not find the requested resource');
  } else if (route.type === 'group') {
    const g = apiGroup(route.group);
    if (g) sendJson(c.res, 200, g);
    else throw new StoreError('NotFound', 'the server could not find the requested resource');
  } else if (route.type === 'resource') await handleResource(c, route);
  else throw new StoreError('NotFound', 'the server could not find the requested resource');
}

function onRequest(opts: SimServerOptions, watches: Set<() => void>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://sim');
    dispatch({ req, res, url, opts, watches }).catch((err: unknown) => {
      const e = err instanceof StoreError ? err : new StoreError('BadRequest', err instanceof Error ? err.message : String(err));
      if (!res.headersSent) sendError(res, e);
      else res.end();
    });
  };
}

export async function startSimServer(opts: SimServerOptions): Promise<SimServer> {
  const host = opts.host ?? '127.0.0.1';
  const watches = new Set<() => void>();
  let server: Server;
  let caCert: string | undefined;
  if (opts.tls) {
    const cert = await generateCertificate(host);
    caCert = cert.cert;
    server = createHttpsServer({ key: cert.key, cert: cert.cert }, onRequest(opts, watches));
  } else server = createHttpServer(onRequest(opts, watches));
  // Watches are long-lived; node's default request timeout would cut them.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    caCert,
    endWatches: () => {
      const n = watches.size;
      for (const stop of [...watches]) stop();
      return n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const stop of [...watches]) stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
