// SPDX-License-Identifier: Apache-2.0
// Calls to one worker thread, answered in turn: a request message with an id, a reply with the same id. The worker
// runs TypeScript as the process does, keeps the process alive only while calls wait, and, if it dies or cannot be
// started, fails the calls that wait and every later one, so that the owner can do the work in its own thread from then
// on. The worker side is `serveCalls`.
import { parentPort, Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * A worker thread running `url`, TypeScript as the process runs it: tsx is registered in the worker before its module
 * is imported (a worker does not inherit the loader hooks of the thread that starts it). Unref'd: an idle worker does
 * not keep the process alive.
 */
export function startTsWorker(url: URL, name: string, resourceLimits?: ResourceLimits): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  const worker = new Worker(boot, { eval: true, name, ...(resourceLimits === undefined ? {} : { resourceLimits }) });
  worker.unref();
  return worker;
}

/** The wire form of a call and of its answer. */
export interface CallMessage<Req> {
  readonly id: number;
  readonly request: Req;
}
export type ReplyMessage<Rep> = { readonly id: number; readonly reply: Rep } | { readonly id: number; readonly error: { readonly name: string; readonly message: string } };

/** An error thrown in the worker, rebuilt with its name (a SyntaxError stays one, so callers can tell bad input). */
function rebuilt(e: { name: string; message: string }): Error {
  const err = e.name === 'SyntaxError' ? new SyntaxError(e.message) : new Error(e.message);
  if (err.name !== e.name) err.name = e.name;
  return err;
}

interface Pending<Rep> {
  readonly resolve: (reply: Rep) => void;
  readonly reject: (err: Error) => void;
}

/** The refusal of calls after the worker failed or was closed. */
export class WorkerUnavailableError extends Error {
  override readonly name = 'WorkerUnavailableError';
}

export interface WorkerCallsOptions {
  /** Called once, with the first failure (not after close). */
  readonly failed?: (err: Error) => void;
  /** The worker's heap limits (its young generation, for one whose garbage is all short-lived). */
  readonly resourceLimits?: ResourceLimits;
}

/** See the file comment. */
export class WorkerCalls<Req, Rep> {
  #worker: Worker | undefined;
  #down: Error | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, Pending<Rep>>();

  constructor(
    private readonly url: URL,
    private readonly name: string,
    private readonly opts: WorkerCallsOptions = {},
  ) {}

  /** False once the worker failed or was closed: calls are refused from then on. */
  get available(): boolean {
    return this.#down === undefined;
  }

  /** Starts the worker now rather than with the first call (so that the first call does not wait for its start-up). */
  start(): void {
    if (this.#down === undefined && this.#worker === undefined) this.#spawn();
  }

  /** Sends `request` (its `transfer` buffers moved, not copied); resolves with the worker's reply. */
  call(request: Req, transfer: readonly ArrayBuffer[] = []): Promise<Rep> {
    if (this.#down !== undefined) return Promise.reject(this.#down);
    return new Promise<Rep>((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject });
      try {
        const worker = this.#worker ?? this.#spawn();
        // A worker with calls waiting keeps the process alive (the caller may have nothing else pending).
        worker.ref();
        worker.postMessage({ id, request } satisfies CallMessage<Req>, [...transfer]);
      } catch (e) {
        this.#fail(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Terminates the worker; waiting calls are refused. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#down ??= new WorkerUnavailableError(`${this.name} closed`);
    this.#worker = undefined;
    this.#rejectAll(this.#down);
    await worker?.terminate();
  }

  #spawn(): Worker {
    const worker = startTsWorker(this.url, this.name, this.opts.resourceLimits);
    this.#worker = worker;
    worker.on('message', (m: ReplyMessage<Rep>) => this.#answer(m));
    worker.on('error', (err) => this.#fail(err));
    worker.on('exit', (code) => this.#fail(new Error(`${this.name} exited with code ${code}`)));
    return worker;
  }

  #answer(m: ReplyMessage<Rep>): void {
    const p = this.#pending.get(m.id);
    if (p === undefined) return;
    this.#pending.delete(m.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if ('error' in m) p.reject(rebuilt(m.error));
    else p.resolve(m.reply);
  }

  #fail(err: Error): void {
    if (this.#down !== undefined) return;
    this.#down = new WorkerUnavailableError(`${this.name} failed: ${err.message}`, { cause: err });
    const worker = this.#worker;
    this.#worker = undefined;
    this.#rejectAll(this.#down);
    void worker?.terminate();
    this.opts.failed?.(err);
  }

  #rejectAll(err: Error): void {
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of waiting) p.reject(err);
  }
}

/** A reply and the buffers to transfer with it. */
export interface Answer<Rep> {
  readonly reply: Rep;
  readonly transfer?: readonly ArrayBuffer[];
}

/**
 * The worker side: answers each call with `handle`'s result, or with the error it threw. Calls are handled one at a
 * time in the order they came (a handler may keep state across calls, such as a body read in parts).
 */
export function serveCalls<Req, Rep>(handle: (request: Req) => Answer<Rep>): void {
  const port = parentPort;
  if (port === null) throw new Error('serveCalls runs in a worker thread');
  port.on('message', (m: CallMessage<Req>) => {
    let out: ReplyMessage<Rep>;
    let transfer: readonly ArrayBuffer[] = [];
    try {
      const answer = handle(m.request);
      out = { id: m.id, reply: answer.reply };
      transfer = answer.transfer ?? [];
    } catch (e) {
      const error = e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
      out = { id: m.id, error };
    }
    port.postMessage(out, [...transfer]);
  });
}
