// SPDX-License-Identifier: Apache-2.0
// `krm config check` through commander, in-process (the command lives in src/cli/commands/config-check.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { parse } from 'yaml';
import { registerConfigCommands, type ConfigCheckIo } from '../cli/commands/config-check.ts';
import { ConfigError } from '../errors/app-error.ts';

async function check(args: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: ConfigCheckIo = { env, cwd: () => '/srv', readFile: (p) => files[p], stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
  const program = new Command('krm').exitOverride();
  registerConfigCommands(program, io);
  await program.parseAsync(['config', 'check', ...args], { from: 'user' });
  return { out: out.join(''), err: err.join('') };
}

test('prints the effective configuration as YAML with durations as text and secrets redacted', async () => {
  const { out, err } = await check(
    ['--config', 'krm.yaml', '--port', '9000', '--set', 'collection.interval=30s', '--log-level', 'debug'],
    { KRM_AUTH_MODE: 'token', KRM_AUTH_TOKEN: 'secret-token-0123456789', KRM_SMTP_PASSWORD: 'smtp-secret', KRM_TYPO: 'x' },
    { '/srv/krm.yaml': 'prometheus:\n  url: http://prometheus:9090\n  bearerToken: prom-secret\n', '/srv/.env': 'KRM_CLUSTER_NAME=prod\n' },
  );
  for (const secret of ['secret-token-0123456789', 'smtp-secret', 'prom-secret']) assert.ok(!out.includes(secret), secret);
  const doc = parse(out) as Record<string, Record<string, unknown>>;
  assert.equal(doc['server']?.['port'], 9000);
  assert.equal(doc['collection']?.['interval'], '30s');
  assert.equal(doc['log']?.['level'], 'debug');
  assert.equal(doc['cluster']?.['name'], 'prod');
  assert.equal(doc['auth']?.['token'], '***');
  assert.equal(doc['prometheus']?.['bearerToken'], '***');
  assert.equal(doc['prometheus']?.['url'], 'http://prometheus:9090');
  assert.equal(err, 'krm: warning: KRM_TYPO names no configuration key and is ignored\n');
});

test('an invalid value throws a one-line ConfigError naming the key (exit code 2 in main.ts)', async () => {
  await assert.rejects(
    check(['--set', 'collection.interval=5s']),
    (e: unknown) => e instanceof ConfigError && e.message === 'collection.interval: must be at least 15s (got "5s" from --set collection.interval)',
  );
});
