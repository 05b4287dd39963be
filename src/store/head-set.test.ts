// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ByteArena } from './byte-arena.ts';
import { decodeChunk, encodeChunk } from './chunk-codec.ts';
import { HeadSet } from './head-set.ts';
import { RAW_WINDOW_MS, rawWindowStart } from './tiers.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 4, 6, 0, 0, 0);

/** Decimals by series id: exact float64, integers, milli-units. */
const decimalsOf = (id: number): number | null | undefined => (id > 60 ? undefined : [null, 0, 3][id % 3]);

/** A different kind of series per id: aligned, jittered, page-granular, noisy floats, huge values mid-chunk. */
function sample(id: number, i: number): { ts: number; value: number } {
  const jitter = id % 4 === 1 ? ((i * 7 + id) % 5) * 1000 : id % 4 === 3 ? (i * 13 + id) % 997 : 0;
  const ts = T0 + i * MINUTE + jitter;
  const kinds = [
    4096 * (1000 + ((i * 37 + id) % 200)),
    Math.sin(i * 0.3 + id) * 1000,
    i === 15 && id % 2 === 0 ? 2 ** 60 : 100 + (i % 3),
    Math.round((id + i) * 1.5),
  ];
  return { ts, value: kinds[id % kinds.length] as number };
}

void describe('head set', () => {
  void it('encodes interleaved heads exactly as one chunk each (the bytes a lone encoder writes)', () => {
    const heads = new HeadSet(decimalsOf);
    const ids = Array.from({ length: 60 }, (_, i) => i + 1);
    const sent = new Map<number, { ts: number[]; values: number[] }>(ids.map((id) => [id, { ts: [], values: [] }]));
    // 40 minutes from T0: within every series' raw window (windows are phased per series).
    for (let i = 0; i < 40; i++) {
      for (const id of ids) {
        const { ts, value } = sample(id, i);
        if (ts >= rawWindowStart(id, T0) + RAW_WINDOW_MS) continue;
        assert.equal(heads.append(id, ts, value), 'ok');
        sent.get(id)?.ts.push(ts);
        sent.get(id)?.values.push(value);
      }
      // Every few minutes, read each head back the way checkpoints and queries do.
      if (i % 9 !== 4) continue;
      for (const id of ids) {
        const s = sent.get(id);
        if (!s || s.ts.length === 0) continue;
        assert.deepEqual(heads.toRow(id).data, encodeChunk({ timestampsMs: s.ts, values: s.values }, decimalsOf(id) ?? null), `series ${id} after ${i + 1} minutes`);
      }
    }
    for (const id of ids) {
      const s = sent.get(id);
      const decoded = heads.samples(id);
      assert.ok(s && decoded);
      assert.deepEqual([...decoded.timestampsMs], s.ts);
      assert.equal(heads.firstTs(id), s.ts[0]);
    }
    const cuts = heads.cutClosed(T0 + 2 * RAW_WINDOW_MS);
    assert.equal(cuts.length, ids.length);
    assert.equal(heads.size, 0);
    for (const cut of cuts) {
      const s = sent.get(cut.seriesId);
      assert.ok(s);
      assert.deepEqual(cut.data, encodeChunk({ timestampsMs: s.ts, values: s.values }, cut.decimals));
      assert.equal(cut.windowStartMs, rawWindowStart(cut.seriesId, T0));
      assert.deepEqual([cut.firstTs, cut.lastTs, cut.count], [s.ts[0], s.ts[s.ts.length - 1], s.ts.length]);
    }
  });

  void it('answers late and unknown, cuts a head at its window end, and tracks dirty heads', () => {
    const heads = new HeadSet(decimalsOf);
    assert.equal(heads.append(99, T0, 1), 'unknown');
    assert.equal(heads.append(2, T0, 1), 'ok');
    assert.equal(heads.append(2, T0, 2), 'late');
    assert.equal(heads.append(2, T0 - MINUTE, 2), 'late');
    assert.deepEqual([...heads.dirtyIds()], [2]);
    assert.deepEqual([...heads.dirtyIds({ index: 1, of: 2 })], []);
    heads.markClean(2);
    assert.deepEqual([...heads.dirtyIds()], []);
    const windowEnd = rawWindowStart(2, T0) + RAW_WINDOW_MS;
    assert.equal(heads.append(2, windowEnd - 1, 3), 'ok');
    assert.deepEqual(heads.takeCuts(), []);
    assert.equal(heads.append(2, windowEnd, 4), 'ok');
    const [cut, ...rest] = heads.takeCuts();
    assert.equal(rest.length, 0);
    assert.deepEqual([...decodeChunk(cut?.data ?? new Uint8Array()).values], [1, 3]);
    assert.deepEqual([...(heads.samples(2)?.values ?? [])], [4]);
    assert.deepEqual([...heads.dirtyIds()], [2]);
  });

  void it('finds the dirty heads in parts with pauses between, and all of them when the table grows meanwhile', async () => {
    const heads = new HeadSet(() => 0);
    // 100,000 heads fill a table of 262,144 positions: two parts of the scan.
    for (let id = 1; id <= 100_000; id++) heads.append(id, T0, 1);
    for (let id = 2; id <= 100_000; id += 2) heads.markClean(id);
    const slice = { index: 1, of: 4 };
    let pauses = 0;
    const quiet = await heads.dirtyIdsInParts(slice, async () => void pauses++);
    assert.ok(pauses >= 1, 'paused between parts');
    assert.deepEqual([...quiet], [...heads.dirtyIds(slice)]);
    assert.equal(quiet.length, 25_000);
    // New heads during a pause make the table grow: what was dirty before is still found.
    const grown = await heads.dirtyIdsInParts(undefined, async () => {
      for (let id = 100_001; id <= 250_000; id++) heads.append(id, T0, 1);
    });
    const found = new Set(grown);
    assert.equal(found.size, grown.length, 'each head once (a scan that went on over moved entries sees some twice)');
    for (let id = 1; id <= 100_000; id += 2) assert.ok(found.has(id), `head ${id}`);
  });

  void it('restores checkpoint rows as clean heads that go on encoding the same bytes', () => {
    const heads = new HeadSet(decimalsOf);
    for (let i = 0; i < 20; i++) for (const id of [1, 2, 3]) heads.append(id, sample(id, i).ts, sample(id, i).value);
    const rows = [1, 2, 3].map((id) => heads.toRow(id));
    const restored = new HeadSet(decimalsOf);
    restored.restore([...rows, { seriesId: 4, windowStartMs: T0, data: new Uint8Array(0) }]);
    assert.equal(restored.size, 3);
    assert.deepEqual([...restored.dirtyIds()], []);
    for (const id of [1, 2, 3]) {
      heads.append(id, sample(id, 20).ts, sample(id, 20).value);
      restored.append(id, sample(id, 20).ts, sample(id, 20).value);
      assert.deepEqual(restored.toRow(id), heads.toRow(id));
    }
  });

  void it('reuses the slots of cut heads: window after window, memory stays that of one window', () => {
    const heads = new HeadSet(decimalsOf);
    const ids = Array.from({ length: 30 }, (_, i) => i + 1);
    const heldAfterWindow: number[] = [];
    for (let w = 0; w < 4; w++) {
      for (let i = 0; i < 120; i++) for (const id of ids) heads.append(id, T0 + (w * 120 + i) * MINUTE, 100 + ((i * id) % 17));
      heads.takeCuts();
      heldAfterWindow.push((heads as unknown as { arena: ByteArena }).arena.heldBytes);
    }
    assert.equal(heads.size, ids.length);
    assert.ok(heldAfterWindow.every((b) => b <= (heldAfterWindow[0] ?? 0) * 1.5), `held bytes ${heldAfterWindow.join(', ')}`);
  });
});

