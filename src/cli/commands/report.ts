// SPDX-License-Identifier: Apache-2.0
// `krm report`: findings and rightsizing recommendations as a table, JSON, YAML, CSV or Markdown, from a running
// monitor (`--server`), a local database (`--db`), or one-shot from a kubeconfig and a Prometheus without any
// server or database (`--prometheus`). `--fail-on SEVERITY` makes CI fail (exit 1) when a finding at or above it
// is reported; the report is printed first either way.
import type { Command } from 'commander';
import { AppError } from '../../errors/app-error.ts';
import { REPORT_FORMATS, formatReport } from './report-format.ts';
import { failingFindings, finishReport } from './report-model.ts';
import { parseReportFlags, type RawReportFlags } from './report-options.ts';
import { produceReport } from './report-run.ts';
import { ReportTimings } from './report-timings.ts';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const HELP_AFTER = `
Sources (exactly one):
  --server URL [--token T]                    a running monitor's /api/v1/findings and /api/v1/recommendations
  --db FILE [--kubeconfig F] [--context C]     analyse a local database; cluster objects from the kubeconfig
  --prometheus URL [--kubeconfig F] [--context C] [--prometheus-token T] [--step 5m]
                                              one-shot: sync the cluster once, read --window of history from
                                              Prometheus with a few aggregated range queries (per metric, in
                                              time slices; per namespace with -n; never per container), analyse,
                                              print

Without --kubeconfig, KUBECONFIG, ~/.kube/config or in-cluster credentials are used.

Exit codes: 0 report printed, 1 a finding at or above --fail-on, 2 bad flags, 3 runtime error (see docs/errors.md).

Examples:
  krm report --prometheus http://prometheus:9090 --kubeconfig ~/.kube/config
  krm report --server http://krm:8000 -n shop -n payments --format markdown --fail-on high
`;

/** Registers `krm report`. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('print findings and rightsizing recommendations (from a monitor, a database, or one-shot from Prometheus)')
    .option('--server <url>', 'base URL of a running monitor')
    .option('--token <token>', 'bearer token of the monitor\'s API (with --server)')
    .option('--db <file>', 'a monitor database to analyse')
    .option('--prometheus <url>', 'Prometheus base URL (one-shot mode)')
    .option('--prometheus-token <token>', 'bearer token for Prometheus (with --prometheus)')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (with --db or --prometheus)')
    .option('--context <name>', 'kubeconfig context (default: the current one)')
    .option('-n, --namespace <name>', 'only this namespace (repeatable)', collect)
    .option('--format <format>', `output format: ${REPORT_FORMATS.join(', ')}`, 'table')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above: info, low, medium, high, critical')
    .option('--strategy <name>', 'rightsizing strategy: krm, krr-simple, vpa', 'krm')
    .option('--window <duration>', 'history window of rightsizing', '14d')
    .option('--step <duration>', 'resolution of the Prometheus reads (with --prometheus)')
    .option('--cluster-name <name>', 'cluster name of the series and findings', 'default')
    .option('--timings', 'print the time of each phase (start-up, cluster sync, reads, analyses, output) on stderr')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: RawReportFlags) => runReport(flags));
}

async function runReport(flags: RawReportFlags): Promise<void> {
  const timings = new ReportTimings(flags.timings === true);
  // Process start to here: Node, tsx's transpiling and the modules of every command.
  timings.mark('start-up', 0);
  const options = parseReportFlags(flags);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const report = finishReport(await produceReport(options, stop.signal, timings), options.namespaces);
    const outputFrom = performance.now();
    process.stdout.write(formatReport(report, options.format));
    timings.mark('output', outputFrom);
    for (const line of timings.lines()) process.stderr.write(`${line}\n`);
    const failing = failingFindings(report, options.failOn);
    if (failing.length > 0) throw new AppError('KRM_REPORT_FAIL_ON', `${failing.length} finding(s) at or above ${options.failOn} (--fail-on)`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
