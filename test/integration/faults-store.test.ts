// SPDX-License-Identifier: Apache-2.0
// Database faults (docs/health.md, docs/errors.md). A database that cannot be written (another connection holds
// the write lock; the file is read-only to the process, `krm serve` run as `nobody`) degrades `/health` with
// `database_status` unhealthy while readiness stays ready and reads are served; the locked one recovers once the
// lock is gone. A corrupt file (garbage, or damaged pages behind a valid header) stops `krm serve` at start-up with
// KRM_STORE_CORRUPT, a message naming the file, and exit code 3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { kubeconfigFor, startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';
import { METRIC } from '../../src/domain/series.ts';
import { SqliteSampleStore } from '../../src/store/sample-store.ts';
import { freePort } from '../support/prometheus.ts';
import { eventually, kubeconfigForUrl, startTestService } from '../support/running-service.ts';
import { repoRoot } from '../support/tools.ts';

const NOBODY = { uid: 65534, gid: 65534 };

interface CliRun {
  code: number | null;
  out: string;
}

/** Runs `krm <args>` in a child process with a clean environment; resolves with its exit code and output. */
function runCli(args: string[], opts: { uid?: number; gid?: number; onOutput?: (out: string) => void; timeoutMs?: number } = {}): { done: Promise<CliRun>; stop: () => void } {
  const env = { PATH: process.env['PATH'] ?? '', HOME: tmpdir() };
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'krm.js'), ...args], { env, uid: opts.uid, gid: opts.gid, cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const onData = (d: Buffer): void => {
    out += d.toString();
    opts.onOutput?.(out);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const done = new Promise<CliRun>((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
  return { done, stop: () => child.kill('SIGTERM') };
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'krm-store-fault-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startSim(t: { after: (fn: () => Promise<void>) => void }): Promise<RunningSimulation> {
  const sim = await startSimulationServer({ scenario: 'demo', port: 0, speed: 60, bookmarkIntervalMs: 300 });
  t.after(() => sim.stop());
  return sim;
}

test('write lock held by another connection: degraded, still ready and serving; healthy once released', async (t) => {
  const sim = await startSim(t);
  const svc = await startTestService({ kubeconfigYaml: kubeconfigFor(sim.server) });
  t.after(() => svc.stop());
  await eventually('a healthy first collection', async () => {
    const h = await svc.get('/health');
    return h.body['last_collection'] !== null && h.body['status'] === 'healthy' ? true : undefined;
  });

  const other = new Database(svc.dbPath);
  t.after(() => other.close());
  other.prepare('BEGIN IMMEDIATE').run();
  // A new sample makes a head dirty; the next write (a flush here, the collector's would do the same) waits out
  // the busy timeout and fails.
  const store = svc.service.store;
  const [series] = await store.findSeries({ kind: 'container', metrics: [METRIC.cpuMillicores] });
  assert.ok(series, 'the first collection stored container series');
  await store.append({ seriesIds: [series.id], timestampsMs: [Date.now() + 60_000], values: [1] });
  await assert.rejects(svc.service.store.flush(), (e: Error & { code?: string }) => e.code === 'KRM_STORE_IO');
  const h = await svc.get('/health');
  assert.equal(h.status, 200);
  assert.equal(h.body['status'], 'degraded');
  assert.equal(h.body['database_status'], 'unhealthy');
  assert.equal((await svc.get('/health/readiness')).status, 200, 'a database that cannot write is still ready');
  assert.equal((await svc.get('/api/v1/pods?limit=5')).status, 200);

  other.prepare('ROLLBACK').run();
  await svc.service.store.flush();
  assert.equal((await svc.get('/health')).body['database_status'], 'healthy');
  // The failed write blocked the event loop for the busy timeout (SQLite waits synchronously), long enough for the
  // test's short watchdog to fire; the next bookmarks clear that.
  await eventually('healthy again', async () => ((await svc.get('/health')).body['status'] === 'healthy' ? true : undefined));
});

test('read-only database file (krm serve as nobody): degraded, database unhealthy, ready, reads served', async (t) => {
  const dir = tempDir(t);
  const dbPath = join(dir, 'k8s_metrics.db');
  await (await SqliteSampleStore.open({ path: dbPath })).close();
  // The folder stays writable (the WAL index lives there); the file itself belongs to root, mode 0644.
  chmodSync(dir, 0o777);
  chmodSync(dbPath, 0o644);
  const sim = await startSim(t);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor(sim.server), { mode: 0o644 });
  const port = await freePort();
  const run = runCli(['serve', '--db', dbPath, '--host', '127.0.0.1', '--port', String(port), '--kubeconfig', kubeconfig], NOBODY);
  t.after(async () => {
    run.stop();
    await run.done;
  });
  const url = `http://127.0.0.1:${port}`;
  const health = await eventually(
    'a synced, degraded instance',
    async () => {
      const res = await fetch(`${url}/health`);
      const body = (await res.json()) as Record<string, unknown>;
      return body['kubernetes_status'] === 'healthy' ? { status: res.status, body } : undefined;
    },
    30_000,
  );
  assert.equal(health.status, 200);
  assert.equal(health.body['status'], 'degraded');
  assert.equal(health.body['database_status'], 'unhealthy');
  assert.equal((await fetch(`${url}/health/readiness`)).status, 200);
  assert.equal((await fetch(`${url}/api/v1/pods?limit=5`)).status, 200);
  assert.equal(statSync(dbPath).uid, 0, 'the file was not taken over');
  run.stop();
  // SIGTERM stops it by itself. A closer whose final write fails on the read-only file makes the exit code 3
  // (lifecycle: "3 when one closer failed"); a clean 0 is fine too. Killed or hanging is not.
  const exit = await run.done;
  assert.ok(exit.code === 0 || exit.code === 3, `exit code ${exit.code}:\n${exit.out.slice(-2000)}`);
});

async function expectCorrupt(t: { after: (fn: () => void) => void }, damage: (path: string) => Promise<void> | void): Promise<void> {
  const dir = tempDir(t);
  const dbPath = join(dir, 'k8s_metrics.db');
  await damage(dbPath);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigForUrl(`http://127.0.0.1:${await freePort()}`));
  const { done } = runCli(['serve', '--db', dbPath, '--host', '127.0.0.1', '--port', '0', '--kubeconfig', kubeconfig]);
  const result = await done;
  assert.equal(result.code, 3, result.out);
  assert.match(result.out, /KRM_STORE_CORRUPT/);
  assert.ok(result.out.includes(dbPath), `the message names the file:\n${result.out}`);
  assert.doesNotMatch(result.out, /serving on/);
}

test('a file of garbage bytes: start-up stops with KRM_STORE_CORRUPT and exit code 3', async (t) => {
  await expectCorrupt(t, (path) => writeFileSync(path, Buffer.alloc(64 * 1024, 'not a database, just bytes. ')));
});

test('damaged pages behind a valid header: start-up stops with KRM_STORE_CORRUPT and exit code 3', async (t) => {
  await expectCorrupt(t, async (path) => {
    const store = await SqliteSampleStore.open({ path });
    await store.close();
    const size = statSync(path).size;
    assert.ok(size > 3 * 4096, `a database of several pages (${size} bytes)`);
    // Keep page 1 (the header and the schema root), overwrite everything after it.
    const fd = openSync(path, 'r+');
    try {
      writeSync(fd, Buffer.alloc(size - 4096, 0xa5), 0, size - 4096, 4096);
    } finally {
      closeSync(fd);
    }
  });
});
