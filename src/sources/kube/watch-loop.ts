// SPDX-License-Identifier: Apache-2.0
// The list/watch loop of one resource kind (our informer), run by `runtime/run-loop.ts`: one iteration lists if no
// resourceVersion is held, then watches from it until the stream ends. The rules (HOUSE-STYLE §6, REQUIREMENTS §1.3):
// - a watch the server ends cleanly (its timeoutSeconds passed) reconnects at once from the last version;
// - a transport failure or a malformed stream reconnects from the last version after an exponential backoff with
//   full jitter (1 s → 30 s); every event or bookmark resets the backoff;
// - 410 Gone (HTTP, or an ERROR event whose Status code is 410) drops the version and relists at once, through a
//   semaphore shared by all kinds so relists run one at a time; a second 410 before any event backs off first;
// - the watchdog aborts a stream silent (no event, no bookmark) for longer than N × the bookmark interval and
//   reconnects from the version (the server replays what was missed); if the next stream is silent too, the
//   version itself is suspect and the kind relists after a backoff;
// - nothing relists on a timer: a full LIST of 150,000 pods is expensive for the API server.
import { logEvent, type EventLogger } from '../../logging/events.ts';
import { createBackoff, type Backoff } from '../../runtime/backoff.ts';
import { systemClock, type Clock } from '../../runtime/clock.ts';
import { runLoop, type IterationContext, type RunningLoop } from '../../runtime/run-loop.ts';
import { sleep as defaultSleep, type Sleep } from '../../runtime/sleep.ts';
import { KubeApiError, toKubeError } from './kube-errors.ts';
import type { KubeHttp, KubeHttpRequest, KubeHttpResponse } from './kube-http.ts';
import { listAll } from './list-pages.ts';
import type { Semaphore } from './semaphore.ts';
import { logKubeEvent, silentLogger } from './watch-log.ts';
import { watchOnce, type WatchChangeType } from './watch-stream.ts';
import { DEFAULT_WATCH_TUNING, initialState, type WatchLoopHooks, type WatchLoopState, type WatchTuning } from './watch-state.ts';

export { DEFAULT_WATCH_TUNING, type WatchLoopHooks, type WatchLoopState, type WatchPhase, type WatchTuning } from './watch-state.ts';

/** Where a loop puts the projected objects: one store per kind. */
export interface WatchSink<T> {
  /** Replaces the whole content with a complete list (objects absent from it were deleted meanwhile). */
  replace(items: readonly T[]): void;
  /** An ADDED or MODIFIED object. */
  upsert(item: T): void;
  /** A DELETED object (its last state). */
  remove(item: T): void;
  /** Objects held. */
  readonly size: number;
}

export interface WatchLoopOptions<T> {
  /** Plural resource name, for logs and state (`pods`). */
  readonly kind: string;
  /** Collection path (`/api/v1/pods`). */
  readonly path: string;
  readonly http: KubeHttp;
  /** Compacts a raw API object; undefined rejects it (counted, logged). */
  readonly project: (raw: unknown) => T | undefined;
  readonly sink: WatchSink<T>;
  /** Shared by all loops of a cluster: one relist at a time. */
  readonly relistGate: Semaphore;
  readonly log?: EventLogger;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  /** Uniform in [0, 1): backoff jitter and the watch timeout. */
  readonly random?: () => number;
  readonly tuning?: Partial<WatchTuning>;
  /** Callbacks for self-metrics (events applied, restarts). */
  readonly hooks?: WatchLoopHooks;
}

/** A startable loop. Creating it does no I/O; {@link WatchLoop.run} does. */
export interface WatchLoop {
  readonly kind: string;
  /** Lists, then watches until `signal` aborts. Never rejects because of the API server; resolves on abort. */
  run(signal: AbortSignal): Promise<void>;
  /** A snapshot of the observable state. */
  state(): WatchLoopState;
  /** True once the first complete list has been applied to the sink (stays true across relists). */
  hasSynced(): boolean;
}

/** Creates the loop of one kind; see the module comment for its rules. */
export function createWatchLoop<T>(opts: WatchLoopOptions<T>): WatchLoop {
  return new KindWatchLoop(opts);
}

