// SPDX-License-Identifier: Apache-2.0
// `krm serve` (the monitor against a real cluster, listening on 0.0.0.0:8000 by default, as in a container) and
// `krm demo` (the simulated cluster, scenario `demo` at 60x, started in-process; served on 127.0.0.1:8000 by
// default). Both run until SIGTERM or SIGINT and shut down through the lifecycle within 10 s.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, unknownEnvVars, type ConfigFlags } from '../../config/load.ts';
import { readTextFileIfExists } from '../../config/read-file.ts';
import type { Config } from '../../config/schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { createLogger } from '../../logging/logger.ts';
import { createLifecycle } from '../../runtime/lifecycle.ts';
import { PRODUCT_VERSION } from '../version.ts';
import { addConfigOptions } from './config-check.ts';
import { backfillProgressBar } from '../progress-bar.ts';

type Mode = 'serve' | 'demo';

/** The database file name under `--data-dir`. */
export const DATABASE_FILE = 'k8s_metrics.db';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The flags a mode loads its configuration with: `--data-dir DIR` means `--db DIR/k8s_metrics.db` (an explicit
 * `--db` wins); the demo listens on 127.0.0.1 unless `--host` or `KRM_HOST` says otherwise.
 */
export function modeFlags(mode: Mode, flags: ConfigFlags, env: Env): ConfigFlags {
  const out: Record<string, ConfigFlags[string]> = { ...flags };
  const dataDir = flags['dataDir'];
  if (typeof dataDir === 'string' && flags['db'] === undefined) out['db'] = join(dataDir, DATABASE_FILE);
  if (mode === 'demo' && flags['host'] === undefined && env['KRM_HOST'] === undefined) out['host'] = '127.0.0.1';
  return out;
}

function loadModeConfig(mode: Mode, flags: ConfigFlags): Config {
  const cwd = process.cwd();
  const config = loadConfig({ flags: modeFlags(mode, flags, process.env), env: process.env, cwd, readFile: readTextFileIfExists });
  for (const name of unknownEnvVars(process.env)) console.error(`krm: warning: ${name} names no configuration key and is ignored`);
  return { ...config, store: { ...config.store, path: resolve(cwd, config.store.path) } };
}

function listenError(err: unknown, config: Config): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES') return err;
  return new AppError('KRM_LISTEN_FAILED', `cannot listen on ${config.server.host}:${config.server.port}: ${code}`, { cause: err });
}

async function runMode(mode: Mode, flags: ConfigFlags): Promise<void> {
  const config = loadModeConfig(mode, flags);
  const log = createLogger({ level: config.log.level, file: config.log.file });
  const lifecycle = createLifecycle({ process, log });
  lifecycle.listen();
  const bar = backfillProgressBar(process.stderr);
  const opts = { config, log, lifecycle, version: PRODUCT_VERSION, onBackfillProgress: bar?.onProgress };
  // Loaded when the command runs, after the configuration is checked: other commands (report, sim, config check)
  // need none of the service's modules, which take seconds to load.
  const { startDemo, startService } = await import('../../service.ts');
  try {
    const running = mode === 'demo' ? await startDemo(opts) : await startService(opts);
    bar?.finish();
    console.log(`krm ${mode}: serving on ${running.url} (database ${config.store.path})`);
  } catch (err) {
    // A signal during start-up (the demo seeds its history for seconds) is a shutdown like any other: the start
    // fails because the store and server close under it, and the exit code is the shutdown's.
    if (!lifecycle.signal.aborted) {
      await lifecycle.shutdown('start-up failed');
      throw listenError(err, config);
    }
  }
  const exitCode = await lifecycle.stopped;
  log.flush();
  if (exitCode !== 0) throw new AppError('KRM_SHUTDOWN_FAILED', 'shutdown did not complete cleanly: a component failed to close (see the lifecycle.close_failed log line)');
}

/** Registers `krm serve` and `krm demo`. */
export function registerServeCommands(program: Command): void {
  addConfigOptions(
    program
      .command('serve')
      .description('monitor the configured cluster: REST API, health probes and /metrics on 0.0.0.0:8000 by default')
      .option('--data-dir <dir>', `directory of the database (${DATABASE_FILE}); default: data under the working directory`),
  ).action(async (opts: ConfigFlags) => runMode('serve', opts));
  addConfigOptions(
    program
      .command('demo')
      .description('start the simulated cluster (scenario demo, 60x) in-process and monitor it on 127.0.0.1:8000')
      .option('--data-dir <dir>', `directory of the database (${DATABASE_FILE}); default: data under the working directory`),
  ).action(async (opts: ConfigFlags) => runMode('demo', opts));
}
