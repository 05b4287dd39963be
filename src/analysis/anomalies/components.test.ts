// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnomalyLikelihood } from './anomaly-likelihood.ts';
import { ContextModel } from './context-model.ts';
import { normalTail } from '../stats/normal-tail.ts';
import { SortedWindow } from './sorted-window.ts';
import { tukeyRaw } from './tukey-raw.ts';

test('SortedWindow keeps the last values sorted and evicts the oldest', () => {
  const w = new SortedWindow(4);
  assert.ok(Number.isNaN(w.quantile(0.5)));
  for (const v of [5, 1, 4, 2, 3]) w.push(v);
  assert.equal(w.size, 4);
  assert.equal(w.quantile(0), 1);
  assert.equal(w.quantile(1), 4);
  assert.equal(w.quantile(0.5), 2.5);
  w.push(10);
  assert.equal(w.quantile(0), 2);
  assert.throws(() => new SortedWindow(0), RangeError);
});

test('normalTail matches known values of the normal distribution', () => {
  assert.ok(Math.abs(normalTail(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(normalTail(1.959964) - 0.025) < 1e-6);
  assert.ok(Math.abs(normalTail(4.264891) - 1e-5) < 1e-8);
  assert.ok(Math.abs(normalTail(-1) - 0.841345) < 1e-6);
});

test('tukeyRaw: 0 inside the fences, grows outside, 1 at a full fence beyond; a flat baseline uses the 1% floor', () => {
  const w = new SortedWindow(100);
  for (let i = 0; i < 100; i++) w.push(i % 10); // Q1 2, Q3 7, IQR 5, fences at -5.5 and 14.5
  const opts = { fence: 1.5, relativeFloor: 0.01, rangeFloor: 1e-3, range: 9 };
  assert.equal(tukeyRaw(-5, w, opts), 0);
  assert.equal(tukeyRaw(14, w, opts), 0);
  assert.ok(Math.abs(tukeyRaw(18.25, w, opts) - 0.5) < 1e-12);
  assert.equal(tukeyRaw(100, w, opts), 1);
  assert.equal(tukeyRaw(-100, w, opts), 1);
  const flat = new SortedWindow(50);
  for (let i = 0; i < 50; i++) flat.push(100);
  assert.equal(tukeyRaw(101, flat, { ...opts, range: 0 }), 0, 'within 1% of the median × fence');
  assert.equal(tukeyRaw(110, flat, { ...opts, range: 0 }), 1);
  assert.equal(tukeyRaw(1e6, new SortedWindow(5), opts), 0, 'too short a baseline');
});

test('AnomalyLikelihood: 1 during warm-up, small for a burst after a quiet history, two-sided', () => {
  const l = new AnomalyLikelihood({ averagingWindow: 10, historySamples: 1000, minBaseline: 100 });
  for (let i = 0; i < 100; i++) assert.equal(l.update(i % 2 === 0 ? 0.2 : 0.3), 1);
  for (let i = 0; i < 200; i++) l.update(i % 2 === 0 ? 0.2 : 0.3);
  assert.ok(l.update(0.25) > 0.1);
  let p = 1;
  for (let i = 0; i < 5; i++) p = l.update(1);
  assert.ok(p < 1e-5, `burst p=${p}`);
  const quiet = new AnomalyLikelihood({ averagingWindow: 10, historySamples: 1000, minBaseline: 100 });
  for (let i = 0; i < 300; i++) quiet.update(0.5 + (i % 2 === 0 ? 0.2 : -0.2));
  for (let i = 0; i < 9; i++) quiet.update(0);
  assert.ok(quiet.update(0) < 1e-5, 'a stream suddenly far more predictable than usual is flagged too');
});

test('ContextModel learns a repeated pattern and is surprised by a break in it', () => {
  const m = new ContextModel({ levels: 8, order: 3, hourBuckets: 24, countCap: 8640 });
  const pattern = [0, 2, 4, 6];
  let last = 1;
  for (let i = 0; i < 400; i++) last = m.observe(pattern[i % 4] as number, Number.NaN);
  assert.ok(last < 0.05, `learned: ${last}`);
  assert.ok(m.observe(7, Number.NaN) > 0.9);
  assert.equal(m.levelOf(5, 0, 10), 4);
  assert.equal(m.levelOf(10, 0, 10), 7);
  assert.equal(m.levelOf(3, 3, 3), 0);
});
