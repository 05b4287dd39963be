// SPDX-License-Identifier: Apache-2.0
// Runs the real kubectl against a server, with a throwaway kubeconfig so nothing on the machine is read or changed.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlPath } from './tools.ts';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlTarget {
  server: string;
  token?: string;
  caCert?: string;
}

/** Writes a kubeconfig for the target and returns its path. */
export function writeKubeconfig(target: KubectlTarget): string {
  const dir = mkdtempSync(join(tmpdir(), 'krm-kubectl-'));
  const cluster: Record<string, string> = { server: target.server };
  if (target.caCert) {
    writeFileSync(join(dir, 'ca.crt'), target.caCert);
    cluster['certificate-authority'] = join(dir, 'ca.crt');
  }
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sim', cluster }],
    users: [{ name: 'sim', user: target.token ? { token: target.token } : {} }],
    contexts: [{ name: 'sim', context: { cluster: 'sim', user: 'sim' } }],
    'current-context': 'sim',
  };
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

function kubectlEnv(kubeconfig: string): NodeJS.ProcessEnv {
  // A private cache dir, so discovery is really fetched from the server under test.
  return { ...process.env, KUBECONFIG: kubeconfig, HOME: join(kubeconfig, '..'), KUBECACHEDIR: join(kubeconfig, '..', 'cache') };
}

export function kubectl(kubeconfig: string, args: string[], timeoutMs = 60_000): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(kubectlPath(), args, { env: kubectlEnv(kubeconfig), timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running kubectl (for `-w` or `logs -f`) and collects its output. */
export function kubectlStream(kubeconfig: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(kubectlPath(), args, { env: kubectlEnv(kubeconfig) });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}
