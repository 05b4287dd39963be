// SPDX-License-Identifier: Apache-2.0
// The one way a long-running thing repeats (HOUSE-STYLE §6): runLoop owns the try/catch, the backoff between
// failed iterations, the typed `loop.*` events and the observable state. No component restarts itself with
// setTimeout from inside a callback.
import { toError } from '../errors/app-error.ts';
import { logEvent, type EventLogger } from '../logging/events.ts';
import type { Backoff } from './backoff.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Sleep } from './sleep.ts';
import { yieldToEventLoop } from './yield.ts';

/** What one iteration is given. */
export interface IterationContext {
  /** Aborts when the loop stops; pass it to every I/O call. */
  readonly signal: AbortSignal;
  /** Failures since the last success (0 on a healthy loop). */
  readonly failures: number;
  /**
   * Reports progress inside a long iteration (a watch's first event, a completed list): resets the backoff and
   * records the success time. Returning normally does the same.
   */
  markHealthy(): void;
}

/**
 * One iteration: a unit that either returns (the loop starts the next one at once, e.g. a watch the server
 * closed) or throws (the loop waits out the backoff, then starts the next one). It should honour `signal`.
 */
export type Iteration = (ctx: IterationContext) => Promise<void>;

/** Observable state of a loop, for /api/status and self-metrics. Times are Unix epoch milliseconds. */
export interface LoopState {
  readonly name: string;
  /** `backoff` while waiting after a failure. */
  status: 'running' | 'backoff' | 'stopped';
  /** Iterations started again after a failure. */
  restarts: number;
  /** Failures since the last success. */
  failures: number;
  lastSuccessAt: number | undefined;
  lastError: { message: string; at: number } | undefined;
}

/** Dependencies of {@link runLoop}. */
export interface RunLoopOptions {
  /** Stops the loop: the current iteration is aborted and no new one starts. */
  signal: AbortSignal;
  backoff: Backoff;
  sleep: Sleep;
  log: EventLogger;
  clock?: Clock;
}


/** A started loop. */
export interface RunningLoop {
  /** Settles when the loop has stopped; never rejects. */
  readonly done: Promise<void>;
  /** A snapshot of the loop's state. */
  state(): Readonly<LoopState>;
}

/**
 * Starts running `iteration` repeatedly until `opts.signal` aborts. A thrown error is logged as `loop.error` with
 * the backoff delay, then the iteration is started again; an error thrown because the signal aborted is not a
 * failure. Await `done` (for example in a lifecycle closer) to know the loop has finished.
 */
export function runLoop(name: string, iteration: Iteration, opts: RunLoopOptions): RunningLoop {
  const { signal, backoff, sleep, log } = opts;
  const clock = opts.clock ?? systemClock;
  const state: LoopState = { name, status: 'running', restarts: 0, failures: 0, lastSuccessAt: undefined, lastError: undefined };

  const markHealthy = () => {
    if (state.failures > 0) logEvent(log, { event: 'loop.recovered', loop: name, failures: state.failures });
    state.failures = 0;
    state.lastSuccessAt = clock.now();
    backoff.reset();
  };
  const ctx: IterationContext = {
    signal,
    get failures() {
      return state.failures;
    },
    markHealthy,
  };

  // Returns false when the loop must stop.
  const afterFailure = async (e: unknown): Promise<boolean> => {
    const err = toError(e);
    state.failures++;
    state.lastError = { message: err.message, at: clock.now() };
    const delayMs = backoff.next();
    logEvent(log, { event: 'loop.error', loop: name, attempt: state.failures, delayMs, err });
    state.status = 'backoff';
    if (!(await sleep(delayMs, signal))) return false;
    state.restarts++;
    return true;
  };

  const loop = async (): Promise<void> => {
    logEvent(log, { event: 'loop.started', loop: name });
    while (!signal.aborted) {
      state.status = 'running';
      try {
        await iteration(ctx);
        markHealthy();
        // One event-loop turn between iterations, so that an iteration that returns at once cannot starve
        // timers and signal handlers. Returning at once over and over is the iteration's bug: it should throw.
        await yieldToEventLoop();
      } catch (e) {
        // An abort surfaces as a rejection of the iteration's I/O: that is the loop stopping, not failing.
        if (signal.aborted || !(await afterFailure(e))) break;
      }
    }
    state.status = 'stopped';
    logEvent(log, { event: 'loop.stopped', loop: name, restarts: state.restarts });
  };

  return { done: loop(), state: () => ({ ...state }) };
}
