// SPDX-License-Identifier: Apache-2.0
// Observable state and tuning of a list/watch loop (served at /api/status and exported as self-metrics).
import type { KubeErrorCode } from './kube-errors.ts';

/** What a loop is doing right now. */
export type WatchPhase = 'idle' | 'listing' | 'watching' | 'backoff' | 'stopped';

/** A snapshot of one loop. Counters are totals since the loop was created. */
export interface WatchLoopState {
  /** Plural resource name. */
  readonly kind: string;
  readonly phase: WatchPhase;
  /** The first complete list has been applied; stays true across relists. */
  readonly synced: boolean;
  /** Objects in the sink. */
  readonly objects: number;
  /** Version the next watch resumes from; undefined while a relist is due. */
  readonly resourceVersion?: string;
  /** Epoch ms of the latest watch event or bookmark. */
  readonly lastEventAtMs?: number;
  /** Epoch ms of the latest applied list. */
  readonly lastSyncAtMs?: number;
  /** Iterations started again after a failure and its backoff (transport error, malformed stream, watchdog, repeated 410). */
  readonly restarts: number;
  /** Lists after the first (each one follows a 410). */
  readonly relists: number;
  readonly watchdogFirings: number;
  readonly watchesOpened: number;
  /** ADDED, MODIFIED and DELETED events applied. */
  readonly eventsApplied: number;
  /** Objects the projection rejected (no name, wrong shape). */
  readonly invalidObjects: number;
  /**
   * Failed attempts since the API server last answered this kind (a 200 to a list page or a watch, or a watch
   * event). Unlike the backoff's count, a successful list or an opened watch resets it, so a quiet kind recovers
   * as soon as the server is back.
   */
  readonly consecutiveFailures: number;
  /** Epoch ms of the first failure of the current streak; undefined while `consecutiveFailures` is 0. */
  readonly failingSinceMs?: number;
  /** Epoch ms the API server last answered this kind with 200 or sent an event. */
  readonly lastContactAtMs?: number;
  /**
   * The watchdog found the stream silent and no event or bookmark has arrived since: the server answers but does
   * not deliver (an opened watch does not clear it; a list does not either).
   */
  readonly stalled: boolean;
  /** The latest failure, kept after recovery for diagnostics. */
  readonly lastError?: { readonly code: KubeErrorCode; readonly message: string; readonly status?: number; readonly atMs: number };
}

/** Plain callbacks for self-metrics; the loop knows nothing of the metrics library. */
export interface WatchLoopHooks {
  /** An ADDED, MODIFIED or DELETED event was applied. */
  readonly onEvent?: (kind: string) => void;
  /** The loop starts over: a failed iteration (retried after the backoff) or a relist after 410. */
  readonly onRestart?: (kind: string) => void;
}

/** Knobs of a loop; defaults in {@link DEFAULT_WATCH_TUNING}. */
export interface WatchTuning {
  /** Objects per LIST page. */
  readonly pageLimit: number;
  /** Upper bound for one LIST page in milliseconds. */
  readonly pageTimeoutMs: number;
  /** List start-overs after expired continue tokens before backing off. */
  readonly listMaxRestarts: number;
  /** Bounds of the randomized server-side watch timeout in seconds (spreads reconnects of many clients). */
  readonly watchTimeoutMinSec: number;
  readonly watchTimeoutMaxSec: number;
  /**
   * Longest silence in milliseconds (no event, no bookmark) before the watch is presumed dead: N × the expected
   * bookmark interval. API servers send a bookmark about once a minute to watches that allow them, so 3 minutes
   * of silence means a stalled stream, not a quiet kind.
   */
  readonly watchdogMs: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** A watch that ends cleanly sooner than this (ms) without any event counts as a failure. */
  readonly minWatchMs: number;
}

/** REQUIREMENTS §1.1 and §1.3 values. */
export const DEFAULT_WATCH_TUNING: WatchTuning = Object.freeze({
  pageLimit: 500,
  pageTimeoutMs: 60_000,
  listMaxRestarts: 3,
  watchTimeoutMinSec: 300,
  watchTimeoutMaxSec: 600,
  watchdogMs: 3 * 60_000,
  backoffInitialMs: 1000,
  backoffMaxMs: 30_000,
  minWatchMs: 1000,
});

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The mutable state a loop keeps; snapshots are copies. */
export function initialState(kind: string): Mutable<WatchLoopState> {
  return {
    kind,
    phase: 'idle',
    synced: false,
    objects: 0,
    restarts: 0,
    relists: 0,
    watchdogFirings: 0,
    watchesOpened: 0,
    eventsApplied: 0,
    invalidObjects: 0,
    consecutiveFailures: 0,
    stalled: false,
  };
}
