// SPDX-License-Identifier: Apache-2.0
// LIST and WATCH of stored kinds, with the semantics clients rely on: selectors, `limit`/`continue` pages (an
// expired token is 410), watches that resume from a resourceVersion, bookmarks, server-side timeouts, and a version
// older than the retained window answered as a real server does: HTTP 200 and an ERROR event carrying a 410 Status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../model/kube-types.ts';
import type { ObjectStore, StoreEvent } from '../model/object-store.ts';
import { apiVersionOf, type ResourceType } from '../model/resource-types.ts';
import { allOf, parseFieldSelector, parseLabelSelector, SelectorError, type Predicate } from '../model/selectors.ts';
import { StoreError, statusBody } from '../model/store-error.ts';
import { boolParam, intParam, sendJson, wantsTable } from './http-util.ts';
import { itemByteLength, itemJson, listKind, objectJson, storeKeyFor, toWire } from './wire.ts';
import type { TablePrinter } from './table-printer.ts';
import { WatchStream, type WatchEntry } from './watch-stream.ts';

export interface CollectionRequest {
  req: IncomingMessage;
  res: ServerResponse;
  rt: ResourceType;
  namespace?: string;
  query: URLSearchParams;
  store: ObjectStore;
  tables: TablePrinter;
  nowMs: () => number;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK (real servers: about once a minute). */
  bookmarkIntervalMs: number;
  /** Open watches register their stop function here, so the server can end them all (fault injection, close). */
  activeWatches: Set<() => void>;
}

export function selectorsOf(rt: ResourceType, query: URLSearchParams): Predicate | undefined {
  try {
    return allOf(parseLabelSelector(query.get('labelSelector') ?? undefined), parseFieldSelector(storeKeyFor(rt), query.get('fieldSelector') ?? undefined));
  } catch (err) {
    if (err instanceof SelectorError) throw new StoreError('BadRequest', err.message);
    throw err;
  }
}

/** Writes a LIST answer, as JSON (items streamed in chunks) or as a Table. */
export function handleList(c: CollectionRequest): void {
  const page = c.store.page(storeKeyFor(c.rt), {
    namespace: c.namespace,
    filter: selectorsOf(c.rt, c.query),
    limit: intParam(c.query, 'limit'),
    continueToken: c.query.get('continue') ?? undefined,
  });
  if (wantsTable(c.req)) {
    const table = c.tables.table(c.rt, page.items.map((o) => toWire(c.rt, o)), {
      includeObject: includeObjectOf(c.query),
      nowMs: c.nowMs(),
      resourceVersion: page.resourceVersion,
      continueToken: page.continueToken,
      remainingItemCount: page.remainingItemCount,
    });
    sendJson(c.res, 200, table);
    return;
  }
  const meta: Record<string, unknown> = { resourceVersion: page.resourceVersion };
  if (page.continueToken) meta.continue = page.continueToken;
  if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
  writeItems(c, page.items, meta);
}

export function includeObjectOf(query: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** Writes the list as the cached item texts, with a Content-Length so no chunked framing is needed. */
function writeItems(c: CollectionRequest, items: KubeObject[], meta: Record<string, unknown>): void {
  const head = `{"kind":"${listKind(c.rt)}","apiVersion":"${apiVersionOf(c.rt)}","metadata":${JSON.stringify(meta)},"items":[`;
  const tail = ']}';
  const texts = items.map((item) => itemJson(c.rt, item));
  let length = Buffer.byteLength(head) + tail.length + Math.max(0, items.length - 1);
  for (let i = 0; i < items.length; i++) length += itemByteLength(c.rt, items[i] as KubeObject, texts[i] as string);
  c.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': length });
  // Corked writes leave as one writev: the cached texts are copied once, into the socket's buffer.
  c.res.cork();
  c.res.write(head);
  for (let i = 0; i < texts.length; i++) {
    if (i > 0) c.res.write(',');
    c.res.write(texts[i] as string);
  }
  c.res.write(tail);
  c.res.end();
}

function parseWatchRv(query: URLSearchParams): number | undefined {
  const v = query.get('resourceVersion');
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new StoreError('BadRequest', `resourceVersion: Invalid value: "${v}": must be an integer`);
  return Number(v);
}

/** Streams a WATCH until the client goes away, the timeout passes, or the stream must end with an error. */
export function handleWatch(c: CollectionRequest): void {
  const filter = selectorsOf(c.rt, c.query);
  const fromRv = parseWatchRv(c.query);
  const asTable = wantsTable(c.req);
  const res = c.res;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const stream = new WatchStream(res, eventEncoder(c, asTable));
  const onEvent = (ev: StoreEvent): void => stream.push({ type: ev.type, object: ev.object });
  let unsubscribe: () => void;
  try {
    unsubscribe = c.store.watch(storeKeyFor(c.rt), { namespace: c.namespace, filter, fromResourceVersion: fromRv }, onEvent);
  } catch (err) {
    if (!(err instanceof StoreError) || err.code !== 410) throw err;
    stream.push({ type: 'ERROR', object: statusBody(err) });
    stream.endAfterQueue();
    return;
  }
  const timers = startWatchTimers(c, () => {
    const object = { kind: c.rt.kind, apiVersion: apiVersionOf(c.rt), metadata: { resourceVersion: String(c.store.currentResourceVersion()) } };
    stream.push({ type: 'BOOKMARK', object });
  });
  const stop = (): void => {
    c.activeWatches.delete(stop);
    unsubscribe();
    timers.forEach((t) => clearTimeout(t));
    if (!res.writableEnded) res.end();
  };
  c.activeWatches.add(stop);
  timers.push(setTimeout(stop, timeoutMs(c.query)));
  res.on('close', stop);
}

/**
 * Serializes watch objects: stored objects as their wire form, or (for kubectl) as one-row Tables whose first
 * carries the column definitions. BOOKMARK and ERROR objects go out as they are, as a real server sends them.
 */
function eventEncoder(c: CollectionRequest, asTable: boolean): (e: WatchEntry) => string {
  let first = true;
  return ({ type, object }) => {
    if (type === 'BOOKMARK' || type === 'ERROR') return JSON.stringify(object);
    if (!asTable) return objectJson(c.rt, object as KubeObject);
    const wire = toWire(c.rt, object as KubeObject);
    const table = c.tables.watchTable(c.rt, wire, { includeObject: includeObjectOf(c.query), nowMs: c.nowMs(), withColumns: first });
    first = false;
    return JSON.stringify(table);
  };
}

function timeoutMs(query: URLSearchParams): number {
  const s = intParam(query, 'timeoutSeconds');
  // Without timeoutSeconds a real server picks a random duration between 30 and 60 minutes.
  return (s !== undefined && s > 0 ? s : 1800 + Math.floor(Math.random() * 1800)) * 1000;
}

function startWatchTimers(c: CollectionRequest, bookmark: () => void): NodeJS.Timeout[] {
  if (!boolParam(c.query, 'allowWatchBookmarks')) return [];
  const t = setInterval(bookmark, c.bookmarkIntervalMs);
  t.unref();
  return [t];
}
