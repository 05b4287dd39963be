// SPDX-License-Identifier: Apache-2.0
// One WATCH connection: open it from a resourceVersion, apply its events in order, and end when the server ends
// the stream (its `timeoutSeconds` passed), when an ERROR event arrives, or when the watchdog finds it silent.
import { KubeApiError, errorFromResponse, errorFromStatus } from './kube-errors.ts';
import type { KubeHttp } from './kube-http.ts';
import { ndjsonLines } from './ndjson.ts';
import { obj, str } from './raw-access.ts';

/** Object changes a watch delivers. */
export type WatchChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchOnceOptions {
  readonly http: KubeHttp;
  readonly path: string;
  /** Shutdown signal of the owning loop. */
  readonly signal: AbortSignal;
  /** Resume point: events after this version are delivered. Opaque; never compared. */
  readonly resourceVersion: string;
  /** Server-side duration of this watch in seconds. */
  readonly timeoutSeconds: number;
  /** Longest allowed silence (no event, no bookmark) in milliseconds before the watchdog aborts the stream. */
  readonly watchdogMs: number;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** One object change, in stream order. */
  readonly onChange: (type: WatchChangeType, object: unknown) => void;
  /** After each change or bookmark: the version the stream has reached (undefined if the object had none). */
  readonly onProgress: (resourceVersion: string | undefined) => void;
}

function resourceVersionOf(object: unknown): string | undefined {
  return str(obj(obj(object).metadata).resourceVersion);
}

function applyLine(o: WatchOnceOptions, line: string): void {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch (err) {
    // A half-written line means the stream broke mid-event; the caller reconnects from the last applied version.
    throw new KubeApiError('KRM_KUBE_BAD_RESPONSE', 'watch event is not JSON', { cause: err });
  }
  const type = str(obj(event).type);
  const object = obj(event).object;
  switch (type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      o.onChange(type, object);
      o.onProgress(resourceVersionOf(object));
      return;
    case 'BOOKMARK':
      // A bookmark carries only metadata.resourceVersion: progress without a change, so a later reconnect
      // resumes from a recent version instead of one that may have been compacted away.
      o.onProgress(resourceVersionOf(object));
      return;
    case 'ERROR':
      // The object is a Status. Its version must not become the resume point; 410 here means "too old".
      throw errorFromStatus(object, { httpStatus: 500, fromWatchEvent: true });
    default:
      throw new KubeApiError('KRM_KUBE_BAD_RESPONSE', 'unknown watch event type', { reason: type });
  }
}

/** A timer that aborts `controller` once `now() - lastActivity` reaches `watchdogMs`, checked lazily. */
function startWatchdog(o: WatchOnceOptions, controller: AbortController): { touch(): void; stop(): void } {
  let lastActivityMs = o.now();
  let timer: NodeJS.Timeout;
  const check = (): void => {
    const silentMs = o.now() - lastActivityMs;
    if (silentMs >= o.watchdogMs) {
      controller.abort(new KubeApiError('KRM_KUBE_WATCHDOG', 'no watch event or bookmark in time'));
    } else {
      timer = setTimeout(check, o.watchdogMs - silentMs);
    }
  };
  // Re-arming a timer per event would cost a timer operation for each of 10,000 events per second; the check
  // instead reschedules itself for the remaining time.
  timer = setTimeout(check, o.watchdogMs);
  return {
    touch: () => {
      lastActivityMs = o.now();
    },
    stop: () => clearTimeout(timer),
  };
}

/**
 * Runs one watch to its end. Resolves with the number of lines received when the server closes the stream
 * cleanly. Rejects with a KubeApiError for a non-200 answer (410 included), an ERROR event, a malformed line or
 * a watchdog abort; with the transport's error when the connection fails; with the abort reason on shutdown.
 */
export async function watchOnce(o: WatchOnceOptions): Promise<number> {
  const watchdog = new AbortController();
  const signal = AbortSignal.any([o.signal, watchdog.signal]);
  const dog = startWatchdog(o, watchdog);
  let lines = 0;
  try {
    const res = await o.http({
      path: o.path,
      query: { watch: 'true', resourceVersion: o.resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(o.timeoutSeconds) },
      signal,
    });
    if (res.status !== 200) throw errorFromResponse(res.status, await res.text());
    for await (const line of ndjsonLines(res.body)) {
      dog.touch();
      lines++;
      applyLine(o, line);
    }
    return lines;
  } catch (err) {
    if (watchdog.signal.aborted && !o.signal.aborted) throw watchdog.signal.reason;
    throw err;
  } finally {
    dog.stop();
  }
}
