// SPDX-License-Identifier: Apache-2.0
// The SQLite implementation of the SampleStore port: series registry, in-memory heads, compressed raw chunks and
// rollup tiers, a sample log with checkpoint rounds, a write queue that survives full disks and read-only files,
// queries with tier selection, and the rotation job. docs/store.md explains the design.
import { existsSync, statSync } from 'node:fs';
import type {
  AppendResult,
  HistoryReport,
  RotateOptions,
  RotationReport,
  SampleStore,
  StoreStatus,
} from '../domain/ports.ts';
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
} from '../domain/series.ts';
import { cleanHistory, rawRows, rollupRows } from './build-rows.ts';
import { decodeChunk } from './chunk-codec.ts';
import type { ChunkRow } from './chunk-repo.ts';
import { SqliteFindingStore } from './finding-repo.ts';
import { HeadSet, type CutHead } from './head-set.ts';
import { SqliteHistoryStore } from './history-store.ts';
import { runColumnQuery, runQuery, type QuerySources } from './query.ts';
import { AcceptedSamples, SampleLog, type ReplayReport } from './sample-log.ts';
import { compactTier, expireTier, zeroByTier, type BatchBudget } from './rotation.ts';
import { StoreError, toStoreError } from './store-error.ts';
import { bulkRowReader } from './bulk-rows.ts';
import { ReadOffload, type ThreadView } from './read-offload.ts';
import { tierStorage, type TierStorage } from './storage-stats.ts';
import type { EntitySeriesIds } from '../domain/series-key-index.ts';
import { openParts, type Parts, type SqliteSampleStoreOptions } from './store-parts.ts';
import { yieldToEventLoop } from '../runtime/yield.ts';

export type { TierStorage } from './storage-stats.ts';
export type { SqliteSampleStoreOptions } from './store-parts.ts';

interface Counters {
  appended: number;
  absent: number;
  outOfOrder: number;
}

/** The sample log as seen in {@link SqliteSampleStore.logStatus}. */
export interface SampleLogStatus {
  /** What the replay at open found. */
  readonly replay: ReplayReport;
  /** Newest log row id handed out. */
  readonly lastId: number;
}

/** SampleStore on an embedded SQLite file (WAL). One instance per file and process. */
export class SqliteSampleStore implements SampleStore {
  private readonly heads: HeadSet;
  private readonly counters: Counters = { appended: 0, absent: 0, outOfOrder: 0 };
  private readonly sources: QuerySources;
  private readonly log: SampleLog;
  private readonly replayed: ReplayReport;
  /** This instance appended samples: it is the file's writer, so close() may checkpoint. */
  private appended = false;
  /** The checkpoint in progress, if any (flush runs them one after the other). */
  private flushing: Promise<void> = Promise.resolve();
  /** The read worker, once started (startReadWorker). */
  private offload: ReadOffload | undefined;
  /** What only this thread holds, for the read worker's queries. */
  private readonly threadView: ThreadView = {
    generation: () => this.p.queue.generation,
    queued: (tier, id) => this.p.queue.pendingFor(tier, id),
    head: (id) => this.heads.encoded(id),
  };
  /** The object and event history on the same connection and write queue (one database, one status). */
  readonly history: SqliteHistoryStore;
  /** Findings and recommendations of the analyses, on the same connection and write queue. */
  readonly findings: SqliteFindingStore;

  private constructor(private readonly p: Parts) {
    this.history = new SqliteHistoryStore({ db: p.db, queue: p.queue }, p.historyRetention);
    this.findings = new SqliteFindingStore({ db: p.db, queue: p.queue });
    this.heads = new HeadSet((id) => this.decimalsOf(id));
    this.log = new SampleLog({ repo: p.repo, queue: p.queue, heads: this.heads }, p.checkpointSlices);
    this.replayed = this.restoreHeads();
    this.sources = {
      tiers: p.tiers,
      rows: (tier, id, range) => this.rowsOf(tier, id, range),
      rowsMany: bulkRowReader({ db: p.db, tiers: p.tiers, pending: (tier, id) => p.queue.pendingFor(tier, id) }),
      head: (id) => this.heads.samples(id),
      earliest: (tier, id) => this.earliestOf(tier, id),
    };
  }

