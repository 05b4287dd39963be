// SPDX-License-Identifier: Apache-2.0
// Loads the configuration once, at start-up, from its sources in precedence order (REQUIREMENTS §7.5, lowest
// first): schema defaults < `.env` in the working directory < YAML file (`--config` or `KRM_CONFIG`) < `KRM_*`
// environment variables < CLI flags (named flags and `--set key=value`). Pure: the caller injects the environment,
// the file reader and the working directory, so tests and `krm config check` see exactly what `krm serve` sees.
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors/app-error.ts';
import { parseDotenv } from './dotenv.ts';
import { describeConfigSchema, flagAttribute, type ConfigKey } from './keys.ts';
import { isSecretFieldName, redactUrlCredentials } from './redact.ts';
import { ConfigSchema, type Config } from './schema.ts';

/** A CLI flag value as commander hands it over. */
export type ConfigFlagValue = string | number | boolean | readonly string[] | undefined;

/**
 * CLI flags as commander parses them (attribute names): `config` (file path), `set` (repeatable `key=value`) and
 * the per-key flags of the schema (`port`, `host`, `db`, `logLevel`, …; see docs/config.md).
 */
export type ConfigFlags = Readonly<Record<string, ConfigFlagValue>>;

/** Inputs of {@link loadConfig}; nothing else is read. */
export interface LoadConfigOptions {
  flags?: ConfigFlags;
  /** The process environment (only `KRM_*` variables are read). */
  env: Readonly<Record<string, string | undefined>>;
  /** Reads a UTF-8 text file; returns `undefined` when it does not exist, throws on other errors. */
  readFile: (path: string) => string | undefined;
  /** Working directory: where `.env` is looked for and relative paths resolve. */
  cwd: string;
}

/** Variable naming the YAML config file; not itself a config key. */
export const CONFIG_FILE_ENV = 'KRM_CONFIG';

interface Assignment {
  path: readonly string[];
  value: unknown;
  source: string;
}

type Tree = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Tree =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, yes: true, on: true, '1': true, false: false, no: false, off: false, '0': false };
const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Converts an environment or flag string to the key's input type; unconvertible text is left for zod to reject. */
function fromText(key: ConfigKey, text: string): unknown {
  const t = text.trim();
  switch (key.kind) {
    case 'integer':
    case 'number':
      return NUMBER_TEXT.test(t) ? Number(t) : text;
    case 'boolean':
      return BOOLEAN_WORDS[t.toLowerCase()] ?? text;
    case 'list':
      return t.split(',').map((s) => s.trim()).filter((s) => s !== '');
    default:
      return text;
  }
}

function envAssignments(keys: readonly ConfigKey[], vars: Readonly<Record<string, string | undefined>>, where: string): Assignment[] {
  const out: Assignment[] = [];
  for (const key of keys) {
    const text = vars[key.env];
    // An empty variable counts as unset, the way shells and container specs are usually written.
    if (text === undefined || text === '') continue;
    out.push({ path: key.path, value: fromText(key, text), source: `${key.env}${where}` });
  }
  return out;
}

function leafAssignments(value: unknown, path: string[], source: string): Assignment[] {
  if (isPlainObject(value)) {
    return Object.entries(value).flatMap(([name, child]) => leafAssignments(child, [...path, name], source));
  }
  // YAML `key:` with no value (null) means "not set here".
  return value === null || value === undefined ? [] : [{ path, value, source }];
}

function readText(readFile: LoadConfigOptions['readFile'], path: string): string | undefined {
  try {
    return readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new ConfigError('KRM_CONFIG_INVALID', `cannot read ${path}: ${reason}`, { cause: err });
  }
}

function yamlAssignments(text: string, file: string): Assignment[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0]?.replace(/:$/, '');
    throw new ConfigError('KRM_CONFIG_INVALID', `${file}: ${first}`, { cause: err });
  }
  if (doc === null || doc === undefined) return [];
  if (!isPlainObject(doc)) throw new ConfigError('KRM_CONFIG_INVALID', `${file}: must be a YAML mapping of config keys`);
  return leafAssignments(doc, [], file);
}

function setAssignments(keys: readonly ConfigKey[], sets: ConfigFlagValue): Assignment[] {
  const list = typeof sets === 'string' ? [sets] : Array.isArray(sets) ? (sets as readonly string[]) : [];
  return list.map((item) => {
    const eq = item.indexOf('=');
    const id = eq < 0 ? item : item.slice(0, eq);
    const key = keys.find((k) => k.id === id);
    if (eq < 0 || key === undefined) {
      const why = eq < 0 ? 'expected key=value' : `unknown key "${id}" (see docs/config.md)`;
      throw new ConfigError('KRM_CONFIG_INVALID', `--set ${item}: ${why}`);
    }
    return { path: key.path, value: fromText(key, item.slice(eq + 1)), source: `--set ${id}` };
  });
}

function flagAssignments(keys: readonly ConfigKey[], flags: ConfigFlags): Assignment[] {
  const out: Assignment[] = [];
  for (const key of keys) {
    if (key.flag === undefined) continue;
    const value = flags[flagAttribute(key.flag)];
    if (value === undefined) continue;
    out.push({ path: key.path, value: typeof value === 'string' ? fromText(key, value) : value, source: `--${key.flag}` });
  }
  return [...out, ...setAssignments(keys, flags['set'])];
}

// Names that would reach Object.prototype instead of becoming keys.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

