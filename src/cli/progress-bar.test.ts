// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backfillProgressBar, createProgressBar, formatCount, formatDuration, renderBar } from './progress-bar.ts';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 200, writes, write: (s: string) => writes.push(s) > 0 };
}

test('nothing is drawn when the stream is not a terminal', () => {
  const s = stream(false);
  assert.equal(createProgressBar({ stream: s, label: 'x' }), undefined);
  assert.equal(backfillProgressBar(s), undefined);
  assert.deepEqual(s.writes, []);
});

test('the bar redraws in place, throttled, always draws the last step and ends its line', () => {
  const s = stream(true);
  let now = 0;
  const bar = createProgressBar({ stream: s, label: 'backfill', minIntervalMs: 100, now: () => now });
  assert.ok(bar);
  bar.update({ done: 1, total: 4, detail: 'a' });
  now = 50;
  bar.update({ done: 2, total: 4, detail: 'b' });
  now = 60;
  bar.update({ done: 4, total: 4, detail: 'c' });
  bar.finish();
  assert.equal(s.writes.length, 3, 'the second update fell inside the interval');
  assert.equal(s.writes[0], `\rbackfill [${'#'.repeat(8)}${'-'.repeat(22)}]  25% 1/4 a\u001b[K`);
  assert.match(s.writes[1] ?? '', /\[#{30}\] 100% 4\/4 c/);
  assert.equal(s.writes[2], '\n');
});

test('backfill progress reads as windows, samples, rate and ETA', () => {
  const s = stream(true);
  const bar = backfillProgressBar(s);
  assert.ok(bar);
  bar.onProgress({ doneWindows: 3, totalWindows: 57, samples: 1_234_567, samplesPerSec: 45_600, etaMs: 200_000, throughMs: 0 });
  assert.match(s.writes[0] ?? '', /3\/57 windows, 1\.2M samples, 45\.6k\/s, ETA 3m20s/);
});

test('formatting helpers', () => {
  assert.equal(formatDuration(3_725_000), '1h02m');
  assert.equal(formatDuration(45_000), '45s');
  assert.equal(formatCount(950), '950');
  assert.equal(renderBar(0, 0), `[${'#'.repeat(30)}] 100%`);
});
