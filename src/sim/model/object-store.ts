// SPDX-License-Identifier: Apache-2.0
// The simulated API server's storage: what etcd plus the watch cache are to a real API server. One global
// resourceVersion counter (as etcd's revision), objects kept sorted by `namespace/name` per kind (etcd lists in key
// order, and `continue` tokens resume from a key), and a bounded window of recent changes from which watches resume.
// Stored objects are treated as immutable: replicas may share sub-objects, and every change stores a new copy.
import { randomUuid, createRng } from './uid.ts';
import type { KubeObject } from './kube-types.ts';
import type { Predicate } from './selectors.ts';
import { StoreError } from './store-error.ts';
import { RESOURCE_TYPES, apiVersionOf, storeKeyOf } from './resource-types.ts';
import { lowerBound, insertSorted, removeSorted } from './sorted-keys.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as a watch delivers it. `json` caches the serialized object for fan-out to many watchers. */
export interface StoreEvent {
  readonly rv: number;
  readonly type: WatchEventType;
  readonly storeKey: string;
  readonly object: KubeObject;
  readonly prev?: KubeObject;
}

export interface ObjectStoreApi {
  /** Stores a new object; fills uid, resourceVersion, creationTimestamp (unless set), name from generateName. */
  create<T extends KubeObject>(obj: T): T;
  /** Replaces an existing object; a stale expectedResourceVersion throws a Conflict StoreError. */
  replace<T extends KubeObject>(obj: T, opts?: { expectedResourceVersion?: string }): T;
  /** Applies `mutate` to a deep copy of the stored object and stores it (one MODIFIED event). */
  patch<T extends KubeObject>(key: string, namespace: string | undefined, name: string, mutate: (draft: T) => void): T | undefined;
  delete(key: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** The stored object itself: never mutate it (objects are shared, copy-on-write). */
  get<T extends KubeObject = KubeObject>(key: string, namespace: string | undefined, name: string): T | undefined;
  /** All objects of a kind (optionally one namespace), sorted by namespace/name. Do not mutate them. */
  list<T extends KubeObject = KubeObject>(key: string, namespace?: string): T[];
  count(key: string): number;
}

export interface PageRequest {
  namespace?: string;
  filter?: Predicate;
  limit?: number;
  continueToken?: string;
}

export interface Page {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export interface WatchRequest {
  namespace?: string;
  filter?: Predicate;
  /** Resume after this version; undefined or 0 starts with synthetic ADDED events for every current object. */
  fromResourceVersion?: number;
}

export type WatchListener = (ev: StoreEvent) => void;

interface Bucket {
  readonly objects: Map<string, KubeObject>;
  readonly keys: string[];
}

export interface ObjectStoreOptions {
  seed?: number;
  /** Epoch milliseconds; stamps creationTimestamp. */
  now?: () => number;
  /** How many recent changes watches can resume from (the watch cache); older versions answer 410 Expired. */
  eventWindow?: number;
}

function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Store key per `apiVersion/kind`, from the table of served kinds: every create and replace looks one up. */
const STORE_KEYS: ReadonlyMap<string, string> = new Map(RESOURCE_TYPES.map((rt) => [`${apiVersionOf(rt)}/${rt.kind}`, storeKeyOf(rt)]));

function keyOf(obj: KubeObject): string {
  const key = STORE_KEYS.get(`${obj.apiVersion}/${obj.kind}`);
  if (key === undefined) throw new StoreError('BadRequest', `no kind "${obj.kind}" is registered for version "${obj.apiVersion}"`);
  return key;
}

const GENERATE_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

export class ObjectStore implements ObjectStoreApi {
  private readonly buckets = new Map<string, Bucket>();
  private readonly listeners = new Map<string, Set<{ req: WatchRequest; fn: WatchListener }>>();
  private events: StoreEvent[] = [];
  private rv = 1;
  private compactedRv = 1;
  private readonly rng: () => number;
  private readonly now: () => number;
  private readonly eventWindow: number;
  /** While true (bulk loading a scenario), changes are not recorded as watch events. */
  private quiet = false;

  constructor(opts: ObjectStoreOptions = {}) {
    this.rng = createRng(opts.seed ?? 1);
    this.now = opts.now ?? Date.now;
    this.eventWindow = opts.eventWindow ?? 100_000;
  }

  /** Loads objects without recording watch events (a fresh API server has no history to resume from). */
  bulkLoad(fn: () => void): void {
    this.quiet = true;
    try {
      fn();
    } finally {
      this.quiet = false;
      this.compactedRv = this.rv;
    }
  }

  currentResourceVersion(): number {
    return this.rv;
  }

  /** Oldest version a watch or continue token may still name. */
  oldestResourceVersion(): number {
    return this.compactedRv;
  }

