// SPDX-License-Identifier: Apache-2.0
// `batch`: a Job's import run. Progress lines count records up with the elapsed time; a terminated run reaches
// 100 % exactly at its end and prints a summary (it exited 0); a running one approaches but never reaches it.
import { timeoutText } from './app-events.ts';
import { TEXT_OUTPUT } from './app-format.ts';
import type { AppEvent } from './app-format.ts';
import { errorBoost } from './incidents.ts';
import { createRng } from './rng.ts';
import type { Rng } from './rng.ts';
import { appStartup, dbConnectedEvent, startingEvent } from './startup.ts';
import type { ProfileContext, ProfileImpl } from './types.ts';

interface Plan {
  total: number;
  /** Records per millisecond. */
  rate: number;
  /** Expected run time; a running job slows down as it nears its total (work left is the slowest to find). */
  expectedMs: number;
  table: string;
  source: string;
}

function plan(ctx: ProfileContext): Plan {
  const rng = createRng(ctx.seed, 0xba7c);
  const total = rng.int(20, 500) * 1000;
  const expectedMs = rng.int(3, 30) * 60_000;
  const runMs = ctx.terminated ? Math.max(1000, ctx.endMs - ctx.startedAtMs - 1000) : expectedMs;
  const day = new Date(ctx.startedAtMs).toISOString().slice(0, 10);
  return {
    total,
    rate: total / runMs,
    expectedMs,
    table: rng.pick(['analytics.events', 'billing.invoices', 'catalog.products']),
    source: `s3://data-exports/${day}/part-*.csv.gz`,
  };
}

/** Records done at `ms`: linear up to the end of a finished run, approaching the total in a running one. */
function done(p: Plan, ctx: ProfileContext, ms: number): number {
  const elapsed = Math.max(0, ms - ctx.startedAtMs);
  const n = ctx.terminated ? p.rate * elapsed : p.total * (1 - Math.exp(-elapsed / p.expectedMs));
  return Math.min(p.total - 1, Math.floor(n));
}

function info(text: string): AppEvent {
  return { level: 'INFO', logger: 'batch', text };
}

function batchEvent(ctx: ProfileContext, ms: number, rng: Rng): AppEvent {
  const p = plan(ctx);
  const n = done(p, ctx, ms);
  const kind = rng.weighted([
    ['progress', 50],
    ['flush', 25],
    ['checkpoint', 8],
    ['malformed', 4],
    ['retry', 1 * errorBoost(ctx, ms)],
  ] as const);
  switch (kind) {
    case 'progress':
      return info(`processed ${n}/${p.total} records (${((100 * n) / p.total).toFixed(1)}%), ${Math.round(p.rate * 1000)} records/s`);
    case 'flush':
      return { level: 'DEBUG', logger: 'batch', text: `flushed 1000 rows to ${p.table} in ${rng.int(40, 900)}ms` };
    case 'checkpoint':
      return info(`checkpoint saved: offset=${n}`);
    case 'malformed':
      return {
        level: 'WARN',
        logger: 'batch',
        text: `skipping malformed record at line ${n + rng.int(1, 999)}: expected 12 fields, got ${rng.int(7, 11)}`,
      };
    case 'retry':
      return {
        level: 'WARN',
        logger: 'batch',
        text: `upload of chunk ${Math.floor(n / 1000)} failed (attempt 1/3), retrying in 2s: ${timeoutText(ctx.env, 'object-store:9000', 30_000)}`,
      };
  }
}

function ending(ctx: ProfileContext): ((ms: number) => string[])[] {
  const p = plan(ctx);
  const skipped = Math.floor(p.total / 2500);
  const seconds = Math.floor((ctx.endMs - ctx.startedAtMs) / 1000);
  return [
    (ms) => TEXT_OUTPUT.format(ctx.env, ms, info(`processed ${p.total}/${p.total} records (100.0%)`)),
    (ms) => TEXT_OUTPUT.format(ctx.env, ms, info(`wrote ${p.total - skipped} rows to ${p.table} (${skipped} skipped)`)),
    (ms) => TEXT_OUTPUT.format(ctx.env, ms, info(`batch job finished successfully in ${seconds}s`)),
  ];
}

export const BATCH_PROFILE: ProfileImpl = {
  entriesPerMinute: 12,
  startup: (ctx) => {
    const p = plan(ctx);
    return appStartup(ctx, TEXT_OUTPUT, [
      startingEvent(ctx.env),
      dbConnectedEvent(ctx.env),
      info(`reading input from ${p.source}`),
      info(`estimated ${p.total} records, writing to ${p.table}`),
    ]);
  },
  entry: (ctx, ms, rng) => TEXT_OUTPUT.format(ctx.env, ms, batchEvent(ctx, ms, rng)),
  ending,
};
