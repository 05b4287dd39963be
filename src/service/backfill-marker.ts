// SPDX-License-Identifier: Apache-2.0
// The backfill's marker in the store's key/value table, one per cluster. It is what makes the backfill run once per
// database and resume after an interruption: the planned grid, the last grid point written (`doneMs`), the window
// being written (`writingMs`) and whether the run finished. A run that stopped while writing a window resumes after
// that window (a gap of at most one window rather than samples written twice: `writeHistory` must never overlap).
import type { SampleStore } from '../domain/ports.ts';
import type { Grid } from './backfill-plan.ts';

export interface BackfillMarker {
  readonly grid: Grid;
  /** Last grid point of the last fully written window. */
  readonly doneMs?: number;
  /** Last grid point of the window whose writes started. */
  readonly writingMs?: number;
  readonly finished: boolean;
  /** Why the run finished without importing (`store_not_empty`), if it did. */
  readonly skipped?: string;
  /**
   * A window a run stopped in cleanly (Prometheus failure, shutdown): the jobs whose series were fully written.
   * The next run resumes inside that window with the other jobs. Without it (a crash), the window is skipped.
   */
  readonly partial?: { readonly windowEndMs: number; readonly jobs: readonly string[] };
}

export const markerKey = (cluster: string): string => `backfill:${cluster}`;

function isGrid(v: unknown): v is Grid {
  const g = v as Partial<Grid> | null;
  return typeof g === 'object' && g !== null && [g.firstMs, g.lastMs, g.stepMs].every((n) => typeof n === 'number');
}

/** The stored marker; undefined when absent or unreadable (an unreadable marker is treated as a finished run). */
export async function readMarker(store: SampleStore, cluster: string): Promise<BackfillMarker | undefined> {
  const text = await store.readMeta(markerKey(cluster));
  if (text === undefined) return undefined;
  try {
    const m = JSON.parse(text) as Partial<BackfillMarker>;
    if (isGrid(m.grid) && typeof m.finished === 'boolean') return m as BackfillMarker;
  } catch {
    // falls through: never re-import over data of unknown extent
  }
  return { grid: { firstMs: 0, lastMs: 0, stepMs: 1 }, finished: true, skipped: 'unreadable_marker' };
}

export async function writeMarker(store: SampleStore, cluster: string, marker: BackfillMarker): Promise<void> {
  await store.writeMeta(markerKey(cluster), JSON.stringify(marker));
}

/**
 * Where a resumed run continues: in the window a clean stop left partly written (its written jobs are skipped),
 * else after the window that was being written, whether or not it completed (a crash leaves that window a gap
 * rather than risk writing a series twice).
 */
export function resumeAfter(marker: BackfillMarker): number | undefined {
  if (marker.partial !== undefined) return marker.doneMs;
  const points = [marker.doneMs, marker.writingMs].filter((v): v is number => v !== undefined);
  return points.length > 0 ? Math.max(...points) : undefined;
}
