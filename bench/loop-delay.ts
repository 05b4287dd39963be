// SPDX-License-Identifier: Apache-2.0
// A process's own event-loop delay over a phase of a bench (the load generator's, the monitor's during API load).
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopDelay {
  /** p99 and maximum delay (ms) since the start, including the 5 ms sampling resolution. */
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Starts measuring; the returned function stops and reports. */
export function measureLoopDelay(): () => LoopDelay {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  return () => {
    h.disable();
    // The histogram counts in nanoseconds.
    return { p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6 };
  };
}
