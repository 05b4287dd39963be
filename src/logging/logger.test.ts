// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../config/load.ts';
import { logEvent } from './events.ts';
import { componentLogger, createLogger, type CreateLoggerOptions } from './logger.ts';

function capture(opts: CreateLoggerOptions = {}) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...String(chunk).split('\n').filter((l) => l !== ''));
      done();
    },
  });
  const log = createLogger({ now: () => Date.UTC(2024, 0, 15, 10, 30), ...opts, destination });
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines, records };
}

test('a line carries the operations-guide fields: timestamp, level, logger, message, module, function, line', () => {
  const { log, records } = capture();
  log.info({ pods: 3 }, 'collection cycle finished');
  assert.deepEqual(records(), [
    {
      level: 'INFO',
      timestamp: '2024-01-15T10:30:00.000Z',
      logger: 'krm',
      component: 'krm',
      module: 'krm',
      function: null,
      line: null,
      pods: 3,
      message: 'collection cycle finished',
    },
  ]);
});

test('levels are written as DEBUG, INFO, WARNING, ERROR, CRITICAL and filtered by the configured level', () => {
  const { log, records } = capture({ level: 'debug' });
  log.trace('t');
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
  log.fatal('f');
  assert.deepEqual(records().map((r) => r['level']), ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
  const quiet = capture({ level: 'warn' });
  quiet.log.info('hidden');
  quiet.log.warn('shown');
  assert.deepEqual(quiet.records().map((r) => r['message']), ['shown']);
});

test('component loggers name their component once, even when derived from another component logger', () => {
  const { log, lines, records } = capture();
  const watch = componentLogger(log, 'kube.watch', { kind: 'pods' });
  watch.info('a');
  componentLogger(watch, 'kube.watch.stream').info('b');
  assert.deepEqual(records().map((r) => [r['component'], r['logger'], r['kind']]), [
    ['kube.watch', 'kube.watch', 'pods'],
    ['kube.watch.stream', 'kube.watch.stream', 'pods'],
  ]);
  for (const line of lines) assert.equal(line.match(/"component":/g)?.length, 1, line);
});

test('an attached error gives err (with cause) and exception (stack)', () => {
  const { log, records } = capture();
  const err = new Error('list failed', { cause: new Error('ECONNRESET') });
  log.error({ err }, 'watch failed');
  const [r] = records();
  assert.equal(r?.['message'], 'watch failed');
  assert.match(String(r?.['exception']), /^Error: list failed\n\s+at /);
  assert.match(String((r?.['err'] as Record<string, unknown>)['stack']), /caused by: Error: ECONNRESET/);
});

test('logEvent writes the event at its level with its constant message and fields', () => {
  const { log, records } = capture();
  logEvent(componentLogger(log, 'kube.watch'), { event: 'watch.backoff', kind: 'pods', attempt: 2, delayMs: 1500, err: new Error('reset') });
  logEvent(log, { event: 'store.degraded', reason: 'full', err: new Error('SQLITE_FULL') });
  const [backoff, degraded] = records();
  assert.equal(backoff?.['level'], 'WARNING');
  assert.equal(backoff?.['message'], 'watch reconnect scheduled');
  assert.equal(backoff?.['event'], 'watch.backoff');
  assert.equal(backoff?.['delayMs'], 1500);
  assert.equal(backoff?.['component'], 'kube.watch');
  assert.equal(degraded?.['level'], 'ERROR');
  assert.equal(degraded?.['reason'], 'full');
});

test('a secret never appears in a log line', () => {
  const secrets = ['tok-0123456789abcdef-S1', 'prom-pass-S2', 'https://hooks.slack.com/services/S3', 'smtp-S4', 'Bearer S5', 'S6pw'];
  const config = loadConfig({
    env: { KRM_AUTH_MODE: 'token', KRM_AUTH_TOKEN: secrets[0] as string, KRM_PROMETHEUS_USERNAME: 'u', KRM_PROMETHEUS_PASSWORD: secrets[1] as string, KRM_SLACK_WEBHOOK_URL: secrets[2] as string, KRM_SMTP_PASSWORD: secrets[3] as string },
    cwd: '/',
    readFile: () => undefined,
  });
  const { log, lines } = capture({ base: { cluster: 'c' } });
  log.info({ config }, 'configuration loaded');
  log.info(config, 'configuration at top level');
  log.info({ req: { method: 'GET', headers: { authorization: secrets[4] } } }, 'request');
  log.info({ headers: { Authorization: secrets[4] } }, 'outgoing request');
  log.warn({ target: { bearerToken: secrets[0] }, smtpPassword: secrets[3] }, 'sink failed');
  const err = new Error('GET http://ops:S6pw@prometheus:9090/api/v1/query failed');
  log.error({ err }, 'query failed');
  log.error(err);
  componentLogger(log, 'alerts', { webhookUrl: secrets[2] }).info('bound');
  assert.equal(lines.length, 8);
  for (const line of lines) {
    for (const secret of secrets) assert.ok(!line.includes(secret), `${secret} leaked in ${line}`);
  }
  assert.match(lines[0] as string, /"token":"\*\*\*"/);
});

test('a log file receives the same lines as stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'krm-log-'));
  try {
    const file = join(dir, 'sub', 'app.log');
    const { log, records } = capture({ file });
    log.info({ n: 1 }, 'to both');
    log.flush();
    const fromFile = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(fromFile, records());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
