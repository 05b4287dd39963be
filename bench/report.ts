// SPDX-License-Identifier: Apache-2.0
// `npm run bench:report`: the one-shot `krm report` against a real Prometheus holding the demo's history (default
// 14 days at a 5-minute step, built with `krm sim history --families` → promtool), side by side with the approach
// of one range query per container and metric (how KRR reads history), over the same window, step and
// concurrency, in one run. Prints a table and one JSON line.
//
//   npm run bench:report -- [--days 14] [--step 300] [--concurrency 4] [--skip-cli] [--tsdb DIR]
//
// `--tsdb DIR` keeps the built TSDB in DIR and serves it as it is on later runs (building two weeks takes minutes);
// a reused history ends when it was built, so rebuild (empty DIR) before a run whose figures are published.
//
// Rows: `krm report (CLI)` is the whole one-shot command in a child process (cluster sync, every read of the
// analyses, analyses, output). The other rows read what the report reads of the containers (CPU and working set over
// the window, throttling over its last 75 minutes) in-process: our reader in the report's shape (one cluster-wide
// query per metric cut into time slices) and in its default shape (one query per namespace and metric), then one
// query per container and metric over the same windows, grid and concurrency for the running pods (what KRR lists
// and queries) and for every container of the window. The benchmark target is judged on the CLI and the
// report-shaped reader against the running pods' per-container read.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { kubeconfigFor, startSimulationServer } from '../src/sim/index.ts';
import { DEFAULT_QUERY_LABELS } from '../src/sources/prometheus/queries.ts';
import { createRangeQuerier, transferHeaders } from '../src/sources/prometheus/range-query.ts';
import { PrometheusSeriesReader } from '../src/sources/prometheus/series-reader.ts';
import { REPORT_FAMILIES, startHistoryPrometheus } from '../test/support/history-prometheus.ts';
import { repoRoot } from '../test/support/tools.ts';
import { perContainerRead, type MetricRead, type ReadResult } from './report-krr.ts';
import { oneShotReads } from '../src/cli/commands/report-run.ts';
import { DEFAULT_ANALYSIS_SETTINGS } from '../src/service/analysis/index.ts';
import { METRIC } from '../src/domain/series.ts';

interface Row {
  readonly name: string;
  readonly queries: number;
  readonly wallMs: number;
  /** Series and samples read; absent for the CLI, which does not expose them. */
  readonly series?: number;
  readonly samples?: number;
}

function flags(): { days: number; stepSec: number; concurrency: number; skipCli: boolean; tsdb?: string } {
  const { values } = parseArgs({
    options: {
      days: { type: 'string', default: '14' },
      step: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '4' },
      'skip-cli': { type: 'boolean', default: false },
      tsdb: { type: 'string' },
    },
  });
  const tsdb = values.tsdb === undefined ? {} : { tsdb: values.tsdb };
  return { days: Number(values.days), stepSec: Number(values.step), concurrency: Number(values.concurrency), skipCli: values['skip-cli'], ...tsdb };
}

/** The whole one-shot command in a child process: wall time and the queries it reports. */
function runCli(args: readonly string[]): Promise<{ wallMs: number; timings: string[]; doc: { prometheusQueries?: number; recommendations: unknown[]; findings: unknown[] } }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'krm.js'), 'report', '--timings', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('close', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`krm report exited ${code}: ${err}`));
      else {
        const timings = err.split('\n').filter((l) => l.startsWith('krm report: '));
        resolve({ wallMs: performance.now() - started, timings, doc: JSON.parse(out) as { prometheusQueries?: number; recommendations: unknown[]; findings: unknown[] } });
      }
    });
  });
}

/**
 * What the report reads of the containers: CPU and working set over the window (rightsizing, leaks), throttling
 * over its recent part only (report-run.ts oneShotReads).
 */
function reportReads(o: { fromMs: number; toMs: number }): MetricRead[] {
  const throttleFrom = oneShotReads(DEFAULT_ANALYSIS_SETTINGS, o).metricFromMs[METRIC.throttleRatio];
  return [{ metric: METRIC.cpuMillicores }, { metric: METRIC.memoryWorkingSetBytes }, { metric: METRIC.throttleRatio, ...(throttleFrom === undefined ? {} : { fromMs: throttleFrom }) }];
}

