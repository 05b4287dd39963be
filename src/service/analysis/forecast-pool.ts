// SPDX-License-Identifier: Apache-2.0
// Where the capacity step's forecasts run. At the scale envelope a pass forecasts some 40,000 series that change
// (usage and requests, CPU and memory, per namespace), about a minute of CPU in the pass's thread; a pool of worker
// threads runs them beside the pass's reads and judgements instead, on cores the pass does not use (on a machine
// that has them: see forecastThreadsFor). The
// forecasts are the same pure function either way, so the results are the same bit for bit. A pool that cannot start
// a worker, or whose worker dies, forecasts in the pass's thread from then on (logged once) rather than failing.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { forecastSeries, type Forecast, type ForecastInput } from '../../analysis/forecast/index.ts';
import { logEvent, type EventLogger } from '../../logging/events.ts';
import { startTsWorker } from '../../runtime/worker-calls.ts';
import { packInput, unpackForecast, type ForecastJob, type ForecastReply, type WireInput } from './forecast-wire.ts';

/** Makes forecasts for the capacity step: one at a time as asked, answered when ready. */
export interface Forecaster {
  /** Scopes the step prepares between waits: small in the pass's thread (it yields to the API), large for a pool. */
  readonly batch: number;
  /** True when forecasts run beside the calling thread (worker threads): the pass then begins them first. */
  readonly concurrent: boolean;
  forecast(input: ForecastInput): Promise<Forecast>;
}

/** Forecasts in the calling thread, at once. */
export const inlineForecaster: Forecaster = {
  batch: 20,
  concurrent: false,
  forecast: (input) => Promise.resolve(forecastSeries(input)),
};

/** The refusal of a closed pool: an AbortError, as the pass's shutdown is (the pass stops rather than reports). */
function closedError(): Error {
  return Object.assign(new Error('forecast pool closed'), { name: 'AbortError' });
}

/** Forecasts per message to a worker: enough to make the message cheap beside them (a forecast is about a millisecond). */
const JOB_SIZE = 32;
/** Jobs a worker holds at once, so that it never waits for the next one's message. */
const JOBS_PER_WORKER = 2;

interface Waiting {
  readonly input: ForecastInput;
  readonly resolve: (f: Forecast) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly jobs: Map<number, Waiting[]>;
}

export interface ForecastPoolOptions {
  /** Worker threads (at least 1). */
  readonly threads: number;
  readonly log?: EventLogger;
  /** The worker's module (tests: one that fails). */
  readonly workerUrl?: URL;
}

/** Most forecast worker threads started by default. */
const MAX_DEFAULT_THREADS = 4;

/**
 * Worker threads the service starts by default on a machine of `cores` cores: one per core beyond two, at most
 * {@link MAX_DEFAULT_THREADS}. The pass's own thread keeps more than one core busy (V8's garbage collector marks and
 * scavenges beside it: 1.4 cores on average at scale-150k × 0.1), so on two cores a worker only takes time from it:
 * there the pass took 27–30 s with a worker against 26–28 s without (BENCHMARKS.md), and forecasts stay in the pass.
 */
export function forecastThreadsFor(cores: number): number {
  return Math.max(0, Math.min(MAX_DEFAULT_THREADS, cores - 2));
}

/** {@link forecastThreadsFor} of this machine. */
export function defaultForecastThreads(): number {
  return forecastThreadsFor(availableParallelism());
}

/** The pool of `threads` workers (default: this machine's), or none when that is 0 (the pass forecasts itself). */
export function forecastPoolFor(threads: number | undefined, log?: EventLogger): ForecastPool | undefined {
  const n = threads ?? defaultForecastThreads();
  return n > 0 ? new ForecastPool({ threads: n, ...(log === undefined ? {} : { log }) }) : undefined;
}

/** Forecasts in worker threads, started on the first forecast; see the file comment. */
export class ForecastPool implements Forecaster {
  readonly #opts: ForecastPoolOptions;
  #slots: Slot[] | undefined;
  #broken = false;
  #closed = false;
  #nextId = 0;
  #queue: Waiting[] = [];
  #flushScheduled = false;

  constructor(opts: ForecastPoolOptions) {
    this.#opts = { ...opts, threads: Math.max(1, Math.trunc(opts.threads)) };
  }

  /** Large blocks while workers forecast; the pass's small ones once they failed (it forecasts itself then). */
  get batch(): number {
    return this.#broken ? inlineForecaster.batch : 256;
  }

