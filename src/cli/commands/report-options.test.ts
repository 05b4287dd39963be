// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../errors/app-error.ts';
import { parseReportFlags, type RawReportFlags } from './report-options.ts';

const rejects = (flags: RawReportFlags, message: RegExp): void => {
  assert.throws(() => parseReportFlags(flags), (e: unknown) => e instanceof ConfigError && e.code === 'KRM_CONFIG_INVALID' && message.test(e.message));
};

test('defaults and the one-shot mode', () => {
  const o = parseReportFlags({ prometheus: 'http://prom:9090/', kubeconfig: 'k', context: 'prod', namespace: ['shop', 'shop', 'data'] });
  assert.deepEqual(o.mode, { kind: 'prometheus', url: 'http://prom:9090', token: undefined, kubeconfig: 'k', context: 'prod', stepMs: 300_000 });
  assert.deepEqual(o.namespaces, ['shop', 'data']);
  assert.equal(o.format, 'table');
  assert.equal(o.failOn, undefined);
  assert.equal(o.strategy, 'krm');
  assert.equal(o.windowMs, 14 * 86_400_000);
  assert.equal(o.clusterName, 'default');
  const s = parseReportFlags({ server: 'https://krm.example/', token: 't', format: 'csv', failOn: 'high', strategy: 'vpa', window: '7d' });
  assert.deepEqual(s.mode, { kind: 'server', url: 'https://krm.example', token: 't' });
  assert.deepEqual([s.format, s.failOn, s.strategy, s.windowMs], ['csv', 'high', 'vpa', 7 * 86_400_000]);
  assert.deepEqual(parseReportFlags({ db: 'x.db' }).mode, { kind: 'database', path: 'x.db', kubeconfig: undefined, context: undefined });
});

test('bad values and combinations name the flag', () => {
  rejects({}, /exactly one source.*none given/);
  rejects({ server: 'http://a', db: 'x', prometheus: 'http://b' }, /--server and --db and --prometheus given/);
  rejects({ server: 'http://a', context: 'c' }, /--context cannot be used with --server/);
  rejects({ db: 'x', prometheusToken: 't' }, /--prometheus-token cannot be used with --db/);
  rejects({ db: 'x', step: '1m' }, /--step cannot be used with --db/);
  rejects({ prometheus: 'not a url' }, /--prometheus: "not a url" is not a URL/);
  rejects({ prometheus: 'http://p', step: '1s' }, /--step: 1s is out of range/);
  rejects({ prometheus: 'http://p', window: '10m' }, /--window: 10m is out of range/);
  rejects({ prometheus: 'http://p', failOn: 'HIGH' }, /--fail-on/);
  rejects({ prometheus: 'http://p', namespace: [''] }, /--namespace/);
  rejects({ prometheus: 'http://p', clusterName: '-bad-' }, /--cluster-name/);
});
