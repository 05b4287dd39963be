// SPDX-License-Identifier: Apache-2.0
// Callbacks for a signal's abort with one listener per signal, however many wait on it: Node warns of a leak past 10
// listeners on one AbortSignal, and a collection cycle runs tens of requests (and queued waiters) under one signal.

const waiting = new WeakMap<AbortSignal, Set<() => void>>();

function callbacksOf(signal: AbortSignal): Set<() => void> {
  let set = waiting.get(signal);
  if (set === undefined) {
    const all = new Set<() => void>();
    signal.addEventListener('abort', () => {
      for (const fn of [...all]) fn();
      all.clear();
    }, { once: true });
    waiting.set(signal, (set = all));
  }
  return set;
}

/**
 * Calls `fn` once when `signal` aborts (at once if it already has); returns the function that cancels the call.
 * Cancel it when the work is done, so that nothing stays registered on a long-lived signal.
 */
export function whenAborted(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return () => undefined;
  }
  const set = callbacksOf(signal);
  // A wrapper of its own, so that the same function registered twice is called and cancelled twice.
  const entry = (): void => fn();
  set.add(entry);
  return () => set.delete(entry);
}
