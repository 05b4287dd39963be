// SPDX-License-Identifier: Apache-2.0
// Single-object verbs: get, create, update (optimistic concurrency on metadata.resourceVersion, as Leases need),
// merge patch and delete. RBAC kinds are read-only in the simulator.
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../model/kube-types.ts';
import type { ObjectStore } from '../model/object-store.ts';
import { notFound } from '../model/object-store.ts';
import { apiVersionOf, type ResourceType } from '../model/resource-types.ts';
import { StoreError } from '../model/store-error.ts';
import { readJsonBody } from './http-util.ts';
import { storeKeyFor, toWire } from './wire.ts';

export interface ObjectRequest {
  req: IncomingMessage;
  rt: ResourceType;
  namespace?: string;
  name?: string;
  store: ObjectStore;
}

export function getObject(o: ObjectRequest): KubeObject {
  const obj = o.store.get(storeKeyFor(o.rt), o.namespace, o.name ?? '');
  if (!obj) throw notFound(o.rt.kind, o.name ?? '');
  return toWire(o.rt, obj);
}

function checkWritable(rt: ResourceType): void {
  if (rt.readOnly || rt.group === 'events.k8s.io') {
    throw new StoreError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function bodyObject(o: ObjectRequest): Promise<KubeObject> {
  const body = await readJsonBody(o.req);
  if (!isObject(body) || !isObject(body.metadata)) throw new StoreError('BadRequest', 'Object \'metadata\' is missing in the request body');
  const obj = { ...body, apiVersion: apiVersionOf(o.rt), kind: o.rt.kind, metadata: { ...body.metadata } } as unknown as KubeObject;
  if (o.rt.namespaced) {
    if (obj.metadata.namespace && o.namespace && obj.metadata.namespace !== o.namespace) {
      throw new StoreError('BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = o.namespace;
  }
  return obj;
}

export async function createObject(o: ObjectRequest): Promise<KubeObject> {
  checkWritable(o.rt);
  const obj = await bodyObject(o);
  if (o.rt.namespaced && o.namespace && !o.store.get('namespaces', undefined, o.namespace)) {
    throw new StoreError('NotFound', `namespaces "${o.namespace}" not found`, { name: o.namespace, kind: 'namespaces' });
  }
  delete obj.metadata.resourceVersion;
  delete obj.metadata.uid;
  delete obj.metadata.creationTimestamp;
  return o.store.create(obj);
}

export async function replaceObject(o: ObjectRequest): Promise<KubeObject> {
  checkWritable(o.rt);
  const obj = await bodyObject(o);
  if (obj.metadata.name !== o.name) {
    throw new StoreError('BadRequest', `the name of the object (${obj.metadata.name}) does not match the name on the URL (${o.name})`);
  }
  return o.store.replace(obj, { expectedResourceVersion: obj.metadata.resourceVersion });
}

/** RFC 7386 JSON merge patch; strategic merge patches are applied the same way (lists replaced whole). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export async function patchObject(o: ObjectRequest): Promise<KubeObject> {
  checkWritable(o.rt);
  const type = o.req.headers['content-type'] ?? '';
  if (type.includes('json-patch+json') || type.includes('apply-patch')) {
    throw new StoreError('NotAcceptable', `the server does not support patch type ${type} in the simulator; use a merge patch`);
  }
  const patch = await readJsonBody(o.req);
  const current = getObject(o);
  const merged = mergePatch(current, patch) as KubeObject;
  const expected = isObject(patch) && isObject(patch.metadata) ? patch.metadata.resourceVersion : undefined;
  return o.store.replace(merged, { expectedResourceVersion: typeof expected === 'string' ? expected : undefined });
}

export function deleteObject(o: ObjectRequest): KubeObject {
  checkWritable(o.rt);
  const gone = o.store.delete(storeKeyFor(o.rt), o.namespace, o.name ?? '');
  if (!gone) throw notFound(o.rt.kind, o.name ?? '');
  return gone;
}
