// SPDX-License-Identifier: Apache-2.0
// Operational events: a closed union on `event`, each with a fixed level and constant message, so that field names
// stay stable for dashboards and alerts on logs. Data goes in fields, errors under `err` (pino's serializer keeps
// stack and cause). Add a member here, with its row in EVENTS, rather than logging ad-hoc shapes.

/** Levels used by events (REQUIREMENTS §7.6 / HOUSE-STYLE §7: error needs a human, warn self-heals). */
export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

/** Why a watch relists: the resourceVersion expired (HTTP 410 or an ERROR event with code 410), or the watchdog fired. */
export type RelistReason = 'expired' | 'watchdog';

/** Why the store stopped accepting writes. */
export type StoreDegradedReason = 'readonly' | 'full' | 'corrupt' | 'io';

/** Every operational event of the product. Durations are in milliseconds, times in Unix epoch milliseconds. */
export type LogEvent =
  | { event: 'loop.started'; loop: string }
  | { event: 'loop.error'; loop: string; attempt: number; delayMs: number; err: Error }
  | { event: 'loop.recovered'; loop: string; failures: number }
  | { event: 'loop.stopped'; loop: string; restarts: number }
  | { event: 'task.started'; task: string; trigger: 'schedule' | 'manual' }
  | { event: 'task.done'; task: string; durationMs: number }
  | { event: 'task.failed'; task: string; durationMs: number; retryInMs: number; err: Error }
  | { event: 'task.skipped'; task: string; missedRuns: number }
  | { event: 'watch.backoff'; kind: string; attempt: number; delayMs: number; err: Error }
  | { event: 'watch.relist'; kind: string; reason: RelistReason }
  | { event: 'watch.synced'; kind: string; objects: number; durationMs: number }
  | { event: 'collection.done'; source: string; durationMs: number; pods: number; samples: number; errors: number }
  | { event: 'collection.source_changed'; from: string | null; to: string; reason: string }
  | { event: 'collection.series_warmed'; pods: number; keys: number; registered: number; durationMs: number }
  | { event: 'collection.warmup_failed'; err: Error }
  | { event: 'backfill.started'; fromMs: number; toMs: number; windows: number; namespaces: number; resumed: boolean }
  | { event: 'backfill.progress'; doneWindows: number; totalWindows: number; samples: number; samplesPerSec: number; etaMs: number | null; throughMs: number }
  | { event: 'backfill.skipped'; reason: string }
  | { event: 'backfill.done'; windows: number; samples: number; durationMs: number }
  | { event: 'backfill.failed'; doneWindows: number; totalWindows: number; samples: number; err: Error }
  | { event: 'backfill.aborted'; doneWindows: number; totalWindows: number; samples: number }
  | { event: 'analysis.workers_failed'; err: Error }
  | { event: 'collection.decode_worker_failed'; err: Error }
  | { event: 'store.degraded'; reason: StoreDegradedReason; err: Error }
  | { event: 'store.recovered' }
  | { event: 'config.loaded'; config: Record<string, unknown>; unknownEnv: readonly string[] }
  | { event: 'lifecycle.signal'; signal: string }
  | { event: 'lifecycle.closed'; closer: string; durationMs: number }
  | { event: 'lifecycle.close_failed'; closer: string; err: Error }
  | { event: 'lifecycle.timeout'; timeoutMs: number; pending: string | null }
  | { event: 'lifecycle.stopped'; exitCode: number; durationMs: number };

/** Name of an operational event. */
export type EventName = LogEvent['event'];

/** Level and constant message of each event. */
export const EVENTS: { readonly [K in EventName]: { readonly level: EventLevel; readonly msg: string } } = {
  'loop.started': { level: 'info', msg: 'loop started' },
  'loop.error': { level: 'warn', msg: 'loop iteration failed, retrying after backoff' },
  'loop.recovered': { level: 'info', msg: 'loop recovered' },
  'loop.stopped': { level: 'info', msg: 'loop stopped' },
  'task.started': { level: 'debug', msg: 'task run started' },
  'task.done': { level: 'info', msg: 'task run finished' },
  'task.failed': { level: 'warn', msg: 'task run failed' },
  'task.skipped': { level: 'warn', msg: 'task run overran its cadence, ticks skipped' },
  'watch.backoff': { level: 'warn', msg: 'watch reconnect scheduled' },
  'watch.relist': { level: 'warn', msg: 'watch relisting' },
  'watch.synced': { level: 'info', msg: 'watch synced' },
  'collection.done': { level: 'info', msg: 'collection cycle finished' },
  'collection.source_changed': { level: 'info', msg: 'usage source changed' },
  'collection.series_warmed': { level: 'info', msg: 'series of new containers registered ahead of their first samples' },
  'collection.warmup_failed': { level: 'warn', msg: 'series warm-up before the first cycle failed; the cycles create the series' },
  'backfill.started': { level: 'info', msg: 'history backfill from Prometheus started' },
  'backfill.progress': { level: 'info', msg: 'history backfill progress' },
  'backfill.skipped': { level: 'info', msg: 'history backfill skipped' },
  'backfill.done': { level: 'info', msg: 'history backfill finished' },
  'backfill.failed': { level: 'warn', msg: 'history backfill stopped by a failure, resumes on the next start' },
  'backfill.aborted': { level: 'info', msg: 'history backfill interrupted by shutdown, resumes on the next start' },
  'analysis.workers_failed': { level: 'warn', msg: 'forecast worker failed, forecasting in the analysis thread from now on' },
  'collection.decode_worker_failed': { level: 'warn', msg: 'usage decode worker failed, decoding in the main thread from now on' },
  'store.degraded': { level: 'error', msg: 'store degraded, writes refused' },
  'store.recovered': { level: 'info', msg: 'store accepting writes again' },
  'config.loaded': { level: 'info', msg: 'configuration loaded' },
  'lifecycle.signal': { level: 'info', msg: 'shutdown requested' },
  'lifecycle.closed': { level: 'info', msg: 'component closed' },
  'lifecycle.close_failed': { level: 'error', msg: 'component failed to close' },
  'lifecycle.timeout': { level: 'error', msg: 'shutdown timed out, exiting' },
  'lifecycle.stopped': { level: 'info', msg: 'shutdown complete' },
};

/** The slice of a logger that events need; a pino `Logger` satisfies it. */
export interface EventLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Logs an operational event at its level with its constant message; the entry's fields become log fields. */
export function logEvent(log: EventLogger, entry: LogEvent): void {
  const def = EVENTS[entry.event];
  log[def.level](entry, def.msg);
}
