// SPDX-License-Identifier: Apache-2.0
// A diagnostic of what a full garbage collection's marking costs the API: with KRM_BENCH_API_GARBAGE_AT_S=S, the
// monitor child allocates KRM_BENCH_API_GARBAGE_MB (default 300) of garbage S seconds into the API phase, 8 MB every
// 20 ms in large arrays of doubles (which the marking does not scan, so that it marks what the monitor holds and
// not the garbage), each kept for 2 s: long enough to outlive two scavenges and be promoted to the old
// generation (large arrays allocated young are freed by a scavenge if they die young). That takes the old generation
// past V8's limit, and a full collection's marking then falls inside the measured window in every run, instead of
// by chance as a collection cycle's promotions bring it.

// 8 MB of doubles per array once filled (V8 makes it a holey array of pointers first, 16 MB for a moment).
const CHUNK_ELEMENTS = 1 << 20;
const EVERY_MS = 20;
const KEEP_MS = 2000;

/** Starts the allocation if the environment asks for it; the returned function cancels what is left. */
export function oldGarbageDuringLoad(): () => void {
  const setting = process.env.KRM_BENCH_API_GARBAGE_AT_S ?? '';
  const at = setting.trim() === '' ? Number.NaN : Number(setting);
  if (!Number.isFinite(at)) return () => undefined;
  let left = Math.ceil(Number(process.env.KRM_BENCH_API_GARBAGE_MB ?? 300) / 8);
  let interval: NodeJS.Timeout | undefined;
  const held: { at: number; chunk: number[] }[] = [];
  const start = setTimeout(() => {
    interval = setInterval(() => {
      const now = performance.now();
      if (left-- > 0) held.push({ at: now, chunk: new Array<number>(CHUNK_ELEMENTS).fill(left + 0.5) });
      while (held.length > 0 && now - (held[0]?.at ?? now) > KEEP_MS) held.shift();
      if (held.length === 0) clearInterval(interval);
    }, EVERY_MS);
  }, at * 1000);
  return () => {
    clearTimeout(start);
    clearInterval(interval);
    held.length = 0;
  };
}
