// SPDX-License-Identifier: Apache-2.0
// A sampling heap profile of one window of a bench phase, for finding what a phase keeps: V8 drops a sample when its
// object is collected, so a profile read before the next full collection shows what the window allocated that
// outlived the young generation (promoted, live or not yet marked dead). Set KRM_BENCH_HEAP_PROFILE=FILE (and
// optionally KRM_BENCH_HEAP_PROFILE_WINDOW=from,to in seconds from the phase's start; default 3,13); with
// KRM_BENCH_HEAP_PROFILE_ALL=1 the collected objects stay in the profile (everything the window allocated); with
// KRM_BENCH_HEAP_PROFILE_PROMOTED=1 those a full collection freed (what it promoted, dead or alive). The
// profile opens in Chrome DevTools' Memory tab. KRM_BENCH_HEAP_PROFILE_CYCLE=N profiles the sampling phase's cycle N
// instead, from a full collection before it to its end: what the cycle promoted (kept to its end or not), by
// allocation site.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A scavenge now (V8's gc extension, exposed for the call). */
function minorGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as (o: { type: 'minor' }) => void)({ type: 'minor' });
}

/** Starts the window's timers if the environment asks for a profile; the returned function cancels them. */
export function heapProfileWindow(env: NodeJS.ProcessEnv = process.env): () => void {
  const file = env.KRM_BENCH_HEAP_PROFILE;
  if (file === undefined || file === '') return () => undefined;
  const [from = 3, to = 13] = (env.KRM_BENCH_HEAP_PROFILE_WINDOW ?? '').split(',').filter(Boolean).map(Number);
  const all = env.KRM_BENCH_HEAP_PROFILE_ALL === '1';
  // KRM_BENCH_HEAP_PROFILE_PROMOTED=1: what the window promoted, dead or alive (a scavenge before the end drops what
  // died young), by allocation site.
  const promoted = env.KRM_BENCH_HEAP_PROFILE_PROMOTED === '1';
  const collected = { includeObjectsCollectedByMajorGC: all || promoted, includeObjectsCollectedByMinorGC: all };
  const session = new Session();
  session.connect();
  const start = setTimeout(() => {
    void session.post('HeapProfiler.enable').then(() => session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, ...collected }));
  }, from * 1000);
  const stop = setTimeout(() => {
    if (promoted) minorGc();
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

/** Runs cycle `cycle` of the sampling phase, profiled if KRM_BENCH_HEAP_PROFILE_CYCLE names it (see the file comment). */
export async function heapProfileCycle<T>(cycle: number, run: () => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const file = env.KRM_BENCH_HEAP_PROFILE;
  if (file === undefined || file === '' || Number(env.KRM_BENCH_HEAP_PROFILE_CYCLE) !== cycle) return run();
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.collectGarbage');
    // Objects a full collection freed stay in the profile (they were promoted all the same); those a scavenge freed do not.
    await session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false });
    const result = await run();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(file, JSON.stringify(profile));
    console.error(`  heap profile of cycle ${cycle}: ${file}`);
    return result;
  } finally {
    session.disconnect();
  }
}
