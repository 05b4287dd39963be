// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CHECKPOINT_PART } from './sample-log.ts';
import { decodeLogRow, encodeLogRow } from './sample-log-codec.ts';
import type { SqliteSampleStore } from './sample-store.ts';
import { containerKeys, manualClock, openTestStore, tempDir, type AfterHook } from './testing.ts';
import { RAW_WINDOW_MS } from './tiers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 4, 6, 0, 0, 0);

/** A CPU-like value in millicores for series `id` at minute `i`. */
const cpu = (id: number, i: number): number => Math.round((100 + 20 * id) * (1.2 + Math.sin(i * 0.37 + id)) * 1000) / 1000;

async function appendMinutes(store: SqliteSampleStore, ids: readonly number[], range: { from: number; to: number }): Promise<void> {
  for (let i = range.from; i < range.to; i++) {
    await store.append({ seriesIds: ids, timestampsMs: ids.map(() => T0 + i * MINUTE), values: ids.map((id) => cpu(id, i)) });
  }
}

/** The files as a SIGKILL leaves them: the database and its WAL, copied while the first store is still open. */
function killedCopy(t: AfterHook, path: string): string {
  const copy = join(tempDir(t), 'killed.db');
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  return copy;
}

function scalar(path: string, sql: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

/** Every raw sample of the series as [ts, value], from the raw tier at full resolution. */
async function rawSamples(store: SqliteSampleStore, ids: readonly number[], toMs: number): Promise<Map<number, Array<[number, number]>>> {
  // 1-second steps over at most 5 hours stay under the query's point limit: one point per sample.
  const res = await store.query({ seriesIds: [...ids], fromMs: T0, toMs, stepMs: 1000, tier: 'raw' });
  return new Map(res.series.map((s) => [s.series.id, s.points.map((p): [number, number] => [p.tsMs, p.mean])]));
}

function expected(ids: readonly number[], minutes: number): Map<number, Array<[number, number]>> {
  return new Map(ids.map((id) => [id, Array.from({ length: minutes }, (_, i): [number, number] => [T0 + i * MINUTE, cpu(id, i)])]));
}

void describe('sample log rows', () => {
  void it('round-trip integers, thousandths, floats, negative zero and shared timestamps exactly', () => {
    const values = [0, 1, -1, 2 ** 40, 4096 * 123_456, 123.456, -0.001, 0.1 + 0.2, Math.PI, -0, 1e300, 2 ** 60];
    const seriesIds = values.map((_, i) => [5, 3, 900_000, 1][i % 4] as number);
    const timestampsMs = values.map((_, i) => T0 + (i % 3) * MINUTE + (i === 7 ? 1 : 0));
    const row = decodeLogRow(encodeLogRow({ seriesIds, timestampsMs, values, length: values.length }));
    assert.deepEqual([...row.seriesIds], seriesIds);
    assert.deepEqual([...row.timestampsMs], timestampsMs);
    values.forEach((v, i) => assert.ok(Object.is(row.values[i], v), `value ${v} came back as ${row.values[i]}`));
  });

  void it('costs a few bytes per sample for a collection cycle', () => {
    const n = 10_000;
    const seriesIds = Array.from({ length: n }, (_, i) => i + 1);
    const values = seriesIds.map((id) => (id % 2 === 0 ? 4096 * (50_000 + id) : cpu(id, 7)));
    const bytes = encodeLogRow({ seriesIds, timestampsMs: seriesIds.map(() => T0), values, length: n }).length;
    assert.ok(bytes / n < 7, `${bytes / n} bytes per sample`);
  });

  void it('rejects a damaged or truncated row', () => {
    const data = encodeLogRow({ seriesIds: [1, 2], timestampsMs: [T0, T0], values: [1.5, 2], length: 2 });
    const flipped = Uint8Array.from(data);
    flipped[data.length - 1] = (flipped[data.length - 1] as number) ^ 1;
    assert.throws(() => decodeLogRow(flipped), RangeError);
    assert.throws(() => decodeLogRow(data.subarray(0, data.length - 1)), RangeError);
    assert.throws(() => decodeLogRow(new Uint8Array(3)), RangeError);
  });
});

void describe('SqliteSampleStore: sample log and checkpoint rounds', () => {
  void it('keeps every acknowledged sample after a kill without flush or close', async (t) => {
    const path = join(tempDir(t), 'k.db');
    const first = await openTestStore(t, { path, clock: manualClock(T0) });
    const ids = await first.resolveSeries(containerKeys(6, ['cpu_m']));
    await appendMinutes(first, ids, { from: 0, to: 40 });
    await first.flush(); // one slice checkpointed, the rest only in the log
    await appendMinutes(first, ids, { from: 40, to: 70 }); // appended, never flushed
    assert.ok(scalar(path, 'SELECT COUNT(*) FROM head_chunks WHERE length(data) > 0') < ids.length, 'not every head was checkpointed');

    const second = await openTestStore(t, { path: killedCopy(t, path), clock: manualClock(T0) });
    assert.ok(second.logStatus().replay.samples > 0, 'the log was replayed');
    assert.equal(second.logStatus().replay.corruptRows, 0);
    assert.deepEqual(await rawSamples(second, ids, T0 + 5 * HOUR), expected(ids, 70));
    // The replayed heads continue: the next samples are accepted, not out of order.
    const r = await second.append({ seriesIds: ids, timestampsMs: ids.map(() => T0 + 70 * MINUTE), values: ids.map((id) => cpu(id, 70)) });
    assert.equal(r.accepted, ids.length);
  });

  void it('checkpoints in parts with appends between them, and loses nothing of those after a kill', async (t) => {
    const path = join(tempDir(t), 'p.db');
    const first = await openTestStore(t, { path, clock: manualClock(T0), checkpointSlices: 1 });
    // More heads than one part holds, so that the checkpoint yields between transactions.
    const ids = await first.resolveSeries(containerKeys(Math.ceil(2.5 * CHECKPOINT_PART), ['cpu_m']));
    assert.ok(ids.length > 2 * CHECKPOINT_PART);
    await appendMinutes(first, ids, { from: 0, to: 3 });
    const saved: number[] = [];
    const flushing = first.flush();
    // Appends land while the checkpoint waits between its parts (each setImmediate comes after the one before it).
    for (let i = 3; i < 6; i++) {
      await new Promise((r) => setImmediate(r));
      saved.push(scalar(path, 'SELECT COUNT(*) FROM head_chunks'));
      await appendMinutes(first, ids, { from: i, to: i + 1 });
    }
    await flushing;
    assert.ok((saved[0] ?? 0) > 0 && (saved[0] ?? 0) < ids.length, `appends came between parts (heads saved: ${saved.join(', ')} of ${ids.length})`);
    const killed = await openTestStore(t, { path: killedCopy(t, path), clock: manualClock(T0) });
    assert.deepEqual(await rawSamples(killed, ids, T0 + HOUR), expected(ids, 6));
    // The heads appended to after their part was saved are dirty still: the next round saves them, and the log is
    // then emptied up to it.
    await first.flush();
    const again = await openTestStore(t, { path: killedCopy(t, path), clock: manualClock(T0) });
    assert.equal(again.logStatus().replay.samples, 0, 'every sample is in a checkpoint');
    assert.deepEqual(await rawSamples(again, ids, T0 + HOUR), expected(ids, 6));
  });

  void it('covers only the log rows written before its scan for dirty heads began, which pauses between parts', async (t) => {
    const path = join(tempDir(t), 'scan.db');
    const first = await openTestStore(t, { path, clock: manualClock(T0), checkpointSlices: 1 });
    // 100,000 heads: an index of 262,144 positions, scanned in two parts with a pause between them.
    const ids = await first.resolveSeries(containerKeys(100_000, ['cpu_m']));
    await appendMinutes(first, ids, { from: 0, to: 1 });
    await first.flush();
    await appendMinutes(first, ids.slice(0, 10), { from: 1, to: 2 });
    const flushing = first.flush();
    // Every head is appended to while the scan pauses, those it has passed over as clean included.
    await new Promise((r) => setImmediate(r));
    await appendMinutes(first, ids, { from: 2, to: 3 });
    await flushing;
    const killed = await openTestStore(t, { path: killedCopy(t, path), clock: manualClock(T0) });
    const samples = await rawSamples(killed, ids, T0 + HOUR);
    const firstTen = new Set(ids.slice(0, 10));
    const short = ids.filter((id) => (samples.get(id)?.length ?? 0) < (firstTen.has(id) ? 3 : 2));
    assert.deepEqual(short, [], 'no head lost a sample');
  });

  void it('does not duplicate a window that was cut while log rows still held its samples', async (t) => {
    const path = join(tempDir(t), 'c.db');
    const first = await openTestStore(t, { path, clock: manualClock(T0), checkpointSlices: 10 });
    const ids = await first.resolveSeries(containerKeys(8, ['cpu_m']));
    // 3 hours: every series cuts its first window (at most 2 h), none of them after a full round of checkpoints.
    for (let i = 0; i < 180; i += 10) {
      await appendMinutes(first, ids, { from: i, to: i + 10 });
      if (i % 60 === 0) await first.flush();
    }
    const rawRows = scalar(path, 'SELECT COUNT(*) FROM chunks_raw');
    assert.ok(rawRows >= ids.length, `${rawRows} raw chunks cut`);
    assert.ok(scalar(path, 'SELECT COUNT(*) FROM sample_log') > 100, 'the log still holds the cut windows');

    const copy = killedCopy(t, path);
    const second = await openTestStore(t, { path: copy, clock: manualClock(T0 + 3 * HOUR) });
    assert.deepEqual(await rawSamples(second, ids, T0 + 5 * HOUR), expected(ids, 180), 'every sample once');
    assert.equal(scalar(copy, 'SELECT COUNT(*) FROM chunks_raw'), rawRows, 'replay wrote no second chunk');
    const counted = await second.query({ seriesIds: ids, fromMs: T0 - DAY, toMs: T0 + DAY, stepMs: DAY, tier: 'raw' });
    assert.ok(counted.series.every((s) => s.points.reduce((n, p) => n + p.count, 0) === 180));

    // Rotation cuts the open windows; a second kill after it still replays without duplicates.
    const clock = manualClock(T0 + 3 * HOUR + RAW_WINDOW_MS);
    const thirdPath = killedCopy(t, copy);
    const third = await openTestStore(t, { path: thirdPath, clock });
    assert.ok((await third.rotate()).cutHeads > 0);
    const fourth = await openTestStore(t, { path: killedCopy(t, thirdPath), clock });
    assert.equal(fourth.status().headSeries, 0, 'every replayed head was cut by the rotation: no head rebuilt');
    assert.deepEqual(await rawSamples(fourth, ids, T0 + 5 * HOUR), expected(ids, 180));
  });

  void it('keeps the log and the tombstones bounded over many rounds, and a clean close empties the log', async (t) => {
    const path = join(tempDir(t), 'b.db');
    const store = await openTestStore(t, { path, clock: manualClock(T0), checkpointSlices: 5 });
    const ids = await store.resolveSeries(containerKeys(40, ['cpu_m']));
    let maxRows = 0;
    for (let i = 0; i < 400; i++) {
      await appendMinutes(store, ids, { from: i, to: i + 1 });
      await store.flush();
      maxRows = Math.max(maxRows, scalar(path, 'SELECT COUNT(*) FROM sample_log'));
    }
    assert.ok(maxRows <= 6, `at most one round of log rows plus one, saw ${maxRows}`);
    const tombstones = scalar(path, 'SELECT COUNT(*) FROM head_chunks WHERE length(data) = 0');
    assert.ok(tombstones <= ids.length, `${tombstones} tombstones`);
    const heads = scalar(path, 'SELECT COUNT(*) FROM head_chunks');
    assert.ok(heads <= ids.length, `${heads} head rows for ${ids.length} series`);
    await store.close();
    assert.equal(scalar(path, 'SELECT COUNT(*) FROM sample_log'), 0);
    const again = await openTestStore(t, { path, clock: manualClock(T0) });
    assert.deepEqual(await rawSamples(again, ids, T0 + 400 * MINUTE), expected(ids, 400));
  });

  void it('leaves the log and checkpoints alone when a store only read (a report beside a running service)', async (t) => {
    const path = join(tempDir(t), 'w.db');
    const writer = await openTestStore(t, { path, clock: manualClock(T0) });
    const ids = await writer.resolveSeries(containerKeys(3, ['cpu_m']));
    await appendMinutes(writer, ids, { from: 0, to: 15 });
    const snapshot = () => scalar(path, 'SELECT COUNT(*) FROM sample_log') * 1000 + scalar(path, 'SELECT COUNT(*) FROM head_chunks');
    const before = snapshot();
    const reader = await openTestStore(t, { path, clock: manualClock(T0) });
    assert.deepEqual(await rawSamples(reader, ids, T0 + 5 * HOUR), expected(ids, 15));
    await reader.close();
    assert.equal(snapshot(), before);
    await writer.close();
    assert.equal(scalar(path, 'SELECT COUNT(*) FROM sample_log'), 0, 'the writer checkpoints at close');
  });

  void it('skips a damaged log row with a KRM_STORE_CORRUPT warning and replays the others', async (t) => {
    const path = join(tempDir(t), 'd.db');
    const first = await openTestStore(t, { path, clock: manualClock(T0) });
    const ids = await first.resolveSeries(containerKeys(2, ['cpu_m']));
    await appendMinutes(first, ids, { from: 0, to: 10 });
    const copy = killedCopy(t, path);
    const db = new Database(copy);
    db.prepare("UPDATE sample_log SET data = X'01deadbeef00' WHERE id = (SELECT MAX(id) FROM sample_log)").run();
    db.close();
    const second = await openTestStore(t, { path: copy, clock: manualClock(T0) });
    const { replay } = second.logStatus();
    assert.deepEqual([replay.rows, replay.corruptRows], [10, 1]);
    // 9 good rows × 2 series, less series 1's first five minutes: its first window was cut, they are in a raw chunk.
    assert.equal(replay.samples, 13);
    const status = second.status();
    assert.equal(status.lastError?.code, 'KRM_STORE_CORRUPT');
    assert.match(status.lastError?.message ?? '', /1 of 10 sample log rows/);
    assert.equal(status.writable, true, 'the store still writes');
    assert.deepEqual(await rawSamples(second, ids, T0 + 5 * HOUR), expected(ids, 9));
  });

  void it('replays into a read-only store and reports writes as not possible, as before', async (t) => {
    const path = join(tempDir(t), 'ro.db');
    const first = await openTestStore(t, { path, clock: manualClock(T0) });
    const ids = await first.resolveSeries(containerKeys(2, ['cpu_m']));
    await appendMinutes(first, ids, { from: 0, to: 30 });
    const ro = await openTestStore(t, { path: killedCopy(t, path), readonly: true, clock: manualClock(T0) });
    assert.deepEqual(await rawSamples(ro, ids, T0 + 5 * HOUR), expected(ids, 30));
    assert.equal(ro.status().writable, false);
    assert.equal(ro.status().lastError?.code, 'KRM_STORE_READONLY');
    const r = await ro.append({ seriesIds: ids, timestampsMs: ids.map(() => T0 + 30 * MINUTE), values: [1, 2] });
    assert.equal(r.accepted, 2);
    await assert.rejects(ro.flush(), (e: Error & { code?: string }) => e.code === 'KRM_STORE_READONLY');
    await ro.close();
  });

  void it('keeps log rows queued while writes fail and makes everything durable at the next flush', async (t) => {
    const path = join(tempDir(t), 'l.db');
    const clock = manualClock(T0);
    // Room for about 5 log rows of 4 samples.
    const store = await openTestStore(t, { path, clock, busyTimeoutMs: 10, maxPendingLogBytes: 5 * 40 });
    const ids = await store.resolveSeries(containerKeys(4, ['cpu_m']));
    await appendMinutes(store, ids, { from: 0, to: 5 });
    const other = new Database(path);
    t.after(() => other.close());
    other.prepare('BEGIN IMMEDIATE').run();
    await appendMinutes(store, ids, { from: 5, to: 20 }); // 15 log rows for a queue of 5: the oldest are dropped
    assert.equal(store.status().writable, false);
    assert.equal(store.status().lastError?.code, 'KRM_STORE_IO');
    await assert.rejects(store.flush(), (e: Error & { code?: string }) => e.code === 'KRM_STORE_IO');
    assert.deepEqual(await rawSamples(store, ids, T0 + 5 * HOUR), expected(ids, 20), 'queued samples are served');
    other.prepare('ROLLBACK').run();
    await store.flush(); // dropped log rows: a full checkpoint instead of a slice
    assert.equal(store.status().writable, true);
    const killed = await openTestStore(t, { path: killedCopy(t, path), clock });
    assert.deepEqual(await rawSamples(killed, ids, T0 + 5 * HOUR), expected(ids, 20));
  });
});
