// SPDX-License-Identifier: Apache-2.0
// A process's own event-loop delay over a phase of a bench (the load generator's, the monitor's during API load).
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopDelay {
  /** p99 and maximum delay (ms) since the start, including the 5 ms sampling resolution. */
  readonly p99Ms: number;
  readonly maxMs: number;
  /** When the loop stood still for longer than the asked threshold: `seconds after the start: ms` each. */
  readonly stalls: readonly string[];
}

/**
 * Starts measuring; the returned function stops and reports. With `stallsOverMs`, a 10 ms timer also notes each
 * stall longer than that and when it began, to tell one long stall at a known moment from many short ones.
 */
export function measureLoopDelay(opts: { readonly stallsOverMs?: number } = {}): () => LoopDelay {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const stalls: string[] = [];
  const t0 = performance.now();
  let last = t0;
  const over = opts.stallsOverMs;
  const probe =
    over === undefined
      ? undefined
      : setInterval(() => {
          const now = performance.now();
          if (now - last > over + 10) stalls.push(`${((last - t0) / 1000).toFixed(1)} s: ${(now - last).toFixed(0)} ms`);
          last = now;
        }, 10);
  return () => {
    clearInterval(probe);
    h.disable();
    // The histogram counts in nanoseconds.
    return { p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6, stalls };
  };
}