  get concurrent(): boolean {
    return !this.#broken;
  }

  forecast(input: ForecastInput): Promise<Forecast> {
    if (this.#closed) return Promise.reject(closedError());
    if (this.#broken) return inlineForecaster.forecast(input);
    return new Promise<Forecast>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      if (this.#queue.length >= JOB_SIZE) this.#dispatch();
      else if (!this.#flushScheduled) {
        // A partial job goes once the caller has asked for everything it asks in this turn.
        this.#flushScheduled = true;
        setImmediate(() => {
          this.#flushScheduled = false;
          this.#dispatch();
        });
      }
    });
  }

  /** Terminates the workers; forecasts still waiting are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    const slots = this.#slots ?? [];
    this.#slots = [];
    for (const w of this.#queue.splice(0)) w.reject(closedError());
    for (const s of slots) for (const job of s.jobs.values()) for (const w of job) w.reject(closedError());
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** Sends queued forecasts to the workers with room, a job at a time. */
  #dispatch(): void {
    if (this.#broken || this.#closed) return;
    try {
      const slots = (this.#slots ??= this.#start());
      for (;;) {
        if (this.#queue.length === 0) return;
        const slot = slots.reduce<Slot | undefined>((best, s) => (s.jobs.size < JOBS_PER_WORKER && (best === undefined || s.jobs.size < best.jobs.size) ? s : best), undefined);
        if (slot === undefined) return;
        this.#send(slot, this.#queue.splice(0, JOB_SIZE));
      }
    } catch (e) {
      // A worker that cannot be made (new Worker throws: a process limit) or a job that cannot be sent: the pass's
      // thread forecasts instead, the job's forecasts included (#send keeps them in the slot until it is sent).
      this.#fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  #send(slot: Slot, job: Waiting[]): void {
    const id = this.#nextId++;
    // Held by the slot before anything can throw, so that a failure below finds the job there (#fail).
    slot.jobs.set(id, job);
    const inputs: WireInput[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const w of job) {
      const packed = packInput(w.input);
      inputs.push(packed.message);
      transfer.push(...packed.transfer);
    }
    // A worker with work keeps the process alive (a caller may have nothing else pending while it waits).
    slot.worker.ref();
    slot.worker.postMessage({ id, inputs } satisfies ForecastJob, transfer);
  }

  #start(): Slot[] {
    const url = this.#opts.workerUrl ?? new URL('./forecast-worker.ts', import.meta.url);
    const slots: Slot[] = [];
    // Kept as they are made, so that a worker made before one that fails is terminated by #fail.
    this.#slots = slots;
    for (let i = 0; i < this.#opts.threads; i++) {
      const slot: Slot = { worker: startTsWorker(url, 'krm-forecast'), jobs: new Map() };
      slot.worker.on('message', (reply: ForecastReply) => this.#answer(slot, reply));
      slot.worker.on('error', (err) => this.#fail(err));
      slot.worker.on('exit', (code) => {
        if (!this.#closed) this.#fail(new Error(`forecast worker exited with code ${code}`));
      });
      slots.push(slot);
    }
    return slots;
  }

  #answer(slot: Slot, reply: ForecastReply): void {
    const job = slot.jobs.get(reply.id);
    if (job === undefined) return;
    slot.jobs.delete(reply.id);
    if (slot.jobs.size === 0) slot.worker.unref();
    if ('error' in reply) {
      // The forecast itself threw: the pass would have seen the same exception inline.
      for (const w of job) w.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    } else {
      job.forEach((w, i) => w.resolve(unpackForecast(reply.forecasts[i] as NonNullable<(typeof reply.forecasts)[number]>)));
    }
    this.#dispatch();
  }

  /** A worker failed: every forecast not answered is made here, and so is every later one. */
  #fail(err: Error): void {
    if (this.#broken || this.#closed) return;
    this.#broken = true;
    if (this.#opts.log) logEvent(this.#opts.log, { event: 'analysis.workers_failed', err });
    const slots = this.#slots ?? [];
    this.#slots = [];
    const waiting = [...slots.flatMap((s) => [...s.jobs.values()].flat()), ...this.#queue.splice(0)];
    for (const s of slots) void s.worker.terminate();
    for (const w of waiting) {
      try {
        w.resolve(forecastSeries(w.input));
      } catch (e) {
        w.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }
}
