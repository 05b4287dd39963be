// SPDX-License-Identifier: Apache-2.0
// A fault-injecting Kubernetes API server on 127.0.0.1:0 for the list/watch adapter's tests. It serves paginated
// lists and NDJSON watch streams from an in-memory event log with one global resourceVersion counter, and can
// answer 410 to a continue token, answer a watch with HTTP 410 or with an ERROR event carrying a 410 Status, drop
// a connection, stall a stream, or end it at once. Every request is recorded for assertions.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface FakeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export type FakeEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What the next watch request on a path gets instead of a normal stream. */
export type WatchFault =
  | { type: 'gone-http' }
  | { type: 'gone-event' }
  /** Streams the backlog, then `after` more live events, then destroys the socket. */
  | { type: 'drop'; after?: number }
  /** Sends headers and then nothing, ever. */
  | { type: 'stall' }
  /** Ends the stream cleanly at once. */
  | { type: 'close' }
  | { type: 'status'; status: number };

export interface RecordedRequest {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingMessage['headers'];
  /** Common name of a client certificate the server verified (TLS mode only). */
  readonly clientCertCN?: string;
  /** The client's port: requests with the same one came over the same connection. */
  readonly remotePort?: number;
}

/** Serving certificate (PEM); client certificates signed by `clientCa` are verified and recorded. */
export interface FakeTlsOptions {
  readonly key: string;
  readonly cert: string;
  readonly clientCa?: string;
}

interface LoggedEvent {
  readonly rv: number;
  readonly type: FakeEventType;
  readonly object: FakeObject;
}

interface Watcher {
  readonly path: string;
  readonly res: ServerResponse;
  remainingBeforeDrop?: number;
}

