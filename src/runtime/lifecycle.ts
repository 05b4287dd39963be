// SPDX-License-Identifier: Apache-2.0
// Shutdown (HOUSE-STYLE §6): SIGTERM or SIGINT aborts the root AbortController, so every loop stops; then the
// registered closers run one at a time in reverse registration order (register the store first and the HTTP
// server and loops after it: loops finish, the server closes, the database closes last). A hard timeout (10 s by
// default) exits non-zero if closing hangs; a second signal exits at once.
import { setMaxListeners } from 'node:events';
import { toError } from '../errors/app-error.ts';
import { ERROR_CODES } from '../errors/codes.ts';
import { logEvent, type EventLogger } from '../logging/events.ts';
import { systemClock, type Clock } from './clock.ts';
import { sleep as realSleep, type Sleep } from './sleep.ts';

/** Signals that start a shutdown. */
export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

/** The slice of `process` the lifecycle uses; tests pass a fake. */
export interface ProcessLike {
  on(event: ShutdownSignal, listener: () => void): unknown;
  removeListener(event: ShutdownSignal, listener: () => void): unknown;
  exit(code: number): void;
}

/** Dependencies of {@link createLifecycle}. */
export interface LifecycleOptions {
  process: ProcessLike;
  log: EventLogger;
  /** Time allowed for the whole shutdown, in milliseconds; default 10 000. */
  hardTimeoutMs?: number;
  clock?: Clock;
  sleep?: Sleep;
}

/** The process lifecycle: a root signal, closers and the shutdown sequence. */
export interface Lifecycle {
  /** Root signal: aborts when shutdown starts. Pass it (or children of it) to every loop and request. */
  readonly signal: AbortSignal;
  /** Registers a closer; closers run in reverse registration order, each awaited before the next. */
  onClose(name: string, close: () => Promise<void> | void): void;
  /** Installs the SIGTERM/SIGINT handlers (separate from creation: constructing starts nothing). */
  listen(): void;
  /**
   * Starts the shutdown (idempotent: later calls return the same promise). Resolves with the exit code: 0 when
   * every closer succeeded, 3 when one failed. On the hard timeout `process.exit(3)` is called instead.
   */
  shutdown(reason: string): Promise<number>;
  /** Settles with the exit code once a shutdown, however started, has completed. Long-running commands await it. */
  readonly stopped: Promise<number>;
}

/** Exit code after a failed closer, the hard timeout or a second signal (a runtime error, HOUSE-STYLE §4). */
export const SHUTDOWN_FAILED_EXIT_CODE = ERROR_CODES.KRM_SHUTDOWN_TIMEOUT.exitCode;

type Closer = { name: string; close: () => Promise<void> | void };

class ProcessLifecycle implements Lifecycle {
  readonly #opts: LifecycleOptions;
  readonly #clock: Clock;
  readonly #root = new AbortController();
  readonly #closers: Closer[] = [];
  readonly #handlers = new Map<ShutdownSignal, () => void>();
  #closing: string | null = null;
  #shutdown: Promise<number> | undefined;
  #settleStopped: (code: number) => void = () => undefined;
  readonly stopped: Promise<number>;

  constructor(opts: LifecycleOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    // Every loop (a watch per kind, the scheduled tasks, their sleeps) listens on the root signal; dozens of
    // listeners are by design, not a leak.
    setMaxListeners(256, this.#root.signal);
    this.stopped = new Promise<number>((resolve) => {
      this.#settleStopped = resolve;
    });
  }

  get signal(): AbortSignal {
    return this.#root.signal;
  }

  onClose(name: string, close: () => Promise<void> | void): void {
    this.#closers.push({ name, close });
  }

  listen(): void {
    const { process: proc, log } = this.#opts;
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const handler = () => {
        logEvent(log, { event: 'lifecycle.signal', signal: sig });
        // A second signal while closing means "now": the operator has given up waiting.
        if (this.#shutdown !== undefined) proc.exit(SHUTDOWN_FAILED_EXIT_CODE);
        else void this.shutdown(sig);
      };
      this.#handlers.set(sig, handler);
      proc.on(sig, handler);
    }
  }

  shutdown(reason: string): Promise<number> {
    this.#shutdown ??= this.#run(reason);
    return this.#shutdown;
  }

  async #run(reason: string): Promise<number> {
    const { log, process: proc } = this.#opts;
    const t0 = this.#clock.now();
    const timeoutMs = this.#opts.hardTimeoutMs ?? 10_000;
    const timer = new AbortController();
    void (this.#opts.sleep ?? realSleep)(timeoutMs, timer.signal).then((elapsed) => {
      if (!elapsed) return;
      logEvent(log, { event: 'lifecycle.timeout', timeoutMs, pending: this.#closing });
      proc.exit(SHUTDOWN_FAILED_EXIT_CODE);
    });
    this.#root.abort(new DOMException(`shutting down (${reason})`, 'AbortError'));
    const ok = await this.#closeAll();
    timer.abort();
    for (const [sig, handler] of this.#handlers) proc.removeListener(sig, handler);
    this.#handlers.clear();
    const exitCode = ok ? 0 : SHUTDOWN_FAILED_EXIT_CODE;
    logEvent(log, { event: 'lifecycle.stopped', exitCode, durationMs: this.#clock.now() - t0 });
    this.#settleStopped(exitCode);
    return exitCode;
  }

  async #closeAll(): Promise<boolean> {
    let ok = true;
    for (const closer of [...this.#closers].reverse()) {
      this.#closing = closer.name;
      const t0 = this.#clock.now();
      try {
        await closer.close();
        logEvent(this.#opts.log, { event: 'lifecycle.closed', closer: closer.name, durationMs: this.#clock.now() - t0 });
      } catch (e) {
        // Logged and reflected in the exit code; the remaining closers still run (the store must close).
        ok = false;
        logEvent(this.#opts.log, { event: 'lifecycle.close_failed', closer: closer.name, err: toError(e) });
      }
    }
    this.#closing = null;
    return ok;
  }
}

/** Creates the lifecycle of one process; nothing is installed until `listen()`. */
export function createLifecycle(opts: LifecycleOptions): Lifecycle {
  return new ProcessLifecycle(opts);
}