void describe('byte arena', () => {
  void it('hands out distinct slots in pages, reuses released ones and keeps contents as a class grows', () => {
    const arena = new ByteArena();
    const cls = ByteArena.classFor(20);
    assert.equal(ByteArena.slotSize(cls), 32);
    const slots = Array.from({ length: 10 }, () => arena.alloc(cls));
    assert.equal(new Set(slots).size, 10);
    const fill = (offset: number, v: number): void => {
      const at = arena.at(cls, offset);
      arena.page(cls, offset).fill(v, at, at + 32);
    };
    const holds = (offset: number, v: number): boolean => {
      const at = arena.at(cls, offset);
      return arena.page(cls, offset).subarray(at, at + 32).every((b) => b === v);
    };
    slots.forEach((offset, n) => fill(offset, n + 1));
    // Enough more slots for several pages: the first ones keep their bytes (pages are added, never moved).
    const more = Array.from({ length: 30_000 }, (_, n) => {
      const offset = arena.alloc(cls);
      fill(offset, 200 + (n % 50));
      return offset;
    });
    slots.forEach((offset, n) => assert.ok(holds(offset, n + 1), `slot ${n}`));
    more.forEach((offset, n) => assert.ok(holds(offset, 200 + (n % 50)), `slot ${10 + n}`));
    assert.equal(arena.heldBytes, 30_010 * 32);
    arena.release(cls, slots[3] ?? 0);
    assert.equal(arena.alloc(cls), slots[3]);
    assert.equal(new Set([...slots, ...more]).size, 30_010);
    // A slot larger than a page has a page of its own.
    const big = ByteArena.classFor(300_000);
    const a = arena.alloc(big);
    const b = arena.alloc(big);
    assert.notEqual(arena.page(big, a), arena.page(big, b));
    assert.equal(arena.at(big, b), 0);
    // Without pages, every slot is its own buffer, sized as the slot.
    const lone = new ByteArena(0);
    const c = ByteArena.classFor(100);
    const first = lone.alloc(c);
    assert.equal(lone.page(c, first).length, 128);
    assert.notEqual(lone.page(c, lone.alloc(c)), lone.page(c, first));
  });
});

void describe('head set reservation', () => {
  void it('allocates the room of heads ahead of their first samples, once, and the heads then fill it', () => {
    const reserved = new HeadSet(() => 0);
    const grown = new HeadSet(() => 0);
    const before = reserved.allocatedBytes;
    reserved.reserve(10_000);
    const after = reserved.allocatedBytes;
    assert.ok(after > before + 10_000 * 128, `reserved ${after - before} bytes`);
    // A second reservation before the heads open counts from the same open heads: nothing more.
    reserved.reserve(10_000);
    assert.equal(reserved.allocatedBytes, after);
    for (let id = 1; id <= 10_000; id++) {
      assert.equal(reserved.append(id, T0 + id, id), 'ok');
      assert.equal(grown.append(id, T0 + id, id), 'ok');
    }
    // The first samples took the reserved room; a set without it grew to the same size.
    assert.equal(reserved.allocatedBytes, after);
    assert.equal(grown.allocatedBytes, after);
    for (const id of [1, 5_000, 10_000]) assert.deepEqual(reserved.samples(id), grown.samples(id));
  });
});
