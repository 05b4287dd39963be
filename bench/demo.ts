// SPDX-License-Identifier: Apache-2.0
// How long `krm demo` takes from start to ready (`/health/readiness` answers 200), with its week of history, on an
// empty data directory, as a user running `npm start` on a fresh clone would see it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface DemoBenchResult {
  readyMs: number;
  listeningMs: number;
}

async function waitReady(url: string, t0: number): Promise<number> {
  for (;;) {
    try {
      const r = await fetch(`${url}/health/readiness`);
      if (r.status === 200) return Date.now() - t0;
    } catch {
      // not listening yet: poll again
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function benchDemo(): Promise<DemoBenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'krm-demo-bench-'));
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'krm.js'), 'demo', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const { url, listeningMs } = await new Promise<{ url: string; listeningMs: number }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /serving on (http\S+)/.exec(out);
        if (m?.[1]) resolve({ url: m[1], listeningMs: Date.now() - t0 });
      });
      child.once('exit', (code) => reject(new Error(`krm demo exited ${code}`)));
    });
    return { readyMs: await waitReady(url, t0), listeningMs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchDemo(), null, 2));
}
