// SPDX-License-Identifier: Apache-2.0
// A request's own deadline beside its caller's signal. `AbortSignal.any([signal, AbortSignal.timeout(ms)])` does the
// same in one line, but its timer lives for the whole timeout after the request is done and the combined signal stays
// registered with the caller's until both are collected: a kubelet cycle makes 5,000 of each (10 s timers) every
// minute, which outlive the young generation and cost the collector and the timer list. Here both are released as
// soon as the request settles.

/**
 * The deadlines running under each caller's signal. One listener per caller signal aborts them all: a listener per
 * request would pass Node's limit of 10 on a cycle's signal (a cycle runs tens of requests at once) and warn.
 */
const running = new WeakMap<AbortSignal, Set<AbortController>>();

/** The deadlines under `signal`, with the one listener that aborts them when it aborts. */
function deadlinesOf(signal: AbortSignal): Set<AbortController> {
  let set = running.get(signal);
  if (set === undefined) {
    const all = new Set<AbortController>();
    signal.addEventListener('abort', () => {
      for (const c of all) c.abort(signal.reason);
      all.clear();
    }, { once: true });
    running.set(signal, (set = all));
  }
  return set;
}

/** Makes `own` abort with `signal`; returns the function that forgets it. */
function follow(signal: AbortSignal, own: AbortController): () => void {
  if (signal.aborted) {
    own.abort(signal.reason);
    return () => undefined;
  }
  const set = deadlinesOf(signal);
  set.add(own);
  return () => set.delete(own);
}

/**
 * Runs `fn` with a signal that aborts when `signal` does (with its reason) or after `timeoutMs` (with a
 * `TimeoutError` DOMException, as `AbortSignal.timeout` gives); without `timeoutMs`, `fn` gets `signal` itself.
 */
export async function withDeadline<T>(signal: AbortSignal, timeoutMs: number | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (timeoutMs === undefined) return fn(signal);
  const own = new AbortController();
  const forget = follow(signal, own);
  const timer = setTimeout(() => own.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  try {
    return await fn(own.signal);
  } finally {
    clearTimeout(timer);
    forget();
  }
}
