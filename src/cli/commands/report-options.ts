// SPDX-License-Identifier: Apache-2.0
// The flags of `krm report` and their checks: one source (`--server`, `--db` or `--prometheus`), the flags each
// source allows, and the values. Every problem is a KRM_CONFIG_INVALID (exit 2) naming the flag.
import { STRATEGIES, type StrategyName } from '../../analysis/rightsizing/types.ts';
import { SEVERITIES, type Severity } from '../../analysis/severity.ts';
import { parseDuration } from '../../config/duration.ts';
import { ConfigError } from '../../errors/app-error.ts';
import { REPORT_FORMATS, type ReportFormat } from './report-format.ts';

/** The raw options commander hands over. */
export interface RawReportFlags {
  readonly server?: string;
  readonly token?: string;
  readonly db?: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly prometheus?: string;
  readonly prometheusToken?: string;
  readonly namespace?: readonly string[];
  readonly format?: string;
  readonly failOn?: string;
  readonly strategy?: string;
  readonly window?: string;
  readonly step?: string;
  readonly clusterName?: string;
  /** Print the time of each phase on stderr (report.ts). */
  readonly timings?: boolean;
}

/** Where the report comes from. */
export type ReportMode =
  | { readonly kind: 'server'; readonly url: string; readonly token?: string }
  | { readonly kind: 'database'; readonly path: string; readonly kubeconfig?: string; readonly context?: string }
  | {
      readonly kind: 'prometheus';
      readonly url: string;
      readonly token?: string;
      readonly kubeconfig?: string;
      readonly context?: string;
      readonly stepMs: number;
    };

export interface ReportOptions {
  readonly mode: ReportMode;
  readonly namespaces: readonly string[];
  readonly format: ReportFormat;
  readonly failOn?: Severity;
  readonly strategy: StrategyName;
  readonly windowMs: number;
  readonly clusterName: string;
}

const bad = (flag: string, why: string): ConfigError => new ConfigError('KRM_CONFIG_INVALID', `invalid value for --${flag}: ${why}`);

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw bad(flag, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
}

function durationOf(flag: string, value: string, bounds: { minMs: number; maxMs: number }): number {
  const d = parseDuration(value);
  if (!d.ok) throw bad(flag, d.reason);
  if (d.ms < bounds.minMs || d.ms > bounds.maxMs) throw bad(flag, `${value} is out of range`);
  return d.ms;
}

function urlOf(flag: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw bad(flag, `${JSON.stringify(value)} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad(flag, 'must be an http or https URL');
  return value.replace(/\/+$/, '');
}

/** Flags set that the chosen source does not take. */
function misplaced(f: RawReportFlags, allowed: readonly (keyof RawReportFlags)[]): string | undefined {
  const sourceFlags: Array<[keyof RawReportFlags, string]> = [
    ['token', 'token'],
    ['kubeconfig', 'kubeconfig'],
    ['context', 'context'],
    ['prometheusToken', 'prometheus-token'],
    ['step', 'step'],
  ];
  return sourceFlags.find(([key]) => f[key] !== undefined && !allowed.includes(key))?.[1];
}

/** The one source flag given, or a ConfigError. */
function sourceOf(f: RawReportFlags): string {
  const given: Array<[string, string | undefined]> = [['--server', f.server], ['--db', f.db], ['--prometheus', f.prometheus]];
  const sources = given.filter(([, v]) => v !== undefined).map(([name]) => name);
  if (sources.length === 1) return sources[0] as string;
  const why = sources.length === 0 ? 'none given' : `${sources.join(' and ')} given`;
  throw new ConfigError('KRM_CONFIG_INVALID', `krm report needs exactly one source: --server URL, --db FILE or --prometheus URL (${why})`);
}

function modeOf(f: RawReportFlags): ReportMode {
  const source = sourceOf(f);
  const allowed: Record<string, Array<keyof RawReportFlags>> = {
    '--server': ['token'],
    '--db': ['kubeconfig', 'context'],
    '--prometheus': ['kubeconfig', 'context', 'prometheusToken', 'step'],
  };
  const wrong = misplaced(f, allowed[source] ?? []);
  if (wrong !== undefined) throw new ConfigError('KRM_CONFIG_INVALID', `--${wrong} cannot be used with ${source}`);
  if (f.server !== undefined) return { kind: 'server', url: urlOf('server', f.server), token: f.token };
  if (f.db !== undefined) return { kind: 'database', path: f.db, kubeconfig: f.kubeconfig, context: f.context };
  const stepMs = durationOf('step', f.step ?? '5m', { minMs: 10_000, maxMs: 86_400_000 });
  return { kind: 'prometheus', url: urlOf('prometheus', f.prometheus ?? ''), token: f.prometheusToken, kubeconfig: f.kubeconfig, context: f.context, stepMs };
}

/** The checked options, or a ConfigError naming the first bad flag. */
export function parseReportFlags(f: RawReportFlags): ReportOptions {
  const mode = modeOf(f);
  const namespaces = [...new Set(f.namespace ?? [])];
  const empty = namespaces.find((ns) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns));
  if (empty !== undefined) throw bad('namespace', `${JSON.stringify(empty)} is not a namespace name`);
  const clusterName = f.clusterName ?? 'default';
  if (!/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(clusterName)) throw bad('cluster-name', 'must be 1-63 letters, digits, ".", "_" or "-"');
  return {
    mode,
    namespaces,
    format: oneOf('format', f.format, REPORT_FORMATS) ?? 'table',
    failOn: oneOf('fail-on', f.failOn, SEVERITIES),
    strategy: oneOf('strategy', f.strategy, STRATEGIES) ?? 'krm',
    windowMs: durationOf('window', f.window ?? '14d', { minMs: 3_600_000, maxMs: 400 * 86_400_000 }),
    clusterName,
  };
}
