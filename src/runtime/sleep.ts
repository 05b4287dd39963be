// SPDX-License-Identifier: Apache-2.0
// Abortable waiting. Loops take a `Sleep` so that tests can pass ManualClock's and assert the requested delays.

/**
 * Waits `ms` milliseconds, or less when `signal` aborts. Resolves `true` when the full delay elapsed and `false`
 * when the signal aborted (at once if it already had). Never rejects, so a loop needs no try/catch around it.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<boolean>;

// setTimeout fires after 1 ms for delays above 2^31 - 1 ms (24.8 days); longer waits are chained.
const MAX_TIMER_MS = 2 ** 31 - 1;

function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, Math.min(ms, MAX_TIMER_MS)));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The real {@link Sleep}, on node's timers. */
export const sleep: Sleep = async (ms, signal) => {
  let left = ms;
  do {
    const chunk = Math.min(left, MAX_TIMER_MS);
    if (!(await wait(chunk, signal))) return false;
    left -= chunk;
  } while (left > 0);
  return true;
};
