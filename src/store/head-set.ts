// SPDX-License-Identifier: Apache-2.0
// The in-memory heads: one open chunk per series for its current raw window, encoded as samples arrive. A head is
// cut when a sample falls past its window (or it is full, or the rotation finds its window closed); the cut head
// becomes a raw chunk row plus rollup rows. flush() checkpoints dirty heads into `head_chunks` (a slice of them per
// call, the sample log covering the rest), and open() reloads them and replays the log, so a restart resumes the
// same chunks instead of writing small ones.
//
// There are close to a million heads at the scale envelope, so a head is no object: it is a slot of number columns
// (its encoder's state, series and window, dirty flag) and a slot of bytes in an arena, and one encoder loads a
// head's state, appends and saves it back. The garbage collector sees a few large arrays instead of millions of
// small objects, and a head costs about 165 bytes of state plus its slot of bytes (128 at first).
import { ByteArena } from './byte-arena.ts';
import { ChunkEncoder, decodeChunk, FIRST_SLOT_BYTES, type DecodedChunk } from './chunk-codec.ts';
import { STATE_F64, STATE_I32, STATE_PAGE_SLOTS, stateCount, stateFirstTs, stateLastTs, type StateColumns } from './head-state.ts';
import type { HeadRow } from './chunk-repo.ts';
import { IntMap } from './int-map.ts';
import { MAX_CHUNK_SAMPLES, RAW_WINDOW_MS, rawWindowStart } from './tiers.ts';

/** A head that was cut: its chunk, encoded, and where it was. */
export interface CutHead {
  readonly seriesId: number;
  readonly windowStartMs: number;
  readonly firstTs: number;
  readonly lastTs: number;
  readonly count: number;
  readonly decimals: number | null;
  readonly data: Uint8Array;
}

/** Result of appending one sample. */
export type HeadAppend = 'ok' | 'late' | 'unknown';

/** The head set's own numbers after each slot's encoder state. */
const F_WINDOW = STATE_F64;
const I_DIRTY = STATE_I32;

/** Page of a slot in the columns. */
const pageOf = (slot: number): number => Math.floor(slot / STATE_PAGE_SLOTS);
/** First number of a slot in its page. */
const rowOf = (slot: number, stride: number): number => (slot % STATE_PAGE_SLOTS) * stride;

/** The heads whose id is `index` modulo `of`. */
type DirtySlice = { readonly index: number; readonly of: number };

/** Table positions of the head index scanned at a time by {@link HeadSet.dirtyIdsInParts} (a few ms each). */
const SCAN_PART = 131_072;

/** Numbers in ascending order (a typed array's sort: no comparator calls for close to a million ids). */
const ascending = (ids: readonly number[]): Float64Array => Float64Array.from(ids).sort();

/** All heads of the store. */
export class HeadSet {
  /** Slot of each series' head (outside the JavaScript heap: close to a million entries at the scale envelope). */
  private readonly slots = new IntMap();
  /** Slots given back by cut heads, for reuse. */
  private readonly freeSlots: number[] = [];
  private usedSlots = 0;
  private readonly cols: StateColumns = { f64: [], i32: [], f64Stride: STATE_F64 + 1, i32Stride: STATE_I32 + 1 };
  private readonly arena = new ByteArena();
  /** The encoder every head's state passes through. */
  private readonly enc = new ChunkEncoder(null, this.arena);
  private cuts: CutHead[] = [];

  /** `decimalsOf` gives the storage precision of a series (from its metric), undefined for an unknown series. */
  constructor(private readonly decimalsOf: (seriesId: number) => number | null | undefined) {}

  get size(): number {
    return this.slots.size;
  }

  /** Bytes of typed arrays the heads hold, in use or reserved: state pages and body pages (for tests and diagnostics). */
  get allocatedBytes(): number {
    const c = this.cols;
    return c.f64.length * STATE_PAGE_SLOTS * (c.f64Stride * 8 + c.i32Stride * 4) + this.arena.allocatedBytes;
  }

