// SPDX-License-Identifier: Apache-2.0
// Series ids by key, nested by cluster, kind, entity and metric. A first collection at the scale envelope resolves
// some 640,000 new keys: a joined key string per lookup cost a concatenation and a full hash of a fresh string each
// (a second of the cycle), while nested maps hash the collector's own strings, whose hashes V8 keeps on them.
import { mapIn } from './maps.ts';
import type { SeriesKey } from './series.ts';

type ByMetric = Map<string, number>;
type ByEntity = Map<string, ByMetric>;
type ByCluster = Map<string, Map<string, ByEntity>>;

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
    return this.entity(k.cluster, k.kind, k.entity)?.get(k.metric);
  }

  /** The ids of one entity's series by metric (the index's own map: read it, do not keep it across writes). */
  entity(cluster: string, kind: string, entity: string): ReadonlyMap<string, number> | undefined {
    return this.current.get(cluster)?.get(kind)?.get(entity) ?? this.promote(cluster, kind, entity);
  }

  set(k: SeriesKey, id: number): void {
    const metrics = (this.entity(k.cluster, k.kind, k.entity) as ByMetric | undefined) ?? this.added(k);
    if (!metrics.has(k.metric)) this.count++;
    metrics.set(k.metric, id);
  }

  delete(k: SeriesKey): void {
    for (const gen of [this.current, this.previous]) {
      const metrics = gen.get(k.cluster)?.get(k.kind)?.get(k.entity);
      if (metrics?.delete(k.metric) && gen === this.current) this.count--;
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

  /** Moves an entity of the older generation to the current one. */
  private promote(cluster: string, kind: string, entity: string): ByMetric | undefined {
    const old = this.previous.get(cluster)?.get(kind);
    const metrics = old?.get(entity);
    if (metrics === undefined) return undefined;
    old?.delete(entity);
    mapIn(mapIn(this.current, cluster), kind).set(entity, metrics);
    this.count += metrics.size;
    return metrics;
  }

  private added(k: SeriesKey): ByMetric {
    return mapIn(mapIn(mapIn(this.current, k.cluster), k.kind), k.entity);
  }
}
