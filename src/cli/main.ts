// SPDX-License-Identifier: Apache-2.0
// `krm`: argv → command. The one place that maps errors to exit codes (0 ok, 1 findings at or above --fail-on,
// 2 usage or configuration error, 3 runtime error) and prints one line with a hint, never a stack trace.
import { Command, CommanderError } from 'commander';
import { AppError } from '../errors/app-error.ts';
import { ERROR_CODES } from '../errors/codes.ts';
import { registerAnomalyCommands } from './commands/anomaly.ts';
import { registerConfigCommands } from './commands/config-check.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerSimCommands } from './commands/sim.ts';
import { PRODUCT_VERSION } from './version.ts';

function buildProgram(): Command {
  const program = new Command('krm')
    .description('Kubernetes Resource Monitor: watches a cluster\'s resources and tells its operators what to change')
    .version(PRODUCT_VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(run krm --help for usage)');
  program
    .command('version')
    .description('print the version')
    .action(() => {
      console.log(`krm ${PRODUCT_VERSION} (node ${process.version})`);
    });
  registerServeCommands(program);
  registerSimCommands(program);
  registerAnomalyCommands(program);
  registerConfigCommands(program);
  registerReportCommand(program);
  return program;
}

/** Runs the CLI and resolves to the process exit code. Long-running commands resolve when they stop. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    return exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // help and version output arrive here as "errors" with exit code 0
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof AppError) {
    console.error(`krm: ${err.message} [${err.code}]`);
    return ERROR_CODES[err.code].exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  console.error(`krm: unexpected error: ${message} [KRM_INTERNAL]`);
  return 3;
}
