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
 * Serializes a list item. A real API server's list responses carry `kind` and `apiVersion` only on the list, not
 * on each item, so they are dropped here.
 */
export function itemJson(rt: ResourceType, obj: KubeObject): string {
  const wire = toWire(rt, obj);
  return JSON.stringify({ ...wire, apiVersion: undefined, kind: undefined });
}

export function listKind(rt: ResourceType): string {
  return `${rt.kind}List`;
}
