// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeConfigSchema, flagAttribute, toEnvSegment } from './keys.ts';
import { SECRET_PATHS } from './schema.ts';

const info = describeConfigSchema();

test('every key and every section has a description', () => {
  const missing = [...info.keys, ...info.sections].filter((k) => k.description.trim() === '').map((k) => k.id);
  assert.deepEqual(missing, []);
});

test('environment variables and flags are unique and well-formed', () => {
  const envs = info.keys.map((k) => k.env);
  assert.equal(new Set(envs).size, envs.length);
  for (const env of envs) assert.match(env, /^KRM_[A-Z0-9_]+$/);
  const flags = info.keys.flatMap((k) => (k.flag === undefined ? [] : [k.flag]));
  assert.equal(new Set(flags).size, flags.length);
  assert.ok(!flags.includes('config') && !flags.includes('set'), 'config and set are reserved flags');
});

test('every secret path names a key of the schema', () => {
  const ids = new Set(info.keys.map((k) => k.id));
  for (const path of SECRET_PATHS) assert.ok(ids.has(path), path);
  assert.deepEqual(info.keys.filter((k) => k.secret).map((k) => k.id).sort(), [...SECRET_PATHS].sort());
});

// The variable names REQUIREMENTS §7.5 and the issue fix; the rest follow KRM_ + path.
const required: ReadonlyArray<[string, string]> = [
  ['KRM_PORT', 'server.port'],
  ['KRM_HOST', 'server.host'],
  ['KRM_CLUSTER_NAME', 'cluster.name'],
  ['KRM_DB_PATH', 'store.path'],
  ['KRM_METRICS_SOURCE', 'collection.source'],
  ['KRM_PROMETHEUS_URL', 'prometheus.url'],
  ['KRM_COLLECTION_INTERVAL', 'collection.interval'],
  ['KRM_BACKFILL_WINDOW', 'backfill.window'],
  ['KRM_RETENTION_PROFILE', 'retention.profile'],
  ['KRM_ROTATION_INTERVAL', 'store.rotationInterval'],
  ['KRM_LOG_LEVEL', 'log.level'],
  ['KRM_LOG_FORMAT', 'log.format'],
  ['KRM_LOG_FILE', 'log.file'],
  ['KRM_AUTH_MODE', 'auth.mode'],
  ['KRM_PROM_MAX_SERIES_PER_QUERY', 'prometheus.maxSeriesPerQuery'],
  ['KRM_SLACK_WEBHOOK_URL', 'alerts.slack.webhookUrl'],
  ['KRM_SLACK_CHANNEL', 'alerts.slack.channel'],
  ['KRM_SMTP_HOST', 'alerts.smtp.host'],
  ['KRM_SMTP_PORT', 'alerts.smtp.port'],
  ['KRM_SMTP_USER', 'alerts.smtp.user'],
  ['KRM_SMTP_PASSWORD', 'alerts.smtp.password'],
  ['KRM_MAIL_FROM', 'alerts.smtp.from'],
  ['KRM_MAIL_TO', 'alerts.smtp.to'],
  ['KRM_WEBHOOK_URL', 'alerts.webhook.url'],
  ['KRM_ALERTMANAGER_URLS', 'alerts.alertmanager.urls'],
];

for (const [env, id] of required) {
  test(`${env} maps to ${id}`, () => {
    assert.equal(info.keys.find((k) => k.env === env)?.id, id);
  });
}

test('derived names: camelCase segments become SCREAMING_SNAKE, kebab flags become camelCase attributes', () => {
  assert.equal(toEnvSegment('maxSeriesPerQuery'), 'MAX_SERIES_PER_QUERY');
  assert.equal(toEnvSegment('rollup5m'), 'ROLLUP5M');
  assert.equal(flagAttribute('log-level'), 'logLevel');
  assert.equal(flagAttribute('db'), 'db');
});

test('key kinds and defaults are read from the schema', () => {
  const byId = new Map(info.keys.map((k) => [k.id, k]));
  assert.deepEqual(
    ['collection.interval', 'server.port', 'kube.qps', 'backfill.enabled', 'collection.source', 'alerts.smtp.to', 'prometheus.url'].map((id) => byId.get(id)?.kind),
    ['duration', 'integer', 'number', 'boolean', 'enum', 'list', 'url'],
  );
  assert.equal(byId.get('collection.interval')?.defaultValue, '60s');
  assert.deepEqual(byId.get('collection.source')?.values, ['auto', 'prometheus', 'metrics-server', 'kubelet']);
  assert.equal(byId.get('prometheus.url')?.defaultValue, undefined);
});
