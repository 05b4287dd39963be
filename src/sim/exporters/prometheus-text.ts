// SPDX-License-Identifier: Apache-2.0
// Prometheus text exposition format 0.0.4: `# HELP`, `# TYPE`, then the family's samples, each family once.
// Output is produced as a stream of chunks so a 150,000-pod cluster never becomes one giant string; chunks are
// batched to ~64 KiB because one write per sample line would dominate the cost.
import { formatGoFloat } from './number-format.ts';
import type { Labels, MetricFamily, Sample } from './series.ts';

export const PROMETHEUS_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const CHUNK_CHARS = 64 * 1024;

export interface PrometheusTextOptions {
  /** Printed after the value of samples of `stamped` families (milliseconds, as the 0.0.4 format wants). */
  timestampMs?: number;
  /** Sort each family's samples by label values, as client_golang does (the per-node kubelet endpoints). */
  sortSamples?: boolean;
}

/** Label value escaping of the 0.0.4 format: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  // Almost no value needs escaping; testing first avoids a replace() allocation per label on large scrapes.
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)) : value;
}

const NEEDS_ESCAPE = /[\\"\n]/;

/** HELP escaping of the 0.0.4 format: backslash and line feed only (quotes stay as they are). */
export function escapeHelp(help: string): string {
  return help.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** `{a="1",b="2"}`, or the empty string for a sample without labels. */
export function renderLabels(labels: Labels): string {
  if (labels.length === 0) return '';
  let out = '{';
  for (let i = 0; i < labels.length; i++) {
    const pair = labels[i];
    if (pair === undefined) continue;
    out += `${i === 0 ? '' : ','}${pair[0]}="${escapeLabelValue(pair[1])}"`;
  }
  return `${out}}`;
}

function compareSamples(a: Sample, b: Sample): number {
  const n = Math.min(a.labels.length, b.labels.length);
  for (let i = 0; i < n; i++) {
    const av = a.labels[i]?.[1] ?? '';
    const bv = b.labels[i]?.[1] ?? '';
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return a.labels.length - b.labels.length;
}

function samplesOf(family: MetricFamily, sort: boolean): Iterable<Sample> {
  return sort ? [...family.samples()].sort(compareSamples) : family.samples();
}

/** Renders families as Prometheus text, yielding chunks. Families must have distinct names. */
export function* renderPrometheusText(families: Iterable<MetricFamily>, opts: PrometheusTextOptions = {}): Generator<string> {
  let buf = '';
  for (const family of families) {
    buf += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
    const suffix = family.stamped && opts.timestampMs !== undefined ? ` ${Math.round(opts.timestampMs)}` : '';
    for (const s of samplesOf(family, opts.sortSamples ?? false)) {
      buf += `${family.name}${renderLabels(s.labels)} ${formatGoFloat(s.value)}${suffix}\n`;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
  }
  if (buf.length > 0) yield buf;
}

/** The whole exposition as one string, for small endpoints and tests. */
export function prometheusTextToString(families: Iterable<MetricFamily>, opts: PrometheusTextOptions = {}): string {
  let out = '';
  for (const chunk of renderPrometheusText(families, opts)) out += chunk;
  return out;
}
