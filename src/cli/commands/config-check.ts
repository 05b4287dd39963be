// SPDX-License-Identifier: Apache-2.0
// `krm config check [--config FILE] [flags]`: loads the configuration exactly as `krm serve` does and prints the
// effective values as YAML with secrets redacted. An invalid value throws ConfigError, which main.ts turns into one
// line on stderr and exit code 2.
import type { Command } from 'commander';
import { describeConfigSchema } from '../../config/keys.ts';
import { loadConfig, unknownEnvVars, type ConfigFlags } from '../../config/load.ts';
import { formatConfigYaml } from '../../config/print.ts';
import { readTextFileIfExists } from '../../config/read-file.ts';

/** Where `krm config check` reads and writes; tests replace it. */
export interface ConfigCheckIo {
  env: Readonly<Record<string, string | undefined>>;
  cwd: () => string;
  readFile: (path: string) => string | undefined;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: ConfigCheckIo = {
  env: process.env,
  cwd: () => process.cwd(),
  readFile: readTextFileIfExists,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * Adds the configuration flags to a command: `--config FILE`, `--set key=value` (repeatable) and every key's own
 * flag from the schema (`--port`, `--host`, `--db`, `--context`, `--log-level`, …). `krm serve` and `krm demo`
 * should use it too, then pass `command.opts()` to loadConfig as `flags`.
 */
export function addConfigOptions(command: Command): Command {
  command
    .option('--config <file>', 'YAML configuration file (default: $KRM_CONFIG)')
    .option('--set <key=value>', 'set any configuration key, e.g. --set collection.interval=30s (repeatable)', collect, []);
  for (const key of describeConfigSchema().keys) {
    if (key.flag !== undefined) command.option(`--${key.flag} <value>`, `${key.description} [${key.id}, ${key.env}]`);
  }
  return command;
}

/** Loads the configuration and prints it; throws ConfigError (exit code 2) when it is invalid. */
export function runConfigCheck(flags: ConfigFlags, io: ConfigCheckIo = processIo): void {
  const config = loadConfig({ flags, env: io.env, cwd: io.cwd(), readFile: io.readFile });
  for (const name of unknownEnvVars(io.env)) io.stderr(`krm: warning: ${name} names no configuration key and is ignored\n`);
  io.stdout(formatConfigYaml(config));
}

/** Registers `krm config check`. */
export function registerConfigCommands(program: Command, io: ConfigCheckIo = processIo): void {
  const config = program.command('config').description('inspect the configuration');
  addConfigOptions(
    config
      .command('check')
      .description('print the effective configuration (defaults < .env < --config file < KRM_* variables < flags), secrets redacted'),
  ).action((opts: ConfigFlags) => runConfigCheck(opts, io));
}
