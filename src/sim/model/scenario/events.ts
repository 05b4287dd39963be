// SPDX-License-Identifier: Apache-2.0
// Core v1 Events as the kubelet and controllers record them through client-go's EventCorrelator: a repeat of the
// same (object, reason, message, source) within the aggregation window updates `count` and `lastTimestamp` of the
// existing Event instead of creating a new one, and the API server drops events an hour after their last update
// (--event-ttl=1h). Event names are "<involved name>.<UnixNano of the first occurrence in hex>".
import type { CoreEvent, ObjectReference } from '../kube-types.ts';
import type { ObjectStoreApi } from '../object-store.ts';
import { iso } from './time.ts';
import { HOUR_MS } from '../../../domain/time.ts';

export interface EventInput {
  involved: ObjectReference & { kind: string; name: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  component: string;
  /** Node name for kubelet-reported events. */
  host?: string;
  atMs: number;
  /** For events that have been repeating since before the scenario started. */
  firstMs?: number;
  /** How many occurrences this record adds (default 1). */
  count?: number;
}

interface Tracked {
  namespace: string;
  name: string;
  lastMs: number;
}

const EVENT_TTL_MS = HOUR_MS;

function correlationKey(e: EventInput): string {
  const o = e.involved;
  return `${o.namespace ?? ''}\u0000${o.kind}\u0000${o.name}\u0000${o.fieldPath ?? ''}\u0000${e.reason}\u0000${e.message}\u0000${e.component}\u0000${e.host ?? ''}`;
}

export class EventRecorder {
  private readonly tracked = new Map<string, Tracked>();
  private seq = 0;

  constructor(private readonly store: ObjectStoreApi) {}

  /** Records one occurrence (or `count` of them): creates the Event or bumps the existing one. */
  record(e: EventInput): void {
    const key = correlationKey(e);
    const prev = this.tracked.get(key);
    if (prev && this.store.get('events', prev.namespace, prev.name)) {
      prev.lastMs = Math.max(prev.lastMs, e.atMs);
      this.store.patch<CoreEvent>('events', prev.namespace, prev.name, (d) => {
        d.count = (d.count ?? 1) + (e.count ?? 1);
        d.lastTimestamp = iso(prev.lastMs);
      });
      return;
    }
    this.tracked.set(key, this.create(e));
  }

  private create(e: EventInput): Tracked {
    const firstMs = e.firstMs ?? e.atMs;
    // Node and other cluster-scoped objects have their events in the default namespace, as on a real cluster.
    const namespace = e.involved.namespace ?? 'default';
    const nanos = BigInt(Math.floor(firstMs)) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const name = `${e.involved.name}.${nanos.toString(16)}`;
    const ev: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace, creationTimestamp: iso(firstMs) },
      involvedObject: e.involved,
      reason: e.reason,
      message: e.message,
      source: e.host ? { component: e.component, host: e.host } : { component: e.component },
      firstTimestamp: iso(firstMs),
      lastTimestamp: iso(e.atMs),
      count: e.count ?? 1,
      type: e.type,
      eventTime: null,
      reportingComponent: e.component,
      reportingInstance: e.host ?? '',
    };
    this.store.create(ev);
    return { namespace, name, lastMs: e.atMs };
  }

  /** Deletes events whose last occurrence is older than the API server's event TTL (one hour). */
  expire(nowMs: number): number {
    let deleted = 0;
    for (const [key, t] of this.tracked) {
      if (nowMs - t.lastMs <= EVENT_TTL_MS) continue;
      this.store.delete('events', t.namespace, t.name);
      this.tracked.delete(key);
      deleted++;
    }
    return deleted;
  }

  /** Number of events this recorder keeps alive. */
  size(): number {
    return this.tracked.size;
  }
}

/** The reference an Event's involvedObject holds for a pod container (`spec.containers{app}`). */
export function containerRef(pod: { metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string } }, container: string, init = false): ObjectReference & { kind: string; name: string } {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    name: pod.metadata.name,
    namespace: pod.metadata.namespace,
    uid: pod.metadata.uid,
    resourceVersion: pod.metadata.resourceVersion,
    fieldPath: `${init ? 'spec.initContainers' : 'spec.containers'}{${container}}`,
  };
}

/** The reference for an object as a whole. */
export function objectRef(obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string } }): ObjectReference & { kind: string; name: string } {
  const ref: ObjectReference & { kind: string; name: string } = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion };
  if (obj.metadata.namespace !== undefined) ref.namespace = obj.metadata.namespace;
  return ref;
}
