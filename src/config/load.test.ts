// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors/app-error.ts';
import { ERROR_CODES } from '../errors/codes.ts';
import type { LogLevel } from '../logging/logger.ts';
import { loadConfig, unknownEnvVars, type ConfigFlags } from './load.ts';

interface Setup {
  env?: Record<string, string>;
  flags?: ConfigFlags;
  files?: Record<string, string>;
}

const CWD = '/app';

function load(setup: Setup = {}) {
  const files = setup.files ?? {};
  return loadConfig({ env: setup.env ?? {}, flags: setup.flags, cwd: CWD, readFile: (p) => files[p] });
}

function loadError(setup: Setup): ConfigError {
  try {
    load(setup);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(err.code, 'KRM_CONFIG_INVALID');
    return err;
  }
  assert.fail('expected loadConfig to throw');
}

test('schema defaults apply when no source sets anything', () => {
  const c = load();
  assert.equal(c.server.port, 8000);
  assert.equal(c.server.host, '0.0.0.0');
  assert.equal(c.store.path, 'data/k8s_metrics.db');
  assert.equal(c.collection.interval, 60_000);
  assert.equal(c.collection.source, 'auto');
  assert.equal(c.backfill.window, 14 * 86_400_000);
  assert.equal(c.prometheus.url, undefined);
  assert.equal(c.prometheus.timeout, 60_000);
  assert.equal(c.kube.qps, 50);
  assert.equal(c.kube.burst, 100);
  assert.equal(c.cluster.name, 'default');
  assert.equal(c.log.level, 'info');
  assert.deepEqual(c.retention, {
    profile: 'standard',
    raw: 7 * 86_400_000,
    rollup5m: 35 * 86_400_000,
    rollup1h: 180 * 86_400_000,
    rollup1d: 730 * 86_400_000,
    events: 30 * 86_400_000,
    objects: 90 * 86_400_000,
    findings: 180 * 86_400_000,
  });
});

test('the Config type carries durations as numbers of milliseconds and the log level as a LogLevel', () => {
  const c = load();
  const intervalMs: number = c.collection.interval;
  const rawMs: number = c.retention.raw;
  const level: LogLevel = c.log.level;
  const token: string | undefined = c.auth.token;
  assert.deepEqual([intervalMs, rawMs, level, token], [60_000, 7 * 86_400_000, 'info', undefined]);
});

test('the result is deep-frozen', () => {
  const c = load();
  assert.ok(Object.isFrozen(c));
  assert.ok(Object.isFrozen(c.collection));
  assert.ok(Object.isFrozen(c.alerts.smtp.to));
  assert.throws(() => {
    (c.server as { port: number }).port = 1;
  }, TypeError);
});

// Each row removes the highest source left: flags > environment > YAML file > .env > defaults.
const precedence: ReadonlyArray<[string, Setup, number]> = [
  [
    'flag beats environment, file and .env',
    { flags: { port: '1004' }, env: { KRM_PORT: '1003', KRM_CONFIG: 'krm.yaml' }, files: { '/app/krm.yaml': 'server: { port: 1002 }', '/app/.env': 'KRM_PORT=1001' } },
    1004,
  ],
  ['environment beats file and .env', { env: { KRM_PORT: '1003', KRM_CONFIG: 'krm.yaml' }, files: { '/app/krm.yaml': 'server: { port: 1002 }', '/app/.env': 'KRM_PORT=1001' } }, 1003],
  ['file beats .env', { env: { KRM_CONFIG: 'krm.yaml' }, files: { '/app/krm.yaml': 'server: { port: 1002 }', '/app/.env': 'KRM_PORT=1001' } }, 1002],
  ['.env beats defaults', { files: { '/app/.env': 'KRM_PORT=1001' } }, 1001],
  ['defaults', {}, 8000],
  ['--set beats the environment', { flags: { set: ['server.port=1005'] }, env: { KRM_PORT: '1003' } }, 1005],
];

for (const [name, setup, port] of precedence) {
  test(`precedence: ${name}`, () => {
    assert.equal(load(setup).server.port, port);
  });
}

test('sources merge key by key: each key comes from the highest source that sets it', () => {
  const c = load({
    env: { KRM_CONFIG: '/etc/krm.yaml', KRM_LOG_LEVEL: 'debug' },
    flags: { db: '/data/x.db' },
    files: {
      '/etc/krm.yaml': 'collection:\n  interval: 30s\nlog:\n  level: warn\nprometheus:\n  url: http://prom:9090\n',
      '/app/.env': 'KRM_CLUSTER_NAME=prod\nKRM_COLLECTION_INTERVAL=45s\n',
    },
  });
  assert.equal(c.cluster.name, 'prod');
  assert.equal(c.collection.interval, 30_000);
  assert.equal(c.log.level, 'debug');
  assert.equal(c.prometheus.url, 'http://prom:9090');
  assert.equal(c.store.path, '/data/x.db');
});

