// SPDX-License-Identifier: Apache-2.0
// Replaying a real cluster: the output of `kubectl get nodes,pods,deploy,... -A -o json` (a List, or a typed list
// such as PodList whose items omit apiVersion and kind) is loaded as it is, uids and owner references included
// (the store assigns fresh resourceVersions), and its running containers are then driven by the usage model with
// a steady profile derived from their requests. Kinds the simulator does not serve are skipped and reported.
import { parse as parseYaml } from 'yaml';
import type { KubeObject, Node, PersistentVolumeClaim, Pod } from '../kube-types.ts';
import type { ObjectStoreApi } from '../object-store.ts';
import type { BuiltCluster, BuiltVolume, RunningContainer } from './built-types.ts';
import type { FailureScript } from './failures/types.ts';
import { resourceForObject, storeKeyOf } from '../resource-types.ts';
import { EventRecorder } from './events.ts';
import { LogProfileIndex } from './log-index.ts';
import { nodeRecordFromObject, builtNodeOf } from './dump-nodes.ts';
import { dumpContainers, crashLoopScripts } from './dump-pods.ts';
import { parseQuantity } from './quantity.ts';

export interface LoadDumpOptions {
  store: ObjectStoreApi;
  /** Scenario time the replay starts at, epoch ms. */
  nowMs: number;
  seed?: number;
}

export interface SkippedItem {
  apiVersion: string;
  kind: string;
  name: string;
  reason: string;
}

export interface LoadedDump extends BuiltCluster {
  /** Items that were not loaded (unknown or unserved kinds, duplicates). */
  skipped: SkippedItem[];
}

interface ListLike {
  apiVersion?: string;
  kind?: string;
  items?: unknown[];
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Parses JSON (or YAML) text; passes parsed values through. */
function parseInput(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    // Not JSON: `kubectl get -o yaml` output is accepted as well.
    return parseYaml(input);
  }
}

/** Flattens a List, a typed list (PodList: items without kind) or an array of those into objects. */
function itemsOf(doc: unknown): KubeObject[] {
  if (Array.isArray(doc)) return doc.flatMap(itemsOf);
  const list = asObject(doc) as ListLike | undefined;
  if (!list) return [];
  if (!Array.isArray(list.items)) return list.kind && list.apiVersion ? [list as unknown as KubeObject] : [];
  const itemKind = list.kind && list.kind !== 'List' && list.kind.endsWith('List') ? list.kind.slice(0, -4) : undefined;
  return list.items.flatMap((raw) => {
    const o = asObject(raw);
    if (!o) return [];
    if (o.items !== undefined) return itemsOf(o);
    return [{ ...(itemKind ? { kind: itemKind, apiVersion: list.apiVersion } : {}), ...o } as KubeObject];
  });
}

function cleanMeta(obj: KubeObject): KubeObject {
  const { resourceVersion: _rv, ...metadata } = obj.metadata as KubeObject['metadata'] & { managedFields?: unknown; selfLink?: unknown };
  delete (metadata as { managedFields?: unknown }).managedFields;
  delete (metadata as { selfLink?: unknown }).selfLink;
  return { ...obj, metadata };
}

function sortKey(key: string, o: KubeObject): string {
  return `${key}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
}

/** Namespaces the objects live in but the dump does not define, as the API server would have them. */
function missingNamespaces(objs: readonly { key: string; obj: KubeObject }[]): KubeObject[] {
  const have = new Set(objs.filter((o) => o.key === 'namespaces').map((o) => o.obj.metadata.name));
  const need = new Map<string, string>();
  for (const { obj } of objs) {
    const ns = obj.metadata.namespace;
    if (!ns || have.has(ns)) continue;
    const created = obj.metadata.creationTimestamp ?? '';
    const prev = need.get(ns);
    if (prev === undefined || created < prev) need.set(ns, created);
  }
  return [...need].map(([name, created]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(created ? { creationTimestamp: created } : {}), labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }));
}

function classify(items: readonly KubeObject[], skipped: SkippedItem[]): { key: string; obj: KubeObject }[] {
  const out: { key: string; obj: KubeObject }[] = [];
  for (const item of items) {
    const rt = item.apiVersion && item.kind && item.metadata?.name ? resourceForObject(item.apiVersion, item.kind) : undefined;
    const skip = (reason: string): void => void skipped.push({ apiVersion: String(item.apiVersion), kind: String(item.kind), name: String(item.metadata?.name ?? ''), reason });
    if (!rt) skip('kind not served by the simulator');
    // Core Events are the stored form; the events.k8s.io view is derived from them by the API layer.
    else if (rt.group === 'events.k8s.io' || rt.group === 'metrics.k8s.io') skip('derived view, not stored');
    else out.push({ key: storeKeyOf(rt), obj: cleanMeta(item) });
  }
  return out;
}

function storeAll(store: ObjectStoreApi, objs: { key: string; obj: KubeObject }[], skipped: SkippedItem[]): void {
  objs.sort((a, b) => (sortKey(a.key, a.obj) < sortKey(b.key, b.obj) ? -1 : 1));
  for (const { key, obj } of objs) {
    if (store.get(key, obj.metadata.namespace, obj.metadata.name)) {
      skipped.push({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, reason: 'duplicate' });
      continue;
    }
    store.create(obj);
  }
}

function volumesOf(store: ObjectStoreApi): BuiltVolume[] {
  return store
    .list<PersistentVolumeClaim>('persistentvolumeclaims')
    .filter((c) => c.status?.phase === 'Bound')
    .map((c) => {
      const capacityBytes = parseQuantity(c.status.capacity?.storage ?? c.spec.resources?.requests?.storage ?? '1Gi');
      // Nothing in a dump says how full a volume is: start at 30 % and grow 1 % of the capacity a day.
      return { namespace: c.metadata.namespace ?? '', claim: c.metadata.name, capacityBytes, initialUsedBytes: capacityBytes * 0.3, fillBytesPerHour: (capacityBytes * 0.01) / 24 };
    });
}

/** Loads a cluster dump into the store and returns what the runtime needs to drive it. */
export function loadDump(input: unknown, opts: LoadDumpOptions): LoadedDump {
  const skipped: SkippedItem[] = [];
  const objs = classify(itemsOf(parseInput(input)), skipped);
  objs.push(...missingNamespaces(objs).map((obj) => ({ key: 'namespaces', obj })));
  storeAll(opts.store, objs, skipped);
  const store = opts.store;
  const nodes = store.list<Node>('nodes');
  const nodeRecords = nodes.map((n, i) => nodeRecordFromObject(n, i));
  const logs = new LogProfileIndex();
  const pods = store.list<Pod>('pods');
  const containers: RunningContainer[] = dumpContainers(pods, logs);
  const scripts: FailureScript[] = crashLoopScripts(pods, opts.nowMs);
  const recorder = new EventRecorder(store);
  return {
    nowMs: opts.nowMs,
    seed: opts.seed ?? 1,
    nodes: nodes.map(builtNodeOf),
    containers,
    volumes: volumesOf(store),
    logs,
    scripts,
    churn: [],
    jobs: [],
    cronJobs: [],
    recorder,
    nodeRecords,
    owners: new Map(),
    stats: { namespaces: store.count('namespaces'), nodes: nodes.length, pods: pods.length, pendingPods: pods.filter((p) => p.status?.phase === 'Pending').length, runningContainers: containers.length, events: store.count('events') },
    skipped,
  };
}
