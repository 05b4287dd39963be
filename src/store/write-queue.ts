// SPDX-License-Identifier: Apache-2.0
// Every write of the store goes through here: rows wait in a queue and are written in one transaction per commit
// (one per collection cycle, REQUIREMENTS §2.1). When the disk is full, the file is read-only or I/O fails, the rows
// stay queued (and visible to queries), the store reports itself not writable, and a later commit retries: at most
// every `retryDelayMs` for routine commits (so a full disk does not cost a failed transaction per collection cycle),
// at once for flush(). A bounded queue drops its oldest rows past `maxPending`, counted in `droppedChunks`.
// Sample log rows wait here too, ahead of the chunk rows of the same commit; past `maxPendingLogBytes` the oldest
// are dropped and `logOverflowed` asks the next flush for a full checkpoint, which makes the dropped rows unnecessary.
import type { Clock, StoreStatus } from '../domain/ports.ts';
import type { TierName } from '../domain/series.ts';
import type { ChunkRepo, ChunkRow, LogRow, Tombstone } from './chunk-repo.ts';
import type { Db } from './db.ts';
import { type StoreError, toStoreError } from './store-error.ts';

type LastError = NonNullable<StoreStatus['lastError']>;

/** Queue of rows not yet written, with the write health. */
export class WriteQueue {
  private pending: ChunkRow[] = [];
  private readonly tombstones = new Map<number, Tombstone>();
  private log: LogRow[] = [];
  private logBytes = 0;
  /** Log rows were dropped while writes failed: only a full checkpoint restores durability. */
  logOverflowed = false;
  private readonly bySeries = new Map<number, ChunkRow[]>();
  writable: boolean;
  lastError: LastError | undefined;
  droppedChunks = 0;
  private lastFailure: StoreError | undefined;
  /**
   * Transactions written so far. A reader on another connection (the read worker, read-offload.ts) that read the
   * file while this did not change saw the rows as they were when it was asked, the queued ones excepted.
   */
  generation = 0;
  private nextRetryMs = 0;

  constructor(
    private readonly deps: { db: Db; repo: ChunkRepo; clock: Clock },
    private readonly opts: { maxPending: number; maxPendingLogBytes: number; retryDelayMs: number; readOnlyCause?: StoreError },
  ) {
    this.writable = !opts.readOnlyCause;
    if (opts.readOnlyCause) this.markFailed(opts.readOnlyCause);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Queues rows and the tombstones of the heads they were cut from. */
  enqueue(rows: readonly ChunkRow[], tombstones: readonly Tombstone[] = []): void {
    for (const row of rows) {
      this.pending.push(row);
      let list = this.bySeries.get(row.seriesId);
      if (!list) {
        list = [];
        this.bySeries.set(row.seriesId, list);
      }
      list.push(row);
    }
    for (const t of tombstones) this.tombstones.set(t.seriesId, t);
    this.trim();
  }

  /** Queues a sample log row. */
  enqueueLog(row: LogRow): void {
    this.log.push(row);
    this.logBytes += row.data.length;
    while (this.logBytes > this.opts.maxPendingLogBytes) {
      this.logBytes -= this.log.shift()?.data.length ?? this.logBytes;
      this.logOverflowed = true;
    }
  }

  private get idle(): boolean {
    return this.pending.length === 0 && this.tombstones.size === 0 && this.log.length === 0;
  }

  /** Queued rows of one series and tier. */
  pendingFor(tier: TierName, seriesId: number): ChunkRow[] {
    return (this.bySeries.get(seriesId) ?? []).filter((r) => r.tier === tier);
  }

  /**
   * Writes the queue, then `extra`, in one transaction. Returns undefined on success, or the StoreError of a
   * store condition (queue kept). Any other error (a bug) is rethrown. While not writable, a commit within
   * `retryDelayMs` of the last failure returns that failure without trying, unless `force`.
   */
  commit(extra?: (repo: ChunkRepo) => void, force = false): StoreError | undefined {
    if (this.idle && !extra) return undefined;
    if (!this.writable && !force && this.deps.clock.now() < this.nextRetryMs) return this.lastFailure;
    const { db, repo } = this.deps;
    try {
      db.transaction(() => {
        for (const row of this.log) repo.insertLog(row);
        for (const row of this.pending) repo.insert(row);
        for (const t of this.tombstones.values()) repo.saveTombstone(t);
        extra?.(repo);
      })();
    } catch (e) {
      const err = toStoreError(e, 'write failed');
      if (!err) throw e;
      this.markFailed(err);
      return err;
    }
    this.generation++;
    this.pending = [];
    this.bySeries.clear();
    this.tombstones.clear();
    this.log = [];
    this.logBytes = 0;
    this.writable = true;
    return undefined;
  }

  /** Runs another write transaction (rotation, history) with the same error accounting. */
  run<T>(work: () => T, what: string): T | StoreError {
    try {
      const result = this.deps.db.transaction(work)();
      this.generation++;
      // A small write (history, metadata) succeeding says little while sample chunks still wait: the store is
      // writable again only once those are written too (the next commit), so /health does not flip back early.
      if (this.idle) this.writable = true;
      return result;
    } catch (e) {
      const err = toStoreError(e, what);
      if (!err) throw e;
      this.markFailed(err);
      return err;
    }
  }

  /** Records a condition found without a failed write (a damaged log row skipped at open): writability unchanged. */
  noteError(err: StoreError): void {
    this.lastError = { code: err.code, message: err.message, atMs: this.deps.clock.now() };
  }

  /** Records a failed write: not writable until the next successful one. */
  markFailed(err: StoreError): void {
    const now = this.deps.clock.now();
    this.writable = false;
    this.lastFailure = err;
    this.nextRetryMs = now + this.opts.retryDelayMs;
    this.lastError = { code: err.code, message: err.message, atMs: now };
  }

  private trim(): void {
    const excess = this.pending.length - this.opts.maxPending;
    if (excess <= 0) return;
    for (const row of this.pending.slice(0, excess)) this.bySeries.get(row.seriesId)?.shift();
    this.pending = this.pending.slice(excess);
    this.droppedChunks += excess;
  }
}
