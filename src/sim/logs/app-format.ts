// SPDX-License-Identifier: Apache-2.0
// How application log events look on stdout, per runtime: winston-style text for Node.js, logrus for Go, Spring
// Boot's console pattern for Java, the logging default for Python; and, for JSON output, pino (Node.js), zap
// (Go and others), logstash-logback-encoder (Java) and python-json-logger. Stack traces follow the message in
// text formats and go into the conventional field of each JSON encoder.
import { isoMillis, isoSeconds, pythonTime } from './time-format.ts';
import type { Level, LogEnv } from './types.ts';

export type FieldValue = string | number | boolean;

export interface AppEvent {
  level: Level;
  /** Component name, for example `http`, `db`, `worker`. */
  logger: string;
  /** The human-readable line, as a text logger prints it. */
  text: string;
  /** Message of the JSON form; defaults to `text`. */
  msg?: string;
  /** Structured fields of the JSON form. */
  fields?: Readonly<Record<string, FieldValue>>;
  /** Stack trace lines, printed after the message. */
  stack?: readonly string[];
  /** Java thread name; defaults by logger. */
  thread?: string;
}

const JAVA_LOGGERS: Readonly<Record<string, string>> = {
  http: 'c.e.app.web.RequestLoggingFilter',
  db: 'com.zaxxer.hikari.pool.HikariPool',
  worker: 'c.e.app.jobs.JobRunner',
  cache: 'c.e.app.cache.RedisCacheClient',
  app: 'c.e.app.Application',
  gc: 'c.e.app.monitoring.MemoryMonitor',
  client: 'c.e.app.client.UpstreamClient',
  batch: 'c.e.app.batch.ImportJob',
  boot: 'o.s.boot.SpringApplication',
  servlet: 'o.a.c.c.C.[.[.[/].[dispatcherServlet]',
  config: 'o.s.b.d.LoggingFailureAnalysisReporter',
};

function javaLogger(logger: string): string {
  return (JAVA_LOGGERS[logger] ?? `c.e.app.${logger}`).padEnd(40).slice(0, 40);
}

const MAIN_THREAD_LOGGERS = new Set(['app', 'boot', 'config']);

function javaThread(ev: AppEvent): string {
  const fallback = ev.logger === 'worker' ? 'scheduling-1' : MAIN_THREAD_LOGGERS.has(ev.logger) ? 'main' : 'nio-8080-exec-1';
  const thread = ev.thread ?? fallback;
  return thread.length > 15 ? thread.slice(thread.length - 15) : thread.padStart(15);
}

function goLevel(level: Level): string {
  return level === 'WARN' ? 'warning' : level.toLowerCase();
}

function textLine(env: LogEnv, ms: number, ev: AppEvent): string {
  switch (env.flavor) {
    case 'node':
      return `${isoMillis(ms)} ${ev.level.toLowerCase()}: [${ev.logger}] ${ev.text}`;
    case 'go':
      return `time="${isoSeconds(ms)}" level=${goLevel(ev.level)} msg=${JSON.stringify(ev.text)} component=${ev.logger}`;
    case 'java':
      return `${isoMillis(ms)} ${ev.level.padStart(5)} 1 --- [${env.app}] [${javaThread(ev)}] ${javaLogger(ev.logger)} : ${ev.text}`;
    case 'python':
      return `${pythonTime(ms)} ${ev.level === 'WARN' ? 'WARNING' : ev.level} [${ev.logger}] ${ev.text}`;
    default:
      return `${isoMillis(ms)} ${ev.level.padEnd(5)} [${ev.logger}] ${ev.text}`;
  }
}

/** The event as plain text lines: the message line, then the stack trace if any. */
export function formatText(env: LogEnv, ms: number, ev: AppEvent): string[] {
  return [textLine(env, ms, ev), ...(ev.stack ?? [])];
}

const JAVA_LEVEL_VALUE: Readonly<Record<Level, number>> = { DEBUG: 10000, INFO: 20000, WARN: 30000, ERROR: 40000 };

type JsonEncoder = (env: LogEnv, ms: number, ev: AppEvent) => Record<string, FieldValue>;

function stackOf(ev: AppEvent): string | undefined {
  return ev.stack === undefined ? undefined : ev.stack.join('\n');
}

const logstashRecord: JsonEncoder = (_env, ms, ev) => {
  const stack = stackOf(ev);
  return {
    '@timestamp': isoMillis(ms),
    '@version': '1',
    message: ev.msg ?? ev.text,
    logger_name: javaLogger(ev.logger).trim(),
    thread_name: javaThread(ev).trim(),
    level: ev.level,
    level_value: JAVA_LEVEL_VALUE[ev.level],
    ...ev.fields,
    ...(stack === undefined ? {} : { stack_trace: stack }),
  };
};

const pythonRecord: JsonEncoder = (_env, ms, ev) => {
  const stack = stackOf(ev);
  return {
    asctime: pythonTime(ms),
    levelname: ev.level === 'WARN' ? 'WARNING' : ev.level,
    name: ev.logger,
    message: ev.msg ?? ev.text,
    ...ev.fields,
    ...(stack === undefined ? {} : { exc_info: stack }),
  };
};

const pinoRecord: JsonEncoder = (env, ms, ev) => {
  const stack = stackOf(ev);
  return {
    level: ev.level.toLowerCase(),
    time: isoMillis(ms),
    pid: 1,
    hostname: env.app,
    name: ev.logger,
    msg: ev.msg ?? ev.text,
    ...ev.fields,
    ...(stack === undefined ? {} : { err: stack }),
  };
};

const zapRecord: JsonEncoder = (_env, ms, ev) => {
  const stack = stackOf(ev);
  return {
    level: ev.level.toLowerCase(),
    ts: isoMillis(ms),
    logger: ev.logger,
    caller: `${ev.logger}/${ev.logger === 'http' ? 'server' : 'client'}.go:${100 + (ev.text.length % 180)}`,
    msg: ev.msg ?? ev.text,
    ...ev.fields,
    ...(stack === undefined ? {} : { stacktrace: stack }),
  };
};

const JSON_ENCODERS: Readonly<Partial<Record<LogEnv['flavor'], JsonEncoder>>> = {
  java: logstashRecord,
  python: pythonRecord,
  node: pinoRecord,
};

/** The event as one JSON line, in the encoder of the runtime. */
export function formatJson(env: LogEnv, ms: number, ev: AppEvent): string[] {
  return [JSON.stringify((JSON_ENCODERS[env.flavor] ?? zapRecord)(env, ms, ev))];
}

/** Plain text or JSON lines, as the container's logger is configured. */
export interface OutputStyle {
  readonly json: boolean;
  format(env: LogEnv, ms: number, ev: AppEvent): string[];
}

export const TEXT_OUTPUT: OutputStyle = { json: false, format: formatText };
export const JSON_OUTPUT: OutputStyle = { json: true, format: formatJson };
