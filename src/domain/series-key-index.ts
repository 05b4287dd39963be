// SPDX-License-Identifier: Apache-2.0
// Series ids by key, nested by cluster, kind, entity and metric. A first collection at the scale envelope resolves
// some 640,000 new keys: a joined key string per lookup cost a concatenation and a full hash of a fresh string each
// (a second of the cycle), while nested maps hash the collector's own strings, whose hashes V8 keeps on them.
import { mapIn } from './maps.ts';
import type { SeriesKey } from './series.ts';

/**
 * One entity's series: metric names and ids alternating (`[metric, id, metric, id, …]`). An entity has two to six
 * metrics; a Map each cost about 184 bytes of heap (its table's smallest size), 64 MB for the 350,000 entities of the
 * scale envelope, all traced by every full garbage collection. This array is about half of that, and a lookup scans a
 * few metric names, which are the same interned strings every cycle.
 */
type MetricIds = (string | number)[];
/** One entity's series ids as the index holds them (read them with {@link idIn}; do not keep them across writes). */
export type EntitySeriesIds = readonly (string | number)[];
type ByEntity = Map<string, MetricIds>;
type ByCluster = Map<string, Map<string, ByEntity>>;

/** Position of the metric's id in the entity's list, or -1. */
function idAt(list: EntitySeriesIds, metric: string): number {
  for (let i = 0; i < list.length; i += 2) if (list[i] === metric) return i + 1;
  return -1;
}

/** The id of an entity's series of `metric`, if it has one. */
export function idIn(list: EntitySeriesIds | undefined, metric: string): number | undefined {
  if (list === undefined) return undefined;
  const at = idAt(list, metric);
  return at < 0 ? undefined : (list[at] as number);
}

/**
 * Kept in two generations of entities: a lookup that finds an entity in the older one moves it to the current one, and
 * {@link rotate} drops the older one. A holder that rotates now and then (the registry when its cache is full, a
 * collector every so many cycles) keeps the entities still in use and forgets those that churn replaced, without a
 * moment where everything is forgotten at once and every key must be resolved again.
 */
export class SeriesKeyIndex {
  private current: ByCluster = new Map();
  private previous: ByCluster = new Map();
  /** Keys in the current generation. */
  private count = 0;

  /** Keys in the current generation (the older one's are about to be dropped or moved). */
  get size(): number {
    return this.count;
  }

  get(k: SeriesKey): number | undefined {
    return idIn(this.entity(k.cluster, k.kind, k.entity), k.metric);
  }

  /** The ids of one entity's series (read them with {@link idIn}). */
  entity(cluster: string, kind: string, entity: string): EntitySeriesIds | undefined {
    return this.listOf(cluster, kind, entity);
  }

  set(k: SeriesKey, id: number): void {
    const list = this.listOf(k.cluster, k.kind, k.entity) ?? this.added(k);
    const at = idAt(list, k.metric);
    if (at >= 0) list[at] = id;
    else {
      list.push(k.metric, id);
      this.count++;
    }
  }

  delete(k: SeriesKey): void {
    for (const gen of [this.current, this.previous]) {
      const list = gen.get(k.cluster)?.get(k.kind)?.get(k.entity);
      const at = list === undefined ? -1 : idAt(list, k.metric);
      if (at < 0) continue;
      list?.splice(at - 1, 2);
      if (gen === this.current) this.count--;
    }
  }

  /** Starts a new generation: entities not looked up since the one before are dropped. */
  rotate(): void {
    this.previous = this.current;
    this.current = new Map();
    this.count = 0;
  }

  clear(): void {
    this.current.clear();
    this.previous.clear();
    this.count = 0;
  }

  private listOf(cluster: string, kind: string, entity: string): MetricIds | undefined {
    return this.current.get(cluster)?.get(kind)?.get(entity) ?? this.promote(cluster, kind, entity);
  }

  /** Moves an entity of the older generation to the current one. */
  private promote(cluster: string, kind: string, entity: string): MetricIds | undefined {
    const old = this.previous.get(cluster)?.get(kind);
    const list = old?.get(entity);
    if (list === undefined) return undefined;
    old?.delete(entity);
    mapIn(mapIn(this.current, cluster), kind).set(entity, list);
    this.count += list.length / 2;
    return list;
  }

  private added(k: SeriesKey): MetricIds {
    const list: MetricIds = [];
    mapIn(mapIn(this.current, k.cluster), k.kind).set(k.entity, list);
    return list;
  }
}
