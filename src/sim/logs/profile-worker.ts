// SPDX-License-Identifier: Apache-2.0
// `worker`: a queue consumer. Jobs complete (with latencies), fail and get retried with back-off, end in the
// dead-letter queue during incidents; the broker connection drops now and then; periodic stats lines count up
// with the container's uptime.
import { connRefused, shortStack, timeoutText } from './app-events.ts';
import { TEXT_OUTPUT } from './app-format.ts';
import type { AppEvent } from './app-format.ts';
import { errorBoost, jvmGcLine } from './incidents.ts';
import type { Rng } from './rng.ts';
import { appStartup, dbConnectedEvent, startingEvent } from './startup.ts';
import type { LogEnv, ProfileContext, ProfileImpl } from './types.ts';

const QUEUES = ['emails', 'invoices', 'inventory-sync'];
const JOB_TYPES = ['send-email', 'generate-invoice', 'sync-inventory', 'resize-image', 'export-report'];

function jobId(rng: Rng): number {
  return rng.int(100_000, 999_999);
}

function jobError(env: LogEnv, rng: Rng): string {
  return rng.chance(0.5)
    ? timeoutText(env, `${rng.pick(env.upstreams)}`, 10_000)
    : connRefused(env, `${env.dbHost}:${env.dbPort}`);
}

function completed(rng: Rng): AppEvent {
  const type = rng.pick(JOB_TYPES);
  const ms = Math.round(20 + rng.next() ** 2 * 4000);
  return {
    level: 'INFO',
    logger: 'worker',
    text: `job ${jobId(rng)} (${type}) completed in ${ms}ms`,
    msg: 'job completed',
    fields: { type, duration_ms: ms },
  };
}

function retried(env: LogEnv, rng: Rng): AppEvent {
  const attempt = rng.int(1, 4);
  const delay = 2 ** attempt;
  return {
    level: 'WARN',
    logger: 'worker',
    text: `job ${jobId(rng)} (${rng.pick(JOB_TYPES)}) failed (attempt ${attempt}/5), retrying in ${delay}s: ${jobError(env, rng)}`,
    msg: 'job failed, will retry',
  };
}

function deadLettered(env: LogEnv, rng: Rng): AppEvent {
  const error = jobError(env, rng);
  return {
    level: 'ERROR',
    logger: 'worker',
    text: `job ${jobId(rng)} (${rng.pick(JOB_TYPES)}) moved to dead-letter queue after 5 attempts: ${error}`,
    msg: 'job dead-lettered',
    stack: shortStack(env, error, rng),
  };
}

function brokerDrop(env: LogEnv, rng: Rng): AppEvent {
  return {
    level: 'WARN',
    logger: 'worker',
    text: `lost connection to redis ${env.cacheHost}: read ECONNRESET; reconnecting in ${rng.int(1, 5)}s`,
    msg: 'broker connection lost',
  };
}

function stats(ctx: ProfileContext, ms: number, rng: Rng): AppEvent {
  const uptimeSec = Math.max(1, Math.floor((ms - ctx.startedAtMs) / 1000));
  const processed = Math.floor(uptimeSec * 0.7);
  return {
    level: 'INFO',
    logger: 'worker',
    text: `stats: processed=${processed} failed=${Math.floor(processed / 240)} in_flight=${rng.int(0, 4)} queue_depth=${rng.int(0, 120)}`,
    msg: 'worker stats',
  };
}

function poll(rng: Rng): AppEvent {
  return {
    level: 'DEBUG',
    logger: 'worker',
    text: `polled queue ${rng.pick(QUEUES)}: ${rng.int(0, 10)} messages`,
    msg: 'queue polled',
  };
}

function workerEntry(ctx: ProfileContext, ms: number, rng: Rng): string[] {
  const boost = errorBoost(ctx, ms);
  const kind = rng.weighted([
    ['completed', 60],
    ['poll', 15],
    ['stats', 4],
    ['retry', 3 * boost],
    ['dead', 0.4 * boost],
    ['broker', 0.3 * boost],
    ['gc', ctx.env.flavor === 'java' ? 5 : 0],
  ] as const);
  if (kind === 'gc') return [jvmGcLine(ms, Math.floor((ms - ctx.startedAtMs) / 9000), { usedMb: rng.int(60, 200), maxMb: 384, pauseMs: 1 + rng.next() * 25 })];
  const builders: Readonly<Record<Exclude<typeof kind, 'gc'>, () => AppEvent>> = {
    completed: () => completed(rng),
    poll: () => poll(rng),
    stats: () => stats(ctx, ms, rng),
    retry: () => retried(ctx.env, rng),
    dead: () => deadLettered(ctx.env, rng),
    broker: () => brokerDrop(ctx.env, rng),
  };
  return TEXT_OUTPUT.format(ctx.env, ms, builders[kind]());
}

export const WORKER_PROFILE: ProfileImpl = {
  entriesPerMinute: 25,
  startup: (ctx) =>
    appStartup(ctx, TEXT_OUTPUT, [
      startingEvent(ctx.env),
      { level: 'INFO', logger: 'worker', text: `connected to redis at ${ctx.env.cacheHost}` },
      dbConnectedEvent(ctx.env),
      { level: 'INFO', logger: 'worker', text: `worker started: queues=[${QUEUES.join(', ')}] concurrency=4` },
    ]),
  entry: workerEntry,
  ending: () => [],
};
