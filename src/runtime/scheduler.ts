// SPDX-License-Identifier: Apache-2.0
// A periodic task in the style of Backstage's LocalTaskWorker: an initial delay, a fixed cadence between run
// starts, a per-run timeout through a child AbortController, never two runs at once, `trigger()` to run now, and
// observable state. Unlike Backstage, a failed run is logged with structured fields and retried with backoff
// (never later than the cadence) instead of every second. A run that overruns the cadence skips the ticks it
// missed rather than queueing them (REQUIREMENTS §1.6).
import { AppError, toError } from '../errors/app-error.ts';
import { logEvent, type EventLogger } from '../logging/events.ts';
import { createBackoff, type Backoff } from './backoff.ts';
import type { Clock } from './clock.ts';
import type { Sleep } from './sleep.ts';

/** Observable state of a scheduled task, for /api/status and self-metrics. Times are Unix epoch milliseconds. */
export interface TaskState {
  readonly name: string;
  status: 'idle' | 'running' | 'stopped';
  runs: number;
  failures: number;
  /** Failed runs since the last success. */
  consecutiveFailures: number;
  /** Cadence ticks skipped because a run overran. */
  skippedRuns: number;
  lastRunStartedAt: number | undefined;
  lastRunEndedAt: number | undefined;
  lastDurationMs: number | undefined;
  lastError: { message: string; code: string | undefined; at: number } | undefined;
  /** When the next run starts, unless triggered earlier; undefined while running or stopped. */
  nextRunAt: number | undefined;
}

/** Definition and dependencies of a scheduled task. */
export interface ScheduledTaskOptions {
  name: string;
  /** One run. It must honour `signal`: it aborts on timeout and on shutdown. */
  run: (signal: AbortSignal) => Promise<void>;
  /** Time between run starts, in milliseconds. */
  cadenceMs: number;
  /** Delay before the first run, in milliseconds; default 0. */
  initialDelayMs?: number;
  /** Per-run timeout, in milliseconds. */
  timeoutMs: number;
  clock: Clock;
  sleep: Sleep;
  log: EventLogger;
  /** Retry delays after failed runs; default full-jitter exponential from 1 s, capped at the cadence. */
  backoff?: Backoff;
}

/** A scheduled task; nothing runs until `start`. */
export interface ScheduledTask {
  /** Runs the schedule until `signal` aborts; settles once the current run has ended. Rejects only if started twice. */
  start(signal: AbortSignal): Promise<void>;
  /** Starts a run now if the task is waiting; false when a run is in progress or the task is not started. */
  trigger(): boolean;
  /** A snapshot of the state. */
  state(): Readonly<TaskState>;
}

type Outcome = { ok: true } | { ok: false; err: Error } | { ok: 'stopped' };

const initialState = (name: string): TaskState => ({
  name,
  status: 'idle',
  runs: 0,
  failures: 0,
  consecutiveFailures: 0,
  skippedRuns: 0,
  lastRunStartedAt: undefined,
  lastRunEndedAt: undefined,
  lastDurationMs: undefined,
  lastError: undefined,
  nextRunAt: undefined,
});

class TaskRunner implements ScheduledTask {
  readonly #opts: ScheduledTaskOptions;
  readonly #backoff: Backoff;
  readonly #state: TaskState;
  #wake: AbortController | undefined;
  #triggered = false;
  #started = false;

