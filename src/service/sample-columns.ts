// SPDX-License-Identifier: Apache-2.0
// The samples of one collection cycle in columns, and the cache that turns their keys into series ids. A cycle at
// the scale envelope holds about 700,000 samples: an object per sample (and a spread per metric) made the garbage
// collector the largest cost of the cycle, so each sample is one entry in five parallel arrays instead.
import type { EntityKind, SeriesKey } from '../domain/series.ts';
import { idIn, SeriesKeyIndex, type EntitySeriesIds } from '../domain/series-key-index.ts';
import type { SampleStore } from '../domain/ports.ts';

export class SampleColumns {
  readonly kinds: EntityKind[] = [];
  readonly entities: string[] = [];
  readonly metrics: string[] = [];
  readonly timestampsMs: number[] = [];
  readonly values: number[] = [];

  get length(): number {
    return this.values.length;
  }

  /** Adds one sample; an absent or non-finite value (unknown to the source) is not stored at all (§1.6). */
  add(key: { readonly kind: EntityKind; readonly entity: string; readonly tsMs: number }, metric: string, value: number | undefined): void {
    if (value === undefined || !Number.isFinite(value)) return;
    this.kinds.push(key.kind);
    this.entities.push(key.entity);
    this.metrics.push(metric);
    this.timestampsMs.push(key.tsMs);
    this.values.push(value);
  }
}

/** A series key without its cluster (the cache's). */
export interface EntityMetric {
  readonly kind: EntityKind;
  readonly entity: string;
  readonly metric: string;
}

/** Result of {@link SeriesIdCache.lookup}: ids by sample (holes at `missing`), and the samples not known yet. */
export interface SeriesLookup {
  readonly ids: number[];
  readonly missing: readonly number[];
}

/** Cycles per generation of the series-id cache: entities unseen for one to two generations are forgotten. */
export const CACHE_GENERATION_CYCLES = 60;

/**
 * Resolves series ids through a cache, asking the store only for keys not seen before. The cache is nested by kind,
 * entity and metric so that a cycle's hundreds of thousands of lookups hash strings that already exist (one entity
 * string per container) instead of building a key string per sample. It keeps two generations (SeriesKeyIndex),
 * rotated every {@link CACHE_GENERATION_CYCLES} cycles, so the pods that churn replaces (20 a second at the scale
 * envelope) do not stay in memory for the process' life.
 * A store that answers {@link SampleStore.seriesOfEntity} (the SQLite store's own index) is asked instead and this
 * cache stays empty: at the scale envelope it would hold the same 865,000 identities a second time (about 100 MB).
 */
export class SeriesIdCache {
  private readonly cache = new SeriesKeyIndex();
  private cycles = 0;
  /** The ids of one entity's series: the store's own index when it has one, else this cache (chosen once). */
  private readonly entityOf: (kind: EntityKind, entity: string) => EntitySeriesIds | undefined;
  private readonly ownCache: boolean;

  constructor(private readonly deps: { readonly store: SampleStore; readonly cluster: string }) {
    const { store, cluster } = deps;
    // A store that knows its series in memory answers for itself: the same identities are not held twice.
    const local = store.seriesOfEntity?.bind(store);
    this.ownCache = local === undefined;
    this.entityOf = local ? (kind, entity) => local(cluster, kind, entity) : (kind, entity) => this.cache.entity(cluster, kind, entity);
  }

  /** The series id of every sample of the cycle, creating the series that are new. */
  async resolve(cols: SampleColumns): Promise<number[]> {
    if (++this.cycles % CACHE_GENERATION_CYCLES === 0) this.cache.rotate();
    return this.resolvePart(cols);
  }

  /** The series ids of some of a cycle's samples, resolved before the cycle's own {@link resolve}. */
  async resolvePart(cols: SampleColumns): Promise<number[]> {
    return this.complete(cols, this.lookup(cols));
  }

  /** The ids of the samples whose series are known, without asking the store; `missing` lists the other samples. */
  lookup(cols: SampleColumns): SeriesLookup {
    const ids = new Array<number>(cols.length);
    // Samples whose series is not cached; the store resolves repeats of a key to one series.
    const missing: number[] = [];
    for (let i = 0; i < cols.length; i++) {
      const id = idIn(this.entityOf(cols.kinds[i] as EntityKind, cols.entities[i] as string), cols.metrics[i] as string);
      if (id === undefined) missing.push(i);
      else ids[i] = id;
    }
    return { ids, missing };
  }

  /** The ids of every sample of a {@link lookup}: the store resolves (and creates) the missing series in one call. */
  async complete(cols: SampleColumns, found: SeriesLookup): Promise<number[]> {
    const { ids: out, missing } = found;
    if (missing.length === 0) return out;
    const keys = missing.map((i) => ({ cluster: this.deps.cluster, kind: cols.kinds[i] as EntityKind, entity: cols.entities[i] as string, metric: cols.metrics[i] as string }));
    const resolved = await this.deps.store.resolveSeries(keys);
    missing.forEach((i, j) => {
      const id = resolved[j] as number;
      this.remember(keys[j] as SeriesKey, id);
      out[i] = id;
    });
    return out;
  }

  /** Makes sure the keys' series exist (before any sample of theirs); returns how many were not known. */
  async ensure(keys: readonly EntityMetric[]): Promise<number> {
    const missing: SeriesKey[] = [];
    for (const k of keys) {
      if (idIn(this.entityOf(k.kind, k.entity), k.metric) === undefined) missing.push({ cluster: this.deps.cluster, ...k });
    }
    if (missing.length === 0) return 0;
    const resolved = await this.deps.store.resolveSeries(missing);
    missing.forEach((k, j) => this.remember(k, resolved[j] as number));
    return missing.length;
  }

  private remember(k: SeriesKey, id: number): void {
    if (this.ownCache) this.cache.set(k, id);
  }
}
