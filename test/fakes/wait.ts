// SPDX-License-Identifier: Apache-2.0
// Polling helpers for tests that observe asynchronous loops.

/** Resolves once `cond()` is true; rejects after `timeoutMs` naming `what`. */
export async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** An injected sleep that records each requested delay and yields briefly instead of waiting it out. */
export function recordingSleep(): { delays: number[]; sleep: (ms: number, signal?: AbortSignal) => Promise<boolean> } {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms, signal) => {
      delays.push(ms);
      return new Promise((r) => setTimeout(() => r(!signal?.aborted), 5));
    },
  };
}
