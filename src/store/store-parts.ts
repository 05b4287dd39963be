// SPDX-License-Identifier: Apache-2.0
// Opening a SqliteSampleStore: its options, and the parts it is built from (connection, tiers, chunk repository,
// write queue, series registry), opened and migrated in one place so that a failure closes the connection.
import type { Clock } from '../domain/ports.ts';
import type { TierName } from '../domain/series.ts';
import { ChunkRepo } from './chunk-repo.ts';
import { openDatabase, type Db } from './db.ts';
import type { HistoryRetention } from './history-store.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { decimalsPolicy, type DecimalsPolicy } from './precision.ts';
import { SeriesRegistry } from './series-registry.ts';
import { buildTiers, type TierSpec } from './tiers.ts';
import { WriteQueue } from './write-queue.ts';

/** Options of `SqliteSampleStore.open`. Durations in ms. */
export interface SqliteSampleStoreOptions {
  /** Database file, e.g. `data/k8s_metrics.db`. */
  readonly path: string;
  readonly clock?: Clock;
  /** Open read-only: queries work, writes report `KRM_STORE_READONLY`. */
  readonly readonly?: boolean;
  /** Retention per tier; defaults after REQUIREMENTS §2.3 (raw 7 d, 5m 35 d, 1h 180 d, 1d 730 d). */
  readonly retentionMs?: Partial<Record<TierName, number>>;
  /** Decimal places kept per metric name (null: exact float64); defaults by unit suffix (precision.ts). */
  readonly decimals?: Readonly<Record<string, number | null>>;
  /** Folder of the migration files (default: the repository's `migrations/`). */
  readonly migrationsDir?: string;
  /** Start-up check: `quick` (default) or `off`. */
  readonly integrityCheck?: 'quick' | 'off';
  /** SQLite page cache in KiB (default 65536). */
  readonly cacheSizeKiB?: number;
  readonly busyTimeoutMs?: number;
  /** Rows kept in memory while writes fail (default 200,000). */
  readonly maxPendingChunks?: number;
  /**
   * Bytes of sample log rows (one per append, ~6 bytes a sample) kept in memory while writes fail (default 64 MiB);
   * past it the oldest are dropped and the next successful flush checkpoints every head instead.
   */
  readonly maxPendingLogBytes?: number;
  /** flush() checkpoints the dirty heads of one slice of the series (id modulo this), in turn (default 10). */
  readonly checkpointSlices?: number;
  /** Extra pragmas applied after migrations, e.g. `max_page_count = 100000`. */
  readonly pragmas?: readonly string[];
  /** Retention of the object and event history (the store's `history`). */
  readonly historyRetention?: HistoryRetention;
}

export interface Parts {
  readonly db: Db;
  readonly path: string;
  readonly clock: Clock;
  readonly tiers: readonly TierSpec[];
  readonly policy: DecimalsPolicy;
  readonly queue: WriteQueue;
  readonly repo: ChunkRepo;
  readonly registry: SeriesRegistry;
  readonly historyRetention?: HistoryRetention;
  readonly checkpointSlices: number;
  /** The page cache asked for (the read worker's connection gets the same). */
  readonly cacheSizeKiB?: number;
}

const systemClock: Clock = { now: () => Date.now() };

export function openParts(opts: SqliteSampleStoreOptions): Parts {
  const clock = opts.clock ?? systemClock;
  const opened = openDatabase(opts);
  const { db } = opened;
  try {
    migrate(db, { migrations: loadMigrations(opts.migrationsDir), nowMs: clock.now(), readOnly: opened.readOnly });
    for (const p of opts.pragmas ?? []) db.pragma(p);
    const tiers = buildTiers(opts.retentionMs);
    const repo = new ChunkRepo(db, tiers);
    const queue = new WriteQueue(
      { db, repo, clock },
      {
        maxPending: opts.maxPendingChunks ?? 200_000,
        maxPendingLogBytes: opts.maxPendingLogBytes ?? 64 * 2 ** 20,
        retryDelayMs: 30_000,
        readOnlyCause: opened.readOnlyCause,
      },
    );
    const registry = new SeriesRegistry(db);
    return {
      db,
      path: opts.path,
      clock,
      tiers,
      policy: decimalsPolicy(opts.decimals),
      queue,
      repo,
      registry,
      historyRetention: opts.historyRetention,
      checkpointSlices: opts.checkpointSlices ?? 10,
      ...(opts.cacheSizeKiB === undefined ? {} : { cacheSizeKiB: opts.cacheSizeKiB }),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

