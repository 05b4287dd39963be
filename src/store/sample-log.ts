// SPDX-License-Identifier: Apache-2.0
// The sample log (write-ahead) and the checkpoint rounds, as a TSDB keeps its head durable: every append writes
// the samples it accepted as one compact `sample_log` row in the commit of its cut chunks, so an acknowledged
// sample survives a kill; flush() then checkpoints only one slice of the dirty heads (series id modulo `slices`),
// so a cycle upserts a tenth of them instead of all. Once every slice has been checkpointed past a log row, the row
// is deleted, which bounds the log to about one round. open() restores the checkpoints and replays the log; a cut
// head leaves a tombstone so that replay does not rebuild a window that is already a raw chunk. docs/store.md.
import type { ChunkRepo, Tombstone } from './chunk-repo.ts';
import type { CutHead, HeadSet } from './head-set.ts';
import { decodeLogRow, encodeLogRow, type DecodedLogRow, type LogSamples } from './sample-log-codec.ts';
import type { StoreError } from './store-error.ts';
import type { WriteQueue } from './write-queue.ts';

/** Outcome of the replay at open. */
export interface ReplayReport {
  /** Log rows read, damaged ones included. */
  readonly rows: number;
  /** Samples appended to heads (the rest were in a checkpoint or a cut chunk already). */
  readonly samples: number;
  /** Rows skipped because they failed their checksum or did not decode. */
  readonly corruptRows: number;
}

/** Accepted samples of one append, gathered as the heads take them. */
export class AcceptedSamples implements LogSamples {
  readonly seriesIds: Float64Array;
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.seriesIds = new Float64Array(capacity);
    this.timestampsMs = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  push(seriesId: number, tsMs: number, value: number): void {
    this.seriesIds[this.length] = seriesId;
    this.timestampsMs[this.length] = tsMs;
    this.values[this.length++] = value;
  }
}

