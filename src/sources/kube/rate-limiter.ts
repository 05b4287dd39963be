// SPDX-License-Identifier: Apache-2.0
// Client-side rate limit for API calls: a token bucket with reservations (the model of client-go's
// flowcontrol.NewTokenBucketRateLimiter). Defaults QPS 50 / burst 100, the values the VPA recommender uses.
import { systemClock, type Clock } from '../../runtime/clock.ts';
import type { Sleep } from '../../runtime/sleep.ts';

export interface RateLimiterOptions {
  /** Sustained requests per second (default 50). A value <= 0 disables the limit. */
  readonly qps?: number;
  /** Requests allowed at once after an idle period (default 100). */
  readonly burst?: number;
  readonly clock?: Clock;
  readonly sleep: Sleep;
}

export interface RateLimiter {
  /** Resolves when the caller may send one request; resolves early if `signal` aborts (the request then fails). */
  acquire(signal: AbortSignal): Promise<void>;
}

/**
 * A token bucket where each caller reserves a token immediately, letting the balance go negative, and waits
 * until its reservation is covered. Reservation keeps callers in FIFO order without a queue.
 */
export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const qps = opts.qps ?? 50;
  const burst = Math.max(1, opts.burst ?? 100);
  const clock = opts.clock ?? systemClock;
  let tokens = burst;
  let lastMs = clock.now();
  return {
    async acquire(signal) {
      if (qps <= 0) return;
      const t = clock.now();
      tokens = Math.min(burst, tokens + ((t - lastMs) * qps) / 1000);
      lastMs = t;
      tokens -= 1;
      if (tokens >= 0) return;
      await opts.sleep(Math.ceil((-tokens * 1000) / qps), signal);
    },
  };
}
