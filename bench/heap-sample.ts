// SPDX-License-Identifier: Apache-2.0
// A sampling heap profile of one window of a bench phase, for finding what a phase keeps: V8 drops a sample when its
// object is collected, so a profile read before the next full collection shows what the window allocated that
// outlived the young generation (promoted, live or not yet marked dead). Set KRM_BENCH_HEAP_PROFILE=FILE (and
// optionally KRM_BENCH_HEAP_PROFILE_WINDOW=from,to in seconds from the phase's start; default 3,13); with
// KRM_BENCH_HEAP_PROFILE_ALL=1 the collected objects stay in the profile (everything the window allocated). The
// profile opens in Chrome DevTools' Memory tab.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';

/** Starts the window's timers if the environment asks for a profile; the returned function cancels them. */
export function heapProfileWindow(env: NodeJS.ProcessEnv = process.env): () => void {
  const file = env.KRM_BENCH_HEAP_PROFILE;
  if (file === undefined || file === '') return () => undefined;
  const [from = 3, to = 13] = (env.KRM_BENCH_HEAP_PROFILE_WINDOW ?? '').split(',').filter(Boolean).map(Number);
  const all = env.KRM_BENCH_HEAP_PROFILE_ALL === '1';
  const collected = { includeObjectsCollectedByMajorGC: all, includeObjectsCollectedByMinorGC: all };
  const session = new Session();
  session.connect();
  const start = setTimeout(() => {
    void session.post('HeapProfiler.enable').then(() => session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, ...collected }));
  }, from * 1000);
  const stop = setTimeout(() => {
    void session.post('HeapProfiler.stopSampling').then(({ profile }) => {
      writeFileSync(file, JSON.stringify(profile));
      console.error(`  heap profile of the API phase's ${from}-${to} s: ${file}`);
      session.disconnect();
    });
  }, to * 1000);
  return () => {
    clearTimeout(start);
    clearTimeout(stop);
  };
}