  /** Drops the whole change window, as an etcd compaction does (tests use it to provoke 410). */
  compact(): void {
    this.events = [];
    this.compactedRv = this.rv;
  }

  private bucket(key: string): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = { objects: new Map(), keys: [] };
      this.buckets.set(key, b);
    }
    return b;
  }

  create<T extends KubeObject>(obj: T): T {
    const storeKey = keyOf(obj);
    const b = this.bucket(storeKey);
    const meta = { ...obj.metadata };
    if (!meta.name && meta.generateName) meta.name = this.generateName(b, meta.namespace, meta.generateName);
    if (!meta.name) throw new StoreError('Invalid', `${obj.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
    const k = objectKey(meta.namespace, meta.name);
    if (b.objects.has(k)) {
      throw new StoreError('AlreadyExists', `${obj.kind.toLowerCase()}s "${meta.name}" already exists`, { name: meta.name, kind: obj.kind.toLowerCase() + 's' });
    }
    meta.uid ??= randomUuid(this.rng);
    meta.creationTimestamp ??= new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    meta.resourceVersion = String(++this.rv);
    const stored = { ...obj, metadata: meta };
    b.objects.set(k, stored);
    insertSorted(b.keys, k);
    this.record({ rv: this.rv, type: 'ADDED', storeKey, object: stored });
    return stored;
  }

  private generateName(b: Bucket, namespace: string | undefined, prefix: string): string {
    for (;;) {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += GENERATE_CHARS[Math.floor(this.rng() * GENERATE_CHARS.length)];
      if (!b.objects.has(objectKey(namespace, prefix + suffix))) return prefix + suffix;
    }
  }

  replace<T extends KubeObject>(obj: T, opts: { expectedResourceVersion?: string } = {}): T {
    const storeKey = keyOf(obj);
    const b = this.bucket(storeKey);
    const k = objectKey(obj.metadata.namespace, obj.metadata.name);
    const prev = b.objects.get(k);
    if (!prev) throw notFound(obj.kind, obj.metadata.name);
    const expected = opts.expectedResourceVersion;
    if (expected && expected !== prev.metadata.resourceVersion) {
      throw new StoreError(
        'Conflict',
        `Operation cannot be fulfilled on ${obj.kind.toLowerCase()}s "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: obj.metadata.name, kind: obj.kind.toLowerCase() + 's' },
      );
    }
    const meta = { ...obj.metadata, uid: prev.metadata.uid, creationTimestamp: prev.metadata.creationTimestamp, resourceVersion: String(++this.rv) };
    const stored = { ...obj, metadata: meta };
    b.objects.set(k, stored);
    this.record({ rv: this.rv, type: 'MODIFIED', storeKey, object: stored, prev });
    return stored;
  }

  // The parameters mirror the object's address (kind, namespace, name) plus the change; an options object would
  // only obscure that at the many call sites.
  // eslint-disable-next-line max-params
  patch<T extends KubeObject>(key: string, namespace: string | undefined, name: string, mutate: (draft: T) => void): T | undefined {
    const prev = this.get<T>(key, namespace, name);
    if (!prev) return undefined;
    const draft = structuredClone(prev);
    mutate(draft);
    return this.replace(draft);
  }

  delete(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const b = this.buckets.get(key);
    const k = objectKey(namespace, name);
    const prev = b?.objects.get(k);
    if (!b || !prev) return undefined;
    b.objects.delete(k);
    removeSorted(b.keys, k);
    const gone = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(++this.rv) } };
    this.record({ rv: this.rv, type: 'DELETED', storeKey: key, object: gone, prev });
    return gone;
  }

  get<T extends KubeObject = KubeObject>(key: string, namespace: string | undefined, name: string): T | undefined {
    return this.buckets.get(key)?.objects.get(objectKey(namespace, name)) as T | undefined;
  }

  list<T extends KubeObject = KubeObject>(key: string, namespace?: string): T[] {
    const out: T[] = [];
    this.scan(key, { namespace }, (o) => {
      out.push(o as T);
    });
    return out;
  }

  count(key: string): number {
    return this.buckets.get(key)?.objects.size ?? 0;
  }

  /** Visits objects in key order, optionally from after `afterKey`; the visitor returns false to stop. */
  private scan(key: string, range: { namespace?: string; afterKey?: string }, visit: (o: KubeObject, k: string) => boolean | void): void {
    const b = this.buckets.get(key);
    if (!b) return;
    const prefix = range.namespace ? `${range.namespace}/` : '';
    const afterKey = range.afterKey;
    let i = lowerBound(b.keys, prefix);
    if (afterKey !== undefined && afterKey >= prefix) i = lowerBound(b.keys, afterKey + '\u0000');
    for (; i < b.keys.length; i++) {
      const k = b.keys[i] as string;
      if (prefix && !k.startsWith(prefix)) break;
      if (visit(b.objects.get(k) as KubeObject, k) === false) return;
    }
  }

  /** One page of a LIST, resuming from a continue token; an expired token answers 410 as etcd compaction does. */
  page(key: string, req: PageRequest): Page {
    const token = req.continueToken ? decodeContinue(req.continueToken) : undefined;
    if (token && token.rv < this.compactedRv) throw expiredContinue();
    const listRv = token?.rv ?? this.rv;
    const { items, lastKey, more } = this.collectPage(key, req, token?.start);
    const page: Page = { items, resourceVersion: String(listRv) };
    if (more && lastKey !== undefined) {
      page.continueToken = encodeContinue(listRv, lastKey);
      if (!req.filter) page.remainingItemCount = this.countAfter(key, req.namespace, lastKey);
    }
    return page;
  }

  private collectPage(key: string, req: PageRequest, afterKey: string | undefined): { items: KubeObject[]; lastKey?: string; more: boolean } {
    const limit = req.limit && req.limit > 0 ? req.limit : Infinity;
    const items: KubeObject[] = [];
    let lastKey: string | undefined;
    let more = false;
    this.scan(key, { namespace: req.namespace, afterKey }, (o, k) => {
      if (req.filter && !req.filter(o)) return true;
      if (items.length >= limit) {
        more = true;
        return false;
      }
      items.push(o);
      lastKey = k;
      return true;
    });
    return { items, lastKey, more };
  }

  private countAfter(key: string, namespace: string | undefined, afterKey: string): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const from = lowerBound(b.keys, afterKey + '\u0000');
    const to = namespace ? lowerBound(b.keys, `${namespace}/\uffff`) : b.keys.length;
    return Math.max(0, to - from);
  }

  /**
   * Subscribes to changes of a kind. Replays the retained changes after `fromResourceVersion` first; a version
   * older than the window throws Expired (the API layer sends it as an ERROR event with code 410, as a real server
   * does). Returns the unsubscribe function.
   */
  watch(key: string, req: WatchRequest, fn: WatchListener): () => void {
    const from = req.fromResourceVersion;
    if (from !== undefined && from !== 0 && from < this.compactedRv) {
      throw new StoreError('Expired', `too old resource version: ${from} (${this.compactedRv})`);
    }
    if (from === undefined || from === 0) {
      this.scan(key, { namespace: req.namespace }, (o) => {
        if (!req.filter || req.filter(o)) fn({ rv: Number(o.metadata.resourceVersion), type: 'ADDED', storeKey: key, object: o });
      });
    } else {
      for (const ev of this.eventsAfter(from)) if (ev.storeKey === key) deliver({ req, fn }, ev);
    }
    const entry = { req, fn };
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(entry);
    return () => set.delete(entry);
  }

  private eventsAfter(rv: number): StoreEvent[] {
    const evs = this.events;
    let lo = 0;
    let hi = evs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((evs[mid] as StoreEvent).rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return evs.slice(lo);
  }

  private record(ev: StoreEvent): void {
    if (this.quiet) return;
    this.events.push(ev);
    if (this.events.length > this.eventWindow * 2) {
      const dropped = this.events.length - this.eventWindow;
      this.compactedRv = (this.events[dropped - 1] as StoreEvent).rv;
      this.events = this.events.slice(dropped);
    }
    const set = this.listeners.get(ev.storeKey);
    if (set) for (const l of set) deliver(l, ev);
  }
}