function keyOf(o: FakeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function verifiedClientCN(req: IncomingMessage): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (!socket.authorized || !socket.getPeerCertificate) return undefined;
  const cn = socket.getPeerCertificate().subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private rv = 1;
  private compactedRv = 0;
  private readonly objects = new Map<string, Map<string, FakeObject>>();
  private readonly log = new Map<string, LoggedEvent[]>();
  private readonly watchers = new Set<Watcher>();
  private readonly faults = new Map<string, WatchFault[]>();
  private readonly continueFaults = new Map<string, number>();
  private readonly listFaults = new Map<string, { status: number; remaining: number }>();
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts a server on 127.0.0.1 with a free port, plain HTTP unless `tls` is given. */
  static async start(opts: { tls?: FakeTlsOptions } = {}): Promise<FakeApiServer> {
    const tls = opts.tls;
    const server = tls
      ? createTlsServer({ key: tls.key, cert: tls.cert, ca: tls.clientCa, requestCert: true, rejectUnauthorized: false })
      : createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeApiServer(server, `${tls ? 'https' : 'http'}://127.0.0.1:${port}`);
    server.on('request', (req, res) => fake.handle(req, res));
    return fake;
  }

  /** A kubeconfig for this server (plain HTTP, optional bearer token). */
  kubeconfigYaml(token?: string): string {
    const user = token ? `{ token: ${token} }` : '{}';
    return [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{ name: fake, cluster: { server: "${this.url}" } }]`,
      `users: [{ name: fake, user: ${user} }]`,
      'contexts: [{ name: fake, context: { cluster: fake, user: fake } }]',
      'current-context: fake',
    ].join('\n');
  }

  /** The current resourceVersion (as a string, the way the API serves it). */
  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Adds or changes an object and delivers the event to open watches. Returns the stored copy. */
  upsert(path: string, object: FakeObject): FakeObject {
    const bucket = this.bucket(path);
    const type: FakeEventType = bucket.has(keyOf(object)) ? 'MODIFIED' : 'ADDED';
    const stored = this.stamp(object);
    bucket.set(keyOf(stored), stored);
    this.record(path, type, stored);
    return stored;
  }

  /** Deletes an object and delivers a DELETED event. */
  delete(path: string, namespace: string | undefined, name: string): void {
    const bucket = this.bucket(path);
    const existing = bucket.get(`${namespace ?? ''}/${name}`);
    if (!existing) return;
    bucket.delete(keyOf(existing));
    this.record(path, 'DELETED', this.stamp(existing));
  }

  /** Sends a BOOKMARK at the current version to every open watch of `path`. */
  bookmark(path: string): void {
    for (const w of this.watchers) {
      if (w.path === path) this.write(w, { type: 'BOOKMARK', object: { kind: 'Bookmark', metadata: { resourceVersion: this.resourceVersion } } });
    }
  }

  /** Forgets the event log: watches from any earlier version get an ERROR event with a 410 Status. */
  compact(): void {
    this.compactedRv = this.rv;
    this.log.clear();
  }

  /** Queues faults for the next watch requests of `path`, in order. */
  injectWatchFault(path: string, ...faults: WatchFault[]): void {
    this.faults.set(path, [...(this.faults.get(path) ?? []), ...faults]);
  }

  /** The next `count` page requests on `path` that carry a continue token get 410 Expired. */
  expireContinueTokens(path: string, count = 1): void {
    this.continueFaults.set(path, (this.continueFaults.get(path) ?? 0) + count);
  }

  /** The next `count` list requests on `path` (any page) get `status` with a Status body; Infinity for always. */
  failLists(path: string, status: number, count = 1): void {
    this.listFaults.set(path, { status, remaining: count });
  }

  /** Ends every open watch cleanly (as an API server restart would). */
  endWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** Open watch streams, optionally of one path. */
  openWatches(path?: string): number {
    return [...this.watchers].filter((w) => path === undefined || w.path === path).length;
  }

  /** Recorded requests of a path: watches or lists. */
  requestsOf(path: string, what: 'watch' | 'list'): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path && (r.query.watch === 'true') === (what === 'watch'));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private bucket(path: string): Map<string, FakeObject> {
    let b = this.objects.get(path);
    if (!b) this.objects.set(path, (b = new Map()));
    return b;
  }

  private stamp(object: FakeObject): FakeObject {
    this.rv++;
    const uid = object.metadata.uid ?? `uid-${keyOf(object)}`;
    return { ...object, metadata: { ...object.metadata, uid, resourceVersion: String(this.rv) } };
  }

  private record(path: string, type: FakeEventType, object: FakeObject): void {
    const entry = { rv: this.rv, type, object };
    let events = this.log.get(path);
    if (!events) this.log.set(path, (events = []));
    events.push(entry);
    for (const w of [...this.watchers]) if (w.path === path) this.deliver(w, entry);
  }

  private deliver(w: Watcher, e: LoggedEvent): void {
    this.write(w, { type: e.type, object: e.object });
    if (w.remainingBeforeDrop === undefined) return;
    w.remainingBeforeDrop--;
    if (w.remainingBeforeDrop <= 0) this.drop(w);
  }

  private drop(w: Watcher): void {
    this.watchers.delete(w);
    // FIN after the bytes already written, but without the chunked terminator: the client gets every event
    // sent so far and then a premature-close error, as when a load balancer cuts a connection.
    w.res.socket?.end();
  }

  private write(w: Watcher, event: unknown): void {
    if (!w.res.writableEnded) w.res.write(`${JSON.stringify(event)}\n`);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ path: url.pathname, query, headers: req.headers, clientCertCN: verifiedClientCN(req), remotePort: req.socket.remotePort });
    if (query.watch === 'true' || query.watch === '1') this.serveWatch(url.pathname, query, res);
    else this.serveList(url.pathname, query, res);
  }

  private sendJson(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private serveList(path: string, query: Record<string, string>, res: ServerResponse): void {
    const fault = this.listFaults.get(path);
    if (fault && fault.remaining > 0) {
      fault.remaining--;
      this.sendJson(res, fault.status, status(fault.status, fault.status === 403 ? 'Forbidden' : 'InternalError', 'injected'));
      return;
    }
    const pending = this.continueFaults.get(path) ?? 0;
    if (query.continue && pending > 0) {
      this.continueFaults.set(path, pending - 1);
      this.sendJson(res, 410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.'));
      return;
    }
    const all = [...this.bucket(path).values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const [offsetText, snapshotRv] = query.continue ? query.continue.split(':') : ['0', this.resourceVersion];
    const offset = Number(offsetText);
    const limit = query.limit ? Number(query.limit) : all.length;
    const items = all.slice(offset, offset + limit);
    const more = offset + limit < all.length;
    const metadata: Record<string, unknown> = { resourceVersion: snapshotRv };
    if (more) metadata.continue = `${offset + limit}:${snapshotRv}`;
    this.sendJson(res, 200, { kind: 'List', apiVersion: 'v1', metadata, items });
  }

  private serveWatch(path: string, query: Record<string, string>, res: ServerResponse): void {
    const fault = this.faults.get(path)?.shift();
    if (fault?.type === 'gone-http') return this.sendJson(res, 410, status(410, 'Gone', 'too old resource version'));
    if (fault?.type === 'status') return this.sendJson(res, fault.status, status(fault.status, 'InternalError', 'injected'));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const w: Watcher = { path, res };
    const fromRv = Number(query.resourceVersion ?? '0');
    if (fault?.type === 'gone-event' || (fromRv > 0 && fromRv < this.compactedRv)) {
      this.write(w, { type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${fromRv} (${this.compactedRv})`) });
      res.end();
      return;
    }
    if (fault?.type === 'close') return void res.end();
    if (fault?.type === 'stall') {
      this.watchers.add({ path: `stalled:${path}`, res });
      return;
    }
    for (const e of this.log.get(path) ?? []) if (e.rv > fromRv) this.write(w, { type: e.type, object: e.object });
    if (fault?.type === 'drop' && !fault.after) return this.drop(w);
    if (fault?.type === 'drop') w.remainingBeforeDrop = fault.after;
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
  }
}
