// SPDX-License-Identifier: Apache-2.0
// History backfill (REQUIREMENTS §1.5.2): on the first start against a Prometheus, import [now − window, now) with
// range queries at the collection interval, under the collector's series keys, so that analyses have weeks of data
// on day one. Container series are queried one namespace at a time (aggregated, never per pod); node and PVC series
// cluster-wide. The grid is cut into windows (backfill-plan.ts) of bounded length (≤ 11,000 points per series,
// `backfill.batch`), each window's queries run with bounded concurrency, and each window is written with
// `writeHistory` in time order, so no write overlaps another.
//
// Once per database: a marker in the store's key/value table (backfill-marker.ts) records the plan and progress. A
// marker rather than "the store is empty" because it also makes an interrupted run resumable: on shutdown (root
// signal) or a Prometheus failure that outlasts the retries, the run stops, says so in the log, and the next start
// continues after the last window written. A database that already holds series of the cluster but no marker (the
// monitor ran before Prometheus was configured) is not backfilled: the import would overlap the stored samples.
//
// Ordering with live collection: the service awaits the backfill before the loops start, and the grid ends
// strictly before the start time, so every live sample is later than every imported one.
import type { Clock, SampleStore } from '../domain/ports.ts';
import type { HistorySeries, SeriesKey } from '../domain/series.ts';
import { logEvent, type EventLogger } from '../logging/events.ts';
import { createBackoff } from '../runtime/backoff.ts';
import type { Sleep } from '../runtime/sleep.ts';
import { PrometheusError } from '../sources/prometheus/errors.ts';
import type { QueryLabels } from '../sources/prometheus/queries.ts';
import { clusterJobs, namespaceJobs, namespacesWithContainers, runRangeJob, type ImportedSeries, type RangeJob } from '../sources/prometheus/range-import.ts';
import type { RangeQuerier } from '../sources/prometheus/range-query.ts';
import { readMarker, resumeAfter, writeMarker, type BackfillMarker } from './backfill-marker.ts';
import { gridOf, mapBounded, planWindows, type BackfillWindow, type Grid } from './backfill-plan.ts';
import { yieldToEventLoop } from '../runtime/yield.ts';

/** Series per `writeHistory` call: bounds the rows built and the transaction. */
const WRITE_BATCH = 200;
/** A progress log line at most this often (the progress callback gets every window). */
const LOG_EVERY_MS = 10_000;

export interface BackfillProgress {
  readonly doneWindows: number;
  readonly totalWindows: number;
  readonly samples: number;
  readonly samplesPerSec: number;
  /** Estimated time to completion; null before the first window. */
  readonly etaMs: number | null;
  /** Last grid point written. */
  readonly throughMs: number;
}

export interface BackfillOptions {
  readonly store: SampleStore;
  readonly querier: RangeQuerier;
  /** The `cluster` of every series key (the collector's). */
  readonly cluster: string;
  readonly windowMs: number;
  /** Grid step: the collection interval. */
  readonly stepMs: number;
  /** Longest time window of one range query. */
  readonly batchMs: number;
  /** Range queries in flight at once. */
  readonly concurrency: number;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly log: EventLogger;
  readonly signal: AbortSignal;
  readonly labels?: QueryLabels;
  /** Attempts per range query before the run stops (default 3). */
  readonly attempts?: number;
  readonly onProgress?: (p: BackfillProgress) => void;
  /** Raw chunks are written only from here on (the raw tier's retention); older samples go to the rollups only. */
  readonly rawFromMs?: number;
}

export type BackfillStatus = 'done' | 'skipped' | 'aborted' | 'failed';

export interface BackfillReport {
  readonly status: BackfillStatus;
  readonly windows: number;
  readonly samples: number;
  readonly durationMs: number;
}

/** The run's plan: resumed from the marker, or new (and then recorded before the first query). */
async function planRun(o: BackfillOptions): Promise<{ marker: BackfillMarker; resumed: boolean } | string> {
  const stored = await readMarker(o.store, o.cluster);
  if (stored?.finished) return stored.skipped ?? 'done';
  if (stored) return { marker: stored, resumed: true };
  if ((await o.store.findSeries({ cluster: o.cluster })).length > 0) {
    await writeMarker(o.store, o.cluster, { grid: { firstMs: 0, lastMs: 0, stepMs: o.stepMs }, finished: true, skipped: 'store_not_empty' });
    return 'store_not_empty';
  }
  const grid = gridOf({ nowMs: o.clock.now(), windowMs: o.windowMs, stepMs: o.stepMs });
  if (!grid) return 'empty_window';
  const marker: BackfillMarker = { grid, finished: false };
  await writeMarker(o.store, o.cluster, marker);
  return { marker, resumed: false };
}

