// SPDX-License-Identifier: Apache-2.0
// Giving the event loop a turn inside long work (a warm-up, a history seed, an analysis pass), so that the API, the
// watch streams and I/O callbacks already due run before the work goes on.

/** Resolves after the I/O callbacks already due (setImmediate: after the poll phase). */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
