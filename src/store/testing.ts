// SPDX-License-Identifier: Apache-2.0
// Helpers for the store's tests and benchmark: temporary database files, a manual clock and fixture series.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../domain/ports.ts';
import type { SeriesKey } from '../domain/series.ts';
import { SqliteSampleStore, type SqliteSampleStoreOptions } from './sample-store.ts';

/** A clock the test moves by hand (epoch ms). */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function manualClock(startMs: number): ManualClock {
  let now = startMs;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** Registers cleanup callbacks, as node:test's `t.after` does. */
export interface AfterHook {
  after(fn: () => void | Promise<void>): void;
}

/** A fresh temporary folder removed after the test. */
export function tempDir(t: AfterHook, prefix = 'krm-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a store that is closed after the test (close is idempotent). */
export async function openTestStore(
  t: AfterHook,
  opts: Partial<SqliteSampleStoreOptions> & { path: string },
): Promise<SqliteSampleStore> {
  const store = await SqliteSampleStore.open(opts);
  t.after(() => store.close());
  return store;
}

/** Series keys of `containers` containers × the given metrics, in namespace `shop`. */
export function containerKeys(containers: number, metrics: readonly string[] = ['cpu_m', 'mem_ws_b']): SeriesKey[] {
  const keys: SeriesKey[] = [];
  for (let c = 0; c < containers; c++) {
    const entity = `shop/checkout-${Math.floor(c / 2)}/app-${c % 2}`;
    for (const metric of metrics) keys.push({ cluster: 'default', kind: 'container', entity, metric });
  }
  return keys;
}