  /**
   * Opens (creating if needed) and migrates the database, checks its integrity and reloads flushed heads. Rejects
   * with StoreError `KRM_STORE_CORRUPT`, `KRM_STORE_OPEN_FAILED` or `KRM_STORE_MIGRATION_FAILED`; a file that
   * cannot be written opens read-only (see {@link status}).
   */
  static async open(opts: SqliteSampleStoreOptions): Promise<SqliteSampleStore> {
    return new SqliteSampleStore(openParts(opts));
  }

  async resolveSeries(keys: readonly SeriesKey[]): Promise<SeriesId[]> {
    try {
      return this.p.registry.resolve(keys, this.p.clock.now());
    } catch (e) {
      throw toStoreError(e, 'cannot register series') ?? e;
    }
  }

  seriesOfEntity(cluster: string, kind: EntityKind, entity: string): EntitySeriesIds | undefined {
    return this.p.registry.cachedOfEntity(cluster, kind, entity);
  }

  async findSeries(selector: SeriesSelector): Promise<SeriesInfo[]> {
    return this.p.registry.find(selector);
  }

  reserveHeads(count: number): void {
    this.heads.reserve(count);
  }

  /** Appends to the heads and commits the accepted samples to the sample log (with the chunks they cut). */
  async append(batch: SampleBatch): Promise<AppendResult> {
    const tally = { ok: 0, late: 0, unknown: 0 };
    const accepted = new AcceptedSamples(batch.values.length);
    let absent = 0;
    for (let i = 0; i < batch.values.length; i++) {
      const value = batch.values[i] as number;
      const tsMs = batch.timestampsMs[i] as number;
      const id = batch.seriesIds[i] as number;
      const outcome = Number.isFinite(value) && Number.isFinite(tsMs) ? this.heads.append(id, tsMs, value) : 'absent';
      if (outcome === 'absent') absent++;
      else tally[outcome]++;
      if (outcome === 'ok') accepted.push(id, tsMs, value);
    }
    this.counters.appended += tally.ok;
    this.counters.absent += absent;
    this.counters.outOfOrder += tally.late;
    this.log.record(accepted);
    this.appended ||= accepted.length > 0;
    this.enqueueCuts(this.heads.takeCuts());
    this.p.queue.commit();
    return { accepted: tally.ok, absent, outOfOrder: tally.late, unknownSeries: tally.unknown };
  }

  async writeHistory(batch: HistoryBatch): Promise<HistoryReport> {
    const rows: ChunkRow[] = [];
    let samples = 0;
    for (const h of batch.series) {
      const info = this.p.registry.info(h.seriesId);
      if (!info) throw new RangeError(`unknown series id ${h.seriesId}`);
      const decimals = this.p.policy(info.metric);
      const { columns } = cleanHistory(h, decimals);
      const input = { seriesId: h.seriesId, decimals, samples: columns };
      samples += columns.values.length;
      rows.push(...rawRows(input, batch.rawFromMs ?? -Infinity), ...rollupRows(input, this.p.tiers, false));
    }
    const result = this.p.queue.run(() => {
      for (const row of rows) this.p.repo.insert(row);
    }, 'history write');
    if (result instanceof StoreError) throw result;
    const rawChunks = rows.filter((r) => r.tier === 'raw').length;
    return { samples, rawChunks, rollupRows: rows.length - rawChunks };
  }

