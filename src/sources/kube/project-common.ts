// SPDX-License-Identifier: Apache-2.0
// Building blocks of the projections: metadata, conditions, selectors and resource lists, read from raw API JSON.
import { parseCpuMillicores, parseQuantity } from '../../domain/quantity.ts';
import type { Condition, ContainerResources, LabelSelector, ObjectBase, OwnerRef, ResourceValues } from '../../domain/resources.ts';
import { arr, bool, istr, message, num, obj, str, strList, strMap, timeMs, type RawObject } from './raw-access.ts';

/**
 * Annotations REQUIREMENTS §1.2 names; everything else is dropped (notably the often huge
 * `kubectl.kubernetes.io/last-applied-configuration`).
 */
const KEPT_ANNOTATIONS: ReadonlySet<string> = new Set([
  'deployment.kubernetes.io/revision',
  'storageclass.kubernetes.io/is-default-class',
  'contact',
  'description',
  'created-by',
]);
const KEPT_ANNOTATION_PREFIX = 'prometheus.io/';

function keptAnnotations(raw: unknown): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(strMap(raw))) {
    if (KEPT_ANNOTATIONS.has(k) || k.startsWith(KEPT_ANNOTATION_PREFIX)) out[k] = v;
  }
  return out;
}

function owners(raw: unknown): OwnerRef[] {
  const out: OwnerRef[] = [];
  for (const item of arr(raw)) {
    const o = obj(item);
    const kind = istr(o.kind);
    const name = istr(o.name);
    if (kind && name) out.push({ kind, name, uid: istr(o.uid) ?? '', controller: o.controller === true });
  }
  return out;
}

/** `namespace/name` or `name`. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * The metadata every projection shares, or undefined when the object has no name (a malformed object, which the
 * loop counts and skips). The uid falls back to the key: simulators and fixtures sometimes omit it.
 */
export function projectBase(raw: unknown): (ObjectBase & { readonly spec: RawObject; readonly status: RawObject }) | undefined {
  const o = obj(raw);
  const meta = obj(o.metadata);
  const name = str(meta.name);
  if (!name) return undefined;
  const namespace = istr(meta.namespace) || undefined;
  const key = objectKey(namespace, name);
  return {
    key,
    uid: str(meta.uid) ?? key,
    name,
    namespace,
    labels: strMap(meta.labels),
    annotations: keptAnnotations(meta.annotations),
    owners: owners(meta.ownerReferences),
    createdAtMs: timeMs(meta.creationTimestamp),
    deletingAtMs: timeMs(meta.deletionTimestamp),
    spec: obj(o.spec),
    status: obj(o.status),
  };
}

/**
 * Drops the raw `spec`/`status` helpers from a base before it is spread into a projection. Spread it at the END
 * of the projection's object literal: V8 (Node 20) builds `{ ...base, a, b, … }` through a slow path, about 80 µs
 * per object with 20 properties after the spread, while `{ a, b, …, ...base }` takes well under 1 µs. At 150,000
 * pods that is the difference between a 12-second and a sub-second projection of the initial list.
 */
export function baseFields(b: ObjectBase): ObjectBase {
  return {
    key: b.key,
    uid: b.uid,
    name: b.name,
    namespace: b.namespace,
    labels: b.labels,
    annotations: b.annotations,
    owners: b.owners,
    createdAtMs: b.createdAtMs,
    deletingAtMs: b.deletingAtMs,
  };
}

export function conditions(raw: unknown): Condition[] {
  const out: Condition[] = [];
  for (const item of arr(raw)) {
    const c = obj(item);
    const type = istr(c.type);
    if (!type) continue;
    out.push({
      type,
      status: istr(c.status) ?? 'Unknown',
      reason: istr(c.reason),
      message: message(c.message),
      lastTransitionAtMs: timeMs(c.lastTransitionTime),
      lastHeartbeatAtMs: timeMs(c.lastHeartbeatTime),
    });
  }
  return out;
}

export function labelSelector(raw: unknown): LabelSelector {
  const s = obj(raw);
  const matchExpressions = arr(s.matchExpressions).map((e) => {
    const x = obj(e);
    return { key: str(x.key) ?? '', operator: str(x.operator) ?? '', values: strList(x.values) };
  });
  return { matchLabels: strMap(s.matchLabels), matchExpressions };
}

/** A CPU resource name in any of its spellings (`cpu`, `requests.cpu`, `limits.cpu`). */
function isCpu(resource: string): boolean {
  return resource === 'cpu' || resource.endsWith('.cpu');
}

/** A resource list (`{cpu: "500m", memory: "1Gi", pods: "10"}`) as numbers: CPU in millicores, the rest plain. */
export function resourceValues(raw: unknown): ResourceValues {
  const out: Record<string, number> = {};
  for (const [resource, quantity] of Object.entries(strMap(raw))) {
    const value = isCpu(resource) ? parseCpuMillicores(quantity) : parseQuantity(quantity);
    if (value !== undefined) out[resource] = value;
  }
  return out;
}

/** Container requests or limits. */
export function containerResources(raw: unknown): ContainerResources {
  const r = strMap(raw);
  return {
    cpuMillicores: parseCpuMillicores(r.cpu),
    memoryBytes: parseQuantity(r.memory),
    ephemeralStorageBytes: parseQuantity(r['ephemeral-storage']),
  };
}

/** A count that the API omits when zero (`readyReplicas`, `succeeded`, …). */
export function count(value: unknown): number {
  return num(value) ?? 0;
}

/** A boolean the API omits when false. */
export function flag(value: unknown): boolean {
  return bool(value) ?? false;
}
