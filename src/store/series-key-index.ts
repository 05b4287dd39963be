// SPDX-License-Identifier: Apache-2.0
// Series ids by key, nested by cluster, kind, entity and metric. A first collection at the scale envelope resolves
// some 640,000 new keys: a joined key string per lookup cost a concatenation and a full hash of a fresh string each
// (a second of the cycle), while nested maps hash the collector's own strings, whose hashes V8 keeps on them.
import { mapIn } from '../domain/maps.ts';
import type { SeriesKey } from '../domain/series.ts';

type ByMetric = Map<string, number>;
type ByEntity = Map<string, ByMetric>;

export class SeriesKeyIndex {
  private readonly byCluster = new Map<string, Map<string, ByEntity>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(k: SeriesKey): number | undefined {
    return this.entity(k.cluster, k.kind, k.entity)?.get(k.metric);
  }

  /** The ids of one entity's series by metric (the index's own map: read it, do not keep it across writes). */
  entity(cluster: string, kind: string, entity: string): ReadonlyMap<string, number> | undefined {
    return this.byCluster.get(cluster)?.get(kind)?.get(entity);
  }

  set(k: SeriesKey, id: number): void {
    const metrics = this.metricsOf(k);
    if (!metrics.has(k.metric)) this.count++;
    metrics.set(k.metric, id);
  }

  delete(k: SeriesKey): void {
    const metrics = this.byCluster.get(k.cluster)?.get(k.kind)?.get(k.entity);
    if (metrics?.delete(k.metric)) this.count--;
  }

  clear(): void {
    this.byCluster.clear();
    this.count = 0;
  }

  private metricsOf(k: SeriesKey): ByMetric {
    return mapIn(mapIn(mapIn(this.byCluster, k.cluster), k.kind), k.entity);
  }
}

/** Orders keys as the series table's UNIQUE (cluster, kind, entity, metric) index does (for ASCII keys). */
export function compareKeys(a: SeriesKey, b: SeriesKey): number {
  if (a.cluster !== b.cluster) return a.cluster < b.cluster ? -1 : 1;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.entity !== b.entity) return a.entity < b.entity ? -1 : 1;
  if (a.metric !== b.metric) return a.metric < b.metric ? -1 : 1;
  return 0;
}
