// SPDX-License-Identifier: Apache-2.0
// Stores the containers a source reports while it still reads (CollectRequest.onContainers). A cycle through 5,000
// kubelets mostly waits: on the node-proxy rate limit and on the kubelets' answers. Resolving the series of each
// batch of reported containers and appending their samples in those waits, instead of after the last node answered,
// takes most of the store's share out of the cycle (and the first cycle's series creation with it). The cycle then
// stores only the rest: containers of the last, partial batch, nodes, volumes and the totals, which need every pod.
// Nothing here keeps a container once its batch is stored, so that a cycle's containers die young (types.ts,
// CollectRequest.onContainers).
import type { SampleStore } from '../domain/ports.ts';
import type { ContainerUsage } from '../sources/usage/index.ts';
import type { SampleColumns, SeriesIdCache } from './sample-columns.ts';
import { yieldToEventLoop } from '../runtime/yield.ts';

/**
 * Containers per early batch: about 20,000 samples, 45 batches at 225,000 containers. Each batch blocks the event
 * loop while it is stored (tens of ms; a few hundred in the first cycle, which creates the series), and no request
 * goes out meanwhile: with batches of 20,000 the first cycle at 5,000 nodes spent seconds with the kubelets (the
 * simulator) idle, waiting for the monitor to ask again.
 */
export const EARLY_BATCH = 5_000;

/**
 * New series at which the batches held back for theirs are stored together (see {@link EarlyAppend}): about a ninth of
 * the first cycle's 865,000 at the scale envelope, so that it creates them in eight or so transactions instead of 45.
 * Each such store blocks the event loop for a few tenths of a second.
 */
export const CREATE_AT = 100_000;

/** Share of a batch's samples without a series above which the batch waits to create its series with others. */
const WAIT_ABOVE = 0.25;

export interface EarlyAppendDeps {
  readonly ids: SeriesIdCache;
  readonly store: SampleStore;
  /** The samples of some containers (the collector's own mapping, so both paths write the same series). */
  readonly columnsOf: (containers: readonly ContainerUsage[]) => SampleColumns;
  readonly batchSize?: number;
  /** New series per creation when batches wait for theirs (default {@link CREATE_AT}). */
  readonly createAt?: number;
}


/**
 * Batches mostly of new containers (the first cycle of a new database, a large rollout) wait until together they
 * bring {@link CREATE_AT} new series, and are then stored in one go: the series table's unique index is ordered by
 * key, so the new series of each batch land all over it, and every transaction writes again each index page it
 * touched. 45 creations of 19,000 series cost three times one of 865,000 (measured: 8.9 s against 4.0 s for
 * 675,000 keys). A batch with few new series (pods replaced since the last cycle) is stored at once as before.
 * Batches still waiting when the source ends are left to the cycle's own store, which creates theirs in its first part.
 * A cycle that ends without a snapshot (every source failed, or it was aborted) stores nothing of them: the
 * containers they held come again in the next cycle.
 */
export class EarlyAppend {
  private pending: ContainerUsage[] = [];
  private waiting: ContainerUsage[] = [];
  private waitingNew = 0;
  /** Batches whose store failed: the cycle's own store writes them again (and reports the failure). */
  private failed: ContainerUsage[][] = [];
  /** The source attempt the batches belong to (see {@link reset}). */
  private attempt = 0;
  private chain = Promise.resolve();
  /** Samples appended early in this cycle. */
  samples = 0;

  constructor(private readonly deps: EarlyAppendDeps) {}

  /** The source's callback: batches the containers and stores each full batch in turn. */
  readonly onContainers = (containers: readonly ContainerUsage[]): void => {
    for (const c of containers) this.pending.push(c);
    if (this.pending.length < (this.deps.batchSize ?? EARLY_BATCH)) return;
    const batch = this.pending;
    this.pending = [];
    const attempt = this.attempt;
    // Stored after the I/O callbacks already due (answers that came in, requests they free), not in the middle of
    // them. The chain never stays rejected: a batch that could not be stored is left to the cycle's own store.
    this.chain = this.chain
      .then(yieldToEventLoop)
      .then(() => this.store(batch, attempt))
      .catch(() => this.unstored(batch, attempt));
  };

  /**
   * A source failed and the next is tried: what the failed one reported and was not stored yet is dropped, batches
   * still queued included (as its samples are not in the snapshot that follows); what was stored stays.
   */
  reset(): void {
    this.attempt++;
    this.pending = [];
    this.waiting = [];
    this.waitingNew = 0;
    this.failed = [];
  }

  /** Resolves once every batch handed to the store so far is in (or waits for the cycle's store). */
  done(): Promise<void> {
    return this.chain;
  }

  /** The containers reported and not stored early (call after {@link done}): the last part batch, those waiting, failed ones. */
  rest(): ContainerUsage[] {
    return [...this.failed.flat(), ...this.waiting, ...this.pending];
  }

  private async store(batch: ContainerUsage[], attempt: number): Promise<void> {
    if (attempt !== this.attempt) return;
    const cols = this.deps.columnsOf(batch);
    const found = this.deps.ids.lookup(cols);
    if (found.missing.length > WAIT_ABOVE * cols.length) return this.wait(batch, found.missing.length, attempt);
    await this.append(batch, attempt, async () => ({ cols, seriesIds: await this.deps.ids.complete(cols, found) }));
  }

  /** Holds a batch of mostly new series back until enough wait to create theirs together. */
  private async wait(batch: readonly ContainerUsage[], newSeries: number, attempt: number): Promise<void> {
    for (const c of batch) this.waiting.push(c);
    this.waitingNew += newSeries;
    if (this.waitingNew < (this.deps.createAt ?? CREATE_AT)) return;
    const all = this.waiting;
    this.waiting = [];
    this.waitingNew = 0;
    await this.append(all, attempt, async () => {
      const cols = this.deps.columnsOf(all);
      return { cols, seriesIds: await this.deps.ids.resolvePart(cols) };
    });
  }

  private async append(batch: ContainerUsage[], attempt: number, prepare: () => Promise<{ cols: SampleColumns; seriesIds: number[] }>): Promise<void> {
    try {
      const { cols, seriesIds } = await prepare();
      await this.deps.store.append({ seriesIds, timestampsMs: cols.timestampsMs, values: cols.values });
      this.samples += cols.length;
    } catch {
      this.unstored(batch, attempt);
    }
  }

  /** A batch that could not be stored: the cycle's store writes it, unless its source's attempt has ended. */
  private unstored(batch: ContainerUsage[], attempt: number): void {
    if (attempt === this.attempt) this.failed.push(batch);
  }
}
