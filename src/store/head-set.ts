// SPDX-License-Identifier: Apache-2.0
// The in-memory heads: one open chunk per series for its current raw window, encoded as samples arrive. A head is
// cut when a sample falls past its window (or it is full, or the rotation finds its window closed); the cut head
// becomes a raw chunk row plus rollup rows. flush() checkpoints dirty heads into `head_chunks` (a slice of them per
// call, the sample log covering the rest), and open() reloads them and replays the log, so a restart resumes the
// same chunks instead of writing small ones.
import { ChunkEncoder, decodeChunk, type DecodedChunk } from './chunk-codec.ts';
import type { HeadRow } from './chunk-repo.ts';
import { MAX_CHUNK_SAMPLES, RAW_WINDOW_MS, rawWindowStart } from './tiers.ts';

/** One open chunk. */
export interface Head {
  readonly seriesId: number;
  readonly windowStartMs: number;
  readonly encoder: ChunkEncoder;
  /** Changed since the last checkpoint. */
  dirty: boolean;
  /** A checkpoint row holds (some of) this head. */
  checkpointed: boolean;
}

/** Result of appending one sample. */
export type HeadAppend = 'ok' | 'late' | 'unknown';

/** All heads of the store. */
export class HeadSet {
  private readonly heads = new Map<number, Head>();
  private cuts: Head[] = [];

  /** `decimalsOf` gives the storage precision of a series (from its metric), undefined for an unknown series. */
  constructor(private readonly decimalsOf: (seriesId: number) => number | null | undefined) {}

  get size(): number {
    return this.heads.size;
  }

  /** Appends a finite sample. A head that the sample closes is kept for {@link takeCuts}. */
  append(seriesId: number, tsMs: number, value: number): HeadAppend {
    let head = this.heads.get(seriesId);
    if (head && tsMs <= head.encoder.lastTs) return 'late';
    if (head && (tsMs >= head.windowStartMs + RAW_WINDOW_MS || head.encoder.count >= MAX_CHUNK_SAMPLES)) {
      this.cuts.push(head);
      this.heads.delete(seriesId);
      head = undefined;
    }
    if (!head) {
      const decimals = this.decimalsOf(seriesId);
      if (decimals === undefined) return 'unknown';
      head = { seriesId, windowStartMs: rawWindowStart(seriesId, tsMs), encoder: new ChunkEncoder(decimals), dirty: true, checkpointed: false };
      this.heads.set(seriesId, head);
    }
    head.encoder.append(tsMs, value);
    head.dirty = true;
    return 'ok';
  }

  /** Heads cut by {@link append} since the last call. */
  takeCuts(): Head[] {
    const cuts = this.cuts;
    this.cuts = [];
    return cuts;
  }

  /** Samples buffered for a series. */
  samples(seriesId: number): DecodedChunk | undefined {
    const head = this.heads.get(seriesId);
    return head && head.encoder.count > 0 ? decodeChunk(head.encoder.toBytes()) : undefined;
  }

  /** First buffered timestamp of a series. */
  firstTs(seriesId: number): number | undefined {
    return this.heads.get(seriesId)?.encoder.firstTs;
  }

  /** Removes and returns the heads whose window ended at or before `nowMs`. */
  cutClosed(nowMs: number): Head[] {
    const out: Head[] = [];
    for (const [id, head] of this.heads) {
      if (head.windowStartMs + RAW_WINDOW_MS <= nowMs) {
        out.push(head);
        this.heads.delete(id);
      }
    }
    return out;
  }

  /** Heads changed since their last checkpoint; with `slice`, only those whose id is `index` modulo `of`. */
  dirtyHeads(slice?: { readonly index: number; readonly of: number }): Head[] {
    const out: Head[] = [];
    for (const h of this.heads.values()) {
      if (h.dirty && (!slice || h.seriesId % slice.of === slice.index)) out.push(h);
    }
    return out;
  }

  /** Checkpoint row of a head. */
  static toRow(head: Head): HeadRow {
    return { seriesId: head.seriesId, windowStartMs: head.windowStartMs, data: head.encoder.toBytes() };
  }

  /** Reloads checkpointed heads (at open); tombstones (empty rows) are skipped. */
  restore(rows: readonly HeadRow[]): void {
    for (const row of rows) {
      if (row.data.length === 0) continue;
      const samples = decodeChunk(row.data);
      const encoder = new ChunkEncoder(this.decimalsOf(row.seriesId) ?? null);
      for (let i = 0; i < samples.values.length; i++) encoder.append(samples.timestampsMs[i] ?? 0, samples.values[i] ?? 0);
      this.heads.set(row.seriesId, {
        seriesId: row.seriesId,
        windowStartMs: row.windowStartMs,
        encoder,
        dirty: false,
        checkpointed: true,
      });
    }
  }
}