  constructor(opts: ScheduledTaskOptions) {
    this.#opts = opts;
    this.#backoff = opts.backoff ?? createBackoff({ baseMs: Math.min(1000, opts.cadenceMs), maxMs: opts.cadenceMs });
    this.#state = initialState(opts.name);
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.#started) throw new Error(`scheduled task ${this.#opts.name} started twice`);
    this.#started = true;
    let delay = this.#opts.initialDelayMs ?? 0;
    while (await this.#waitForRun(delay, signal)) delay = await this.#runOnce(signal);
    this.#state.status = 'stopped';
  }

  trigger(): boolean {
    if (this.#wake === undefined || this.#state.status !== 'idle') return false;
    this.#triggered = true;
    this.#wake.abort();
    this.#wake = undefined;
    return true;
  }

  state(): Readonly<TaskState> {
    return { ...this.#state };
  }

  // Waits for the next run; false when the task must stop.
  async #waitForRun(delayMs: number, signal: AbortSignal): Promise<boolean> {
    this.#state.status = 'idle';
    // A run that finished normally despite an abort leaves an aborted signal, whose listeners would never fire.
    if (signal.aborted) return false;
    this.#state.nextRunAt = this.#opts.clock.now() + delayMs;
    const wake = new AbortController();
    this.#wake = wake;
    const stop = () => wake.abort();
    signal.addEventListener('abort', stop, { once: true });
    await this.#opts.sleep(delayMs, wake.signal);
    signal.removeEventListener('abort', stop);
    this.#wake = undefined;
    this.#state.nextRunAt = undefined;
    return !signal.aborted;
  }

  async #runOnce(signal: AbortSignal): Promise<number> {
    const { name, clock, log } = this.#opts;
    const manual = this.#triggered;
    this.#triggered = false;
    const startedAt = clock.now();
    Object.assign(this.#state, { status: 'running', runs: this.#state.runs + 1, lastRunStartedAt: startedAt });
    logEvent(log, { event: 'task.started', task: name, trigger: manual ? 'manual' : 'schedule' });
    const outcome = await runWithTimeout({ run: this.#opts.run, timeoutMs: this.#opts.timeoutMs, sleep: this.#opts.sleep, name }, signal);
    const delay = outcome.ok === 'stopped' ? 0 : this.#delayAfter(outcome, startedAt);
    this.#record(outcome, startedAt, delay);
    return delay;
  }

  // Ticks fall at startedAt + k × cadence; the next run takes the first tick not yet past, skipping missed ones.
  #delayAfter(outcome: Outcome, startedAt: number): number {
    const { cadenceMs, clock, log, name } = this.#opts;
    if (outcome.ok !== true) return Math.min(this.#backoff.next(), cadenceMs);
    this.#backoff.reset();
    const now = clock.now();
    const k = Math.max(1, Math.ceil((now - startedAt) / cadenceMs));
    if (k > 1) {
      this.#state.skippedRuns += k - 1;
      logEvent(log, { event: 'task.skipped', task: name, missedRuns: k - 1 });
    }
    return startedAt + k * cadenceMs - now;
  }

  #record(outcome: Outcome, startedAt: number, retryInMs: number): void {
    const { name, clock, log } = this.#opts;
    const s = this.#state;
    s.lastRunEndedAt = clock.now();
    s.lastDurationMs = s.lastRunEndedAt - startedAt;
    if (outcome.ok === true) {
      s.consecutiveFailures = 0;
      logEvent(log, { event: 'task.done', task: name, durationMs: s.lastDurationMs });
    } else if (outcome.ok === false) {
      s.failures++;
      s.consecutiveFailures++;
      const code = outcome.err instanceof AppError ? outcome.err.code : undefined;
      s.lastError = { message: outcome.err.message, code, at: s.lastRunEndedAt };
      logEvent(log, { event: 'task.failed', task: name, durationMs: s.lastDurationMs, retryInMs, err: outcome.err });
    }
  }
}

/** Creates a scheduled task (see the file comment for the semantics); nothing runs until `start`. */
export function createScheduledTask(opts: ScheduledTaskOptions): ScheduledTask {
  return new TaskRunner(opts);
}

interface TimedRun {
  run: (signal: AbortSignal) => Promise<void>;
  timeoutMs: number;
  sleep: Sleep;
  name: string;
}

// Runs once under a child controller that aborts on shutdown or when the timeout elapses. A run that ignores its
// signal is still awaited: the no-overlap guarantee outranks the timeout.
async function runWithTimeout(t: TimedRun, parent: AbortSignal): Promise<Outcome> {
  const child = new AbortController();
  const timer = new AbortController();
  const onParent = () => child.abort(parent.reason);
  if (parent.aborted) onParent();
  parent.addEventListener('abort', onParent, { once: true });
  const timeoutErr = new AppError('KRM_TASK_TIMEOUT', `task ${t.name} exceeded its ${t.timeoutMs} ms timeout`);
  let timedOut = false;
  const timeout = t.sleep(t.timeoutMs, timer.signal).then((elapsed) => {
    timedOut = elapsed;
    if (elapsed) child.abort(timeoutErr);
  });
  try {
    await t.run(child.signal);
    return timedOut ? { ok: false, err: timeoutErr } : { ok: true };
  } catch (e) {
    if (parent.aborted) return { ok: 'stopped' };
    return { ok: false, err: timedOut ? timeoutErr : toError(e) };
  } finally {
    timer.abort();
    await timeout;
    parent.removeEventListener('abort', onParent);
  }
}