  /** Appends a finite sample. A head that the sample closes is kept for {@link takeCuts}. */
  append(seriesId: number, tsMs: number, value: number): HeadAppend {
    let slot = this.slots.get(seriesId);
    if (slot !== undefined) {
      if (tsMs <= stateLastTs(this.cols, slot)) return 'late';
      if (tsMs >= this.windowOf(slot) + RAW_WINDOW_MS || stateCount(this.cols, slot) >= MAX_CHUNK_SAMPLES) {
        this.cuts.push(this.cut(seriesId, slot));
        slot = undefined;
      }
    }
    if (slot === undefined) {
      const decimals = this.decimalsOf(seriesId);
      if (decimals === undefined) return 'unknown';
      slot = this.open(seriesId, { windowStartMs: rawWindowStart(seriesId, tsMs), decimals });
    } else {
      this.enc.loadState(this.cols, slot);
    }
    this.enc.append(tsMs, value);
    this.enc.saveState(this.cols, slot);
    this.setDirty(slot, 1);
    return 'ok';
  }

  /**
   * Allocates, ahead of their first samples, the state and the first body slot of `count` more heads. The first
   * cycle of a large cluster opens close to a million heads, about 250 MB of typed arrays in 256 KB pages; V8 counts
   * such external memory towards its next full collection of the whole heap, so growing them during the cycle made it
   * run four or five more. The series warm-up knows how many are coming and reserves them then. Room is counted
   * from the heads open now: a second call before they open does not add to the first.
   */
  reserve(count: number): void {
    this.growStateTo(this.usedSlots + Math.max(0, count - this.freeSlots.length));
    this.arena.reserve(ByteArena.classFor(FIRST_SLOT_BYTES), count);
  }

  /** Heads cut by {@link append} since the last call. */
  takeCuts(): CutHead[] {
    const cuts = this.cuts;
    this.cuts = [];
    return cuts;
  }

  /** Samples buffered for a series. */
  samples(seriesId: number): DecodedChunk | undefined {
    const bytes = this.encoded(seriesId);
    return bytes === undefined ? undefined : decodeChunk(bytes);
  }

  /** The samples buffered for a series as a chunk (decodeChunk reads it), to hand to another thread. */
  encoded(seriesId: number): Uint8Array | undefined {
    const slot = this.slots.get(seriesId);
    if (slot === undefined || stateCount(this.cols, slot) === 0) return undefined;
    this.enc.loadState(this.cols, slot);
    return this.enc.toBytes();
  }

  /** First buffered timestamp of a series. */
  firstTs(seriesId: number): number | undefined {
    const slot = this.slots.get(seriesId);
    return slot === undefined ? undefined : stateFirstTs(this.cols, slot);
  }

  /** Removes and returns the heads whose window ended at or before `nowMs`, in order of series id. */
  cutClosed(nowMs: number): CutHead[] {
    const closed: number[] = [];
    this.slots.forEach((slot, id) => {
      if (this.windowOf(slot) + RAW_WINDOW_MS <= nowMs) closed.push(id);
    });
    return Array.from(ascending(closed), (id) => this.cut(id, this.slots.get(id) as number));
  }

  /**
   * Series whose heads changed since their last checkpoint, in order of id (the order of the checkpoint table's
   * key); with `slice`, only ids that are `index` modulo `of`.
   */
  dirtyIds(slice?: DirtySlice): Float64Array {
    const { out, visit } = this.dirtyCollector(slice);
    this.slots.forEach(visit);
    return ascending(out);
  }

  /**
   * {@link dirtyIds} with `pause` between parts of the table: the scan of 865,000 heads held the thread that serves
   * the API for 80 ms at every cycle's checkpoint. A head dirtied during the scan may be missed (the caller covers only
   * the log rows written before it began); if the table was rebuilt meanwhile (grown, or cleared of deleted entries),
   * its entries moved, and it is scanned again at once.
   */
  async dirtyIdsInParts(slice: DirtySlice | undefined, pause: () => Promise<void>): Promise<Float64Array> {
    const { out, visit } = this.dirtyCollector(slice);
    const rehashes = this.slots.rehashes;
    for (let at = 0; at >= 0; ) {
      if (at > 0) await pause();
      if (this.slots.rehashes !== rehashes) return this.dirtyIds(slice);
      at = this.slots.forEachPart(at, SCAN_PART, visit);
    }
    return ascending(out);
  }

