// SPDX-License-Identifier: Apache-2.0
// Builds a scenario (default scale-150k) into a fresh object store and prints the time and heap it took.
// Run: node --expose-gc --import tsx src/sim/model/scenario/build.bench.ts [scenario]
/* eslint-disable no-console -- a benchmark script reports on the terminal */
import { ObjectStore } from '../object-store.ts';
import { loadScenario } from './load.ts';
import { buildCluster } from './build.ts';

const gc = (globalThis as { gc?: () => void }).gc;

function heapMb(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const name = process.argv[2] ?? 'scale-150k';
const scenario = loadScenario(name);
const nowMs = Date.parse('2026-01-15T12:00:00Z');
const store = new ObjectStore({ seed: scenario.seed, now: () => nowMs });
const before = heapMb();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let built: ReturnType<typeof buildCluster> | undefined;
store.bulkLoad(() => {
  built = buildCluster({ scenario, store, nowMs });
});
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
// CPU time of this process (user + system, all threads): on a busy machine it is a steadier figure than wall time.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const after = heapMb();
console.log(JSON.stringify({ scenario: name, seconds: Number(seconds.toFixed(2)), cpuSeconds: Number(cpuSeconds.toFixed(2)), heapUsedMb: Math.round(after), heapForClusterMb: Math.round(after - before), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20), gcExposed: gc !== undefined, stats: built?.stats }, null, 2));
