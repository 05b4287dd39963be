// SPDX-License-Identifier: Apache-2.0
// Exponential backoff with full jitter (delay drawn uniformly from [0, min(max, base × factor^attempt))), a cap and
// a reset on success: the "full jitter" variant spreads reconnecting clients best after an API-server restart. The
// random source is injected so tests can assert exact delays.

/** Parameters of a backoff policy. */
export interface BackoffOptions {
  /** Ceiling of the first delay, in milliseconds. */
  baseMs: number;
  /** Cap of every delay, in milliseconds. */
  maxMs: number;
  /** Growth of the ceiling per attempt; default 2. */
  factor?: number;
  /** Uniform random number in [0, 1); default Math.random. */
  random?: () => number;
}

/** A stateful backoff: each `next()` is the delay before the next attempt. */
export interface Backoff {
  /** Delay before the next attempt, in whole milliseconds; advances the attempt count. */
  next(): number;
  /** Back to the first attempt: call on success (for a watch, on its first event). */
  reset(): void;
  /** Delays handed out since the last reset. */
  readonly attempt: number;
}

/** Kubernetes API retries (REQUIREMENTS §1.1): from 1 s, doubling, capped at 30 s. */
export const DEFAULT_BACKOFF: Readonly<Required<Omit<BackoffOptions, 'random'>>> = { baseMs: 1000, maxMs: 30_000, factor: 2 };

/** Upper bound (exclusive) of the jittered delay for a 0-based attempt, in milliseconds. */
export function backoffCeilingMs(attempt: number, opts: BackoffOptions): number {
  const factor = opts.factor ?? 2;
  // Computed in steps so that large attempt counts saturate at the cap instead of overflowing to Infinity.
  let ceiling = Math.min(opts.baseMs, opts.maxMs);
  for (let i = 0; i < attempt && ceiling < opts.maxMs; i++) ceiling = Math.min(ceiling * factor, opts.maxMs);
  return ceiling;
}

/** Creates an exponential backoff with full jitter. */
export function createBackoff(opts: BackoffOptions = DEFAULT_BACKOFF): Backoff {
  if (!(opts.baseMs > 0) || !(opts.maxMs >= opts.baseMs) || (opts.factor ?? 2) < 1) {
    throw new RangeError('backoff needs 0 < baseMs <= maxMs and factor >= 1');
  }
  const random = opts.random ?? Math.random;
  let attempt = 0;
  return {
    next() {
      const delay = Math.floor(random() * backoffCeilingMs(attempt, opts));
      attempt++;
      return delay;
    },
    reset() {
      attempt = 0;
    },
    get attempt() {
      return attempt;
    },
  };
}
