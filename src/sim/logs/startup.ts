// SPDX-License-Identifier: Apache-2.0
// Start-up output of application containers: the runtime's own preamble (npm's script echo, the Spring Boot
// banner) followed by the application's first log events, spaced as a JVM (slow) or a Go binary (fast) would.
import { createRng } from './rng.ts';
import type { AppEvent, OutputStyle } from './app-format.ts';
import type { LogEnv, ProfileContext, StartupEntry } from './types.ts';

const SPRING_BANNER = [
  '',
  '  .   ____          _            __ _ _',
  " /\\\\ / ___'_ __ _ _(_)_ __  __ _ \\ \\ \\ \\",
  "( ( )\\___ | '_ | '_| | '_ \\/ _` | \\ \\ \\ \\",
  " \\\\/  ___)| |_)| | | | | || (_| |  ) ) ) )",
  "  '  |____| .__|_| |_|_| |_\\__, | / / / /",
  ' =========|_|==============|___/=/_/_/_/',
  '',
  ' :: Spring Boot ::                (v3.4.1)',
  '',
];

const RUNTIME_VERSION: Readonly<Record<string, string>> = {
  node: 'node v20.19.0',
  go: 'go1.24.4',
  java: 'Java 21.0.5',
  python: 'Python 3.12.8',
};

/** Output the runtime prints before the application logs anything (text mode only). */
function preamble(env: LogEnv): string[] {
  if (env.flavor === 'java') return SPRING_BANNER;
  if (env.flavor === 'node') return ['', `> ${env.app}@${env.version} start`, '> node dist/server.js', ''];
  return [];
}

export function startingEvent(env: LogEnv): AppEvent {
  const runtime = RUNTIME_VERSION[env.flavor] ?? 'linux/amd64';
  const text =
    env.flavor === 'java'
      ? `Starting Application v${env.version} using ${runtime} with PID 1 (/app/app.jar started by app in /app)`
      : `Starting ${env.app} v${env.version} (${runtime})`;
  return { level: 'INFO', logger: 'app', text, msg: 'starting', fields: { version: env.version }, thread: 'main' };
}

export function dbConnectedEvent(env: LogEnv): AppEvent {
  const target = `${env.dbHost}:${env.dbPort}`;
  const text =
    env.flavor === 'java'
      ? 'HikariPool-1 - Start completed.'
      : `Connected to ${env.dbKind} at ${target} (pool size 10)`;
  return { level: 'INFO', logger: 'db', text, msg: 'database connected', fields: { host: target, pool_size: 10 }, thread: 'main' };
}

export function listeningEvent(env: LogEnv, port: number): AppEvent {
  const text =
    env.flavor === 'java'
      ? `Tomcat started on port ${port} (http) with context path '/'`
      : `HTTP server listening on 0.0.0.0:${port}`;
  return { level: 'INFO', logger: 'http', text, msg: 'listening', fields: { addr: `0.0.0.0:${port}` }, thread: 'main' };
}

/**
 * Start-up entries: the preamble (text output only), then `events` in order. JVMs take seconds between steps,
 * other runtimes milliseconds.
 */
export function appStartup(ctx: ProfileContext, style: OutputStyle, events: readonly AppEvent[]): StartupEntry[] {
  const { env } = ctx;
  const rng = createRng(ctx.seed, 0x5747);
  const entries: StartupEntry[] = [];
  const lines = preamble(env);
  if (lines.length > 0 && !style.json) entries.push({ offsetMs: 40, lines: () => lines });
  let offset = env.flavor === 'java' ? 900 : 120;
  for (const ev of events) {
    entries.push({ offsetMs: offset, lines: (ms) => style.format(env, ms, ev) });
    offset += env.flavor === 'java' ? rng.int(250, 1800) : rng.int(3, 180);
  }
  return entries;
}