/** Runs one range query, retrying failures with backoff; rejects with the last failure or when aborted. */
async function withRetry(o: BackfillOptions, job: RangeJob, w: BackfillWindow): Promise<ImportedSeries[]> {
  const backoff = createBackoff({ baseMs: 1000, maxMs: 10_000 });
  const attempts = o.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await runRangeJob(o.querier, job, { signal: o.signal, startMs: w.startMs, endMs: w.endMs, stepMs: o.stepMs });
    } catch (e) {
      o.signal.throwIfAborted();
      if (attempt >= attempts) throw e;
      if (!(await o.sleep(backoff.next(), o.signal))) o.signal.throwIfAborted();
    }
  }
}

/** Resolves series ids through a cache, asking the store only for keys not seen in an earlier window. */
function createResolver(store: SampleStore, cluster: string): (series: readonly ImportedSeries[]) => Promise<number[]> {
  const ids = new Map<string, number>();
  const keyOf = (s: ImportedSeries): string => `${s.kind}\u0000${s.entity}\u0000${s.metric}`;
  return async (series) => {
    const missing = new Map<string, SeriesKey>();
    for (const s of series) if (!ids.has(keyOf(s))) missing.set(keyOf(s), { cluster, kind: s.kind, entity: s.entity, metric: s.metric });
    if (missing.size > 0) {
      const resolved = await store.resolveSeries([...missing.values()]);
      [...missing.keys()].forEach((k, i) => ids.set(k, resolved[i] as number));
    }
    return series.map((s) => ids.get(keyOf(s)) as number);
  };
}

/** Writes one window's series, `WRITE_BATCH` at a time; returns the samples stored. */
async function writeWindow(o: BackfillOptions, resolve: ReturnType<typeof createResolver>, series: readonly ImportedSeries[]): Promise<number> {
  let samples = 0;
  for (let i = 0; i < series.length; i += WRITE_BATCH) {
    const part = series.slice(i, i + WRITE_BATCH);
    const ids = await resolve(part);
    const batch = part.map((s, j): HistorySeries => ({ seriesId: ids[j] as number, timestampsMs: s.timestampsMs, values: s.values }));
    samples += (await o.store.writeHistory({ series: batch, ...(o.rawFromMs === undefined ? {} : { rawFromMs: o.rawFromMs }) })).samples;
    // Let timers and I/O (the HTTP server) run between batches.
    await yieldToEventLoop();
  }
  return samples;
}

interface RunState {
  marker: BackfillMarker;
  doneWindows: number;
  samples: number;
}

function progressOf(o: BackfillOptions, s: RunState, run: { totalWindows: number; startedMs: number }): BackfillProgress {
  const elapsedMs = Math.max(1, o.clock.now() - run.startedMs);
  const perWindowMs = s.doneWindows > 0 ? elapsedMs / s.doneWindows : null;
  return {
    doneWindows: s.doneWindows,
    totalWindows: run.totalWindows,
    samples: s.samples,
    samplesPerSec: Math.round((s.samples * 1000) / elapsedMs),
    etaMs: perWindowMs === null ? null : Math.round(perWindowMs * (run.totalWindows - s.doneWindows)),
    throughMs: s.marker.doneMs ?? s.marker.grid.firstMs,
  };
}

interface Plan {
  readonly windows: readonly BackfillWindow[];
  readonly namespaces: readonly string[];
}

/**
 * Queries and writes one window. Each job's series are written as soon as they arrive (holding a whole window of a
 * large cluster would take gigabytes); jobs never share a series, so the writes do not overlap. A clean stop
 * (failure after retries, shutdown) records the jobs written, so that the next run finishes the window.
 */