class KindWatchLoop<T> implements WatchLoop {
  readonly kind: string;
  private readonly tuning: WatchTuning;
  private readonly log: EventLogger;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: Backoff;
  private readonly s: ReturnType<typeof initialState>;
  private running: RunningLoop | undefined;
  /** 410 answers since the last event: a second one in a row backs off before relisting. */
  private goneStreak = 0;
  /** Watchdog aborts since the last event: a second one in a row relists. */
  private silentStreak = 0;
  private ctx: IterationContext | undefined;

  constructor(private readonly opts: WatchLoopOptions<T>) {
    this.kind = opts.kind;
    this.tuning = { ...DEFAULT_WATCH_TUNING, ...opts.tuning };
    this.log = opts.log ?? silentLogger;
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.backoff = createBackoff({ baseMs: this.tuning.backoffInitialMs, maxMs: this.tuning.backoffMaxMs, random: this.random });
    this.s = initialState(opts.kind);
  }

  state(): WatchLoopState {
    const loop = this.running?.state();
    const phase = loop?.status === 'backoff' && this.s.phase !== 'stopped' ? 'backoff' : this.s.phase;
    return { ...this.s, phase, restarts: loop?.restarts ?? 0 };
  }

  hasSynced(): boolean {
    return this.s.synced;
  }

  async run(signal: AbortSignal): Promise<void> {
    const sleep = this.opts.sleep ?? defaultSleep;
    this.running = runLoop(`kube.watch.${this.kind}`, (ctx) => this.iterate(ctx), { signal, backoff: this.backoff, sleep, log: this.log, clock: this.clock });
    await this.running.done;
    this.s.phase = 'stopped';
  }

  /** One list-if-needed plus one watch. Returns to reconnect at once; throws to reconnect after the backoff. */
  private async iterate(ctx: IterationContext): Promise<void> {
    this.ctx = ctx;
    try {
      if (this.s.resourceVersion === undefined) await this.list(ctx.signal);
      await this.watch(ctx.signal, this.s.resourceVersion as string);
    } catch (thrown) {
      if (ctx.signal.aborted) throw thrown;
      const err = toKubeError(thrown);
      this.s.lastError = { code: err.code, message: err.message, status: err.status, atMs: this.clock.now() };
      if (err.code === 'KRM_KUBE_GONE') return this.onGone(err);
      if (err.code === 'KRM_KUBE_WATCHDOG') this.onWatchdog();
      this.onFailure();
      throw err;
    }
  }

  /** An attempt failed and will be retried after the backoff. */
  private onFailure(): void {
    this.s.consecutiveFailures++;
    this.s.failingSinceMs ??= this.clock.now();
    this.opts.hooks?.onRestart?.(this.kind);
  }

  /** The API server answered this kind: the streak of failures is over (a stall is not; see `stalled`). */
  private onContact(): void {
    this.s.lastContactAtMs = this.clock.now();
    this.s.consecutiveFailures = 0;
    this.s.failingSinceMs = undefined;
  }

  /**
   * The loop's transport: a 200 is contact with the API server, but does not end a streak of failures by itself (a
   * proxy can answer 200 and drop every stream at once); a completed list, an event or a bookmark does.
   */
  private readonly http = async (req: KubeHttpRequest): Promise<KubeHttpResponse> => {
    const res = await this.opts.http(req);
    if (res.status === 200) this.s.lastContactAtMs = this.clock.now();
    return res;
  };

  private onGone(err: KubeApiError): void {
    logEvent(this.log, { event: 'watch.relist', kind: this.kind, reason: 'expired' });
    this.s.resourceVersion = undefined;
    this.goneStreak++;
    // A relist answered with 410 again before any event would otherwise relist in a tight loop.
    if (this.goneStreak > 1) {
      this.onFailure();
      throw err;
    }
    this.opts.hooks?.onRestart?.(this.kind);
  }

  private onWatchdog(): void {
    this.s.stalled = true;
    this.s.watchdogFirings++;
    this.silentStreak++;
    logKubeEvent(this.log, { event: 'kube.watch.watchdog', kind: this.kind, silentMs: this.tuning.watchdogMs, consecutive: this.silentStreak });
    if (this.silentStreak < 2) return;
    logEvent(this.log, { event: 'watch.relist', kind: this.kind, reason: 'watchdog' });
    this.s.resourceVersion = undefined;
    this.silentStreak = 0;
  }

