// SPDX-License-Identifier: Apache-2.0
// The backfill as the service starts it: only with a Prometheus URL and `backfill.enabled`, with the grid step of
// the collection interval, the Prometheus connection settings and the root signal.
import type { Config } from '../config/schema.ts';
import type { Clock, SampleStore } from '../domain/ports.ts';
import { logEvent, type EventLogger } from '../logging/events.ts';
import { systemClock } from '../runtime/clock.ts';
import { sleep } from '../runtime/sleep.ts';
import { prometheusAuthOf } from '../sources/prometheus/client.ts';
import { createRangeQuerier } from '../sources/prometheus/range-query.ts';
import { runBackfill, type BackfillProgress, type BackfillReport } from './backfill.ts';

export interface BackfillStartOptions {
  readonly config: Config;
  readonly store: SampleStore;
  readonly log: EventLogger;
  readonly signal: AbortSignal;
  readonly onProgress?: (p: BackfillProgress) => void;
  readonly clock?: Clock;
}

/** Runs the backfill when configured; undefined when Prometheus is not configured or backfill is disabled. */
export async function backfillOnStart(o: BackfillStartOptions): Promise<BackfillReport | undefined> {
  const { config } = o;
  const p = config.prometheus;
  if (p.url === undefined || !config.backfill.enabled || config.backfill.window <= 0) return undefined;
  const log = o.log;
  const run = runBackfill({
    store: o.store,
    querier: createRangeQuerier({ url: p.url, auth: prometheusAuthOf(p), timeoutMs: p.timeout }),
    cluster: config.cluster.name,
    windowMs: config.backfill.window,
    stepMs: config.collection.interval,
    batchMs: config.backfill.batch,
    concurrency: config.backfill.concurrency,
    clock: o.clock ?? systemClock,
    sleep,
    log: o.log,
    signal: o.signal,
    onProgress: o.onProgress,
    rawFromMs: (o.clock ?? systemClock).now() - config.retention.raw,
  });
  // A store that cannot take the import must not stop the monitor from starting: live collection still works, and
  // the marker (if it was written) resumes the import on the next start.
  return run.catch((e: unknown) => {
    logEvent(log, { event: 'backfill.failed', doneWindows: 0, totalWindows: 0, samples: 0, err: e instanceof Error ? e : new Error(String(e)) });
    return undefined;
  });
}
