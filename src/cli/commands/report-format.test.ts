// SPDX-License-Identifier: Apache-2.0
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import type { Finding } from '../../analysis/findings.ts';
import { alignColumns, csvField, formatReport, markdownCell, REPORT_FORMATS } from './report-format.ts';
import { finishReport, tripsFailOn, type Report, type ReportRecommendation } from './report-model.ts';

const MIB = 1_048_576;

function finding(over: Partial<Finding> & Pick<Finding, 'severity'>): Finding {
  return {
    cluster: 'prod',
    analysis: 'leak',
    rule: 'memory-leak',
    entity: { kind: 'container', namespace: 'shop', name: 'cart-1', container: 'app' },
    title: 'Memory leak',
    explanation: 'Working set grows 40 MiB/h; OOM in about 6 h.',
    action: 'Fix the leak or restart the pod before it is killed.',
    confidence: 'high',
    evidence: {},
    detectedAtMs: Date.UTC(2026, 0, 1),
    ...over,
  };
}

const rec: ReportRecommendation = {
  namespace: 'ml',
  workload: 'Deployment/notebook',
  container: 'jupyter',
  strategy: 'krm',
  severity: 'high',
  confidence: 'medium',
  current: { cpuRequest: 2000, memRequest: 4096 * MIB },
  recommended: { cpuRequest: 100, memRequest: 512 * MIB },
  monthlySavings: 61.5,
  explanation: 'Uses 40m CPU at p95, "idle", most of the day.',
};

function report(over: Partial<Report> = {}): Report {
  return {
    cluster: 'prod',
    generatedAtMs: Date.UTC(2026, 0, 1, 12),
    source: 'prometheus',
    strategy: 'krm',
    windowMs: 14 * 86_400_000,
    findings: [
      finding({ severity: 'low', entity: { kind: 'pvc', namespace: 'data', name: 'kafka-0' }, analysis: 'pvc', rule: 'filling', title: 'Volume filling' }),
      finding({ severity: 'critical' }),
      finding({ severity: 'medium', analysis: 'throttling', rule: 'throttling-high', title: 'CPU throttled', entity: { kind: 'container', namespace: 'payments', name: 'fraud-1', container: 'app' } }),
    ],
    recommendations: [rec, { ...rec, namespace: 'shop', workload: 'Deployment/api', container: 'app', severity: 'low', monthlySavings: 3 }],
    prometheusQueries: 37,
    ...over,
  };
}

describe('report model', () => {
  test('findings are sorted most severe first, and restricted to the namespaces asked for', () => {
    const r = finishReport(report(), []);
    assert.deepEqual(r.findings.map((f) => f.severity), ['critical', 'medium', 'low']);
    const only = finishReport(report(), ['data', 'ml']);
    assert.deepEqual(only.findings.map((f) => f.entity.name), ['kafka-0']);
    assert.deepEqual(only.recommendations.map((x) => x.namespace), ['ml']);
  });

  test('--fail-on trips at or above its severity only', () => {
    const r = report({ findings: [finding({ severity: 'medium' })] });
    assert.equal(tripsFailOn(r, 'low'), true);
    assert.equal(tripsFailOn(r, 'medium'), true);
    assert.equal(tripsFailOn(r, 'high'), false);
    assert.equal(tripsFailOn(r, undefined), false);
    assert.equal(tripsFailOn(report({ findings: [] }), 'info'), false);
  });
});