  async readMeta(key: string): Promise<string | undefined> {
    const value: unknown = this.p.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);
    return typeof value === 'string' ? value : undefined;
  }

  async writeMeta(key: string, value: string): Promise<void> {
    const result = this.p.queue.run(() => this.setMeta(key, value), 'meta update');
    if (result instanceof StoreError) throw result;
  }

  /**
   * Writes everything queued (the sample log makes every appended sample durable) and checkpoints one slice of the
   * dirty heads, or all of them with `full`; the log rows every slice has been checkpointed past are deleted.
   */
  async flush(opts: { readonly full?: boolean } = {}): Promise<void> {
    // In parts with the event loop's turns between them (a tenth of 865,000 heads is about 0.4 s of upserts), one
    // checkpoint after the other.
    const run = this.flushing.then(() => this.log.checkpointInParts(opts.full ?? false, yieldToEventLoop));
    this.flushing = run.then(
      () => undefined,
      () => undefined,
    );
    const err = await run;
    if (err) throw err;
    this.maintenance('wal_checkpoint(PASSIVE)');
  }

  async query(q: SeriesQuery): Promise<SeriesQueryResult> {
    return runQuery(this.sources, q, this.seriesOf(q));
  }

  /**
   * Answers column queries that name their tier in a worker thread from now on (read-offload.ts), so that the caller's
   * thread is free while they are read. For a file only; a store that cannot start the worker answers them itself.
   */
  startReadWorker(): void {
    if (this.offload !== undefined || this.p.path === ':memory:' || this.p.path === '') return;
    const { path, tiers, cacheSizeKiB } = this.p;
    this.offload = new ReadOffload({ path, tiers, ...(cacheSizeKiB === undefined ? {} : { cacheSizeKiB }) });
  }

  /** Stops the read worker: queries run in the calling thread again. */
  async stopReadWorker(): Promise<void> {
    const offload = this.offload;
    this.offload = undefined;
    await offload?.close();
  }

  /** The read worker: whether it runs, the queries it answered, and those asked again here after a write. */
  readWorkerStats(): { running: boolean; answered: number; retried: number } {
    return { running: this.offload?.available === true, answered: this.offload?.answered ?? 0, retried: this.offload?.retried ?? 0 };
  }

  async queryColumns(q: ColumnQuery): Promise<ColumnQueryResult> {
    const series = this.seriesOf(q);
    if (this.offload !== undefined) {
      const offloaded = await this.offload.answer(q, series, this.threadView);
      if (offloaded !== undefined) return offloaded;
    }
    return runColumnQuery(this.sources, q, series);
  }

  private seriesOf(q: SeriesQuery): SeriesInfo[] {
    return q.seriesIds
      ? q.seriesIds.map((id) => this.p.registry.info(id)).filter((s): s is SeriesInfo => s !== undefined)
      : this.p.registry.find(q.selector ?? {});
  }

  async newestSampleMs(selector: SeriesSelector): Promise<number | undefined> {
    const raw = this.p.tiers.find((t) => t.resolutionMs === 0)?.table ?? 'chunks_raw';
    const maxEnd = this.p.db.prepare(`SELECT MAX(end_ms) FROM ${raw} WHERE series_id = ?`).pluck();
    let newest: number | undefined;
    for (const { id } of this.p.registry.find(selector)) {
      const head = this.heads.samples(id)?.timestampsMs;
      const last = Math.max((maxEnd.get(id) as number | null) ?? -Infinity, head?.[head.length - 1] ?? -Infinity);
      if (last > (newest ?? -Infinity)) newest = last;
    }
    return newest;
  }

  async rotate(options: RotateOptions = {}): Promise<RotationReport> {
    const nowMs = this.p.clock.now();
    const budget: BatchBudget = { remaining: options.maxBatches ?? Infinity };
    const cut = this.heads.cutClosed(nowMs);
    this.enqueueCuts(cut);
    const deletedRows = zeroByTier();
    const report = { cutHeads: cut.length, compactedRows: 0, deletedRows, truncated: false };
    // Compaction writes, so it waits for a writable store; retention only frees space, so it always runs (it is
    // what makes a full database writable again).
    const ctx = { repo: this.p.repo, run: this.p.queue.run.bind(this.p.queue), budget };
    for (const tier of this.p.queue.commit(undefined, true) ? [] : this.p.tiers) {
      const merged = compactTier(ctx, tier, nowMs);
      if (merged instanceof StoreError) break;
      report.compactedRows += merged;
    }
    for (const tier of this.p.tiers) {
      const deleted = expireTier(ctx, tier, nowMs);
      if (deleted instanceof StoreError) return report;
      deletedRows[tier.name] = deleted;
    }
    const deletedHistory = await this.history.expireHistory(nowMs);
    if (Object.values(deletedRows).some((n) => n > 0) || Object.values(deletedHistory).some((n) => n > 0)) {
      this.maintenance('incremental_vacuum');
      this.maintenance('wal_checkpoint(TRUNCATE)');
    }
    this.p.queue.run(() => this.setMeta('last_rotation_ms', String(nowMs)), 'meta update');
    return { ...report, deletedHistory, truncated: budget.remaining <= 0 };
  }

  status(): StoreStatus {
    const { queue } = this.p;
    return {
      writable: queue.writable,
      lastError: queue.lastError,
      pendingChunks: queue.size,
      headSeries: this.heads.size,
      counters: { ...this.counters, droppedChunks: queue.droppedChunks },
    };
  }

  async sizeBytes(): Promise<number> {
    const size = (file: string): number => (existsSync(file) ? statSync(file).size : 0);
    return size(this.p.path) + size(`${this.p.path}-wal`);
  }

  /** Rows, payload and bytes on disk per tier (see storage-stats.ts: for diagnostics and benchmarks). */
  storageStats(): Record<TierName, TierStorage> {
    return tierStorage(this.p.db, this.p.tiers);
  }

  /** The sample log: replay at open and the newest row id. */
  logStatus(): SampleLogStatus {
    return { replay: this.replayed, lastId: this.log.lastId };
  }

  /**
   * Checkpoints every head (so that a clean shutdown leaves an empty log and a quick start), then closes. Only a
   * store that appended does so: one opened to read (a report on the file of a running service) must not replace
   * the writer's checkpoints and tombstones with its older view. A store that cannot write closes without it: the
   * log and the checkpoints already on disk stay consistent.
   */
  async close(): Promise<void> {
    // Every checkpoint under way, also one that joined the chain while an earlier one was awaited.
    for (let running = this.flushing; ; running = this.flushing) {
      await running;
      if (running === this.flushing) break;
    }
    await this.stopReadWorker();
    if (!this.p.db.open) return;
    if (this.appended && this.p.queue.writable) await this.log.checkpointInParts(true, () => Promise.resolve());
    this.p.db.close();
  }

  /** Reloads the checkpoints and replays the sample log over them; damaged log rows are counted and reported. */
  private restoreHeads(): ReplayReport {
    const rows = this.p.repo.loadHeads();
    // Restore and replay look up the precision of every series with a head: the registry reads exactly those in one
    // scan instead of a query per series (seconds at 675,000 series), and not the series long gone.
    this.p.registry.loadActive();
    this.heads.restore(rows);
    const cutUntil = new Map<number, number>();
    for (const row of rows) if (row.cutUntilMs != null) cutUntil.set(row.seriesId, row.cutUntilMs);
    const report = this.log.replay(cutUntil);
    this.enqueueCuts(this.heads.takeCuts());
    this.p.queue.commit();
    if (report.corruptRows > 0) {
      const message = `${report.corruptRows} of ${report.rows} sample log rows were damaged and skipped at open; their samples are lost`;
      this.p.queue.noteError(new StoreError('KRM_STORE_CORRUPT', message, { details: { corruptRows: report.corruptRows } }));
    }
    return report;
  }

  /** Storage precision of a series; undefined when the series does not exist. */
  private decimalsOf(id: SeriesId): number | null | undefined {
    const info = this.p.registry.info(id);
    return info ? this.p.policy(info.metric) : undefined;
  }

  private enqueueCuts(cuts: readonly CutHead[]): void {
    if (cuts.length === 0) return;
    const rows: ChunkRow[] = [];
    for (const head of cuts) {
      const { firstTs, lastTs, count, decimals, data } = head;
      rows.push({ tier: 'raw', seriesId: head.seriesId, startMs: firstTs, endMs: lastTs, count, partial: false, data });
      const samples = decodeChunk(data);
      rows.push(...rollupRows({ seriesId: head.seriesId, decimals, samples }, this.p.tiers, true));
    }
    // Every cut leaves a tombstone, checkpointed or not: log rows may hold its samples until the rounds delete them.
    this.p.queue.enqueue(rows, cuts.map((head) => this.log.tombstone(head)));
  }

  private rowsOf(tier: TierName, id: SeriesId, range: { fromMs: number; toMs: number }): Uint8Array[] {
    const stored = this.p.repo.range(tier, id, range).map((r) => r.data);
    for (const row of this.p.queue.pendingFor(tier, id)) {
      if (row.startMs < range.toMs && row.endMs >= range.fromMs) stored.push(row.data);
    }
    return stored;
  }

  private earliestOf(tier: TierName, id: SeriesId): number | undefined {
    const candidates = [this.p.repo.earliest(tier, id), this.heads.firstTs(id)];
    for (const row of this.p.queue.pendingFor(tier, id)) candidates.push(row.startMs);
    const known = candidates.filter((v): v is number => v !== undefined);
    return known.length > 0 ? Math.min(...known) : undefined;
  }

  private setMeta(key: string, value: string): void {
    this.p.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  /** Runs a maintenance pragma outside a transaction; a store condition is recorded in the status, not thrown. */
  private maintenance(pragma: string): void {
    try {
      this.p.db.pragma(pragma);
    } catch (e) {
      const err = toStoreError(e, pragma);
      if (!err) throw e;
      this.p.queue.markFailed(err);
    }
  }
}
