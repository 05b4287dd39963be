// SPDX-License-Identifier: Apache-2.0
// `krm sim`: serves the simulated cluster until SIGINT/SIGTERM; `krm sim history` writes past samples.
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../errors/app-error.ts';
import { HISTORY_FAMILIES } from '../../sim/history-families.ts';
import { historyFlagsSchema, parseFlags, simFlagsSchema, type HistoryFlags, type SimFlags } from './sim-options.ts';

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => resolve(sig);
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
  });
}

async function runSim(flags: SimFlags): Promise<void> {
  const started = Date.now();
  // Loaded when the command runs: every other command (report, serve) would pay for the simulator at start-up.
  const { startSimulationServer, prometheusScrapeConfig, kubeconfigFor } = await import('../../sim/index.ts');
  const running = await startSimulationServer({
    scenario: flags.scenario,
    seed: flags.seed,
    speed: flags.speed,
    ...(flags.start === undefined ? {} : { startMs: flags.start }),
    host: flags.host,
    port: flags.port,
    tls: flags.tls,
    token: flags.token,
    bookmarkIntervalMs: flags.bookmarkInterval ? flags.bookmarkInterval * 1000 : undefined,
    dumpFile: flags.fromDump,
  }).catch((err: unknown) => {
    if (err instanceof AppError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES') {
      throw new AppError('KRM_LISTEN_FAILED', `cannot listen on ${flags.host}:${flags.port}: ${e.code}`, { cause: err });
    }
    throw err;
  });
  if (flags.writeKubeconfig) {
    mkdirSync(dirname(flags.writeKubeconfig), { recursive: true });
    writeFileSync(flags.writeKubeconfig, kubeconfigFor(running.server, flags.token));
  }
  if (flags.printPrometheusConfig) {
    console.log(prometheusScrapeConfig(running.server.url));
  }
  const s = running.simulation.summary();
  console.log(`krm sim: scenario ${s.scenario} (${s.nodes} nodes, ${s.pods} pods, ${s.namespaces} namespaces) built in ${Date.now() - started} ms`);
  console.log(`krm sim: serving the Kubernetes API on ${running.server.url} (speed ${flags.speed}x)`);
  if (flags.writeKubeconfig) console.log(`krm sim: kubeconfig written to ${flags.writeKubeconfig}`);
  const sig = await waitForSignal();
  console.log(`krm sim: ${sig} received, stopping`);
  await running.stop();
}

/** `--families a,b`: names of history families, each checked against the ones the writer knows. */
export function parseFamilies(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = String(raw).split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((n) => !HISTORY_FAMILIES.has(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new AppError('KRM_CONFIG_INVALID', `invalid value for --families: ${unknown.join(', ') || 'empty'} (known: ${[...HISTORY_FAMILIES].join(', ')})`);
  }
  return names;
}

async function runHistory(flags: HistoryFlags, families: string[] | undefined): Promise<void> {
  const started = Date.now();
  const { writeHistory } = await import('../../sim/index.ts');
  const r = await writeHistory({ ...flags, families });
  console.log(`krm sim history: ${r.samples} samples of ${r.series} series over ${flags.days} d written to ${flags.output} in ${Date.now() - started} ms`);
}

export function registerSimCommands(program: Command): void {
  const sim = program
    .command('sim')
    .description('serve a simulated Kubernetes cluster (API server, kubelet and kube-state-metrics style metrics)')
    .option('--scenario <name|file>', 'built-in scenario (demo, scale-150k) or a scenario YAML file', 'demo')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '18080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--speed <n>', 'scenario time runs n times faster than real time (0: it stands still)', '1')
    .option('--start <time>', "scenario time at start, ISO 8601 with a zone (default: now, or the scenario's startTime)")
    .option('--seed <n>', 'random seed (default: the scenario\'s)')
    .option('--tls', 'serve HTTPS with a generated self-signed certificate')
    .option('--token <token>', 'require this bearer token on every request')
    .option('--from-dump <file>', 'load a real cluster\'s `kubectl get ... -A -o json` dump instead of the scenario\'s objects')
    .option('--write-kubeconfig <file>', 'write a kubeconfig for the simulated cluster to this file')
    .option('--print-prometheus-config', 'print a Prometheus scrape configuration for the simulator')
    .option('--bookmark-interval <seconds>', 'how often watches with allowWatchBookmarks get a BOOKMARK', '60')
    .action(async (opts: Record<string, unknown>) => runSim(parseFlags(simFlagsSchema, opts)));
  sim
    .command('history')
    .description('write N days of past samples of a scenario (OpenMetrics for promtool, or JSON lines to import)')
    .option('--scenario <name|file>', 'built-in scenario or a scenario YAML file', 'demo')
    .option('--seed <n>', 'random seed (default: the scenario\'s)')
    .option('--days <n>', 'days of history ending now', '7')
    .option('--step <seconds>', 'seconds between samples', '60')
    .option('--format <format>', 'openmetrics (for `promtool tsdb create-blocks-from openmetrics`) or jsonl', 'openmetrics')
    .requiredOption('--output <file>', 'file to write')
    .option('--families <names>', 'comma-separated metric families to write (default: every family with history)')
    .action(async (opts: Record<string, unknown>) => runHistory(parseFlags(historyFlagsSchema, opts), parseFamilies(opts['families'])));
}