const envMapping: ReadonlyArray<[string, string, (c: ReturnType<typeof load>) => unknown, unknown]> = [
  ['KRM_DB_PATH', '/var/lib/krm.db', (c) => c.store.path, '/var/lib/krm.db'],
  ['KRM_COLLECTION_INTERVAL', '2m', (c) => c.collection.interval, 120_000],
  ['KRM_METRICS_SOURCE', 'metrics-server', (c) => c.collection.source, 'metrics-server'],
  ['KRM_PROMETHEUS_URL', 'https://thanos.example/prometheus', (c) => c.prometheus.url, 'https://thanos.example/prometheus'],
  ['KRM_PROM_MAX_SERIES_PER_QUERY', '5000', (c) => c.prometheus.maxSeriesPerQuery, 5000],
  ['KRM_BACKFILL_WINDOW', '7d', (c) => c.backfill.window, 7 * 86_400_000],
  ['KRM_BACKFILL_ENABLED', 'false', (c) => c.backfill.enabled, false],
  ['KRM_COLLECTION_KUBELET_FALLBACK', 'yes', (c) => c.collection.kubeletFallback, true],
  ['KRM_MAIL_TO', 'a@x.io, b@x.io', (c) => c.alerts.smtp.to, ['a@x.io', 'b@x.io']],
  ['KRM_LOG_LEVEL', 'WARNING', (c) => c.log.level, 'warn'],
  ['KRM_LOG_LEVEL', 'critical', (c) => c.log.level, 'fatal'],
  ['KRM_RETENTION_PROFILE', 'critical', (c) => [c.retention.raw, c.retention.rollup1h], [30 * 86_400_000, 730 * 86_400_000]],
  ['KRM_RETENTION_RAW', '10d', (c) => c.retention.raw, 10 * 86_400_000],
  ['KRM_KUBE_CONTEXT', 'kind-dev', (c) => c.kube.context, 'kind-dev'],
  ['KRM_KUBECONFIG', '/k/config', (c) => c.kube.kubeconfig, '/k/config'],
  ['KRM_ANALYSIS_INTERVALS_OOM_RISK', '30m', (c) => c.analysis.intervals.oomRisk, 1_800_000],
  ['KRM_PORT', '', (c) => c.server.port, 8000],
];

for (const [name, value, get, expected] of envMapping) {
  test(`environment: ${name}=${JSON.stringify(value)}`, () => {
    assert.deepEqual(get(load({ env: { [name]: value } })), expected);
  });
}

test('the config file can come from --config, KRM_CONFIG or .env, relative to the working directory', () => {
  const files = { '/app/a.yaml': 'cluster: { name: a }', '/app/b.yaml': 'cluster: { name: b }', '/app/.env': 'KRM_CONFIG=c.yaml', '/app/c.yaml': 'cluster:\n  name: c' };
  assert.equal(load({ files, flags: { config: 'a.yaml' }, env: { KRM_CONFIG: 'b.yaml' } }).cluster.name, 'a');
  assert.equal(load({ files, env: { KRM_CONFIG: 'b.yaml' } }).cluster.name, 'b');
  assert.equal(load({ files }).cluster.name, 'c');
});

test('an empty config file is allowed and YAML nulls mean "not set"', () => {
  const c = load({ env: { KRM_CONFIG: '/k.yaml' }, files: { '/k.yaml': 'log:\n  file:\n', '/app/.env': 'KRM_LOG_FILE=/x.log' } });
  assert.equal(c.log.file, '/x.log');
  assert.equal(load({ env: { KRM_CONFIG: '/k.yaml' }, files: { '/k.yaml': '' } }).server.port, 8000);
});

