// SPDX-License-Identifier: Apache-2.0
// A request's own deadline beside its caller's signal. `AbortSignal.any([signal, AbortSignal.timeout(ms)])` does the
// same in one line, but its timer lives for the whole timeout after the request is done and the combined signal stays
// registered with the caller's until both are collected: a kubelet cycle makes 5,000 of each (10 s timers) every
// minute, which outlive the young generation and cost the collector and the timer list. Here both are released as
// soon as the request settles.
import { whenAborted } from './when-aborted.ts';

/**
 * Runs `fn` with a signal that aborts when `signal` does (with its reason) or after `timeoutMs` (with a
 * `TimeoutError` DOMException, as `AbortSignal.timeout` gives); without `timeoutMs`, `fn` gets `signal` itself.
 */
export async function withDeadline<T>(signal: AbortSignal, timeoutMs: number | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (timeoutMs === undefined) return fn(signal);
  const own = new AbortController();
  const forget = whenAborted(signal, () => own.abort(signal.reason));
  const timer = setTimeout(() => own.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  try {
    return await fn(own.signal);
  } finally {
    clearTimeout(timer);
    forget();
  }
}
