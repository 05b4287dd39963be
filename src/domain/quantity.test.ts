// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatBytes,
  formatCpuCores,
  formatCpuMillicores,
  isQuantity,
  parseBytes,
  parseCpuMillicores,
  parseQuantity,
} from './quantity.ts';

test('parseQuantity: suffixes, exponents, decimals and signs', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['1', 1],
    ['250m', 0.25],
    ['1m', 0.001],
    ['100n', 1e-7],
    ['5u', 5e-6],
    ['1k', 1000],
    ['1M', 1e6],
    ['2G', 2e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ki', 1024],
    ['1Mi', 1048576],
    ['128Mi', 134217728],
    ['1Gi', 1073741824],
    ['1Ti', 2 ** 40],
    ['1Pi', 2 ** 50],
    ['8Ei', 2 ** 63],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1.5e-3', 0.0015],
    ['2e+2', 200],
    ['+3', 3],
    ['-1', -1],
    ['-250m', -0.25],
    ['8024304Ki', 8024304 * 1024],
    ['16098852Ki', 16098852 * 1024],
    [' 1Gi ', 2 ** 30],
  ];
  for (const [text, want] of cases) assert.equal(parseQuantity(text), want, text);
});

test('parseQuantity: rejects what the API server rejects', () => {
  for (const text of ['', ' ', 'abc', '1K', '1KB', '1mi', '1gi', '1e', '1.2.3', 'Mi', '1 Mi', '--1', '1Gi1', 'e3', '.', '1iB']) {
    assert.equal(parseQuantity(text), undefined, JSON.stringify(text));
    assert.equal(isQuantity(text), false, JSON.stringify(text));
  }
  assert.equal(parseQuantity(undefined), undefined);
});

test('parseCpuMillicores: exact on the millicore boundaries', () => {
  const cases: [string, number][] = [
    ['1m', 1],
    ['100m', 100],
    ['333m', 333],
    ['999m', 999],
    ['1', 1000],
    ['1.001', 1001],
    ['0.1', 100],
    ['2', 2000],
    ['14', 14000],
    ['100u', 0.1],
    ['1500000n', 1.5],
    ['1e-3', 1],
    ['1k', 1e6],
  ];
  for (const [text, want] of cases) assert.equal(parseCpuMillicores(text), want, text);
  assert.equal(parseCpuMillicores('bogus'), undefined);
  assert.equal(parseCpuMillicores(undefined), undefined);
});

test('parseBytes: binary and decimal memory', () => {
  assert.equal(parseBytes('170Mi'), 170 * 2 ** 20);
  assert.equal(parseBytes('5M'), 5_000_000);
  assert.equal(parseBytes('1023'), 1023);
  assert.equal(parseBytes(undefined), undefined);
});

test('formatCpuCores: shortest exact quantity', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1, '1'],
    [2, '2'],
    [0.25, '250m'],
    [0.001, '1m'],
    [1.5, '1500m'],
    [0.1 + 0.2, '300m'],
    [0.0001, '100u'],
    [0.0000015, '1500n'],
    [1e-10, '0n'],
  ];
  for (const [cores, want] of cases) assert.equal(formatCpuCores(cores), want, String(cores));
  assert.equal(formatCpuMillicores(250), '250m');
  assert.equal(formatCpuMillicores(2000), '2');
});

test('formatBytes: largest exact binary suffix', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1, '1'],
    [1000, '1000'],
    [1023, '1023'],
    [1024, '1Ki'],
    [1536, '1536'],
    [3072, '3Ki'],
    [1048575, '1048575'],
    [134217728, '128Mi'],
    [2 ** 30, '1Gi'],
    [1025 * 2 ** 20, '1025Mi'],
    [2 ** 40, '1Ti'],
    [2 ** 60, '1Ei'],
    [1024.4, '1Ki'],
  ];
  for (const [bytes, want] of cases) assert.equal(formatBytes(bytes), want, String(bytes));
});

test('format then parse round-trips', () => {
  for (const bytes of [0, 1, 1000, 1024, 5 * 2 ** 20, 8024304 * 1024, 2 ** 52]) assert.equal(parseBytes(formatBytes(bytes)), bytes);
  for (const m of [0, 1, 5, 100, 250, 999, 1000, 1500, 14000]) assert.equal(parseCpuMillicores(formatCpuMillicores(m)), m);
});