const invalid: ReadonlyArray<[string, Setup, string]> = [
  ['an interval below the minimum', { env: { KRM_COLLECTION_INTERVAL: '5s' } }, 'collection.interval: must be at least 15s (got "5s" from KRM_COLLECTION_INTERVAL)'],
  [
    'a bare number as a duration',
    { flags: { config: 'k.yaml' }, files: { '/app/k.yaml': 'collection:\n  interval: 60\n' } },
    'collection.interval: a bare number has no unit; write for example "60s" (units: ms, s, m, h, d, w, mo, y) (got 60 from /app/k.yaml)',
  ],
  ['a port that is not a number', { env: { KRM_PORT: 'abc' } }, 'server.port: Invalid input: expected number, received string (got "abc" from KRM_PORT)'],
  ['an unknown metrics source', { flags: { metricsSource: 'graphite' } }, 'collection.source: Invalid option: expected one of "auto"|"prometheus"|"metrics-server"|"kubelet" (got "graphite" from --metrics-source)'],
  ['an unknown key in the file', { flags: { config: 'k.yaml' }, files: { '/app/k.yaml': 'collection:\n  intervall: 30s\n' } }, 'collection.intervall: unknown key (from /app/k.yaml)'],
  ['a non-HTTP Prometheus URL', { files: { '/app/.env': 'KRM_PROMETHEUS_URL=ftp://p' } }, 'prometheus.url: must be an http:// or https:// URL (got "ftp://p" from KRM_PROMETHEUS_URL in /app/.env)'],
  ['token mode without a token', { env: { KRM_AUTH_MODE: 'token' } }, 'auth.token: is required when auth.mode is "token"'],
  ['a 5-minute rollup retention below 35 days', { flags: { set: ['retention.rollup5m=7d'] } }, 'retention.rollup5m: must be at least 35d (got "7d" from --set retention.rollup5m)'],
  [
    'a Service link variable in KRM_PORT',
    { env: { KRM_PORT: 'tcp://10.0.0.1:8000' } },
    'server.port: Invalid input: expected number, received string (got "tcp://10.0.0.1:8000" from KRM_PORT); a Kubernetes Service named "krm" injects this variable: rename it or set enableServiceLinks: false',
  ],
  ['a missing config file', { flags: { config: 'missing.yaml' } }, 'config file not found: /app/missing.yaml'],
  ['a --set without =', { flags: { set: ['server.port'] } }, '--set server.port: expected key=value'],
  ['a --set of an unknown key', { flags: { set: ['server.prot=1'] } }, '--set server.prot=1: unknown key "server.prot" (see docs/config.md)'],
  ['a config file that is not a mapping', { flags: { config: 'k.yaml' }, files: { '/app/k.yaml': '- a\n- b\n' } }, '/app/k.yaml: must be a YAML mapping of config keys'],
  ['a bad .env line', { files: { '/app/.env': 'KRM_PORT=1\nnonsense\n' } }, '/app/.env line 2: expected KEY=VALUE'],
];

for (const [name, setup, message] of invalid) {
  test(`invalid: ${name} names the key`, () => {
    assert.equal(loadError(setup).message, message);
  });
}

test('invalid YAML names the file and the line, on one line', () => {
  const err = loadError({ flags: { config: 'k.yaml' }, files: { '/app/k.yaml': 'a: b\n  c: d: e\n' } });
  assert.match(err.message, /^\/app\/k\.yaml: .* at line \d+, column \d+$/);
  assert.doesNotMatch(err.message, /\n/);
});

test('every problem is reported at once, on one line', () => {
  const err = loadError({ env: { KRM_COLLECTION_INTERVAL: '1s', KRM_PORT: '70000' } });
  assert.doesNotMatch(err.message, /\n/);
  assert.match(err.message, /server\.port: .*70000.*; collection\.interval: must be at least 15s/);
  assert.deepEqual((err.details?.['problems'] as string[]).length, 2);
});

test('a bad secret value is never echoed in the error', () => {
  const err = loadError({ env: { KRM_AUTH_MODE: 'token', KRM_AUTH_TOKEN: 'hunter2' } });
  assert.equal(err.message, 'auth.token: must be at least 16 characters (got "***" from KRM_AUTH_TOKEN)');
});

test('values under misspelt or secret-looking keys and URL passwords are not echoed either', () => {
  const err = loadError({
    flags: { config: 'k.yaml' },
    files: { '/app/k.yaml': 'alerts:\n  slack:\n    webhookURL: https://hooks/S1\nprometheus:\n  url: http://u:S2@p:9090 x\n' },
  });
  assert.doesNotMatch(err.message, /S1|S2/);
  assert.match(err.message, /alerts\.slack\.webhookURL: unknown key \(from \/app\/k\.yaml\)/);
  assert.match(err.message, /prometheus\.url: .*\(got "http:\/\/u:\*\*\*@p:9090 x" from/);
  assert.equal(loadError({ flags: { config: 'k.yaml' }, files: { '/app/k.yaml': '__proto__:\n  polluted: 1\n' } }).message.split(':')[0], '__proto__.polluted');
});

test('configuration errors map to exit code 2', () => {
  assert.equal(ERROR_CODES[loadError({ env: { KRM_PORT: 'x' } }).code].exitCode, 2);
});

test('unknownEnvVars lists KRM_* variables that name no key', () => {
  assert.deepEqual(unknownEnvVars({ KRM_PORT: '1', KRM_CONFIG: 'x', KRM_COLECTION_INTERVAL: '1m', KRM_SERVICE_HOST: 'h', HOME: '/' }), [
    'KRM_COLECTION_INTERVAL',
    'KRM_SERVICE_HOST',
  ]);
});
