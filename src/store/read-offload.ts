// SPDX-License-Identifier: Apache-2.0
// Column queries answered by a worker thread with its own read-only connection, so that an analysis pass reads and
// decodes the history of the next namespaces on the second core while its own thread judges the last one. The
// worker runs the same query code (query.ts) over the same rows; what only this thread holds comes with the query:
// the series (from the registry), the rows still queued for writing, and the heads' samples. A write committed while
// the worker read would make its rows disagree with that snapshot, so the caller compares the write queue's
// generation before and after and asks again in its own thread (sample-store.ts). A worker that fails or cannot
// start is never asked again; its queries run in the calling thread.
import type { ColumnQuery, ColumnQueryResult, SeriesColumns, SeriesInfo, TierName } from '../domain/series.ts';
import type { ChunkRow } from './chunk-repo.ts';
import { WorkerCalls } from '../runtime/worker-calls.ts';
import type { TierSpec } from './tiers.ts';

/** A queued row as the worker needs it: what the bulk read filters on, and its blob. */
export type QueuedRow = Pick<ChunkRow, 'tier' | 'seriesId' | 'startMs' | 'endMs' | 'data'>;

export type ReadRequest =
  | { readonly kind: 'open'; readonly path: string; readonly tiers: readonly TierSpec[]; readonly cacheSizeKiB?: number }
  | {
      readonly kind: 'query';
      readonly query: ColumnQuery;
      readonly series: readonly SeriesInfo[];
      readonly queued: readonly QueuedRow[];
      /** Each series' head as a chunk (HeadSet.encoded), by series id. */
      readonly heads: ReadonlyArray<readonly [number, Uint8Array]>;
    };

/** The columns of one series, without its SeriesInfo (the asking thread has it: same order as asked). */
export type WireColumns = Omit<SeriesColumns, 'series'>;

export type ReadReply = { readonly kind: 'opened' } | { readonly kind: 'columns'; readonly meta: Omit<ColumnQueryResult, 'series'>; readonly columns: readonly WireColumns[] };

/** The distinct buffers under a result's columns, to transfer with it rather than copy. */
export function columnBuffers(columns: readonly WireColumns[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: Float64Array | undefined): void => {
    if (a !== undefined) out.add(a.buffer as ArrayBuffer);
  };
  for (const c of columns) {
    add(c.timestampsMs);
    for (const f of Object.values(c.fields)) add(f);
    for (const q of c.quantiles) add(q);
  }
  return [...out];
}

/** What a query sends besides itself: the thread's own view of the series' queued rows and heads. */
export interface ReadSnapshot {
  readonly queued: readonly QueuedRow[];
  readonly heads: ReadonlyArray<readonly [number, Uint8Array]>;
}

/** What only the store's thread holds: the write queue's generation and rows, and the heads. */
export interface ThreadView {
  generation(): number;
  queued(tier: TierName, seriesId: number): readonly ChunkRow[];
  /** A series' head as a chunk (HeadSet.encoded). */
  head(seriesId: number): Uint8Array | undefined;
}

/** Queries the worker holds at most; more are left to the asking thread (see {@link ReadOffload.answer}). */
const MAX_IN_FLIGHT = 4;

/** The worker thread, opened on a database file. */
export class ReadOffload {
  private readonly calls: WorkerCalls<ReadRequest, ReadReply>;
  /** Queries sent and not yet answered. */
  private waiting = 0;
  /** Queries answered. */
  answered = 0;
  /** Answers dropped because a write committed while the worker read (the store's thread then answered). */
  retried = 0;

  constructor(open: { path: string; tiers: readonly TierSpec[]; cacheSizeKiB?: number }, url = new URL('./read-worker.ts', import.meta.url)) {
    this.calls = new WorkerCalls<ReadRequest, ReadReply>(url, 'krm-read');
    // Asked first, so that it is open before the first query (calls are answered in order). A worker that cannot open
    // the file is closed, so that no later query waits for its refusal (readWorkerStats then says it does not run).
    this.calls.call({ kind: 'open', ...open }).catch(() => this.calls.close());
  }

  /** False once the worker failed (or was closed): queries then run in the calling thread. */
  get available(): boolean {
    return this.calls.available;
  }

  /**
   * A query that names its tier, answered by the worker with the queued rows and heads of its series as they are
   * now; undefined when the store's thread should answer it: a query without a tier (its tier choice reads the
   * thread's state), a worker that failed or refused it, one with enough to do (the asking thread would otherwise
   * wait: the two share the reads of a pass as each has time), or a write committed while it read.
   */
  async answer(q: ColumnQuery, series: readonly SeriesInfo[], view: ThreadView): Promise<ColumnQueryResult | undefined> {
    const tier = q.tier;
    if (!this.available || tier === undefined || series.length === 0 || this.waiting >= MAX_IN_FLIGHT) return undefined;
    const generation = view.generation();
    const queued: QueuedRow[] = [];
    const heads: Array<readonly [number, Uint8Array]> = [];
    // Once per series, as the store's own read takes them (a series asked twice would have its queued rows twice).
    for (const id of new Set(series.map((s) => s.id))) {
      for (const row of view.queued(tier, id)) queued.push({ tier: row.tier, seriesId: id, startMs: row.startMs, endMs: row.endMs, data: row.data });
      const head = view.head(id);
      if (head !== undefined) heads.push([id, head]);
    }
    try {
      const result = await this.query(q, series, { queued, heads });
      if (view.generation() === generation) return result;
      this.retried++;
      return undefined;
    } catch {
      // A failed worker is not asked again (available); a query it refused runs in the store's thread, which says why.
      return undefined;
    }
  }

  private async query(query: ColumnQuery, series: readonly SeriesInfo[], snapshot: ReadSnapshot): Promise<ColumnQueryResult> {
    const transfer = snapshot.heads.map(([, bytes]) => bytes.buffer as ArrayBuffer);
    this.waiting++;
    const reply = await this.calls.call({ kind: 'query', query, series, ...snapshot }, transfer).finally(() => this.waiting--);
    if (reply.kind !== 'columns' || reply.columns.length !== series.length) throw new Error('read worker answered another request');
    this.answered++;
    return { ...reply.meta, series: reply.columns.map((c, i) => ({ series: series[i] as SeriesInfo, ...c })) };
  }

  close(): Promise<void> {
    return this.calls.close();
  }
}
