// SPDX-License-Identifier: Apache-2.0
// The backfill's time plan, pure: the evaluation grid of [now − window, now) on multiples of the collection
// interval, cut into windows that each stay under Prometheus's 11,000 points per series and under the configured
// batch length. Window edges sit on multiples of the batch length (whole hours by default), so rollup buckets are
// rarely split between two writes; the store merges buckets with equal starts where they are.
import { MAX_POINTS_PER_SERIES } from '../sources/prometheus/range-query.ts';

/** One range query's grid: points at `startMs`, `startMs + stepMs`, … `endMs` (inclusive). */
export interface BackfillWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly points: number;
}

/** The evaluation grid of a run: first and last points, both multiples of the step. */
export interface Grid {
  readonly firstMs: number;
  readonly lastMs: number;
  readonly stepMs: number;
}

/** The grid of [now − window, now) on multiples of the step; undefined when it holds no point. */
export function gridOf(opts: { nowMs: number; windowMs: number; stepMs: number }): Grid | undefined {
  const { nowMs, windowMs, stepMs } = opts;
  if (!(stepMs > 0)) throw new RangeError('the backfill step must be positive');
  const firstMs = Math.ceil((nowMs - windowMs) / stepMs) * stepMs;
  // Strictly before now: the first live collection samples at or after now.
  const lastMs = Math.floor((nowMs - 1) / stepMs) * stepMs;
  return lastMs >= firstMs ? { firstMs, lastMs, stepMs } : undefined;
}

/**
 * Windows in time order, adjacent and disjoint, covering the grid points after `afterMs` (resuming an interrupted
 * run), each at most `batchMs` long and at most 11,000 points.
 */
export function planWindows(grid: Grid, opts: { batchMs: number; afterMs?: number }): BackfillWindow[] {
  const { stepMs } = grid;
  const maxPoints = Math.max(1, Math.min(MAX_POINTS_PER_SERIES, Math.floor(opts.batchMs / stepMs)));
  const spanMs = maxPoints * stepMs;
  const out: BackfillWindow[] = [];
  let startMs = opts.afterMs === undefined ? grid.firstMs : Math.max(grid.firstMs, (Math.floor(opts.afterMs / stepMs) + 1) * stepMs);
  while (startMs <= grid.lastMs) {
    // The last grid point before the next multiple of the span, so that edges stay batch-aligned.
    const endMs = Math.min(grid.lastMs, (Math.floor(startMs / spanMs) + 1) * spanMs - stepMs);
    out.push({ startMs, endMs, points: Math.round((endMs - startMs) / stepMs) + 1 });
    startMs = endMs + stepMs;
  }
  return out;
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. Rejects on the first failure. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await work(items[i] as T);
      } catch (e) {
        // The other workers stop taking items; the first failure is the answer.
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
