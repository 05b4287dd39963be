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
 * The serialized form is cached on the stored object under symbols (JSON.stringify skips symbol keys): the text and
 * its UTF-8 length. Stored objects are immutable, a change stores a new object, so the cache can never be stale. At
 * 150,000 pods this turns LIST pages and watch replays into copies: serializing again on every request made the
 * garbage collector the main cost of serving. The text is a string on the JavaScript heap, one object the collector
 * marks without reading, whose growth V8 paces by the heap's size. As UTF-8 bytes in Buffers it was external memory,
 * and V8 starts a full collection every 64 MB of new external memory whatever the heap's size: the first LIST of
 * 150,000 pods and every changed object a watch sent kept the simulator in full collections of its whole heap, over a
 * second of its one core each, through the clients' sync and their first collection cycles.
 */
const ITEM_JSON = Symbol('krm.itemJson');
const ITEM_BYTES = Symbol('krm.itemBytes');

type Cached = KubeObject & { [ITEM_JSON]?: string; [ITEM_BYTES]?: number };

/**
 * A list item's JSON text. A real API server's list responses carry `kind` and `apiVersion` only on the list, not on
 * each item, so they are dropped here.
 */
export function itemJson(rt: ResourceType, obj: KubeObject): string {
  if (rt.group === 'events.k8s.io') return JSON.stringify({ ...toWire(rt, obj), apiVersion: undefined, kind: undefined });
  return cachedText(obj as Cached);
}

/**
 * The UTF-8 length of `text`, {@link itemJson}'s text of `obj`: cached beside it (a LIST's Content-Length adds up
 * 150,000 of them), measured for the items not cached.
 */
export function itemByteLength(rt: ResourceType, obj: KubeObject, text: string): number {
  // A core Event's cache holds its core form; its events.k8s.io form is another text.
  const cached = rt.group === 'events.k8s.io' ? undefined : (obj as Cached)[ITEM_BYTES];
  return cached ?? Buffer.byteLength(text);
}

function cachedText(obj: Cached): string {
  let text = obj[ITEM_JSON];
  if (text === undefined) {
    text = JSON.stringify({ ...obj, apiVersion: undefined, kind: undefined });
    // Frozen objects (tests, fixtures) cannot carry the cache; they are serialized each time.
    if (Object.isExtensible(obj)) {
      Object.defineProperty(obj, ITEM_JSON, { value: text, enumerable: false });
      Object.defineProperty(obj, ITEM_BYTES, { value: Buffer.byteLength(text), enumerable: false });
    }
  }
  return text;
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
