// SPDX-License-Identifier: Apache-2.0
// Test support for the exporter tests only: a strict little parser for Prometheus text (and the OpenMetrics
// subset we write), so tests can assert on families, label names and values, and on the structural rules
// promtool does not check (each family once, its samples contiguous, no duplicate series).
import { spawnSync } from 'node:child_process';

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  labelNames: string[];
  value: number;
  timestamp?: number;
}

export interface ParsedFamily {
  name: string;
  help?: string;
  type?: string;
  samples: ParsedSample[];
}

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)(?: (\S+))?$/;

function unescape(v: string): string {
  return v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

export function parseSample(line: string): ParsedSample {
  const m = SAMPLE.exec(line);
  if (!m) throw new Error(`not a sample line: ${line}`);
  const labels: Record<string, string> = {};
  const labelNames: string[] = [];
  for (const l of (m[2] ?? '').matchAll(LABEL)) {
    labels[l[1] ?? ''] = unescape(l[2] ?? '');
    labelNames.push(l[1] ?? '');
  }
  const ts = m[4] === undefined ? {} : { timestamp: Number(m[4]) };
  return { name: m[1] ?? '', labels, labelNames, value: parseValue(m[3] ?? ''), ...ts };
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  return text === '-Inf' ? -Infinity : Number(text);
}

/** The family a sample belongs to: the current one when the name matches it (OpenMetrics counters add `_total`). */
function familyOf(sampleName: string, current: ParsedFamily | undefined): string {
  if (current && (sampleName === current.name || sampleName === `${current.name}_total`)) return current.name;
  return sampleName;
}

/**
 * Parses an exposition into families in order. Throws when a family's metadata appears twice or its samples are
 * split by another family: both renderers promise contiguous families.
 */
export function parseExposition(text: string): ParsedFamily[] {
  const families = new Map<string, ParsedFamily>();
  let current: ParsedFamily | undefined;
  const enter = (name: string): ParsedFamily => {
    if (current?.name === name) return current;
    if (families.has(name)) throw new Error(`family ${name} is not contiguous`);
    current = { name, samples: [] };
    families.set(name, current);
    return current;
  };
  for (const line of text.split('\n')) {
    if (line === '' || line === '# EOF') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const fam = enter(meta[2] ?? '');
      const key = meta[1] === 'HELP' ? 'help' : 'type';
      if (fam[key] !== undefined) throw new Error(`second ${meta[1]} for ${fam.name}`);
      fam[key] = meta[3] ?? '';
      continue;
    }
    const s = parseSample(line);
    enter(familyOf(s.name, current)).samples.push(s);
  }
  return [...families.values()];
}

export function familyMap(text: string): Map<string, ParsedFamily> {
  return new Map(parseExposition(text).map((f) => [f.name, f]));
}

/** Throws if two samples of a family have the same label set. */
export function assertNoDuplicateSeries(families: readonly ParsedFamily[]): void {
  for (const f of families) {
    const seen = new Set<string>();
    for (const s of f.samples) {
      const key = `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;
      if (seen.has(key)) throw new Error(`duplicate series ${key}`);
      seen.add(key);
    }
  }
}

/** Samples of `family` whose labels include all of `match`. */
export function samplesWhere(families: Map<string, ParsedFamily>, family: string, match: Record<string, string> = {}): ParsedSample[] {
  const f = families.get(family);
  if (!f) return [];
  return f.samples.filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

export const PROMTOOL = '/usr/bin/promtool';

/** Runs `promtool check metrics` on `text` via stdin; returns the exit code and the lint lines. */
export function promtoolCheckMetrics(text: string): { status: number | null; problems: string[]; stderr: string } {
  const res = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  const problems = `${res.stdout}\n${res.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return { status: res.status, problems, stderr: res.stderr };
}
