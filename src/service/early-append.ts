// SPDX-License-Identifier: Apache-2.0
// Stores the containers a source reports while it still reads (CollectRequest.onContainers). A cycle through 5,000
// kubelets mostly waits: on the node-proxy rate limit and on the kubelets' answers. Resolving the series of each
// batch of reported containers and appending their samples in those waits, instead of after the last node answered,
// takes most of the store's share out of the cycle (and the first cycle's series creation with it). The cycle then
// stores only the rest: containers of the last, partial batch, nodes, volumes and the totals, which need every pod.
import type { SampleStore } from '../domain/ports.ts';
import type { ContainerUsage } from '../sources/usage/index.ts';
import type { SampleColumns, SeriesIdCache } from './sample-columns.ts';

/**
 * Containers per early batch: about 20,000 samples, 45 batches at 225,000 containers. Each batch blocks the event
 * loop while it is stored (tens of ms; a few hundred in the first cycle, which creates the series), and no request
 * goes out meanwhile: with batches of 20,000 the first cycle at 5,000 nodes spent seconds with the kubelets (the
 * simulator) idle, waiting for the monitor to ask again.
 */
export const EARLY_BATCH = 5_000;

export interface EarlyAppendDeps {
  readonly ids: SeriesIdCache;
  readonly store: SampleStore;
  /** The samples of some containers (the collector's own mapping, so both paths write the same series). */
  readonly columnsOf: (containers: readonly ContainerUsage[]) => SampleColumns;
  readonly batchSize?: number;
}

const afterIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class EarlyAppend {
  private pending: ContainerUsage[] = [];
  private readonly stored = new Set<ContainerUsage>();
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
    // Stored after the I/O callbacks already due (answers that came in, requests they free), not in the middle of
    // them. A batch that fails is not marked stored: the cycle's own store writes it again and reports the failure.
    this.chain = this.chain
      .then(afterIo)
      .then(() => this.store(batch))
      .catch(() => undefined);
  };

  /** Resolves once every batch handed to the store so far is in. */
  done(): Promise<void> {
    return this.chain;
  }

  /** The containers of the snapshot that were not stored early. */
  rest(containers: readonly ContainerUsage[]): readonly ContainerUsage[] {
    return this.stored.size === 0 ? containers : containers.filter((c) => !this.stored.has(c));
  }

  private async store(batch: readonly ContainerUsage[]): Promise<void> {
    const cols = this.deps.columnsOf(batch);
    const seriesIds = await this.deps.ids.resolvePart(cols);
    await this.deps.store.append({ seriesIds, timestampsMs: cols.timestampsMs, values: cols.values });
    for (const c of batch) this.stored.add(c);
    this.samples += cols.length;
  }
}
