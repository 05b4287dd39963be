// SPDX-License-Identifier: Apache-2.0
// What `/api/v1/pods` under load adds to the old generation by itself: the real app over 150,000 synthetic pods
// (no simulator, no collection), loaded at 200 requests/s by a child process (bench/monitor-load.ts), while this
// process adds up how much the old generation grew from one scavenge to the next. A full collection's start is
// paced by that growth, and a full collection inside a 20 s window is what still makes the API miss its p99 there
// (BENCHMARKS.md). A minute's run, for comparing one change of the route's code against another.
// Usage: npm run bench:api-heap [-- --seconds 40]
import { spawn } from 'node:child_process';
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { parseArgs } from 'node:util';
import { FakeHealthProvider } from '../src/api/testing.ts';
import { buildApp } from '../src/api/build-app.ts';
import type { LatestUsage } from '../src/api/routes/pods.ts';
import type { Pod } from '../src/domain/resources.ts';
import { testContainer, testPod } from '../src/domain/testing.ts';
import { createLogger } from '../src/logging/logger.ts';
import { createSelfMetrics } from '../src/metrics/registry.ts';
import { KindStore } from '../src/sources/kube/kind-store.ts';
import { podStoreView } from '../test/support/pod-store-view.ts';
import { warmedPodsLoad } from './monitor-load.ts';

const PODS = 150_000;
const NAMESPACES = 10_000;
const RATE = 200;
const namespaceNames = Array.from({ length: NAMESPACES }, (_, i) => `ns-${i}`);

function syntheticPod(i: number): Pod {
  const container = testContainer({ image: 'registry/app:1.2.3', requests: { cpuMillicores: 100 + (i % 7), memoryBytes: 1e8 }, limits: { cpuMillicores: 500, memoryBytes: 2e8 }, livenessProbe: true, readinessProbe: true });
  return testPod(`pod-${i}-abcdef`, { namespace: `ns-${i % NAMESPACES}`, uid: `uid-${i}`, labels: { app: `app-${i % 50}` }, nodeName: `node-${i % 5000}`, containers: [container], createdAtMs: 1.7e12 + i });
}

/** Old-generation growth between consecutive scavenges, added up; a full collection starts the count again. */
function watchOldGeneration(): () => { mbPerSec: number; scavenges: number; full: number } {
  const oldUsed = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;
  let last = oldUsed();
  let grown = 0;
  let scavenges = 0;
  let full = 0;
  const t0 = performance.now();
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const now = oldUsed();
      const minor = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
      if (minor) {
        scavenges++;
        if (now > last) grown += now - last;
      } else full++;
      last = now;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return () => {
    obs.disconnect();
    return { mbPerSec: grown / 2 ** 20 / ((performance.now() - t0) / 1000), scavenges, full };
  };
}

async function runLoad(base: string, seconds: number): Promise<void> {
  const { load } = await warmedPodsLoad({ base, rate: RATE, durationMs: seconds * 1000, namespaces: namespaceNames }, () => process.send?.('measuring'));
  process.send?.({ p99Ms: load.p99Ms, failed: load.requests - load.ok });
}

async function serve(seconds: number): Promise<void> {
  const store = new KindStore<Pod>();
  store.replace(Array.from({ length: PODS }, (_, i) => syntheticPod(i)));
  const cpuOf = (name: string): number => (Number(name.split('-')[1]) * 7919) % 1000;
  const usage: LatestUsage = {
    pod: (_ns, name) => ({ cpuMillicores: cpuOf(name), memoryBytes: 1e8 }),
    podValue: (_ns, name, which) => (which === 'cpu' ? cpuOf(name) : 1e8),
    node: () => undefined,
    collectedAtMs: () => 1.7e12,
  };
  const clusterView = podStoreView(store, { workloadOf: (p) => ({ namespace: p.namespace, kind: 'Pod', name: p.name, resolved: true }), isReady: () => true });
  const log = createLogger({ level: 'warn', destination: { write: () => undefined } });
  const app = buildApp({ clusterView, latestUsage: usage, health: new FakeHealthProvider(), metrics: createSelfMetrics(), log, config: {} });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const child = spawn(process.execPath, ['--import', 'tsx', process.argv[1] as string, '--seconds', String(seconds)], { env: { ...process.env, KRM_API_HEAP_LOAD: base }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let stop: (() => { mbPerSec: number; scavenges: number; full: number }) | undefined;
  const result = await new Promise<{ p99Ms: number; failed: number }>((resolve) => {
    child.on('message', (m: 'measuring' | { p99Ms: number; failed: number }) => (m === 'measuring' ? (stop = watchOldGeneration()) : resolve(m)));
  });
  const heap = stop?.();
  await app.close();
  console.log(`/api/v1/pods at ${RATE} req/s for ${seconds} s over ${PODS.toLocaleString('en-US')} pods: p99 ${result.p99Ms.toFixed(1)} ms, ${result.failed} failed; old generation grew ${heap?.mbPerSec.toFixed(2)} MB/s between scavenges (${heap?.scavenges} scavenges, ${heap?.full} full collections)`);
}

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '40' } } });
const load = process.env.KRM_API_HEAP_LOAD;
if (load !== undefined) await runLoad(load, Number(values.seconds));
else await serve(Number(values.seconds));
