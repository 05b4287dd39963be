// SPDX-License-Identifier: Apache-2.0
// `npm run bench:report`: the one-shot `krm report` against a real Prometheus holding the demo's history (default
// 14 days at a 5-minute step, built with `krm sim history --families` → promtool), side by side with the approach
// of one range query per container and metric (how KRR reads history), over the same window, step and
// concurrency, in one run. Prints a table and one JSON line.
//
//   npm run bench:report -- [--days 14] [--step 300] [--concurrency 4] [--skip-cli]
//
// Rows: `krm report (CLI)` is the whole one-shot command in a child process (cluster sync, reads, analyses,
// output); `krm reader` and `per-container` read the same container history (CPU, working set, RSS, throttling of
// every container) in-process, so their ratio compares the read strategies alone.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { kubeconfigFor, startSimulationServer } from '../src/sim/index.ts';
import { DEFAULT_QUERY_LABELS } from '../src/sources/prometheus/queries.ts';
import { createRangeQuerier } from '../src/sources/prometheus/range-query.ts';
import { PrometheusSeriesReader } from '../src/sources/prometheus/series-reader.ts';
import { REPORT_FAMILIES, startHistoryPrometheus } from '../test/support/history-prometheus.ts';
import { repoRoot } from '../test/support/tools.ts';
import { perContainerRead, type ReadResult } from './report-krr.ts';

interface Row {
  readonly name: string;
  readonly queries: number;
  readonly wallMs: number;
  /** Series and samples read; absent for the CLI, which does not expose them. */
  readonly series?: number;
  readonly samples?: number;
}

function flags(): { days: number; stepSec: number; concurrency: number; skipCli: boolean } {
  const { values } = parseArgs({
    options: { days: { type: 'string', default: '14' }, step: { type: 'string', default: '300' }, concurrency: { type: 'string', default: '4' }, 'skip-cli': { type: 'boolean', default: false } },
  });
  return { days: Number(values.days), stepSec: Number(values.step), concurrency: Number(values.concurrency), skipCli: values['skip-cli'] };
}

/** The whole one-shot command in a child process: wall time and the queries it reports. */
function runCli(args: readonly string[]): Promise<{ wallMs: number; doc: { prometheusQueries?: number; recommendations: unknown[]; findings: unknown[] } }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'krm.js'), 'report', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('close', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`krm report exited ${code}: ${err}`));
      else resolve({ wallMs: performance.now() - started, doc: JSON.parse(out) as { prometheusQueries?: number; recommendations: unknown[]; findings: unknown[] } });
    });
  });
}

/** Our reader: every container series of the window, through the per-namespace aggregated queries. */
async function readerRead(o: { url: string; fromMs: number; toMs: number; stepMs: number; concurrency: number }): Promise<ReadResult & { containers: string[]; running: string[] }> {
  const started = performance.now();
  const reader = new PrometheusSeriesReader({ querier: createRangeQuerier({ url: o.url }), cluster: 'bench', fromMs: o.fromMs, toMs: o.toMs, stepMs: o.stepMs, concurrency: o.concurrency });
  const series = await reader.findSeries({ kind: 'container' });
  const wallMs = performance.now() - started;
  const stats = reader.stats();
  const containers = [...new Set(series.map((s) => s.entity))].sort();
  // Containers with a working set in the last two steps: the running ones, which is what a tool listing the
  // cluster's pods would query (from the cache: no request).
  const last = await reader.query({ selector: { kind: 'container', metrics: ['mem_ws_b'] }, fromMs: o.toMs - 2 * o.stepMs, toMs: o.toMs, stepMs: 2 * o.stepMs });
  const running = last.series.filter((s) => s.points.length > 0).map((s) => s.series.entity).sort();
  return { queries: stats.queries, wallMs, series: series.length, samples: stats.samples, containers, running };
}