/** Our reader over the window, in the report's shape (`oneShot`) or the default one; the container reads of the report. */
async function readerRead(o: { url: string; fromMs: number; toMs: number; stepMs: number; concurrency: number; oneShot: boolean }): Promise<ReadResult & { entities: string[]; running: string[] }> {
  const started = performance.now();
  const shape = o.oneShot ? oneShotReads(DEFAULT_ANALYSIS_SETTINGS, o) : { metricFromMs: Object.fromEntries(reportReads(o).flatMap((r) => (r.fromMs === undefined ? [] : [[r.metric, r.fromMs]]))) };
  const reader = new PrometheusSeriesReader({ querier: createRangeQuerier({ url: o.url, headers: transferHeaders(o.url) }), cluster: 'bench', fromMs: o.fromMs, toMs: o.toMs, stepMs: o.stepMs, concurrency: o.concurrency, ...shape });
  const series = await reader.findSeries({ kind: 'container', metrics: reportReads(o).map((r) => r.metric) });
  const wallMs = performance.now() - started;
  const stats = reader.stats();
  const entities = [...new Set(series.map((s) => s.entity))].sort();
  return { queries: stats.queries, wallMs, series: series.length, samples: stats.samples, entities, running: await runningOf(reader, o) };
}

/**
 * The running containers, which a tool listing the cluster's pods would query: those with a working set in the last
 * two steps of the history (of its newest sample, not of now: the TSDB was built minutes before the run).
 */
async function runningOf(reader: PrometheusSeriesReader, o: { fromMs: number; toMs: number; stepMs: number }): Promise<string[]> {
  const ws = await reader.query({ selector: { kind: 'container', metrics: [METRIC.memoryWorkingSetBytes] }, fromMs: o.toMs - 3_600_000, toMs: o.toMs, stepMs: o.stepMs });
  const lastMs = Math.max(...ws.series.map((s) => s.points.at(-1)?.tsMs ?? 0));
  return ws.series.filter((s) => (s.points.at(-1)?.tsMs ?? 0) >= lastMs - o.stepMs).map((s) => s.series.entity).sort();
}

const ratio = (a: number, b: number, digits = 1): number => Number((a / b).toFixed(digits));

