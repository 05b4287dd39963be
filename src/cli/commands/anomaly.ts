// SPDX-License-Identifier: Apache-2.0
// `krm anomaly score`: runs the product's streaming anomaly detector over any `timestamp,value` CSV.
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../../errors/app-error.ts';
import { scoreSeriesCsv } from '../../analysis/anomalies/index.ts';

function readInput(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new InputError('KRM_INPUT_INVALID', `cannot read ${path}`, { cause });
  }
}

function score(opts: { input: string; output?: string }): void {
  let out: string;
  try {
    out = scoreSeriesCsv(readInput(opts.input));
  } catch (err) {
    if (err instanceof InputError) throw new InputError(err.code, `${opts.input}: ${err.message}`, { cause: err });
    throw err;
  }
  if (opts.output) writeFileSync(opts.output, out);
  else process.stdout.write(out);
}

export function registerAnomalyCommands(program: Command): void {
  const anomaly = program.command('anomaly').description('anomaly detection on time series');
  anomaly
    .command('score')
    .description('score every point of a timestamp,value CSV; writes timestamp,value,anomaly_score')
    .requiredOption('--input <file>', 'CSV with a header timestamp,value')
    .option('--output <file>', 'where to write the scored CSV (default: standard output)')
    .action((opts: { input: string; output?: string }) => score(opts));
}
