// SPDX-License-Identifier: Apache-2.0
// Stored usage series: identity, samples and the query shapes shared by the store adapters, the analyses and the API.
// Pure types only. Timestamps are Unix epoch milliseconds (UTC) everywhere in this file.

/** Every {@link EntityKind}, for validating input. */
export const ENTITY_KINDS = ['container', 'pod', 'node', 'pvc', 'namespace', 'workload', 'cluster'] as const;

/** What a series describes. */
export type EntityKind = (typeof ENTITY_KINDS)[number];

/**
 * Identity of one stored series. The store maps each distinct key to a small integer {@link SeriesId}.
 * Invariant: `entity` is `namespace/pod/container` for containers, `namespace/pod` for pods, `namespace/name` for
 * PVCs, `namespace/Kind/name` for workloads (the top owner, e.g. `shop/Deployment/checkout`, so that a workload's
 * history outlives its pods' names), the node name for nodes, the namespace name for namespaces and the cluster name
 * for the cluster.
 */
export interface SeriesKey {
  /** Cluster name; `default` in a single-cluster installation. */
  readonly cluster: string;
  readonly kind: EntityKind;
  readonly entity: string;
  /** Metric name ending in its unit, see {@link METRIC}. */
  readonly metric: string;
}

/**
 * An entity name from its parts, `a/b/c`, as one flat string. A template literal makes a tree of concatenation
 * nodes (32 bytes each) that V8 keeps as it is; the collector and the store hold close to a million such names as
 * map keys at the scale envelope, and `join` gives each one string object instead of three or four.
 */
export function entityKey(...parts: readonly string[]): string {
  return parts.join('/');
}

/** Store-assigned integer id of a series (stable for the life of the database). */
export type SeriesId = number;

/** A series key with its id. */
export interface SeriesInfo extends SeriesKey {
  readonly id: SeriesId;
}

/** Metric names of the usage series, after REQUIREMENTS §2.2; the suffix is the unit. */
export const METRIC = {
  /** CPU usage rate in millicores. */
  cpuMillicores: 'cpu_m',
  /** Memory working set in bytes. */
  memoryWorkingSetBytes: 'mem_ws_b',
  /** Memory RSS in bytes. */
  memoryRssBytes: 'mem_rss_b',
  /** Share of CFS periods throttled, 0–1. */
  throttleRatio: 'throttle_ratio',
  /** Container restart count. */
  restarts: 'restarts',
  /** Network receive rate in bytes per second. */
  networkRxBytesPerSec: 'net_rx_bps',
  /** Network transmit rate in bytes per second. */
  networkTxBytesPerSec: 'net_tx_bps',
  /** Volume or filesystem bytes used. */
  usedBytes: 'used_b',
  /** Volume or filesystem capacity in bytes. */
  capacityBytes: 'capacity_b',
  /** Inodes used. */
  inodesUsed: 'inodes_used',
  /** Pods with usage in the collection cycle (workload, namespace and cluster series). */
  pods: 'pods',
} as const;

/** Unit of each metric, for API answers. */
export const METRIC_UNITS: Readonly<Record<string, string>> = {
  [METRIC.cpuMillicores]: 'millicores',
  [METRIC.memoryWorkingSetBytes]: 'bytes',
  [METRIC.memoryRssBytes]: 'bytes',
  [METRIC.throttleRatio]: 'ratio',
  [METRIC.restarts]: 'count',
  [METRIC.networkRxBytesPerSec]: 'bytes/s',
  [METRIC.networkTxBytesPerSec]: 'bytes/s',
  [METRIC.usedBytes]: 'bytes',
  [METRIC.capacityBytes]: 'bytes',
  [METRIC.inodesUsed]: 'count',
  [METRIC.pods]: 'count',
};

/** One observation. A missing observation is absent, never a 0 (REQUIREMENTS §1.6). */
export interface Sample {
  readonly tsMs: number;
  readonly value: number;
}

/** One series as columns: ascending timestamps (ms) and the value at each, of the same length. */
export interface SeriesColumn {
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
}

/** Samples as a column (tests and callers that hold samples, for analyses that take columns). */
export function sampleColumn(samples: readonly Sample[]): SeriesColumn {
  return { timestampsMs: Float64Array.from(samples, (s) => s.tsMs), values: Float64Array.from(samples, (s) => s.value) };
}