function printTable(rows: readonly Row[]): void {
  const header = ['approach', 'queries', 'wall s', 'series', 'samples'];
  const cells = rows.map((r) => [r.name, String(r.queries), (r.wallMs / 1000).toFixed(2), String(r.series ?? '-'), String(r.samples ?? '-')]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  for (const line of [header, ...cells]) console.log(line.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '));
}

type Cli = Awaited<ReturnType<typeof runCli>>;

/** The JSON line and the ratios, the target's (CLI and live reader against the running pods) first. */
function summarise(o: { f: ReturnType<typeof flags>; buildMs: unknown; cli: Cli | undefined; live: ReadResult & { running: string[] }; every: ReadResult & { entities: string[] }; running: ReadResult; krr: ReadResult }): void {
  const { f, cli, live, every, running, krr } = o;
  const figures = (r: ReadResult) => ({ queries: r.queries, wallMs: Math.round(r.wallMs), series: r.series, samples: r.samples });
  const cliQueries = cli?.doc.prometheusQueries;
  const result = {
    bench: 'report',
    days: f.days,
    stepSec: f.stepSec,
    concurrency: f.concurrency,
    containers: every.entities.length,
    runningContainers: live.running.length,
    buildMs: o.buildMs,
    cli: cli ? { queries: cliQueries, wallMs: Math.round(cli.wallMs), recommendations: cli.doc.recommendations.length, findings: cli.doc.findings.length } : null,
    reader: figures(live),
    readerEveryContainer: figures(every),
    perContainerRunning: figures(running),
    perContainer: figures(krr),
    // The benchmark target: the one-shot CLI (and our reader) against the running pods' per-container read.
    cliRunningQueryRatio: cliQueries ? ratio(running.queries, cliQueries) : null,
    cliRunningWallRatio: cli ? ratio(running.wallMs, cli.wallMs, 2) : null,
    runningQueryRatio: ratio(running.queries, live.queries),
    runningWallRatio: ratio(running.wallMs, live.wallMs, 2),
    queryRatio: ratio(krr.queries, live.queries),
    wallRatio: ratio(krr.wallMs, live.wallMs),
    cliQueryRatio: cliQueries ? ratio(krr.queries, cliQueries) : null,
    cliWallRatio: cli ? ratio(krr.wallMs, cli.wallMs, 2) : null,
  };
  if (cli) console.log(`krm report (CLI, whole one-shot) vs per-container, running pods: ${result.cliRunningQueryRatio}x fewer queries, ${result.cliRunningWallRatio}x less wall time`);
  console.log(`krm reader (report's shape) vs per-container, running pods (same containers, metrics, window): ${result.runningQueryRatio}x fewer queries, ${result.runningWallRatio}x less wall time`);
  console.log(`krm reader (report's shape) vs per-container, every container: ${result.queryRatio}x fewer queries, ${result.wallRatio}x less wall time`);
  console.log('(2 shared cores: wall times are noisy; run more than once before drawing conclusions)');
  console.log(JSON.stringify(result));
}

async function main(): Promise<void> {
  const f = flags();
  console.log(`bench:report: building ${f.days} d of the demo at ${f.stepSec} s (${REPORT_FAMILIES.length} families) …`);
  const prom = await startHistoryPrometheus({ days: f.days, stepSec: f.stepSec, families: REPORT_FAMILIES, progress: (l) => console.log(`  ${l}`), ...(f.tsdb === undefined ? {} : { keepDir: f.tsdb }) });
  const simulation = await startSimulationServer({ scenario: 'demo', port: 0, speed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'krm-bench-report-'));
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigFor(simulation.server));
    const rows: Row[] = [];
    // One untimed read first, so that no row pays for the freshly started Prometheus paging its blocks in (the
    // first row measured would otherwise be the slowest whatever it is).
    const warmTo = Date.now();
    await readerRead({ url: prom.url, fromMs: warmTo - f.days * 86_400_000, toMs: warmTo, stepMs: f.stepSec * 1000, concurrency: f.concurrency, oneShot: true });
    let cli: Cli | undefined;
    if (!f.skipCli) {
      cli = await runCli(['--prometheus', prom.url, '--kubeconfig', kubeconfig, '--window', `${f.days}d`, '--step', `${f.stepSec}s`, '--format', 'json', '--cluster-name', 'bench']);
      rows.push({ name: 'krm report (CLI, one-shot)', queries: cli.doc.prometheusQueries ?? 0, wallMs: cli.wallMs });
    }
    const toMs = Date.now();
    const window = { url: prom.url, fromMs: toMs - f.days * 86_400_000, toMs, stepMs: f.stepSec * 1000, concurrency: f.concurrency };
    const live = await readerRead({ ...window, oneShot: true });
    rows.push({ name: 'krm reader, the report\'s shape (cluster-wide, time slices)', ...live });
    const every = await readerRead({ ...window, oneShot: false });
    rows.push({ name: 'krm reader, default shape (per namespace × metric)', ...every });
    const reads = reportReads(window);
    const running = await perContainerRead({ ...window, containers: live.running, labels: DEFAULT_QUERY_LABELS, reads });
    rows.push({ name: 'per-container, running pods (KRR: 1 query per container × metric)', ...running });
    const krr = await perContainerRead({ ...window, containers: every.entities, labels: DEFAULT_QUERY_LABELS, reads });
    rows.push({ name: 'per-container, every container of the window', ...krr });
    printTable(rows);
    if (cli) console.log(`krm report printed ${cli.doc.recommendations.length} recommendations and ${cli.doc.findings.length} findings; its phases (--timings):\n${cli.timings.join('\n')}`);
    summarise({ f, buildMs: prom.buildMs, cli, live, every, running, krr });
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
