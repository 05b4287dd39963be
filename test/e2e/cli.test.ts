// SPDX-License-Identifier: Apache-2.0
// The `krm` binary as a user runs it: help, version, and the failure paths with their exit codes and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/tools.ts';

function krm(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'krm.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('krm --help lists the commands and exits 0', () => {
  const r = krm(['--help']);
  assert.equal(r.code, 0);
  for (const cmd of ['sim', 'version', 'anomaly', 'config']) assert.match(r.stdout, new RegExp(`^  ${cmd}\\b`, 'm'), cmd);
  const sim = krm(['sim', '--help']);
  assert.equal(sim.code, 0);
  for (const flag of ['--scenario', '--port', '--speed', '--start', '--seed', '--tls', '--token', '--write-kubeconfig', '--print-prometheus-config', '--from-dump']) {
    assert.ok(sim.stdout.includes(flag), flag);
  }
});

test('krm version prints the package version', () => {
  const r = krm(['version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^krm \d+\.\d+\.\d+ \(node v\d+/);
});

test('an unknown scenario is a usage error (exit 2) naming it', () => {
  const r = krm(['sim', '--scenario', 'no-such-scenario', '--port', '0']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no-such-scenario/);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
});

test('an invalid scenario file names the bad path inside it (exit 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'krm-cli-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'name: bad\nnodePools:\n  - name: p\n    count: -3\n');
  const r = krm(['sim', '--scenario', file, '--port', '0']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nodePools\.0\.count|nodePools\[0\]\.count/);
});

test('a bad flag value is exit 2 naming the flag', () => {
  const r = krm(['sim', '--port', '70000']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--port/);
  const speed = krm(['sim', '--speed', 'fast']);
  assert.equal(speed.code, 2);
  assert.match(speed.stderr, /--speed/);
  const start = krm(['sim', '--start', '2026-01-05']);
  assert.equal(start.code, 2);
  assert.match(start.stderr, /--start: expected an ISO 8601 time with a zone/);
});

test('a port already in use is a runtime error (exit 3) naming the address', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const r = krm(['sim', '--port', String(port)]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port}.*EADDRINUSE`));
  } finally {
    blocker.close();
  }
});
