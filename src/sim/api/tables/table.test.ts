// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createWatchTableEncoder, toTable } from './table.ts';
import { RESOURCE_TYPES, findResource } from '../../model/resource-types.ts';
import type { ResourceType } from '../../model/resource-types.ts';
import type { KubeObject, Pod } from '../../model/kube-types.ts';

const PODS = JSON.parse(readFileSync(new URL('./__fixtures__/pods-1_35.json', import.meta.url), 'utf8')) as Pod[];
const NOW = Date.parse('2026-06-26T10:15:00Z');

function rt(group: string, version: string, plural: string): ResourceType {
  const found = findResource(group, version, plural);
  assert.ok(found, `${group}/${version}/${plural}`);
  return found;
}

const PODS_RT = rt('', 'v1', 'pods');

void test('pod table: column definitions as the API server sends them', () => {
  const table = toTable(PODS_RT, PODS, { includeObject: 'Metadata', nowMs: NOW, resourceVersion: '901' });
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(table.metadata, { resourceVersion: '901' });
  const columns = table.columnDefinitions ?? [];
  assert.deepEqual(
    columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ],
  );
  assert.ok(columns.every((c) => c.description.length > 0));
});

void test('pod rows carry the wide cells and Completed conditions for terminal pods', () => {
  const table = toTable(PODS_RT, PODS, { includeObject: 'Metadata', nowMs: NOW, resourceVersion: '901' });
  assert.deepEqual(
    table.rows.map((r) => r.cells),
    [
      ['coredns-7d764666f9-qdcxt', '1/1', 'Running', '0', '2m41s', '10.244.0.2', 'datagen-1-35', '<none>', '<none>'],
      ['e2e-container-creating', '0/1', 'Completed', '2 (46s ago)', '2m9s', '10.244.0.5', 'datagen-1-35', '<none>', '<none>'],
      ['e2e-container-pending', '0/1', 'Pending', '0', '2m9s', '<none>', '<none>', '<none>', '<none>'],
      ['e2e-cronjob-29707813-dhlr2', '0/1', 'Completed', '0', '2m', '10.244.0.13', 'datagen-1-35', '<none>', '<none>'],
      ['e2e-failjob-28dqq', '0/1', 'Error', '0', '32s', '10.244.0.16', 'datagen-1-35', '<none>', '<none>'],
    ],
  );
  assert.deepEqual(table.rows[3]?.conditions, [
    { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
  ]);
  assert.equal(table.rows[4]?.conditions?.[0]?.reason, 'Failed');
  assert.equal(table.rows[0]?.conditions, undefined);
});

void test('includeObject: Metadata gives PartialObjectMetadata, Object the object, None a JSON null', () => {
  const pod = PODS[0];
  assert.ok(pod);
  const meta = toTable(PODS_RT, [pod], { includeObject: 'Metadata', nowMs: NOW, resourceVersion: '1' });
  assert.deepEqual(meta.rows[0]?.object, {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: pod.metadata,
  });
  const full = toTable(PODS_RT, [pod], { includeObject: 'Object', nowMs: NOW, resourceVersion: '1' });
  assert.equal(full.rows[0]?.object, pod);
  const none = toTable(PODS_RT, [pod], { includeObject: 'None', nowMs: NOW, resourceVersion: '1' });
  assert.match(JSON.stringify(none), /"object":null/);
});

void test('v1beta1 tables rename both apiVersions', () => {
  const pod = PODS[0];
  assert.ok(pod);
  const table = toTable(PODS_RT, [pod], {
    includeObject: 'Metadata',
    nowMs: NOW,
    resourceVersion: '1',
    tableVersion: 'v1beta1',
  });
  assert.equal(table.apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal((table.rows[0]?.object as { apiVersion: string }).apiVersion, 'meta.k8s.io/v1beta1');
});

void test('list metadata: continue and remainingItemCount when paging, resourceVersion omitted when empty', () => {
  const table = toTable(PODS_RT, [], {
    includeObject: 'Metadata',
    nowMs: NOW,
    resourceVersion: '',
    continueToken: 'abc',
    remainingItemCount: 12,
  });
  assert.deepEqual(table.metadata, { continue: 'abc', remainingItemCount: 12 });
  assert.deepEqual(table.rows, []);
  assert.equal(JSON.stringify(table).includes('"rows":[]'), true);
});

void test('watch: columns on the first event only, then null; metadata carries the object resourceVersion', () => {
  const encode = createWatchTableEncoder(PODS_RT, { includeObject: 'Metadata' });
  const [a, b] = PODS;
  assert.ok(a && b);
  const first = encode(a, NOW);
  const second = encode(b, NOW);
  assert.equal(first.columnDefinitions?.length, 9);
  assert.equal(second.columnDefinitions, null);
  assert.match(JSON.stringify(second), /"columnDefinitions":null/);
  assert.deepEqual(first.metadata, { resourceVersion: a.metadata.resourceVersion });
  assert.equal(second.rows.length, 1);
  assert.equal(second.rows[0]?.cells[0], b.metadata.name);
});

void test('kinds without an upstream printer get NAME / CREATED AT with the raw timestamp', () => {
  const limits: KubeObject = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'defaults', namespace: 'team-a', creationTimestamp: '2026-06-26T10:12:51.000Z' },
  };
  const table = toTable(rt('', 'v1', 'limitranges'), [limits], { includeObject: 'None', nowMs: NOW, resourceVersion: '5' });
  assert.deepEqual(
    table.columnDefinitions?.map((c) => [c.name, c.type, c.format]),
    [
      ['Name', 'string', 'name'],
      ['Created At', 'date', ''],
    ],
  );
  assert.deepEqual(table.rows[0]?.cells, ['defaults', '2026-06-26T10:12:51Z']);
});

void test('every served kind prints one cell per column, even for a bare object', () => {
  for (const type of RESOURCE_TYPES) {
    const bare: KubeObject = {
      apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`,
      kind: type.kind,
      metadata: { name: 'x', creationTimestamp: '2026-06-26T10:00:00Z' },
    };
    const table = toTable(type, [bare], { includeObject: 'None', nowMs: NOW, resourceVersion: '1' });
    const columns = table.columnDefinitions ?? [];
    assert.equal(table.rows[0]?.cells.length, columns.length, `${type.plural}.${type.group}`);
    assert.equal(columns.filter((c) => c.format === 'name').length, 1, `${type.plural}.${type.group} name column`);
  }
});
