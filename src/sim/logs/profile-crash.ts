// SPDX-License-Identifier: Apache-2.0
// `crashloop` and `config-error`: containers that never become healthy. A crash-looping application starts,
// retries its database with exponential back-off (1 s, 2 s, 4 s ... capped at 30 s), gives up and dies with its
// runtime's stack trace; a misconfigured one exits within a second with a configuration error. Server images
// (nginx, PostgreSQL, Redis, MySQL) do not retry: they print their fatal error and exit.
import { connRefused } from './app-events.ts';
import { TEXT_OUTPUT } from './app-format.ts';
import type { AppEvent } from './app-format.ts';
import { isAppFlavor } from './env.ts';
import { configErrorTrace } from './fatal-config.ts';
import { crashTrace } from './fatal-crash.ts';
import { databaseProfile } from './profile-database.ts';
import { webProfile } from './profile-web.ts';
import { appStartup, startingEvent } from './startup.ts';
import type { LogEnv, ProfileContext, ProfileImpl, StartupEntry } from './types.ts';

const CAP_SECONDS = 30;
/** Seconds from the first attempt to the k-th: 0, 1, 3, 7, 15, 31, 61, 91, ... */
function secondsBefore(k: number): number {
  const n = k - 1;
  return n <= 5 ? 2 ** n - 1 : 31 + CAP_SECONDS * (n - 5);
}

function delayAfter(k: number): number {
  return Math.min(2 ** (k - 1), CAP_SECONDS);
}

function firstAttemptMs(ctx: ProfileContext): number {
  // After the start-up lines: a JVM needs a few seconds to get there.
  return ctx.startedAtMs + (ctx.env.flavor === 'java' ? 6000 : 1000);
}

/** The attempt number due at or after `ms` (1 for anything before the first attempt). */
function attemptAtOrAfter(ctx: ProfileContext, ms: number): number {
  const x = (ms - firstAttemptMs(ctx)) / 1000;
  if (x <= 0) return 1;
  if (x <= 31) return Math.ceil(Math.log2(x + 1)) + 1;
  return 6 + Math.ceil((x - 31) / CAP_SECONDS);
}

function attemptMs(ctx: ProfileContext, k: number): number {
  return firstAttemptMs(ctx) + secondsBefore(k) * 1000;
}

function connectingEvent(env: LogEnv): AppEvent {
  return { level: 'INFO', logger: 'db', thread: 'main', text: `connecting to ${env.dbKind} at ${env.dbHost}:${env.dbPort}` };
}

function retryText(env: LogEnv, k: number): AppEvent {
  const error = connRefused(env, `${env.dbHost}:${env.dbPort}`);
  return {
    level: 'WARN',
    logger: 'db',
    thread: 'main',
    text: `${env.dbKind} connection failed (attempt ${k}): ${error}; retrying in ${delayAfter(k)}s`,
  };
}

function crashEnding(ctx: ProfileContext): ((ms: number) => string[])[] {
  const { env } = ctx;
  if (!isAppFlavor(env.flavor)) return [(ms) => crashTrace(env, ms)];
  const attempts = Math.max(1, attemptAtOrAfter(ctx, ctx.endMs) - 1);
  const giveUp: AppEvent = {
    level: 'ERROR',
    logger: 'db',
    thread: 'main',
    text: `could not connect to ${env.dbKind} at ${env.dbHost}:${env.dbPort} after ${attempts} attempts, giving up`,
  };
  return [(ms) => TEXT_OUTPUT.format(env, ms, giveUp), (ms) => crashTrace(env, ms)];
}

/** What a server image prints before dying at start-up: its start-up output short of "ready". */
function serverStartup(ctx: ProfileContext): StartupEntry[] {
  if (ctx.env.flavor === 'nginx') return webProfile(ctx.env).startup(ctx).slice(0, 1);
  return databaseProfile(ctx.env).startup(ctx).slice(0, -1);
}

export const CRASHLOOP_PROFILE: ProfileImpl = {
  entriesPerMinute: 0,
  startup: (ctx) =>
    isAppFlavor(ctx.env.flavor)
      ? appStartup(ctx, TEXT_OUTPUT, [startingEvent(ctx.env), connectingEvent(ctx.env)])
      : serverStartup(ctx),
  entryTimes: (ctx, fromMs, toMs) => {
    if (!isAppFlavor(ctx.env.flavor)) return [];
    const times: number[] = [];
    for (let k = attemptAtOrAfter(ctx, fromMs); attemptMs(ctx, k) < toMs; k++) times.push(attemptMs(ctx, k));
    return times;
  },
  entry: (ctx, ms) => TEXT_OUTPUT.format(ctx.env, ms, retryText(ctx.env, attemptAtOrAfter(ctx, ms))),
  ending: crashEnding,
};

export const CONFIG_ERROR_PROFILE: ProfileImpl = {
  entriesPerMinute: 0,
  startup: (ctx) =>
    isAppFlavor(ctx.env.flavor)
      ? appStartup(ctx, TEXT_OUTPUT, [
          startingEvent(ctx.env),
          { level: 'INFO', logger: 'app', text: `loading configuration from /etc/${ctx.env.app}/config.yaml` },
        ])
      : [],
  entry: () => [],
  ending: (ctx) => [(ms) => configErrorTrace(ctx.env, ms)],
};
