// SPDX-License-Identifier: Apache-2.0
// Every write of the store goes through here: rows wait in a queue and are written in one transaction per commit
// (one per collection cycle, REQUIREMENTS §2.1). When the disk is full, the file is read-only or I/O fails, the rows
// stay queued (and visible to queries), the store reports itself not writable, and a later commit retries: at most
// every `retryDelayMs` for routine commits (so a full disk does not cost a failed transaction per collection cycle),
// at once for flush(). A bounded queue drops its oldest rows past `maxPending`, counted in `droppedChunks`.
import type { Clock, StoreStatus } from '../domain/ports.ts';
import type { TierName } from '../domain/series.ts';
import type { ChunkRepo, ChunkRow } from './chunk-repo.ts';
import type { Db } from './db.ts';
import { type StoreError, toStoreError } from './store-error.ts';

type LastError = NonNullable<StoreStatus['lastError']>;

/** Queue of rows not yet written, with the write health. */
export class WriteQueue {
  private pending: ChunkRow[] = [];
  private readonly headDeletes = new Set<number>();
  private readonly bySeries = new Map<number, ChunkRow[]>();
  writable: boolean;
  lastError: LastError | undefined;
  droppedChunks = 0;
  private lastFailure: StoreError | undefined;
  private nextRetryMs = 0;

  constructor(
    private readonly deps: { db: Db; repo: ChunkRepo; clock: Clock },
    private readonly opts: { maxPending: number; retryDelayMs: number; readOnlyCause?: StoreError },
  ) {
    this.writable = !opts.readOnlyCause;
    if (opts.readOnlyCause) this.markFailed(opts.readOnlyCause);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Queues rows and checkpoint deletions (heads that were cut). */
  enqueue(rows: readonly ChunkRow[], headDeletes: readonly number[] = []): void {
    for (const row of rows) {
      this.pending.push(row);
      let list = this.bySeries.get(row.seriesId);
      if (!list) {
        list = [];
        this.bySeries.set(row.seriesId, list);
      }
      list.push(row);
    }
    for (const id of headDeletes) this.headDeletes.add(id);
    this.trim();
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
    if (this.pending.length === 0 && this.headDeletes.size === 0 && !extra) return undefined;
    if (!this.writable && !force && this.deps.clock.now() < this.nextRetryMs) return this.lastFailure;
    const { db, repo } = this.deps;
    try {
      db.transaction(() => {
        for (const row of this.pending) repo.insert(row);
        for (const id of this.headDeletes) repo.deleteHead(id);
        extra?.(repo);
      })();
    } catch (e) {
      const err = toStoreError(e, 'write failed');
      if (!err) throw e;
      this.markFailed(err);
      return err;
    }
    this.pending = [];
    this.bySeries.clear();
    this.headDeletes.clear();
    this.writable = true;
    return undefined;
  }

  /** Runs another write transaction (rotation, history) with the same error accounting. */
  run<T>(work: () => T, what: string): T | StoreError {
    try {
      const result = this.deps.db.transaction(work)();
      // A small write (history, metadata) succeeding says little while sample chunks still wait: the store is
      // writable again only once those are written too (the next commit), so /health does not flip back early.
      if (this.pending.length === 0 && this.headDeletes.size === 0) this.writable = true;
      return result;
    } catch (e) {
      const err = toStoreError(e, what);
      if (!err) throw e;
      this.markFailed(err);
      return err;
    }
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
