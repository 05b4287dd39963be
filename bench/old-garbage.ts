// SPDX-License-Identifier: Apache-2.0
// A diagnostic of what a full garbage collection's marking costs the API: with KRM_BENCH_API_GARBAGE_AT_S=S, the
// monitor child allocates KRM_BENCH_API_GARBAGE_MB (default 300) of old-generation garbage S seconds into the API
// phase, in large arrays (V8 puts them straight into its large-object space, so no scavenge filters them out), 8 MB
// every 20 ms. That takes the old generation past V8's limit, and a full collection's marking then falls inside the
// measured window in every run, instead of by chance as a collection cycle's promotions bring it.

const CHUNK_ELEMENTS = 1 << 20; // 8 MB of pointers per array
const EVERY_MS = 20;

/** Starts the allocation if the environment asks for it; the returned function cancels what is left. */
export function oldGarbageDuringLoad(): () => void {
  const at = Number(process.env.KRM_BENCH_API_GARBAGE_AT_S ?? Number.NaN);
  if (!Number.isFinite(at)) return () => undefined;
  let left = Math.ceil(Number(process.env.KRM_BENCH_API_GARBAGE_MB ?? 300) / 8);
  let interval: NodeJS.Timeout | undefined;
  const held: { last?: unknown[] } = {};
  const start = setTimeout(() => {
    interval = setInterval(() => {
      // Kept until the next tick (so that it is not optimised away), then dropped: garbage for the full collection.
      held.last = new Array<unknown>(CHUNK_ELEMENTS).fill(left);
      if (--left <= 0) clearInterval(interval);
    }, EVERY_MS);
  }, at * 1000);
  return () => {
    clearTimeout(start);
    clearInterval(interval);
    held.last = undefined;
  };
}