  private project(raw: unknown, type: string): T | undefined {
    const item = this.opts.project(raw);
    if (item === undefined) {
      this.s.invalidObjects++;
      logKubeEvent(this.log, { event: 'kube.watch.invalid-object', kind: this.kind, type });
    }
    return item;
  }

  private async list(signal: AbortSignal): Promise<void> {
    const isRelist = this.s.synced;
    this.s.phase = 'listing';
    // The first list of each kind runs in parallel with the others (the caches are empty); later ones hold
    // both the old store and the new list in memory, hence the gate.
    const release = isRelist ? await this.opts.relistGate.acquire(signal) : () => undefined;
    try {
      const startMs = this.clock.now();
      const result = await listAll({
        http: this.http,
        path: this.opts.path,
        limit: this.tuning.pageLimit,
        signal,
        project: (raw) => this.project(raw, 'LIST'),
        pageTimeoutMs: this.tuning.pageTimeoutMs,
        maxRestarts: this.tuning.listMaxRestarts,
        onRestart: (attempt) => logKubeEvent(this.log, { event: 'kube.list.restarted', kind: this.kind, reason: 'continue-expired', attempt }),
      });
      this.opts.sink.replace(result.items);
      this.afterList({ isRelist, resourceVersion: result.resourceVersion, pages: result.pages, durationMs: this.clock.now() - startMs });
    } finally {
      release();
    }
  }

  private afterList(l: { isRelist: boolean; resourceVersion: string; pages: number; durationMs: number }): void {
    const s = this.s;
    s.resourceVersion = l.resourceVersion;
    s.objects = this.opts.sink.size;
    s.lastSyncAtMs = this.clock.now();
    if (l.isRelist) s.relists++;
    this.onContact();
    logKubeEvent(this.log, { event: 'kube.list.completed', kind: this.kind, objects: s.objects, pages: l.pages, durationMs: l.durationMs, relist: l.isRelist });
    if (!l.isRelist) logEvent(this.log, { event: 'watch.synced', kind: this.kind, objects: s.objects, durationMs: l.durationMs });
    s.synced = true;
  }

  private readonly onChange = (type: WatchChangeType, raw: unknown): void => {
    const item = this.project(raw, type);
    if (item === undefined) return;
    if (type === 'DELETED') this.opts.sink.remove(item);
    else this.opts.sink.upsert(item);
    this.s.eventsApplied++;
    this.opts.hooks?.onEvent?.(this.kind);
  };

  private readonly onProgress = (resourceVersion: string | undefined): void => {
    if (resourceVersion !== undefined) this.s.resourceVersion = resourceVersion;
    this.s.objects = this.opts.sink.size;
    this.s.lastEventAtMs = this.clock.now();
    this.s.stalled = false;
    this.onContact();
    this.goneStreak = 0;
    this.silentStreak = 0;
    // An event proves the connection and the version work: forget past failures, as client-node resets its
    // backoff on the first event. markHealthy also resets the backoff this loop shares with runLoop.
    this.ctx?.markHealthy();
  };

  private async watch(signal: AbortSignal, resourceVersion: string): Promise<void> {
    const t = this.tuning;
    this.s.phase = 'watching';
    this.s.watchesOpened++;
    const startMs = this.clock.now();
    const timeoutSeconds = t.watchTimeoutMinSec + Math.floor(this.random() * (t.watchTimeoutMaxSec - t.watchTimeoutMinSec + 1));
    const lines = await watchOnce({
      http: this.http,
      path: this.opts.path,
      signal,
      resourceVersion,
      timeoutSeconds,
      watchdogMs: t.watchdogMs,
      now: () => this.clock.now(),
      onChange: this.onChange,
      onProgress: this.onProgress,
    });
    const durationMs = this.clock.now() - startMs;
    logKubeEvent(this.log, { event: 'kube.watch.ended', kind: this.kind, lines, durationMs });
    // client-go's reflector treats a watch that ends at once with nothing in it as an error ("very short watch"):
    // reconnecting without a pause would spin against a proxy that closes every stream.
    if (lines === 0 && durationMs < t.minWatchMs) throw new KubeApiError('KRM_KUBE_TRANSPORT', 'watch closed immediately without events');
    // The server ended the stream on its own timeout: the stream delivered, whatever the watchdog saw before.
    this.s.stalled = false;
  }
}