function printTable(rows: readonly Row[]): void {
  const header = ['approach', 'queries', 'wall s', 'series', 'samples'];
  const cells = rows.map((r) => [r.name, String(r.queries), (r.wallMs / 1000).toFixed(2), String(r.series ?? '-'), String(r.samples ?? '-')]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  for (const line of [header, ...cells]) console.log(line.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '));
}

async function main(): Promise<void> {
  const f = flags();
  console.log(`bench:report: building ${f.days} d of the demo at ${f.stepSec} s (${REPORT_FAMILIES.length} families) …`);
  const prom = await startHistoryPrometheus({ days: f.days, stepSec: f.stepSec, families: REPORT_FAMILIES, progress: (l) => console.log(`  ${l}`) });
  const simulation = await startSimulationServer({ scenario: 'demo', port: 0, speed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'krm-bench-report-'));
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigFor(simulation.server));
    const rows: Row[] = [];
    let cli: Awaited<ReturnType<typeof runCli>> | undefined;
    if (!f.skipCli) {
      cli = await runCli(['--prometheus', prom.url, '--kubeconfig', kubeconfig, '--window', `${f.days}d`, '--step', `${f.stepSec}s`, '--format', 'json', '--cluster-name', 'bench']);
      rows.push({ name: 'krm report (CLI, one-shot)', queries: cli.doc.prometheusQueries ?? 0, wallMs: cli.wallMs });
    }
    const toMs = Date.now();
    const window = { url: prom.url, fromMs: toMs - f.days * 86_400_000, toMs, stepMs: f.stepSec * 1000, concurrency: f.concurrency };
    const ours = await readerRead(window);
    rows.push({ name: 'krm reader (per namespace × metric)', ...ours });
    const running = await perContainerRead({ ...window, containers: ours.running, labels: DEFAULT_QUERY_LABELS });
    rows.push({ name: 'per-container, running pods (1 query per container × metric)', ...running });
    const krr = await perContainerRead({ ...window, containers: ours.containers, labels: DEFAULT_QUERY_LABELS });
    rows.push({ name: 'per-container, every container of the window', ...krr });
    printTable(rows);
    if (cli) console.log(`krm report printed ${cli.doc.recommendations.length} recommendations and ${cli.doc.findings.length} findings`);
    const result = {
      bench: 'report',
      days: f.days,
      stepSec: f.stepSec,
      concurrency: f.concurrency,
      containers: ours.containers.length,
      runningContainers: ours.running.length,
      buildMs: prom.buildMs,
      cli: cli ? { queries: cli.doc.prometheusQueries, wallMs: Math.round(cli.wallMs), recommendations: cli.doc.recommendations.length, findings: cli.doc.findings.length } : null,
      reader: { queries: ours.queries, wallMs: Math.round(ours.wallMs), series: ours.series, samples: ours.samples },
      perContainerRunning: { queries: running.queries, wallMs: Math.round(running.wallMs), series: running.series, samples: running.samples },
      perContainer: { queries: krr.queries, wallMs: Math.round(krr.wallMs), series: krr.series, samples: krr.samples },
      queryRatio: Number((krr.queries / ours.queries).toFixed(1)),
      wallRatio: Number((krr.wallMs / ours.wallMs).toFixed(1)),
      runningQueryRatio: Number((running.queries / ours.queries).toFixed(1)),
      runningWallRatio: Number((running.wallMs / ours.wallMs).toFixed(2)),
      cliQueryRatio: cli?.doc.prometheusQueries ? Number((krr.queries / cli.doc.prometheusQueries).toFixed(1)) : null,
      cliWallRatio: cli ? Number((krr.wallMs / cli.wallMs).toFixed(2)) : null,
    };
    console.log(`ratio (reader vs per-container, every container): ${result.queryRatio}x fewer queries, ${result.wallRatio}x less wall time`);
    console.log(`ratio (reader vs per-container, running pods only): ${result.runningQueryRatio}x fewer queries, ${result.runningWallRatio}x less wall time`);
    console.log(JSON.stringify(result));
  } finally {
    await simulation.stop();
    await prom.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
