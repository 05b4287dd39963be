// SPDX-License-Identifier: Apache-2.0
// Ports: the interfaces the core depends on and the adapters implement. Every method that may do I/O returns a
// Promise, so that a server database can implement the same port as the embedded SQLite store.
import type { AnalysisName, Finding, FindingEntityKind, RightsizingRecommendation } from '../analysis/findings.ts';
import type { StrategyName } from '../analysis/rightsizing/types.ts';
import type { Severity } from '../analysis/severity.ts';
import type { EntitySeriesIds } from './series-key-index.ts';
import type {
  ColumnQuery,
  ColumnQueryResult,
  EntityKind,
  HistoryBatch,
  SampleBatch,
  SeriesId,
  SeriesInfo,
  SeriesKey,
  SeriesQuery,
  SeriesQueryResult,
  SeriesSelector,
  TierName,
} from './series.ts';
import type {
  HistoryEntry,
  HistoryEventQuery,
  HistoryExpireReport,
  HistoryPage,
  HistoryRecordBatch,
  HistoryWriteReport,
  PodCursor,
  PodHistoryFilter,
  StoredNode,
  StoredPod,
} from './history.ts';

/** Injected wall clock. */
export interface Clock {
  /** Current time in Unix epoch milliseconds. */
  now(): number;
}

/** Codes of store conditions (mirrors the `KRM_STORE_*` error codes). */
export type StoreErrorCode =
  | 'KRM_STORE_CORRUPT'
  | 'KRM_STORE_READONLY'
  | 'KRM_STORE_FULL'
  | 'KRM_STORE_IO'
  | 'KRM_STORE_OPEN_FAILED'
  | 'KRM_STORE_MIGRATION_FAILED';

/** Health of a sample store. Reads keep working when `writable` is false. */
export interface StoreStatus {
  /** False while writes fail (read-only file, full disk, I/O error); true again after a successful write. */
  readonly writable: boolean;
  /** The latest write failure, kept after recovery for diagnostics. `atMs` is epoch ms. */
  readonly lastError?: { readonly code: StoreErrorCode; readonly message: string; readonly atMs: number };
  /** Encoded chunks waiting in memory for a successful write. */
  readonly pendingChunks: number;
  /** Series with samples buffered in memory (not yet in a chunk row). */
  readonly headSeries: number;
  /** Totals since open. */
  readonly counters: StoreCounters;
}

/** Monotonic counters since the store was opened. */
export interface StoreCounters {
  /** Samples accepted into the head. */
  readonly appended: number;
  /** Non-finite values, not stored (absent samples). */
  readonly absent: number;
  /** Samples at or before the series' last timestamp, dropped. */
  readonly outOfOrder: number;
  /** Chunks dropped because the pending queue was full while the store was not writable. */
  readonly droppedChunks: number;
}

/** Outcome of one {@link SampleStore.append}. */
export interface AppendResult {
  readonly accepted: number;
  readonly absent: number;
  readonly outOfOrder: number;
  /** Samples of series ids the store does not know, dropped. */
  readonly unknownSeries: number;
}

/** Outcome of one {@link SampleStore.writeHistory}. */
export interface HistoryReport {
  readonly samples: number;
  readonly rawChunks: number;
  readonly rollupRows: number;
}

/** Options of one rotation run. */
export interface RotateOptions {
  /** Upper bound on delete/compaction batches in this run (default: no bound). */
  readonly maxBatches?: number;
}

/** Outcome of one rotation run (REQUIREMENTS §2.4). */
export interface RotationReport {
  /** Head chunks cut because their window closed. */
  readonly cutHeads: number;
  /** Rollup rows merged into compacted rows. */
  readonly compactedRows: number;
  /** Rows deleted by retention, per tier. */
  readonly deletedRows: Readonly<Record<TierName, number>>;
  /** True when the batch bound stopped the run before all work was done. */
  readonly truncated: boolean;
  /** Rows deleted by the object and event history's retention. */
  readonly deletedHistory?: HistoryExpireReport;
}

/**
 * Read access to usage history: what analyses need. The SQLite store implements it, and so can a reader that asks
 * Prometheus directly (the one-shot `krm report`).
 */
export type SeriesReader = Pick<SampleStore, 'findSeries' | 'query' | 'queryColumns'>;

