// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelChoice } from './fit.ts';
import { ModelMemory, REFIT_MS } from './model-memory.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);
const hw = (alpha: number): ModelChoice => ({ stepMs: HOUR, shape: { daily: true, weekly: false }, smoothing: { alpha, beta: 0, gamma: 0.2, phi: 1 } });

test('a kept model is used for a day to a day and a half (spread by series), then searched again', () => {
  const m = new ModelMemory();
  m.remember('ns:a:cpu:usage', { choice: hw(0.1), reused: undefined, nowMs: T0 });
  assert.deepEqual(m.get('ns:a:cpu:usage', T0 + HOUR), hw(0.1));
  assert.deepEqual(m.get('ns:a:cpu:usage', T0 + REFIT_MS - 1), hw(0.1));
  assert.equal(m.get('ns:a:cpu:usage', T0 + 1.5 * REFIT_MS), undefined);
  assert.equal(m.get('ns:b:cpu:usage', T0), undefined);
  // A clock that went back is not trusted with an old choice.
  assert.equal(m.get('ns:a:cpu:usage', T0 - HOUR), undefined);
  // Series expire at different ages between 24 and 36 hours.
  for (let i = 0; i < 50; i++) m.remember(`ns:n${i}:cpu:usage`, { choice: hw(0.1), reused: undefined, nowMs: T0 });
  const kept = (age: number): number => Array.from({ length: 50 }, (_, i) => m.get(`ns:n${i}:cpu:usage`, T0 + age)).filter((c) => c !== undefined).length;
  assert.equal(kept(REFIT_MS - 1), 50);
  assert.ok(kept(1.25 * REFIT_MS) > 5 && kept(1.25 * REFIT_MS) < 45, String(kept(1.25 * REFIT_MS)));
  assert.equal(kept(1.5 * REFIT_MS), 0);
});

test('remember: a fitted kept model keeps its age, a searched one starts anew, none forgets; sweep drops the unseen', () => {
  const m = new ModelMemory();
  m.remember('k', { choice: hw(0.1), reused: undefined, nowMs: T0 });
  // Fitted with the kept model a pass later: still chosen at T0, so it expires on time.
  m.remember('k', { choice: hw(0.1), reused: hw(0.1), nowMs: T0 + 10 * HOUR });
  assert.equal(m.get('k', T0 + 1.5 * REFIT_MS), undefined);
  // Searched again and the same model came back: a new age.
  m.remember('k', { choice: hw(0.1), reused: undefined, nowMs: T0 + 2 * REFIT_MS });
  assert.deepEqual(m.get('k', T0 + 2 * REFIT_MS + HOUR), hw(0.1));
  // The kept model no longer applied (other seasons): what was searched replaces it.
  const weekly: ModelChoice = { ...hw(0.5), shape: { daily: true, weekly: true } };
  m.remember('k', { choice: weekly, reused: hw(0.1), nowMs: T0 + 3 * REFIT_MS });
  assert.deepEqual(m.get('k', T0 + 3 * REFIT_MS + HOUR), weekly);
  // A flat or short series has no model: forgotten.
  m.remember('k', { choice: undefined, reused: undefined, nowMs: T0 + 3 * REFIT_MS });
  assert.equal(m.size, 0);
  m.remember('a', { choice: hw(0.1), reused: undefined, nowMs: T0 });
  m.remember('b', { choice: hw(0.1), reused: undefined, nowMs: T0 });
  m.sweep(new Set(['b']));
  assert.equal(m.size, 1);
  assert.equal(m.get('a', T0), undefined);
});
