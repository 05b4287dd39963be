// SPDX-License-Identifier: Apache-2.0
// A clock and sleep driven by hand, for tests of loops, schedulers and shutdown: no global timer mocking, and every
// requested delay is recorded so tests can assert it.
import type { Clock } from './clock.ts';
import type { Sleep } from './sleep.ts';
import { yieldToEventLoop } from './yield.ts';

interface Timer {
  at: number;
  seq: number;
  fire: (elapsed: boolean) => void;
}

/** Lets pending promise chains run until they block on the next sleep (a few macrotask turns). */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await yieldToEventLoop();
}

/**
 * Manual time: `now()` moves only through {@link ManualClock.advance}; `sleep` waits on that time (a delay of 0 or
 * less elapses at once).
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  /** Every delay passed to `sleep`, in call order, in milliseconds. */
  readonly requested: number[] = [];

  /** @param startMs initial time, Unix epoch milliseconds */
  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Sleeps pending on this clock. */
  get pending(): number {
    return this.#timers.length;
  }

  readonly sleep: Sleep = (ms, signal) => {
    this.requested.push(ms);
    return new Promise<boolean>((resolve) => {
      if (signal?.aborted || ms <= 0) {
        // Like a real zero-delay sleep, a non-positive one elapses without time having to move.
        resolve(!signal?.aborted);
        return;
      }
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        fire: (elapsed) => {
          signal?.removeEventListener('abort', onAbort);
          this.#timers = this.#timers.filter((t) => t !== timer);
          resolve(elapsed);
        },
      };
      const onAbort = () => timer.fire(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timers.push(timer);
    });
  };

  /** Moves time forward by `ms`, firing due sleeps in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.#now = Math.max(this.#now, due.at);
      due.fire(true);
      await settle();
    }
    this.#now = target;
    await settle();
  }
}
