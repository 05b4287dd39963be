// SPDX-License-Identifier: Apache-2.0
// Runs the real `krm` CLI in a child process, asynchronously (so that a server in the test's own process can answer
// it), and collects its exit code and output.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './tools.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runKrm(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'krm.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
