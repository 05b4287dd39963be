// SPDX-License-Identifier: Apache-2.0
// Event-loop lag for the liveness probe, from node's event-loop delay histogram. Each read returns the worst delay
// since the previous read and starts a new window, so one stall fails at most the next probe.
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** A running lag monitor. */
export interface LoopLagMonitor {
  /** Worst event-loop delay in ms since the previous call (or since start). */
  readMaxMs(): number;
  stop(): void;
}

/** Starts sampling the event-loop delay every `resolutionMs` (default 20 ms). */
export function startLoopLagMonitor(resolutionMs = 20): LoopLagMonitor {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  return {
    readMaxMs() {
      const maxNs = histogram.count > 0 ? histogram.max : 0;
      histogram.reset();
      return maxNs / 1e6;
    },
    stop() {
      histogram.disable();
    },
  };
}
