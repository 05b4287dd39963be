// SPDX-License-Identifier: Apache-2.0
// Benchmark of the simulated cluster at scale-150k: build time, paginated pod LIST throughput, watch streaming
// throughput and peak RSS. The simulator runs as its own process pinned to one core (taskset, when present), as a
// user would run it; this process is the client, on the other core.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface SimBenchResult {
  scenario: string;
  buildMs: number;
  readyMs: number;
  pods: number;
  listPodsPerSec: number;
  listPages: number;
  watchEventsPerSec: number;
  watchEvents: number;
  peakRssBytes: number;
}

function hasTaskset(): boolean {
  return spawnSync('taskset', ['--version']).status === 0;
}

async function startSim(scenario: string): Promise<{ url: string; pid: number; buildMs: number; readyMs: number; stop: () => void }> {
  const t0 = Date.now();
  const args = [join(ROOT, 'bin', 'krm.js'), 'sim', '--scenario', scenario, '--port', '0'];
  const child = hasTaskset() ? spawn('taskset', ['-c', '1', process.execPath, ...args]) : spawn(process.execPath, args);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /serving the Kubernetes API on (\S+)/.exec(out)?.[1];
      const built = /built in (\d+) ms/.exec(out)?.[1];
      if (url && built) resolve({ url, pid: child.pid ?? 0, buildMs: Number(built), readyMs: Date.now() - t0, stop: () => child.kill('SIGTERM') });
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`sim exited ${code}: ${out}`)));
  });
}

const agent = new http.Agent({ keepAlive: true });

/** A plain node:http GET: fetch's body decoding costs more than the server's serialization at these sizes. */
function getText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function listAllPods(url: string): Promise<{ count: number; pages: number; ms: number }> {
  const t0 = performance.now();
  let token: string | undefined;
  let count = 0;
  let pages = 0;
  do {
    const q = new URLSearchParams({ limit: '500' });
    if (token) q.set('continue', token);
    // The client does not parse the page: this measures what the server serves, not JSON.parse on this side.
    // The list metadata comes first in the body, and each item (sent without kind) starts with {"metadata":{.
    const body = await getText(`${url}/api/v1/pods?${q}`);
    count += (body.match(/\{"metadata":\{/g) ?? []).length;
    pages++;
    token = /^\{"kind":"PodList","apiVersion":"v1","metadata":\{[^}]*?"continue":"([^"]+)"/.exec(body)?.[1];
  } while (token);
  return { count, pages, ms: performance.now() - t0 };
}

/** A watch from resourceVersion 0 streams an ADDED event per pod: the informer start-up path. */
async function watchAllPods(url: string, expected: number): Promise<{ events: number; ms: number }> {
  const t0 = performance.now();
  const ac = new AbortController();
  const res = await fetch(`${url}/api/v1/pods?watch=1&resourceVersion=0&allowWatchBookmarks=true`, { signal: ac.signal });
  let events = 0;
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no body');
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const b of value) if (b === 10) events++;
    if (events >= expected) break;
  }
  const ms = performance.now() - t0;
  ac.abort();
  return { events, ms };
}

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}

/** Finds the node process under taskset (the pid we started may be taskset's exec'd node itself). */
export async function benchSim(scenario = 'scale-150k'): Promise<SimBenchResult> {
  // The simulator gets core 1 to itself; this client stays on core 0.
  if (hasTaskset()) spawnSync('taskset', ['-p', '-c', '0', String(process.pid)]);
  const sim = await startSim(scenario);
  try {
    await listAllPods(sim.url); // warm-up: JIT and page caches
    const list = await listAllPods(sim.url);
    const watch = await watchAllPods(sim.url, list.count);
    return {
      scenario,
      buildMs: sim.buildMs,
      readyMs: sim.readyMs,
      pods: list.count,
      listPodsPerSec: Math.round((list.count / list.ms) * 1000),
      listPages: list.pages,
      watchEventsPerSec: Math.round((watch.events / watch.ms) * 1000),
      watchEvents: watch.events,
      peakRssBytes: peakRss(sim.pid),
    };
  } finally {
    sim.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const scenario = process.argv[2] ?? 'scale-150k';
  console.log(JSON.stringify(await benchSim(scenario), null, 2));
}