describe('report formats', () => {
  test('table: aligned columns, severity-sorted, with recommended requests and savings', () => {
    const out = formatReport(finishReport(report(), []), 'table');
    const lines = out.split('\n');
    assert.match(lines[0] ?? '', /^cluster prod \(prometheus, strategy krm, window 14d, 37 Prometheus queries\): 3 findings \(1 low, 1 medium, 1 critical\), 2 recommendations$/);
    const header = lines.find((l) => l.startsWith('SEVERITY  ANALYSIS'));
    assert.ok(header, out);
    const rows = lines.slice(lines.indexOf(header) + 1, lines.indexOf(header) + 4);
    assert.deepEqual(rows.map((l) => l.split(/\s+/)[0]), ['CRITICAL', 'MEDIUM', 'LOW']);
    // Aligned: the object column starts at the same offset on every row.
    const col = header.indexOf('OBJECT');
    for (const row of rows) assert.equal(row[col - 1], ' ', row);
    assert.match(out, /HIGH\s+ml\/Deployment\/notebook\s+jupyter\s+2000m → 100m\s+4096Mi → 512Mi\s+61\.50\s+medium/);
    assert.ok(out.indexOf('ml/Deployment/notebook') < out.indexOf('shop/Deployment/api'), 'recommendations most severe first');
  });

  test('alignColumns pads every column but the last to its widest cell', () => {
    assert.equal(alignColumns([['a', 'bb', 'c'], ['ccc', 'd', 'e']]), 'a    bb  c\nccc  d   e');
  });

  test('json and yaml carry the same document, findings and recommendations in full', () => {
    const r = finishReport(report(), []);
    const json = JSON.parse(formatReport(r, 'json')) as Record<string, unknown>;
    const yaml = parseYaml(formatReport(r, 'yaml')) as Record<string, unknown>;
    assert.deepEqual(yaml, json);
    assert.equal(json['generatedAt'], '2026-01-01T12:00:00.000Z');
    assert.deepEqual(json['summary'], { info: 0, low: 1, medium: 1, high: 0, critical: 1 });
    assert.equal(json['prometheusQueries'], 37);
    const recs = json['recommendations'] as ReportRecommendation[];
    assert.deepEqual(recs[0]?.recommended, { cpuRequest: 100, memRequest: 512 * MIB });
  });

  test('csv: RFC 4180 quoting of commas, quotes and line breaks; one row per item', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    const tricky = finding({ severity: 'high', explanation: 'Grows 40 MiB/h, "steadily",\nsince the deploy.' });
    const out = formatReport(report({ findings: [tricky], recommendations: [rec] }), 'csv');
    assert.ok(out.endsWith('\r\n'));
    const lines = out.split('\r\n').filter((l) => l !== '');
    assert.equal(lines.length, 3, out);
    assert.match(lines[0] ?? '', /^type,severity,namespace,object,container,analysis,title,cpu_request_m/);
    assert.ok(lines[1]?.endsWith(',"Grows 40 MiB/h, ""steadily"",\nsince the deploy."'), lines[1]);
    assert.equal(lines[2], 'recommendation,high,ml,Deployment/notebook,jupyter,rightsizing,krm,2000,100,4294967296,536870912,61.5,medium,"Uses 40m CPU at p95, ""idle"", most of the day."');
  });

  test('markdown: tables with pipes escaped and line breaks folded', () => {
    assert.equal(markdownCell('a|b\nc'), 'a\\|b c');
    const out = formatReport(report({ findings: [finding({ severity: 'high', title: 'Leak | fast' })] }), 'markdown');
    assert.match(out, /^# krm report: prod\n/);
    assert.match(out, /\| SEVERITY \| ANALYSIS \| OBJECT \|/);
    assert.match(out, /\| high \| leak \| shop\/cart-1\/app \| Leak \\\| fast \|/);
    assert.match(out, /\| high \| ml\/Deployment\/notebook \| jupyter \| 2000m → 100m \| 4096Mi → 512Mi \| 61\.50 \| medium \|/);
  });

  test('every format renders an empty report without failing, and says so where people read it', () => {
    const empty = report({ findings: [], recommendations: [], prometheusQueries: undefined });
    for (const format of REPORT_FORMATS) assert.ok(formatReport(empty, format).length > 0, format);
    assert.match(formatReport(empty, 'table'), /No findings\.\n\nNo recommendations\.\n$/);
    assert.match(formatReport(empty, 'markdown'), /## Findings\n\nNo findings\.\n/);
    assert.equal(formatReport(empty, 'csv').split('\r\n').filter((l) => l !== '').length, 1);
    const json = JSON.parse(formatReport(empty, 'json')) as Record<string, unknown>;
    assert.deepEqual(json['findings'], []);
    assert.equal('prometheusQueries' in json, false);
  });

  test('a recommendation without enough data prints its current requests only', () => {
    const out = formatReport(report({ findings: [], recommendations: [{ ...rec, recommended: undefined, monthlySavings: undefined }] }), 'table');
    assert.match(out, /jupyter\s+2000m\s+4096Mi\s+-\s+medium/);
  });
});
