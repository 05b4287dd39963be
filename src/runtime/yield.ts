// SPDX-License-Identifier: Apache-2.0
// Giving the event loop a turn inside long work (a warm-up, a history seed, an analysis pass), so that the API, the
// watch streams and I/O callbacks already due run before the work goes on.

/** Resolves after the I/O callbacks already due (setImmediate: after the poll phase). */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Iterations between two looks at the clock in {@link timeSlicer}. */
const CHECK_EVERY = 512;

/**
 * For a long loop in the thread that serves the API: call the returned function once per iteration and await what it
 * returns when that is not undefined (a promise once `budgetMs` of work went by since the last turn; awaiting the
 * undefined of every other iteration would cost a microtask each). Each stretch of
 * work then holds the event loop for about `budgetMs`, whatever the loop's length.
 */
export function timeSlicer(budgetMs = 10): () => Promise<void> | undefined {
  let since = performance.now();
  let n = 0;
  const resume = (): void => {
    since = performance.now();
  };
  return () => {
    if (++n % CHECK_EVERY !== 0 || performance.now() - since < budgetMs) return undefined;
    return yieldToEventLoop().then(resume);
  };
}
