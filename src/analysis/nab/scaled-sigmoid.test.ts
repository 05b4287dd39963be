// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scaledSigmoid } from './scaled-sigmoid.ts';

test('scaledSigmoid matches the values documented in NAB scorer.py', () => {
  assert.ok(Math.abs(scaledSigmoid(-1) - 0.98661) < 1e-5, 'left edge of a window');
  assert.ok(Math.abs(scaledSigmoid(-0.5) - 0.84828) < 1e-5, 'middle of a window');
  assert.equal(scaledSigmoid(0), 0, 'right edge of a window');
  assert.ok(Math.abs(scaledSigmoid(1) + 0.98661) < 1e-5, 'one window width after a window');
});

test('scaledSigmoid is exactly -1 beyond three window widths and decreasing before', () => {
  assert.equal(scaledSigmoid(3.01), -1);
  assert.ok(scaledSigmoid(-0.9) > scaledSigmoid(-0.1));
  assert.ok(scaledSigmoid(0.1) > scaledSigmoid(2));
});
