// SPDX-License-Identifier: Apache-2.0
// `web` and `json-service`: request-serving containers. nginx images print the stock docker-entrypoint preamble,
// the combined access log (kube-probe health checks included) and error-log lines for failing upstreams;
// application images log each request, retries, upstream failures with stack traces, slow requests, pool
// exhaustion and GC pauses, in text or JSON lines.
import { requestEvent, requestPath, retryEvent, upstreamFailure } from './app-events.ts';
import { JSON_OUTPUT, TEXT_OUTPUT } from './app-format.ts';
import type { AppEvent, OutputStyle } from './app-format.ts';
import { errorBoost, jvmGcLine } from './incidents.ts';
import type { Rng } from './rng.ts';
import { appStartup, dbConnectedEvent, listeningEvent, startingEvent } from './startup.ts';
import { accessLogTime, slashTime } from './time-format.ts';
import type { LogEnv, ProfileContext, ProfileImpl, StartupEntry } from './types.ts';

const NGINX_PREAMBLE = [
  '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
  '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
  '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
  '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
  '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
  '/docker-entrypoint.sh: Configuration complete; ready for start up',
];

function nginxNotices(ms: number, env: LogEnv): string[] {
  const t = slashTime(ms);
  return [
    `${t} [notice] 1#1: using the "epoll" event method`,
    `${t} [notice] 1#1: nginx/${/^\d+\.\d+\.\d+$/.test(env.version) ? env.version : '1.27.3'}`,
    `${t} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14)`,
    `${t} [notice] 1#1: OS: Linux 6.12.54-linuxkit`,
    `${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
    `${t} [notice] 1#1: start worker processes`,
    `${t} [notice] 1#1: start worker process 29`,
    `${t} [notice] 1#1: start worker process 30`,
  ];
}

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'curl/8.5.0',
  'okhttp/4.12.0',
  'python-requests/2.32.3',
];

function clientIP(rng: Rng): string {
  return `10.244.${rng.int(0, 9)}.${rng.int(2, 250)}`;
}

/** One nginx output line: mostly access log, probes, and error-log lines while an upstream is failing. */
function nginxEntry(ctx: ProfileContext, ms: number, rng: Rng): string[] {
  const boost = errorBoost(ctx, ms);
  const upstream = `10.96.${rng.int(0, 3)}.${rng.int(2, 250)}:8080`;
  const kind = rng.weighted([
    ['access', 80],
    ['probe', 15],
    ['refused', 0.5 * boost],
    ['timeout', 0.5 * boost],
  ] as const);
  const ip = clientIP(rng);
  const path = requestPath(rng);
  if (kind === 'refused' || kind === 'timeout') {
    const what =
      kind === 'refused'
        ? 'connect() failed (111: Connection refused) while connecting to upstream'
        : 'upstream timed out (110: Connection timed out) while reading response header from upstream';
    return [
      `${slashTime(ms)} [error] 29#29: *${rng.int(100, 99999)} ${what}, client: ${ip}, server: _, request: "GET ${path} HTTP/1.1", upstream: "http://${upstream}${path}", host: "shop.example.com"`,
      `${ip} - - [${accessLogTime(ms)}] "GET ${path} HTTP/1.1" ${kind === 'refused' ? 502 : 504} 497 "-" "${rng.pick(USER_AGENTS)}" "-"`,
    ];
  }
  if (kind === 'probe') {
    return [`${clientIP(rng)} - - [${accessLogTime(ms)}] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.35" "-"`];
  }
  const status = rng.weighted([
    [200, 85],
    [304, 6],
    [404, 4],
    [499, 1],
    [500, 0.4 * boost],
    [503, 0.4 * boost],
  ] as const);
  const bytes = status === 304 ? 0 : rng.int(150, 48000);
  return [`${ip} - - [${accessLogTime(ms)}] "GET ${path} HTTP/1.1" ${status} ${bytes} "-" "${rng.pick(USER_AGENTS)}" "-"`];
}