/** A column as samples, for the analyses that take objects (short series, or judged rarely). */
export function columnSamples(c: { readonly timestampsMs: ArrayLike<number>; readonly values: ArrayLike<number> }): Sample[] {
  const out = new Array<Sample>(c.values.length);
  for (let i = 0; i < out.length; i++) out[i] = { tsMs: c.timestampsMs[i] as number, value: c.values[i] as number };
  return out;
}

/**
 * A columnar batch of samples, typically one collection cycle. The three arrays have the same length; entry i is
 * one sample of series `seriesIds[i]`. A non-finite value (NaN, ±Infinity) means "absent" and is not stored.
 */
export interface SampleBatch {
  readonly seriesIds: ArrayLike<SeriesId>;
  readonly timestampsMs: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/** History of one series written in bulk: ascending timestamps (ms) and values of the same length. */
export interface HistorySeries {
  readonly seriesId: SeriesId;
  readonly timestampsMs: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/** A bulk history write. Raw chunks are kept only for samples at or after `rawFromMs` (default: all). */
export interface HistoryBatch {
  readonly series: readonly HistorySeries[];
  readonly rawFromMs?: number;
}

/** Storage tiers, finest first: raw samples, then 5-minute, 1-hour and 1-day rollups. */
export type TierName = 'raw' | '5m' | '1h' | '1d';

/** Which series a query reads: all fields are ANDed; absent fields match everything. */
export interface SeriesSelector {
  readonly cluster?: string;
  readonly kind?: EntityKind;
  /** Exact entity key. */
  readonly entity?: string;
  /** Entity key prefix, e.g. `shop/checkout-` for the pods of one workload. */
  readonly entityPrefix?: string;
  readonly metrics?: readonly string[];
}

/** A range query with server-side downsampling. The range is `[fromMs, toMs)`. */
export interface SeriesQuery {
  readonly seriesIds?: readonly SeriesId[];
  readonly selector?: SeriesSelector;
  readonly fromMs: number;
  readonly toMs: number;
  /** Width of one output point in ms; default: the range divided into about 300 points. */
  readonly stepMs?: number;
  /** Quantiles to compute per point, each in [0, 1], e.g. `[0.5, 0.95, 0.99]`. */
  readonly quantiles?: readonly number[];
  /** Force a tier instead of the automatic choice. */
  readonly tier?: TierName;
}

/** One output point: the samples of `[tsMs, tsMs + stepMs)`. Points without samples are omitted. */
export interface SeriesPoint {
  readonly tsMs: number;
  /** Number of samples aggregated into this point. */
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Values of the requested quantiles, in the order asked. */
  readonly quantiles?: readonly number[];
}

/** The points of one series. */
export interface QueriedSeries {
  readonly series: SeriesInfo;
  readonly points: readonly SeriesPoint[];
}

/** Result of {@link SeriesQuery}. */
export interface SeriesQueryResult {
  /** Tier the points were read from (the in-memory head is always merged in). */
  readonly tier: TierName;
  /** Effective step in ms: the requested step rounded up to a multiple of the tier's resolution. */
  readonly stepMs: number;
  /** True when quantiles come from sketches (relative error bound `quantileRelativeError`), false when exact. */
  readonly approximateQuantiles: boolean;
  /** Relative error bound of approximate quantiles (e.g. 0.01 for 1 %). */
  readonly quantileRelativeError: number;
  readonly series: readonly QueriedSeries[];
}

/** A per-step aggregate a columnar query can return (see {@link ColumnQuery}). */
export type ColumnField = 'count' | 'min' | 'max' | 'mean';

/**
 * A range query answered in columns: the same steps as {@link SeriesQuery}, each asked aggregate one `Float64Array`
 * per series instead of an object per point, for readers of many series (the analysis pass) that only want a value
 * or two per step.
 */
export interface ColumnQuery extends SeriesQuery {
  /** Aggregates to fill; quantiles come with {@link SeriesQuery.quantiles}. */
  readonly fields: readonly ColumnField[];
}

/** The steps of one series that have samples, in time order: entry i of every column is step i. */
export interface SeriesColumns {
  readonly series: SeriesInfo;
  readonly timestampsMs: Float64Array;
  /** The asked fields; a field not asked is absent. */
  readonly fields: Readonly<Partial<Record<ColumnField, Float64Array>>>;
  /** One column per requested quantile, in the order asked. */
  readonly quantiles: readonly Float64Array[];
}

/** Result of {@link ColumnQuery}: as {@link SeriesQueryResult}, with columns for points. */
export interface ColumnQueryResult extends Omit<SeriesQueryResult, 'series'> {
  readonly series: readonly SeriesColumns[];
}
