// SPDX-License-Identifier: Apache-2.0
// How stored objects appear on the wire for each served resource. Core Events are stored once and also served as
// events.k8s.io/v1 Events, converted field by field as the real API server converts between the two versions.
import type { CoreEvent, KubeObject } from '../model/kube-types.ts';
import { storeKeyOf, type ResourceType } from '../model/resource-types.ts';

export function storeKeyFor(rt: ResourceType): string {
  return rt.group === 'events.k8s.io' ? 'events' : storeKeyOf(rt);
}

function optionalString(v: unknown, fallback: string | undefined): string {
  return typeof v === 'string' && v !== '' ? v : (fallback ?? '');
}

function toEventsV1(ev: CoreEvent): KubeObject {
  const out: KubeObject = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: ev.metadata,
    eventTime: typeof ev.eventTime === 'string' ? ev.eventTime : null,
    reportingController: optionalString(ev.reportingComponent, ev.source?.component),
    reportingInstance: optionalString(ev.reportingInstance, ev.source?.host),
    action: optionalString(ev.action, ''),
    reason: ev.reason,
    regarding: ev.involvedObject,
    note: ev.message,
    type: ev.type,
  };
  const deprecated = { deprecatedSource: ev.source, deprecatedFirstTimestamp: ev.firstTimestamp, deprecatedLastTimestamp: ev.lastTimestamp, deprecatedCount: ev.count };
  for (const [k, v] of Object.entries(deprecated)) if (v !== undefined) out[k] = v;
  return out;
}

/** The object as this resource serves it. */
export function toWire(rt: ResourceType, obj: KubeObject): KubeObject {
  return rt.group === 'events.k8s.io' ? toEventsV1(obj as CoreEvent) : obj;
}

/**
 * The serialized form is cached on the stored object under a symbol (JSON.stringify skips symbol keys), as UTF-8
 * bytes outside the JavaScript heap. Stored objects are immutable, a change stores a new object, so the cache can
 * never be stale. At 150,000 pods this turns LIST pages and watch replays into byte copies: serializing again on
 * every request made the garbage collector the main cost of serving, and keeping the bytes off the heap keeps the
 * collector's work (and the heap's growth headroom) proportional to the objects alone.
 */
const ITEM_JSON = Symbol('krm.itemJson');

type Cached = KubeObject & { [ITEM_JSON]?: Buffer };

/**
 * A list item's JSON bytes. A real API server's list responses carry `kind` and `apiVersion` only on the list,
 * not on each item, so they are dropped here.
 */
export function itemBytes(rt: ResourceType, obj: KubeObject): Buffer {
  if (rt.group === 'events.k8s.io') return Buffer.from(JSON.stringify({ ...toWire(rt, obj), apiVersion: undefined, kind: undefined }));
  const cached = obj as Cached;
  let bytes = cached[ITEM_JSON];
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify({ ...obj, apiVersion: undefined, kind: undefined }));
    // Frozen objects (tests, fixtures) cannot carry the cache; they are serialized each time.
    if (Object.isExtensible(obj)) Object.defineProperty(obj, ITEM_JSON, { value: bytes, enumerable: false });
  }
  return bytes;
}

/** A list item's JSON text (see itemBytes). */
export function itemJson(rt: ResourceType, obj: KubeObject): string {
  return itemBytes(rt, obj).toString('utf8');
}

/** The object with its kind and apiVersion, as a watch event or a GET carries it, from the cached item form. */
export function objectJson(rt: ResourceType, obj: KubeObject): string {
  if (rt.group === 'events.k8s.io') return JSON.stringify(toWire(rt, obj));
  const item = itemJson(rt, obj);
  const head = `{"kind":${JSON.stringify(obj.kind)},"apiVersion":${JSON.stringify(obj.apiVersion)}`;
  return item === '{}' ? `${head}}` : `${head},${item.slice(1)}`;
}

export function listKind(rt: ResourceType): string {
  return `${rt.kind}List`;
}