async function importWindow(
  o: BackfillOptions,
  state: RunState,
  at: { w: BackfillWindow; jobs: readonly RangeJob[]; resolve: ReturnType<typeof createResolver> },
): Promise<void> {
  const { w } = at;
  const partial = state.marker.partial;
  const written = new Set(partial !== undefined && partial.windowEndMs === w.endMs ? partial.jobs : []);
  state.marker = { ...state.marker, writingMs: w.endMs, partial: undefined };
  await writeMarker(o.store, o.cluster, state.marker);
  try {
    await mapBounded(
      at.jobs.filter((j) => !written.has(j.name)),
      o.concurrency,
      async (job) => {
        const series = await withRetry(o, job, w);
        o.signal.throwIfAborted();
        state.samples += await writeWindow(o, at.resolve, series);
        written.add(job.name);
      },
    );
    o.signal.throwIfAborted();
  } catch (e) {
    state.marker = { ...state.marker, partial: { windowEndMs: w.endMs, jobs: [...written] } };
    await writeMarker(o.store, o.cluster, state.marker);
    throw e;
  }
}

/** Queries and writes the windows in time order, recording progress in the marker after each. */
async function importWindows(o: BackfillOptions, state: RunState, plan: Plan): Promise<void> {
  const jobs = [...clusterJobs(o.labels), ...plan.namespaces.flatMap((ns) => namespaceJobs(ns, o.labels))];
  const resolve = createResolver(o.store, o.cluster);
  const run = { totalWindows: plan.windows.length, startedMs: o.clock.now() };
  let loggedMs = run.startedMs;
  for (const w of plan.windows) {
    await importWindow(o, state, { w, jobs, resolve });
    state.marker = { ...state.marker, doneMs: w.endMs, partial: undefined };
    await writeMarker(o.store, o.cluster, state.marker);
    state.doneWindows++;
    const progress = progressOf(o, state, run);
    o.onProgress?.(progress);
    if (o.clock.now() - loggedMs >= LOG_EVERY_MS || state.doneWindows === plan.windows.length) {
      loggedMs = o.clock.now();
      logEvent(o.log, { event: 'backfill.progress', ...progress });
    }
  }
}

async function namespacesOf(o: BackfillOptions, grid: Grid): Promise<string[]> {
  return namespacesWithContainers(o.querier, { signal: o.signal, startMs: grid.firstMs, endMs: grid.lastMs, labels: o.labels });
}

/**
 * Imports the configured window from Prometheus unless this database was backfilled already; resumes an
 * interrupted run. Never rejects for Prometheus failures or shutdown (they end the run with a status); rejects
 * only when the store cannot be written.
 */
export async function runBackfill(o: BackfillOptions): Promise<BackfillReport> {
  const startedMs = o.clock.now();
  const planned = await planRun(o);
  if (typeof planned === 'string') {
    logEvent(o.log, { event: 'backfill.skipped', reason: planned });
    return { status: 'skipped', windows: 0, samples: 0, durationMs: o.clock.now() - startedMs };
  }
  const { grid } = planned.marker;
  const state: RunState = { marker: planned.marker, doneWindows: 0, samples: 0 };
  let windows: BackfillWindow[] = [];
  try {
    windows = planWindows(grid, { batchMs: o.batchMs, afterMs: resumeAfter(planned.marker) });
    const namespaces = await namespacesOf(o, grid);
    logEvent(o.log, { event: 'backfill.started', fromMs: grid.firstMs, toMs: grid.lastMs, windows: windows.length, namespaces: namespaces.length, resumed: planned.resumed });
    await importWindows(o, state, { windows, namespaces });
  } catch (e) {
    return stopped(o, { state, totalWindows: windows.length, startedMs, err: e });
  }
  await writeMarker(o.store, o.cluster, { ...state.marker, finished: true });
  const durationMs = o.clock.now() - startedMs;
  logEvent(o.log, { event: 'backfill.done', windows: state.doneWindows, samples: state.samples, durationMs });
  return { status: 'done', windows: state.doneWindows, samples: state.samples, durationMs };
}

/** Ends an interrupted run: shutdown and Prometheus failures are reported; store failures propagate. */
function stopped(o: BackfillOptions, s: { state: RunState; totalWindows: number; startedMs: number; err: unknown }): BackfillReport {
  const { state } = s;
  const counts = { doneWindows: state.doneWindows, totalWindows: s.totalWindows, samples: state.samples };
  const report = (status: BackfillStatus): BackfillReport => ({ status, windows: state.doneWindows, samples: state.samples, durationMs: o.clock.now() - s.startedMs });
  if (o.signal.aborted) {
    logEvent(o.log, { event: 'backfill.aborted', ...counts });
    return report('aborted');
  }
  if (!(s.err instanceof PrometheusError)) throw s.err;
  logEvent(o.log, { event: 'backfill.failed', ...counts, err: s.err });
  return report('failed');
}
