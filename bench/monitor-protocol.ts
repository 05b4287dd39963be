// SPDX-License-Identifier: Apache-2.0
// Messages between bench/monitor.ts (the driver) and bench/monitor-child.ts (the monitor under test), sent over
// the child's IPC channel. The child runs the product's own components; the driver only times, drives load and
// reports.

/** The child's first sync of every kind. */
export interface SyncReport {
  readonly type: 'synced';
  readonly ms: number;
  /** `process.resourceUsage().maxRSS` right after the sync, in bytes. */
  readonly maxRssBytes: number;
  readonly heapUsedBytes: number;
  readonly objects: Readonly<Record<string, number>>;
}

/** A recorded pod watch stream replayed through the real watch loop. */
export interface WatchReport {
  readonly type: 'watch';
  readonly events: number;
  readonly bytes: number;
  readonly ms: number;
  /** CPU time (user + system) of the child while the events were applied. */
  readonly cpuMs: number;
  readonly eventsApplied: number;
}

/** One collection cycle through one usage source into the SQLite store. */
export interface CycleReport {
  readonly source: string;
  /** 1 = the first (series of new containers and totals created, or warmed up just before), 2 on = steady state. */
  readonly cycle: number;
  /** On the first cycle: the series warm-up that ran just before it (absent with `--no-warmup`). */
  readonly warmup?: { readonly ms: number; readonly registered: number };
  readonly containers: number;
  readonly nodes: number;
  readonly samples: number;
  readonly errors: number;
  /** The source's collect (HTTP + parse). */
  readonly collectMs: number;
  /** Series resolution, append and flush into the store. */
  readonly storeMs: number;
  readonly totalMs: number;
  /** The monitor's RSS and live heap right after the cycle (one source's store open: what a running monitor holds). */
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** The monitor process's peak RSS so far (VmHWM). */
  readonly peakRssBytes: number;
}

export interface SamplingReport {
  readonly type: 'sampling';
  readonly cycles: readonly CycleReport[];
}

/** The monitor's HTTP app listens; the driver sends `{ type: 'stop' }` when its load is done. */
export interface ApiReady {
  readonly type: 'api';
  readonly url: string;
  readonly namespaces: readonly string[];
}

export interface DoneReport {
  readonly type: 'done';
  readonly maxRssBytes: number;
}

export type ChildMessage = SyncReport | WatchReport | SamplingReport | ApiReady | DoneReport | { readonly type: 'error'; readonly message: string };

export interface StopMessage {
  readonly type: 'stop';
}