  /** A visitor of (slot, id) that collects the dirty heads of `slice` into `out`. */
  private dirtyCollector(slice: DirtySlice | undefined): { out: number[]; visit: (slot: number, id: number) => void } {
    const out: number[] = [];
    const visit = (slot: number, id: number): void => {
      if (this.isDirty(slot) && (!slice || id % slice.of === slice.index)) out.push(id);
    };
    return { out, visit };
  }

  /** Checkpoint row of a series' head (an empty tombstone when it has none). */
  toRow(seriesId: number): HeadRow {
    const slot = this.slots.get(seriesId);
    if (slot === undefined) return { seriesId, windowStartMs: 0, data: new Uint8Array(0) };
    this.enc.loadState(this.cols, slot);
    return { seriesId, windowStartMs: this.windowOf(slot), data: this.enc.toBytes() };
  }

  /** Marks a series' head as checkpointed as it is now. */
  markClean(seriesId: number): void {
    const slot = this.slots.get(seriesId);
    if (slot !== undefined) this.setDirty(slot, 0);
  }

  /** Reloads checkpointed heads (at open); tombstones (empty rows) are skipped. */
  restore(rows: readonly HeadRow[]): void {
    for (const row of rows) {
      if (row.data.length === 0) continue;
      const samples = decodeChunk(row.data);
      const decimals = this.decimalsOf(row.seriesId) ?? null;
      const slot = this.open(row.seriesId, { windowStartMs: row.windowStartMs, decimals });
      for (let i = 0; i < samples.values.length; i++) this.enc.append(samples.timestampsMs[i] ?? 0, samples.values[i] ?? 0);
      this.enc.saveState(this.cols, slot);
    }
  }

  private windowOf(slot: number): number {
    return (this.cols.f64[pageOf(slot)] as Float64Array)[rowOf(slot, this.cols.f64Stride) + F_WINDOW] as number;
  }

  private isDirty(slot: number): boolean {
    return (this.cols.i32[pageOf(slot)] as Int32Array)[rowOf(slot, this.cols.i32Stride) + I_DIRTY] === 1;
  }

  private setDirty(slot: number, dirty: 0 | 1): void {
    (this.cols.i32[pageOf(slot)] as Int32Array)[rowOf(slot, this.cols.i32Stride) + I_DIRTY] = dirty;
  }

  /** A slot for a new empty head of the series, with the encoder cleared for it (not dirty: nothing appended yet). */
  private open(seriesId: number, head: { readonly windowStartMs: number; readonly decimals: number | null }): number {
    const slot = this.freeSlots.pop() ?? this.newSlot();
    this.slots.set(seriesId, slot);
    this.enc.clear(head.decimals);
    (this.cols.f64[pageOf(slot)] as Float64Array)[rowOf(slot, this.cols.f64Stride) + F_WINDOW] = head.windowStartMs;
    this.setDirty(slot, 0);
    return slot;
  }

  private newSlot(): number {
    const slot = this.usedSlots++;
    this.growStateTo(slot + 1);
    return slot;
  }

  /** Adds state pages until `slots` slots fit. */
  private growStateTo(slots: number): void {
    const c = this.cols;
    while (c.f64.length * STATE_PAGE_SLOTS < slots) {
      c.f64.push(new Float64Array(STATE_PAGE_SLOTS * c.f64Stride));
      c.i32.push(new Int32Array(STATE_PAGE_SLOTS * c.i32Stride));
    }
  }

  /** Encodes a head leaving the set and frees its slots. */
  private cut(seriesId: number, slot: number): CutHead {
    this.enc.loadState(this.cols, slot);
    const data = this.enc.toBytes();
    this.enc.release();
    this.slots.delete(seriesId);
    this.freeSlots.push(slot);
    const { firstTs, lastTs, count, decimals } = this.enc;
    return { seriesId, windowStartMs: this.windowOf(slot), firstTs, lastTs, count, decimals, data };
  }
}
