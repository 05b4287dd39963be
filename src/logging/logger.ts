// SPDX-License-Identifier: Apache-2.0
// The product's logger: pino writing one JSON object per line to stdout (and optionally appending to a file).
// Line shape (REQUIREMENTS §7.6, the operations-guide contract): `timestamp` (ISO 8601 UTC, `Z`), `level` (DEBUG,
// INFO, WARNING, ERROR, CRITICAL), `logger` and `component` (the component name), `message`, `module`, `function`
// and `line` (null: call-site capture is too costly in Node.js), `exception` (stack) when an `err` is attached, then
// the structured fields. Secrets are redacted from fields, bindings and errors.
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import { redactSecrets, redactUrlCredentials } from '../config/redact.ts';
import { SECRET_PATHS } from '../config/schema.ts';

export type { Logger } from 'pino';

/** Log levels, lowest first (the values of config `log.level`). */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Component name of the root logger. */
export const ROOT_COMPONENT = 'krm';

const LEVEL_LABELS: Readonly<Record<string, string>> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Lowest level written; default `info`. */
  level?: LogLevel;
  /** Also append lines to this file (created with its directory if missing). */
  file?: string;
  /** Where lines go instead of stdout (tests capture output here). */
  destination?: DestinationStream;
  /** Clock for `timestamp`, in Unix epoch milliseconds; default `Date.now`. */
  now?: () => number;
  /** Fields on every line, e.g. `{ cluster: 'prod' }`. */
  base?: Record<string, unknown>;
  /** Config paths redacted wherever a config object is logged (top level or one level down); default SECRET_PATHS. */
  secretPaths?: readonly string[];
}

// Pino's redact paths: the secret config paths, also when the config is logged under a field (`{ config }`), and
// authorization headers of request objects. Field names like `password` are caught by redactSecrets as well.
function redactPaths(secretPaths: readonly string[]): string[] {
  const headers = ['authorization', 'cookie', 'proxy-authorization'].flatMap((h) => [
    `headers["${h}"]`,
    `req.headers["${h}"]`,
    `request.headers["${h}"]`,
  ]);
  return [...secretPaths.flatMap((p) => [p, `*.${p}`]), ...headers];
}

// Child loggers are distinct objects; their component is read from the bindings once. `bound` says whether the
// component is a binding (already in the line) or must be added (the root logger).
const componentCache = new WeakMap<object, { component: string; bound: boolean }>();

function componentOf(logger: Logger): { component: string; bound: boolean } {
  let entry = componentCache.get(logger);
  if (entry === undefined) {
    const bound = logger.bindings()['component'];
    entry = typeof bound === 'string' ? { component: bound, bound: true } : { component: ROOT_COMPONENT, bound: false };
    componentCache.set(logger, entry);
  }
  return entry;
}

function mixin(merge: object, _level: number, logger: Logger): object {
  const { component, bound } = componentOf(logger);
  const fields: Record<string, unknown> = { logger: component, module: component, function: null, line: null };
  if (!bound) fields['component'] = component;
  const err = (merge as { err?: unknown }).err;
  if (err instanceof Error) fields['exception'] = err.stack ?? `${err.name}: ${err.message}`;
  return fields;
}

const redactText = (text: string): string => (text.includes('://') && text.includes('@') ? redactUrlCredentials(text) : text);

// Messages should be constant, but `log.error(err)` takes the error's message as the line's message: redact URLs in
// message strings too.
function logMethod(this: Logger, args: Parameters<Logger['info']>, method: (...a: unknown[]) => void): void {
  const [first, ...rest] = args as unknown[];
  if (first instanceof Error && rest.length === 0) {
    method.apply(this, [first, redactText(first.message)]);
    return;
  }
  method.apply(this, (args as unknown[]).map((a) => (typeof a === 'string' ? redactText(a) : a)));
}

function destinationFor(opts: CreateLoggerOptions): DestinationStream {
  const primary = opts.destination ?? pino.destination({ dest: 1, sync: true });
  if (opts.file === undefined) return primary;
  // Synchronous appends: log volume is low, and lines written just before a crash are the ones that matter.
  const file = pino.destination({ dest: opts.file, mkdir: true, append: true, sync: true });
  return pino.multistream([
    { stream: primary, level: 'trace' },
    { stream: file, level: 'trace' },
  ]);
}

/**
 * Creates the root logger. Pass it down and derive component loggers with {@link componentLogger}; there is no
 * module-level instance. Call `logger.flush()` before exit when a file destination is used.
 */
export function createLogger(opts: CreateLoggerOptions = {}): Logger {
  const now = opts.now ?? Date.now;
  return pino(
    {
      level: opts.level ?? 'info',
      base: opts.base ?? null,
      messageKey: 'message',
      timestamp: () => `,"timestamp":"${new Date(now()).toISOString()}"`,
      formatters: {
        level: (label) => ({ level: LEVEL_LABELS[label] ?? label.toUpperCase() }),
        bindings: (bindings) => redactSecrets(bindings),
        log: (fields) => redactSecrets(fields),
      },
      mixin,
      // stdSerializers.err returns an object with its own prototype; spread it so redactSecrets walks it.
      serializers: { err: (e: Error) => redactSecrets({ ...stdSerializers.err(e) }) },
      hooks: { logMethod },
      redact: { paths: redactPaths(opts.secretPaths ?? SECRET_PATHS), censor: '***' },
    },
    destinationFor(opts),
  );
}

// How each component logger was made, so that a component logger of a component logger is derived from the root
// with merged bindings: pino never replaces a binding, it would write `component` twice in every line.
const lineage = new WeakMap<Logger, { root: Logger; bindings: Record<string, unknown> }>();

/**
 * A logger for one component, e.g. `componentLogger(log, 'kube.watch', { kind: 'pods' })`: every line carries
 * `component` (and `logger`) plus the bindings. Deriving from another component logger replaces its component and
 * keeps its other bindings. Do not repeat bound fields in logged objects: pino would write them twice.
 */
export function componentLogger(parent: Logger, component: string, bindings: Record<string, unknown> = {}): Logger {
  const from = lineage.get(parent) ?? { root: parent, bindings: {} };
  // Pino applies formatters.bindings to the root's bindings only; child bindings are redacted here.
  const merged = redactSecrets({ ...from.bindings, ...bindings, component });
  const child = from.root.child(merged);
  lineage.set(child, { root: from.root, bindings: merged });
  return child;
}