/** History of usage samples: raw chunks plus rollup tiers. */
export interface SampleStore {
  /** Ids of the given keys, creating series that do not exist yet. Same order as `keys`. */
  resolveSeries(keys: readonly SeriesKey[]): Promise<SeriesId[]>;
  /** Series matching a selector. */
  findSeries(selector: SeriesSelector): Promise<SeriesInfo[]>;
  /**
   * The ids of one entity's series as far as the store knows them without I/O (a local store's in-memory index, read
   * with `idIn`), or undefined. Optional: a caller that resolves the same keys every cycle (the collector) uses it instead
   * of a cache of its own, so that a local store's identities are held once; a remote store leaves it out.
   */
  seriesOfEntity?(cluster: string, kind: EntityKind, entity: string): EntitySeriesIds | undefined;
  /**
   * Makes room for the open chunks of `count` series that are about to get their first samples (the series warm-up
   * registered them). Optional: a store whose heads grow cheaply leaves it out.
   */
  reserveHeads?(count: number): void;
  /** Buffers a batch of samples in the heads; durable once it returns (the SQLite store's sample log) or after {@link flush}. */
  append(batch: SampleBatch): Promise<AppendResult>;
  /** Writes history straight into chunks and rollups (demo start-up, backfill). Must not overlap stored data. */
  writeHistory(batch: HistoryBatch): Promise<HistoryReport>;
  /** A value of the store's small key/value table (markers such as the backfill's progress); undefined if unset. */
  readMeta(key: string): Promise<string | undefined>;
  /** Sets a value of the key/value table durably; rejects with a `KRM_STORE_*` error when it cannot. */
  writeMeta(key: string, value: string): Promise<void>;
  /** Makes every appended sample durable; rejects with a `KRM_STORE_*` error when it cannot. */
  flush(): Promise<void>;
  /** Range query with tier selection and downsampling. */
  query(query: SeriesQuery): Promise<SeriesQueryResult>;
  /** The same range query answered in columns (no object per point): the analysis pass's bulk reads. */
  queryColumns(query: ColumnQuery): Promise<ColumnQueryResult>;
  /**
   * Timestamp (epoch ms) of the newest sample of the matching series held in raw chunks or heads; undefined when
   * they hold none. A restarted demo continues its scenario clock from here.
   */
  newestSampleMs(selector: SeriesSelector): Promise<number | undefined>;
  /** Cuts closed heads, compacts rollups and deletes expired chunks in bounded batches. */
  rotate(options?: RotateOptions): Promise<RotationReport>;
  /** Current health, without I/O. */
  status(): StoreStatus;
  /** Size of the database on disk in bytes, write-ahead log included. */
  sizeBytes(): Promise<number>;
  /** Releases the store. Does not flush: call {@link flush} first to keep buffered samples. */
  close(): Promise<void>;
}

/**
 * Object and event history (issue 4): deduplicated Kubernetes Events, pod lifecycle entries and pods and nodes
 * kept past their deletion. Writes report store conditions as `KRM_STORE_*` rejections and in the sample store's
 * status (one database, one health); a rejected batch is retried whole by the caller.
 */
export interface HistoryStore {
  /** Writes one recorder pass in one transaction. Idempotent: a batch written twice changes nothing the second time. */
  record(batch: HistoryRecordBatch): Promise<HistoryWriteReport>;
  /**
   * Marks stored pods or nodes that are not in `liveUids` as deleted, at the last observation before this one (they
   * went while the monitor was not watching), or at `nowMs` when that is earlier (a clock that resumed before the last
   * observation, as the demo's scenario clock can: nothing is marked gone in the future), and never before a row was
   * first seen. Returns the rows marked.
   */
  reconcile(opts: { cluster: string; kind: 'pod' | 'node'; liveUids: ReadonlySet<string>; nowMs?: number }): Promise<number>;
  /** Events and lifecycle entries, newest first, keyset-paginated. */
  queryEvents(query: HistoryEventQuery): Promise<HistoryPage<HistoryEntry>>;
  /** Pods, newest first, keyset-paginated. */
  queryPods(query: PodHistoryFilter): Promise<HistoryPage<StoredPod, PodCursor>>;
  /** Nodes of a cluster, deleted ones included. */
  listNodes(cluster: string): Promise<StoredNode[]>;
  /** Deletes events and lifecycle entries, and pods and nodes deleted, before the retention. */
  expireHistory(nowMs: number): Promise<HistoryExpireReport>;
}

/** A finding as stored: its fingerprint, when it was first and last seen, and whether it is still open. */
export interface StoredFinding extends Finding {
  readonly id: number;
  readonly fingerprint: string;
  readonly state: 'open' | 'resolved';
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  readonly resolvedAtMs?: number;
}

/** Keyset position in a findings listing (`rank` only in the most-severe-first order). */
export interface FindingCursor {
  readonly rank?: number;
  readonly atMs: number;
  readonly id: number;
}

/** Filters of {@link FindingStore.listFindings}; every filter is optional. */
export interface FindingQuery {
  readonly cluster?: string;
  readonly namespace?: string;
  readonly analysis?: AnalysisName;
  /** Findings at this severity or above. */
  readonly minSeverity?: Severity;
  readonly entityKind?: FindingEntityKind;
  readonly state?: 'open' | 'resolved';
  /** `newest` (last seen first, default) or `severity` (most severe first, then newest). */
  readonly order?: 'newest' | 'severity';
  readonly limit: number;
  readonly after?: FindingCursor;
}

export interface RecommendationCursor {
  readonly key: string;
}

export interface RecommendationQuery {
  readonly cluster?: string;
  readonly namespace?: string;
  /** Workload name (any kind). */
  readonly workload?: string;
  readonly strategy?: StrategyName;
  readonly limit: number;
  readonly after?: RecommendationCursor;
}

/** What one {@link FindingStore.saveRun} changed. */
export interface FindingRunReport {
  readonly opened: number;
  readonly continued: number;
  readonly resolved: number;
}

/**
 * Findings across analysis runs (REQUIREMENTS §3.0): a finding is identified by its fingerprint; one absent from two
 * consecutive runs of its analysis is resolved. Rightsizing recommendations are kept as the latest set per cluster.
 */
export interface FindingStore {
  /** Records one run of `analysis` on `cluster`: opens new findings, refreshes continuing ones, resolves stale ones. */
  saveRun(run: { readonly cluster: string; readonly analysis: AnalysisName }, findings: readonly Finding[], nowMs: number): Promise<FindingRunReport>;
  /** Replaces the cluster's recommendations by those of the latest rightsizing run. */
  saveRecommendations(cluster: string, recommendations: readonly RightsizingRecommendation[]): Promise<void>;
  listFindings(query: FindingQuery): Promise<HistoryPage<StoredFinding, FindingCursor>>;
  listRecommendations(query: RecommendationQuery): Promise<HistoryPage<RightsizingRecommendation, RecommendationCursor>>;
}