function applyAll(layers: readonly Assignment[][]): { tree: Tree; sources: Map<string, string> } {
  const tree: Tree = {};
  const sources = new Map<string, string>();
  for (const a of layers.flat()) {
    if (a.path.some((segment) => FORBIDDEN_SEGMENTS.has(segment))) {
      throw new ConfigError('KRM_CONFIG_INVALID', `${a.path.join('.')}: unknown key (from ${a.source})`);
    }
    let node = tree;
    for (const segment of a.path.slice(0, -1)) {
      const next = node[segment];
      node = isPlainObject(next) ? next : (node[segment] = {});
    }
    node[a.path[a.path.length - 1] as string] = a.value;
    sources.set(a.path.join('.'), a.source);
  }
  return { tree, sources };
}

function valueAt(tree: Tree, path: readonly string[]): unknown {
  let v: unknown = tree;
  for (const segment of path) v = isPlainObject(v) ? v[segment] : undefined;
  return v;
}

interface IssueContext {
  tree: Tree;
  sources: Map<string, string>;
  secrets: Set<string>;
}

// Kubernetes injects `<SERVICE>_PORT=tcp://<ip>:<port>` for every Service in the namespace, so a Service named
// `krm` collides with KRM_PORT.
function hintFor(source: string | undefined, value: unknown): string {
  return source === 'KRM_PORT' && typeof value === 'string' && value.startsWith('tcp://')
    ? '; a Kubernetes Service named "krm" injects this variable: rename it or set enableServiceLinks: false'
    : '';
}

function describeValue(path: readonly string[], ctx: IssueContext): string {
  const id = path.join('.');
  const value = valueAt(ctx.tree, path);
  const source = ctx.sources.get(id);
  const from = source === undefined ? '' : `from ${source}`;
  if (value === undefined || isPlainObject(value)) return from === '' ? '' : ` (${from})`;
  const secret = ctx.secrets.has(id) || isSecretFieldName(path[path.length - 1] ?? '');
  const shown = secret ? '"***"' : redactUrlCredentials(JSON.stringify(value));
  return ` (got ${shown}${from === '' ? '' : ` ${from}`})${hintFor(source, value)}`;
}

function describeIssue(issue: z.core.$ZodIssue, ctx: IssueContext): string[] {
  const base = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    // The value of an unknown key is not echoed: it may be a secret under a misspelt name.
    return issue.keys.map((k) => {
      const id = [...base, k].join('.');
      const source = ctx.sources.get(id);
      return `${id}: unknown key${source === undefined ? '' : ` (from ${source})`}`;
    });
  }
  return [`${base.length === 0 ? '(root)' : base.join('.')}: ${issue.message}${describeValue(base, ctx)}`];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Loads, validates and deep-freezes the configuration.
 * @throws ConfigError (`KRM_CONFIG_INVALID`, exit code 2) naming every bad key with its reason, the offending value
 * (secrets shown as `***`) and where it came from, e.g. `collection.interval: must be at least 15s (got "5s" from
 * KRM_COLLECTION_INTERVAL)`; several problems are joined with `; ` on one line.
 */
export function loadConfig(opts: LoadConfigOptions): Config {
  const { keys } = describeConfigSchema();
  const flags = opts.flags ?? {};
  const dotenvPath = resolve(opts.cwd, '.env');
  const dotenvText = readText(opts.readFile, dotenvPath);
  const dotenv = dotenvText === undefined ? {} : parseDotenv(dotenvText, dotenvPath);
  const layers: Assignment[][] = [envAssignments(keys, dotenv, ` in ${dotenvPath}`)];
  const file = configFilePath(flags, [opts.env, dotenv]);
  if (file !== undefined) {
    const filePath = resolve(opts.cwd, file);
    const text = readText(opts.readFile, filePath);
    if (text === undefined) throw new ConfigError('KRM_CONFIG_INVALID', `config file not found: ${filePath}`);
    layers.push(yamlAssignments(text, filePath));
  }
  layers.push(envAssignments(keys, opts.env, ''), flagAssignments(keys, flags));
  const { tree, sources } = applyAll(layers);
  const parsed = ConfigSchema.safeParse(tree);
  if (!parsed.success) {
    const ctx = { tree, sources, secrets: new Set(keys.filter((k) => k.secret).map((k) => k.id)) };
    const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, ctx));
    throw new ConfigError('KRM_CONFIG_INVALID', problems.join('; '), { details: { problems } });
  }
  return deepFreeze(parsed.data);
}

function configFilePath(flags: ConfigFlags, envs: ReadonlyArray<Readonly<Record<string, string | undefined>>>): string | undefined {
  const flag = flags['config'];
  if (typeof flag === 'string' && flag !== '') return flag;
  for (const env of envs) {
    const value = env[CONFIG_FILE_ENV];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/**
 * `KRM_*` variables that name no config key (typos, or keys of a newer version). They are ignored by
 * {@link loadConfig}, because platforms add variables of their own (Kubernetes injects `KRM_SERVICE_HOST` and
 * friends for a Service named `krm`); callers print or log these as a warning.
 */
export function unknownEnvVars(env: Readonly<Record<string, string | undefined>>): string[] {
  const known = new Set([CONFIG_FILE_ENV, ...describeConfigSchema().keys.map((k) => k.env)]);
  return Object.keys(env)
    .filter((name) => name.startsWith('KRM_') && !known.has(name))
    .sort();
}
