// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridOf, mapBounded, planWindows } from './backfill-plan.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

test('the grid covers [now − window, now) on multiples of the step, ending strictly before now', () => {
  const now = Date.UTC(2026, 0, 15, 12, 0, 30);
  const g = gridOf({ nowMs: now, windowMs: DAY, stepMs: MIN });
  assert.ok(g);
  assert.equal(g.firstMs, Date.UTC(2026, 0, 14, 12, 1, 0));
  assert.equal(g.lastMs, Date.UTC(2026, 0, 15, 12, 0, 0));
  const onEdge = gridOf({ nowMs: Date.UTC(2026, 0, 15, 12), windowMs: HOUR, stepMs: MIN });
  assert.equal(onEdge?.lastMs, Date.UTC(2026, 0, 15, 11, 59));
  assert.equal(onEdge?.firstMs, Date.UTC(2026, 0, 15, 11));
  assert.equal(gridOf({ nowMs: now, windowMs: 0, stepMs: MIN }), undefined);
});

test('14 days at 60 s in 6 h windows: adjacent, disjoint, batch-aligned, every grid point exactly once', () => {
  const now = Date.UTC(2026, 0, 15, 12, 7, 13);
  const grid = gridOf({ nowMs: now, windowMs: 14 * DAY, stepMs: MIN });
  assert.ok(grid);
  const windows = planWindows(grid, { batchMs: 6 * HOUR });
  assert.equal(windows[0]?.startMs, grid.firstMs);
  assert.equal(windows.at(-1)?.endMs, grid.lastMs);
  let points = 0;
  for (const [i, w] of windows.entries()) {
    assert.ok(w.points <= 360 && w.points >= 1);
    assert.equal(w.points, (w.endMs - w.startMs) / MIN + 1);
    points += w.points;
    const next = windows[i + 1];
    if (next) {
      assert.equal(next.startMs, w.endMs + MIN, 'the next window starts one step after this one ends');
      assert.equal(next.startMs % (6 * HOUR), 0, 'inner edges sit on multiples of the batch');
    }
  }
  assert.equal(points, (grid.lastMs - grid.firstMs) / MIN + 1);
  assert.equal(windows.length, 14 * 4 + 1, 'a partial window at each end');
});

test('no window exceeds Prometheus’s 11,000 points per series, whatever the batch', () => {
  const grid = gridOf({ nowMs: Date.UTC(2026, 0, 15), windowMs: 14 * DAY, stepMs: 15_000 });
  assert.ok(grid);
  const windows = planWindows(grid, { batchMs: 30 * DAY });
  assert.ok(windows.every((w) => w.points <= 11_000));
  assert.equal(windows.reduce((n, w) => n + w.points, 0), (14 * DAY) / 15_000);
  const minimum = Math.ceil((14 * DAY) / 15_000 / 11_000);
  assert.ok(windows.length >= minimum && windows.length <= minimum + 1, `${windows.length} windows`);
});

test('resuming plans only the windows after the last point written', () => {
  const grid = gridOf({ nowMs: Date.UTC(2026, 0, 2), windowMs: DAY, stepMs: MIN });
  assert.ok(grid);
  const all = planWindows(grid, { batchMs: 6 * HOUR });
  const third = all[2];
  assert.ok(third);
  const rest = planWindows(grid, { batchMs: 6 * HOUR, afterMs: third.endMs });
  assert.deepEqual(rest, all.slice(3));
  assert.deepEqual(planWindows(grid, { batchMs: 6 * HOUR, afterMs: grid.lastMs }), []);
});

test('mapBounded keeps at most `limit` in flight, keeps the order and stops taking work after a failure', async () => {
  let inFlight = 0;
  let peak = 0;
  const out = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 5 * (8 - n)));
    inFlight--;
    return n * 10;
  });
  assert.deepEqual(out, [10, 20, 30, 40, 50, 60, 70]);
  assert.equal(peak, 3);
  const started: number[] = [];
  await assert.rejects(
    mapBounded([1, 2, 3, 4, 5, 6], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('boom');
      return n;
    }),
    /boom/,
  );
  assert.deepEqual(started, [1, 2]);
});
