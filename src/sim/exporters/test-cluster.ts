// SPDX-License-Identifier: Apache-2.0
// Test support for the exporter tests only (imported by *.test.ts, never by product code): a Map-backed
// ObjectStoreApi (the real store is written in parallel and the exporters need nothing but list/get), and a usage
// model that is a pure function of time, so a test can step a clock and get monotonic counters.
import { createHash } from 'node:crypto';
import type { KubeObject, Pod } from '../model/kube-types.ts';
import type { ObjectStoreApi } from '../model/object-store.ts';
import { resourceForObject, storeKeyOf } from '../model/resource-types.ts';
import type { ContainerUsage, NodeUsage, PodNetworkUsage, UsageView, VolumeUsage } from '../usage/types.ts';
import { parseTimeMs } from './number-format.ts';

function keyOf(obj: KubeObject): string {
  const rt = resourceForObject(obj.apiVersion, obj.kind);
  if (!rt) throw new Error(`unknown kind ${obj.apiVersion} ${obj.kind}`);
  return storeKeyOf(rt);
}

const idOf = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

/** Just enough of the object store for the exporters: objects in Maps, lists sorted by namespace/name. */
export class MapStore implements ObjectStoreApi {
  private readonly kinds = new Map<string, Map<string, KubeObject>>();

  private kind(key: string): Map<string, KubeObject> {
    let m = this.kinds.get(key);
    if (!m) {
      m = new Map();
      this.kinds.set(key, m);
    }
    return m;
  }

  create<T extends KubeObject>(obj: T): T {
    const uid = obj.metadata.uid ?? createHash('sha256').update(idOf(obj.metadata.namespace, obj.metadata.name)).digest('hex').slice(0, 32);
    const stored = { ...obj, metadata: { ...obj.metadata, uid } };
    this.kind(keyOf(obj)).set(idOf(obj.metadata.namespace, obj.metadata.name), stored);
    return stored;
  }

  replace<T extends KubeObject>(obj: T): T {
    return this.create(obj);
  }

  // eslint-disable-next-line max-params -- the ObjectStoreApi contract fixes this signature
  patch<T extends KubeObject>(key: string, namespace: string | undefined, name: string, mutate: (draft: T) => void): T | undefined {
    const cur = this.get<T>(key, namespace, name);
    if (!cur) return undefined;
    const draft = structuredClone(cur);
    mutate(draft);
    this.kind(key).set(idOf(namespace, name), draft);
    return draft;
  }

  delete(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const m = this.kind(key);
    const cur = m.get(idOf(namespace, name));
    m.delete(idOf(namespace, name));
    return cur;
  }

  get<T extends KubeObject = KubeObject>(key: string, namespace: string | undefined, name: string): T | undefined {
    return this.kind(key).get(idOf(namespace, name)) as T | undefined;
  }

  list<T extends KubeObject = KubeObject>(key: string, namespace?: string): T[] {
    const items = [...this.kind(key).entries()].filter(([, o]) => namespace === undefined || o.metadata.namespace === namespace);
    return items.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o as T);
  }

  count(key: string): number {
    return this.kind(key).size;
  }
}

/** A small stable number in [0, 1) from a name (FNV-1a), so each container gets its own level. */
function level(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return (h & 0xff) / 256;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/**
 * Usage as a pure function of the store and the clock: constant rates per container, so every counter is
 * rate × age and grows monotonically as a test steps `nowMs` forward.
 */
export class TimeUsage implements UsageView {
  constructor(
    private readonly store: ObjectStoreApi,
    private readonly now: number,
  ) {}

  nowMs(): number {
    return this.now;
  }

  container(namespace: string, pod: string, container: string): ContainerUsage | undefined {
    const p = this.store.get<Pod>('pods', namespace, pod);
    const started = parseTimeMs(p?.status.containerStatuses?.find((s) => s.name === container)?.state.running?.startedAt);
    if (started === undefined || started > this.now) return undefined;
    const ageSec = (this.now - started) / 1000;
    const cores = 0.05 + level(`${pod}/${container}`) * 0.2;
    const ws = 64 * MiB + level(container) * 128 * MiB;
    const periods = Math.floor(ageSec * 10);
    return {
      cpuCores: cores,
      cpuSecondsTotal: cores * ageSec,
      memoryWorkingSetBytes: ws,
      memoryRssBytes: Math.round(ws * 0.9),
      memoryUsageBytes: Math.round(ws * 1.1),
      cfsPeriodsTotal: periods,
      cfsThrottledPeriodsTotal: Math.floor(periods * 0.3),
      cfsThrottledSecondsTotal: periods * 0.3 * 0.02,
      fsUsageBytes: 40_960,
      fsReadsBytesTotal: Math.floor(ageSec * 100),
      fsWritesBytesTotal: Math.floor(ageSec * 250),
      startedAtMs: started,
    };
  }

  podNetwork(namespace: string, pod: string): PodNetworkUsage | undefined {
    const started = parseTimeMs(this.store.get<Pod>('pods', namespace, pod)?.status.startTime);
    if (started === undefined) return undefined;
    const ageSec = Math.max(0, (this.now - started) / 1000);
    return { rxBytesTotal: Math.floor(ageSec * 1500), txBytesTotal: Math.floor(ageSec * 900), rxErrorsTotal: 0, txErrorsTotal: 0 };
  }

  node(name: string): NodeUsage | undefined {
    if (!this.store.get('nodes', undefined, name)) return undefined;
    const bootTimeMs = Date.parse('2026-06-26T08:00:00Z');
    const uptimeSec = Math.max(0, (this.now - bootTimeMs) / 1000);
    return {
      cpuCores: 1.5,
      cpuSecondsTotal: 1.5 * uptimeSec,
      memoryWorkingSetBytes: 3 * GiB,
      memoryAvailableBytes: 12 * GiB,
      fsUsedBytes: 20 * GiB,
      fsCapacityBytes: 100 * GiB,
      bootTimeMs,
    };
  }

  volume(namespace: string, claim: string): VolumeUsage | undefined {
    if (!this.store.get('persistentvolumeclaims', namespace, claim)) return undefined;
    return { usedBytes: 2 * GiB, capacityBytes: 10 * GiB, inodesUsed: 1200, inodes: 655_360 };
  }
}