function matches(req: WatchRequest, obj: KubeObject | undefined): boolean {
  if (!obj) return false;
  if (req.namespace && obj.metadata.namespace !== req.namespace) return false;
  return !req.filter || req.filter(obj);
}

/** Selector-aware delivery: an object that starts or stops matching is ADDED or DELETED for that watcher. */
function deliver(l: { req: WatchRequest; fn: WatchListener }, ev: StoreEvent): void {
  const now = matches(l.req, ev.object);
  if (ev.type !== 'MODIFIED') {
    if (now) l.fn(ev);
    return;
  }
  const before = matches(l.req, ev.prev);
  if (now && before) l.fn(ev);
  else if (now) l.fn({ ...ev, type: 'ADDED' });
  else if (before) l.fn({ ...ev, type: 'DELETED' });
}

function notFound(kind: string, name: string): StoreError {
  const plural = kind.toLowerCase() + 's';
  return new StoreError('NotFound', `${plural} "${name}" not found`, { name, kind: plural });
}

export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: start + '\u0000' })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string') {
      const start = parsed.start.endsWith('\u0000') ? parsed.start.slice(0, -1) : parsed.start;
      return { rv: parsed.rv, start };
    }
  } catch {
    // fall through: a malformed token is a client error, reported below
  }
  throw new StoreError('BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

function expiredContinue(): StoreError {
  return new StoreError(
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
}

export { notFound };
