// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import type { KubeObject } from './kube-types.ts';

const obj = (labels: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', labels },
  ...extra,
});

test('label selector operators', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'db' }, false],
    ['app!=web', {}, true],
    ['app in (web, db)', { app: 'db' }, true],
    ['app notin (web)', { app: 'web' }, false],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['app=web,tier in (fe)', { app: 'web', tier: 'fe' }, true],
    ['app=web,tier in (fe)', { app: 'web', tier: 'be' }, false],
  ];
  for (const [sel, labels, want] of cases) assert.equal(parseLabelSelector(sel)?.(obj(labels)), want, sel);
  assert.equal(parseLabelSelector(''), undefined);
  assert.throws(() => parseLabelSelector('a b c'));
});

test('field selectors: supported fields match; unsupported ones are rejected', () => {
  const p = obj({}, { spec: { nodeName: 'n1' }, status: { phase: 'Running' } });
  assert.equal(parseFieldSelector('pods', 'spec.nodeName=n1,status.phase!=Failed')?.(p), true);
  assert.equal(parseFieldSelector('pods', 'metadata.name=q')?.(p), false);
  assert.throws(() => parseFieldSelector('pods', 'spec.bogus=1'), /field label not supported/);
  const ev = obj({}, { involvedObject: { kind: 'Pod', name: 'p', namespace: 'ns' } });
  assert.equal(parseFieldSelector('events', 'involvedObject.kind=Pod,involvedObject.name=p')?.(ev), true);
});