function decodeOrUndefined(data: Uint8Array): DecodedLogRow | undefined {
  try {
    return decodeLogRow(data);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/** Heads saved per transaction of a checkpoint in parts (about 30 ms of the thread's time each at scale). */
export const CHECKPOINT_PART = 4096;

/** One checkpoint: the heads to save, what the log's slices will be covered up to, and where it can be truncated. */
interface CheckpointPlan {
  readonly all: boolean;
  readonly dirty: Float64Array;
  readonly covered: Array<number | undefined>;
  readonly truncateTo: number | undefined;
}

/** The log of one store: row ids, the round of checkpoints and replay. */
export class SampleLog {
  private nextId: number;
  private round = 0;
  /** Per slice, the newest log row its last checkpoint covered (undefined: not checkpointed since open). */
  private readonly covered: Array<number | undefined>;

  constructor(
    private readonly deps: { readonly repo: ChunkRepo; readonly queue: WriteQueue; readonly heads: HeadSet },
    private readonly slices: number,
  ) {
    if (!Number.isInteger(slices) || slices < 1) throw new RangeError(`checkpoint slices must be a positive integer, got ${slices}`);
    // Ids are never reused (tombstones refer to them), even after the log was emptied by a full checkpoint.
    this.nextId = deps.repo.lastLogId() + 1;
    this.covered = Array.from({ length: slices }, () => undefined);
  }

  /** Newest log row id handed out. */
  get lastId(): number {
    return this.nextId - 1;
  }

  /** Queues one row holding the samples (none for an empty batch). */
  record(samples: LogSamples): void {
    if (samples.length > 0) this.deps.queue.enqueueLog({ id: this.nextId++, data: encodeLogRow(samples) });
  }

  /** The tombstone of a cut head: every log row that can hold its samples is already numbered. */
  tombstone(head: CutHead): Tombstone {
    return { seriesId: head.seriesId, windowStartMs: head.windowStartMs, cutUntilMs: head.lastTs, cutLogId: this.lastId };
  }

  /**
   * Writes the queue and checkpoints the dirty heads of this round's slice (all of them with `full`, or when log
   * rows were dropped while writes failed), then deletes the log rows that every slice's checkpoint covers. In
   * transactions of {@link CHECKPOINT_PART} heads with `pause` between them (the API runs there, and appends may
   * come). A head appended to after its part was saved is dirty again and waits for its slice's next
   * round; its samples are in log rows newer than the ones this checkpoint covers, which stay. A head appended to
   * before its part is saved is saved with those samples too. Not to be run twice at once (the store chains them).
   */
  async checkpointInParts(full: boolean, pause: () => Promise<void>): Promise<StoreError | undefined> {
    const plan = await this.plan(full, pause);
    let from = 0;
    do {
      if (from > 0) await pause();
      const to = Math.min(plan.dirty.length, from + CHECKPOINT_PART);
      const err = this.savePart(plan, from, to);
      if (err) return this.finish(plan, err);
      from = to;
    } while (from < plan.dirty.length);
    return this.finish(plan, undefined);
  }

  private async plan(full: boolean, pause: () => Promise<void>): Promise<CheckpointPlan> {
    const { heads, queue } = this.deps;
    const all = full || queue.logOverflowed;
    const index = this.round % this.slices;
    // The log rows written before the scan begins are the ones it covers: every head with samples in them is dirty
    // until saved, so the scan finds it; rows written while it pauses stay for a later checkpoint.
    const upTo = this.lastId;
    // Cleared now: an overflow during a checkpoint in parts drops rows this one may not cover, and sets it again.
    if (all) queue.logOverflowed = false;
    const dirty = await heads.dirtyIdsInParts(all ? undefined : { index, of: this.slices }, pause);
    const covered = this.covered.map((c, i) => (all || i === index ? upTo : c));
    const known = covered.filter((c): c is number => c !== undefined);
    const truncateTo = known.length === this.slices ? Math.min(...known) : undefined;
    return { all, dirty, covered, truncateTo };
  }

  /** Saves the heads `dirty[from, to)` in one transaction, with the log's truncation in the last one. */
  private savePart(plan: CheckpointPlan, from: number, to: number): StoreError | undefined {
    const { heads, queue } = this.deps;
    const part = plan.dirty.subarray(from, to);
    const err = queue.commit((repo) => {
      for (const id of part) repo.saveHead(heads.toRow(id));
      if (to === plan.dirty.length && plan.truncateTo !== undefined) repo.truncateLog(plan.truncateTo);
    }, true);
    if (err) return err;
    for (const id of part) heads.markClean(id);
    return undefined;
  }

  /** Takes the round as done, or, after a failure, leaves it to be tried again. */
  private finish(plan: CheckpointPlan, err: StoreError | undefined): StoreError | undefined {
    if (err) {
      if (plan.all) this.deps.queue.logOverflowed = true;
      return err;
    }
    plan.covered.forEach((c, i) => (this.covered[i] = c));
    this.round++;
    return undefined;
  }

  /**
   * Appends the logged samples to the restored heads in log order. Samples at or before a head's last timestamp
   * are in its checkpoint; those at or before a tombstone's `cutUntilMs` are in a raw chunk: both are skipped.
   * Heads that the replay itself cuts are left in the head set's cuts for the caller to write.
   */
  replay(cutUntil: ReadonlyMap<number, number>): ReplayReport {
    let rows = 0;
    let samples = 0;
    let corruptRows = 0;
    for (const row of this.deps.repo.logRows()) {
      rows++;
      const decoded = decodeOrUndefined(row.data);
      if (!decoded) corruptRows++;
      else samples += this.replayRow(decoded, cutUntil);
    }
    return { rows, samples, corruptRows };
  }

  private replayRow(row: DecodedLogRow, cutUntil: ReadonlyMap<number, number>): number {
    let appended = 0;
    for (let i = 0; i < row.length; i++) {
      const id = row.seriesIds[i] as number;
      const ts = row.timestampsMs[i] as number;
      if (ts <= (cutUntil.get(id) ?? -Infinity)) continue;
      if (this.deps.heads.append(id, ts, row.values[i] as number) === 'ok') appended++;
    }
    return appended;
  }
}
