// SPDX-License-Identifier: Apache-2.0
// Starts `krm sim` as a user would (the real CLI in a child process) and waits for the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './tools.ts';

export interface SimProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * Node flags for the simulator from KRM_BENCH_SIM_FLAGS (say `--trace-gc`, or `--cpu-prof --cpu-prof-dir=DIR`, which
 * NODE_OPTIONS does not allow), for looking into it under a bench; with them its output is passed on to stderr.
 */
const SIM_FLAGS = (process.env.KRM_BENCH_SIM_FLAGS ?? '').split(/\s+/).filter((f) => f !== '');

export function startSimProcess(args: string[], timeoutMs = 120_000): Promise<SimProcess> {
  const child = spawn(process.execPath, [...SIM_FLAGS, join(repoRoot, 'bin', 'krm.js'), 'sim', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (SIM_FLAGS.length > 0) child.stdout?.on('data', (d: Buffer) => process.stderr.write(d));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`krm sim did not start in time:\n${out}`)), timeoutMs);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /serving the Kubernetes API on (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          child,
          output: () => out,
          stop: () =>
            new Promise((res) => {
              if (child.exitCode !== null) return res(child.exitCode);
              child.once('exit', (code) => res(code));
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`krm sim exited with ${code}:\n${out}`));
    });
  });
}
