// SPDX-License-Identifier: Apache-2.0
// The output formats of `krm report`: an aligned table for people (default), JSON and YAML for tools, CSV for
// spreadsheets (RFC 4180 quoting) and Markdown for pull requests and CI summaries. Every format renders the same
// report (report-model.ts), already filtered and sorted.
import { stringify } from 'yaml';
import type { Finding } from '../../analysis/findings.ts';
import { cpuQuantity, memoryQuantity } from '../../analysis/rightsizing/patch.ts';
import { findingObject, severityCounts, type Report, type ReportRecommendation } from './report-model.ts';

export const REPORT_FORMATS = ['table', 'json', 'yaml', 'csv', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const cpu = (m: number | undefined): string => (m === undefined ? '-' : cpuQuantity(m));
const mem = (b: number | undefined): string => (b === undefined ? '-' : memoryQuantity(b));
const money = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(2));

/** `current → recommended` of one resource. */
function change(current: string, recommended: string | undefined): string {
  return recommended === undefined ? current : `${current} → ${recommended}`;
}

function findingRow(f: Finding): string[] {
  return [f.severity, f.analysis, findingObject(f), f.title, f.explanation, f.action, f.confidence];
}
const FINDING_HEADER = ['SEVERITY', 'ANALYSIS', 'OBJECT', 'TITLE', 'EXPLANATION', 'ACTION', 'CONFIDENCE'];

function recommendationRow(r: ReportRecommendation): string[] {
  const rec = r.recommended;
  return [
    r.severity,
    `${r.namespace}/${r.workload}`,
    r.container,
    change(cpu(r.current.cpuRequest), rec ? cpu(rec.cpuRequest) : undefined),
    change(mem(r.current.memRequest), rec ? mem(rec.memRequest) : undefined),
    money(r.monthlySavings),
    r.confidence,
  ];
}
const RECOMMENDATION_HEADER = ['SEVERITY', 'WORKLOAD', 'CONTAINER', 'CPU REQUEST', 'MEMORY REQUEST', 'SAVINGS/MONTH', 'CONFIDENCE'];

/** Columns padded to their widest cell (by code points, so that `→` counts as one). */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length))).join('  ')).join('\n');
}

function summaryLine(r: Report): string {
  const counts = severityCounts(r.findings);
  const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  const queries = r.prometheusQueries === undefined ? '' : `, ${r.prometheusQueries} Prometheus queries`;
  const days = (r.windowMs / 86_400_000).toFixed(r.windowMs % 86_400_000 === 0 ? 0 : 1);
  return `cluster ${r.cluster} (${r.source}, strategy ${r.strategy}, window ${days}d${queries}): ${r.findings.length} findings${parts.length ? ` (${parts.join(', ')})` : ''}, ${r.recommendations.length} recommendations`;
}

function table(r: Report): string {
  const out = [summaryLine(r), ''];
  // The table keeps one line per finding: title and object; explanation and action are in the other formats.
  if (r.findings.length === 0) out.push('No findings.');
  else out.push(alignColumns([['SEVERITY', 'ANALYSIS', 'OBJECT', 'FINDING'], ...r.findings.map((f) => [f.severity.toUpperCase(), f.analysis, findingObject(f), f.title])]));
  out.push('');
  if (r.recommendations.length === 0) out.push('No recommendations.');
  else out.push(alignColumns([RECOMMENDATION_HEADER, ...r.recommendations.map((x) => recommendationRow(x).map((c, i) => (i === 0 ? c.toUpperCase() : c)))]));
  return `${out.join('\n')}\n`;
}

/** The machine-readable document of JSON and YAML. */
export function reportDocument(r: Report): Record<string, unknown> {
  return {
    cluster: r.cluster,
    generatedAt: new Date(r.generatedAtMs).toISOString(),
    source: r.source,
    strategy: r.strategy,
    windowMs: r.windowMs,
    ...(r.prometheusQueries === undefined ? {} : { prometheusQueries: r.prometheusQueries }),
    summary: severityCounts(r.findings),
    findings: r.findings,
    recommendations: r.recommendations,
  };
}

/** One CSV field: quoted when it holds a comma, quote, CR or LF, with quotes doubled (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const CSV_HEADER = ['type', 'severity', 'namespace', 'object', 'container', 'analysis', 'title', 'cpu_request_m', 'cpu_recommended_m', 'memory_request_bytes', 'memory_recommended_bytes', 'monthly_savings', 'confidence', 'explanation'];

const num = (v: number | undefined): string => (v === undefined ? '' : String(v));

function csv(r: Report): string {
  const rows: string[][] = [CSV_HEADER];
  for (const f of r.findings) {
    const e = f.entity;
    rows.push(['finding', f.severity, e.namespace ?? '', e.name, e.container ?? '', f.analysis, f.title, '', '', '', '', '', f.confidence, f.explanation]);
  }
  for (const x of r.recommendations) {
    const c = x.current;
    const n = x.recommended;
    rows.push(['recommendation', x.severity, x.namespace, x.workload, x.container, 'rightsizing', x.strategy, num(c.cpuRequest), num(n?.cpuRequest), num(c.memRequest), num(n?.memRequest), num(x.monthlySavings), x.confidence, x.explanation]);
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** One Markdown table cell: pipes escaped, line breaks folded. */
export function markdownCell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

function markdown(r: Report): string {
  const out = [`# krm report: ${markdownCell(r.cluster)}`, '', summaryLine(r), '', '## Findings', ''];
  out.push(r.findings.length === 0 ? 'No findings.' : markdownTable(FINDING_HEADER, r.findings.map(findingRow)));
  out.push('', '## Recommendations', '');
  out.push(r.recommendations.length === 0 ? 'No recommendations.' : markdownTable(RECOMMENDATION_HEADER, r.recommendations.map(recommendationRow)));
  return `${out.join('\n')}\n`;
}

/** The report as text in the given format. */
export function formatReport(r: Report, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return table(r);
    case 'json':
      return `${JSON.stringify(reportDocument(r), null, 2)}\n`;
    case 'yaml':
      return stringify(reportDocument(r));
    case 'csv':
      return csv(r);
    case 'markdown':
      return markdown(r);
  }
}