function nginxStartup(ctx: ProfileContext): StartupEntry[] {
  return [
    { offsetMs: 5, lines: () => NGINX_PREAMBLE },
    { offsetMs: 60, lines: (ms) => nginxNotices(ms, ctx.env) },
  ];
}

function slowRequest(rng: Rng): AppEvent {
  const path = requestPath(rng);
  const ms = rng.int(1500, 9000);
  return {
    level: 'WARN',
    logger: 'http',
    text: `slow request: GET ${path} took ${ms}ms (threshold 1000ms)`,
    msg: 'slow request',
    fields: { path, duration_ms: ms },
  };
}

function poolExhausted(rng: Rng): AppEvent {
  const waiting = rng.int(2, 40);
  return {
    level: 'WARN',
    logger: 'db',
    text: `connection pool exhausted (active=10, idle=0, waiting=${waiting}); request waited ${rng.int(200, 4000)}ms`,
    msg: 'connection pool exhausted',
    fields: { active: 10, idle: 0, waiting },
  };
}

function cacheDebug(env: LogEnv, rng: Rng): AppEvent {
  const key = `product:${rng.int(1000, 99999)}`;
  const hit = rng.chance(0.8);
  return {
    level: 'DEBUG',
    logger: 'cache',
    text: `cache ${hit ? 'hit' : 'miss'} key=${key} (redis ${env.cacheHost})`,
    msg: hit ? 'cache hit' : 'cache miss',
    fields: { key },
  };
}

type TrafficKind = 'request' | 'debug' | 'slow' | 'retry' | 'upstream' | 'pool';

const TRAFFIC_EVENTS: Readonly<Record<TrafficKind, (env: LogEnv, rng: Rng, boost: number) => AppEvent>> = {
  request: requestEvent,
  debug: (env, rng) => cacheDebug(env, rng),
  slow: (_env, rng) => slowRequest(rng),
  retry: (env, rng) => retryEvent(env, rng),
  upstream: (env, rng) => upstreamFailure(env, rng),
  pool: (_env, rng) => poolExhausted(rng),
};

/** Steady-state entries of an application server in one output style; `oom` reuses them as background traffic. */
export function appTraffic(style: OutputStyle): (ctx: ProfileContext, ms: number, rng: Rng) => string[] {
  return (ctx, ms, rng) => {
    const { env } = ctx;
    const boost = errorBoost(ctx, ms);
    const kind = rng.weighted<TrafficKind | 'gc'>([
      ['request', 78],
      ['debug', 5],
      ['slow', 2],
      ['retry', 2 * boost],
      ['upstream', 1 * boost],
      ['pool', 0.3 * boost],
      ['gc', env.flavor === 'java' ? 4 : 0],
    ]);
    if (kind === 'gc') {
      const seq = Math.floor((ms - ctx.startedAtMs) / 7000);
      return [jvmGcLine(ms, seq, { usedMb: rng.int(90, 260), maxMb: 512, pauseMs: 2 + rng.next() * 30 })];
    }
    return style.format(env, ms, TRAFFIC_EVENTS[kind](env, rng, boost));
  };
}

function appServer(style: OutputStyle): ProfileImpl {
  const traffic = appTraffic(style);
  return {
    entriesPerMinute: 40,
    startup: (ctx) =>
      appStartup(ctx, style, [startingEvent(ctx.env), dbConnectedEvent(ctx.env), listeningEvent(ctx.env, 8080)]),
    entry: traffic,
    ending: () => [],
  };
}

const NGINX: ProfileImpl = {
  entriesPerMinute: 50,
  startup: nginxStartup,
  entry: nginxEntry,
  ending: () => [],
};

const APP_TEXT = appServer(TEXT_OUTPUT);
const APP_JSON = appServer(JSON_OUTPUT);

/** `web`: nginx access logs for nginx images, text application logs otherwise. */
export function webProfile(env: LogEnv): ProfileImpl {
  return env.flavor === 'nginx' ? NGINX : APP_TEXT;
}

/** `json-service`: the same service logging JSON lines. */
export function jsonServiceProfile(): ProfileImpl {
  return APP_JSON;
}
