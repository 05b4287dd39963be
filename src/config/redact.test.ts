// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { loadConfig } from './load.ts';
import { formatConfigYaml, toDisplayConfig } from './print.ts';
import { REDACTED, isSecretFieldName, redactConfig, redactSecrets, redactUrlCredentials } from './redact.ts';

const SECRETS = {
  KRM_AUTH_TOKEN: 'tok-0123456789abcdef-SECRET1',
  KRM_PROMETHEUS_USERNAME: 'prom-user',
  KRM_PROMETHEUS_PASSWORD: 'prom-pass-SECRET2',
  KRM_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/SECRET3',
  KRM_WEBHOOK_URL: 'https://receiver.example/hook?sig=SECRET4',
  KRM_SMTP_PASSWORD: 'smtp-SECRET5',
};

function loadWithSecrets() {
  return loadConfig({
    env: { ...SECRETS, KRM_AUTH_MODE: 'token', KRM_PROMETHEUS_URL: 'http://ops:SECRET6@prometheus:9090/prom' },
    cwd: '/app',
    readFile: () => undefined,
  });
}

test('config check output never contains a secret value', () => {
  const config = loadWithSecrets();
  const out = formatConfigYaml(config);
  for (const n of [1, 2, 3, 4, 5, 6]) assert.ok(!out.includes(`SECRET${n}`), `SECRET${n} leaked:\n${out}`);
  const doc = parse(out) as Record<string, Record<string, unknown>>;
  assert.equal(doc['auth']?.['token'], REDACTED);
  assert.equal(doc['prometheus']?.['password'], REDACTED);
  assert.equal(doc['prometheus']?.['username'], 'prom-user');
  assert.equal(doc['prometheus']?.['url'], `http://ops:${REDACTED}@prometheus:9090/prom`);
  assert.equal((doc['alerts']?.['slack'] as Record<string, unknown>)['webhookUrl'], REDACTED);
  assert.equal((doc['alerts']?.['webhook'] as Record<string, unknown>)['url'], REDACTED);
  assert.equal((doc['alerts']?.['smtp'] as Record<string, unknown>)['password'], REDACTED);
  // the frozen original is untouched
  assert.equal(config.auth.token, SECRETS.KRM_AUTH_TOKEN);
});

test('config check prints durations as text, and the output loads back to the same configuration', () => {
  const config = loadConfig({ env: { KRM_COLLECTION_INTERVAL: '90s' }, cwd: '/app', readFile: () => undefined });
  const display = toDisplayConfig(config);
  assert.equal((display['collection'] as Record<string, unknown>)['interval'], '90s');
  assert.equal((display['retention'] as Record<string, unknown>)['rollup1h'], '6mo');
  const yaml = formatConfigYaml(config);
  const again = loadConfig({ env: { KRM_CONFIG: '/k.yaml' }, cwd: '/app', readFile: (p) => (p === '/k.yaml' ? yaml : undefined) });
  assert.deepEqual(again, config);
});

test('unset secrets stay unset rather than printing ***', () => {
  const display = toDisplayConfig(loadConfig({ env: {}, cwd: '/', readFile: () => undefined }));
  assert.equal((display['auth'] as Record<string, unknown>)['token'], undefined);
});

test('redactConfig accepts other secret paths and leaves its input alone', () => {
  const input = { a: { b: 'x', c: 'y' } };
  assert.deepEqual(redactConfig(input, ['a.b']), { a: { b: REDACTED, c: 'y' } });
  assert.deepEqual(input, { a: { b: 'x', c: 'y' } });
});

const names: ReadonlyArray<[string, boolean]> = [
  ['password', true],
  ['smtpPassword', true],
  ['bearerToken', true],
  ['access_token', true],
  ['clientSecret', true],
  ['credentials', true],
  ['authorization', true],
  ['Cookie', true],
  ['api-key', true],
  ['apiKey', true],
  ['privateKey', true],
  ['webhookUrl', true],
  ['key', true],
  ['groupKey', false],
  ['url', false],
  ['username', false],
  ['namespace', false],
];

for (const [name, secret] of names) {
  test(`isSecretFieldName(${name}) = ${secret}`, () => {
    assert.equal(isSecretFieldName(name), secret);
  });
}

test('redactSecrets walks objects and arrays, masks URL passwords, and returns the same object when clean', () => {
  const clean = { a: 1, b: ['x', { c: 'd' }] };
  assert.equal(redactSecrets(clean), clean);
  const dirty = { req: { headers: { authorization: 'Bearer abc', host: 'h' } }, list: [{ token: 't' }], u: 'https://a:b@h/x', n: null };
  assert.deepEqual(redactSecrets(dirty), {
    req: { headers: { authorization: REDACTED, host: 'h' } },
    list: [{ token: REDACTED }],
    u: `https://a:${REDACTED}@h/x`,
    n: null,
  });
  assert.equal(dirty.req.headers.authorization, 'Bearer abc');
  const err = new Error('boom');
  assert.equal(redactSecrets({ err }).err, err);
});

test('redactUrlCredentials masks the password or a lone token in user-info only', () => {
  assert.equal(redactUrlCredentials('https://u:p@h:1/x'), `https://u:${REDACTED}@h:1/x`);
  assert.equal(redactUrlCredentials('https://tok@h/'), `https://${REDACTED}@h/`);
  assert.equal(redactUrlCredentials('https://h/x?a=b@c'), 'https://h/x?a=b@c');
  assert.equal(redactUrlCredentials('GET http://a:b@h/ failed; also redis://:pw@r:6379'), `GET http://a:${REDACTED}@h/ failed; also redis://:${REDACTED}@r:6379`);
});
