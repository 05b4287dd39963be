// SPDX-License-Identifier: Apache-2.0
// Mechanics of the usage engine: determinism, counters, lifecycle of entities, time stepping, node and volume
// totals. Behaviour of each profile kind is in engine-profiles.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UsageEngine } from './engine.ts';
import type { ContainerSpec, OomKillEvent } from './engine.ts';
import type { UsageProfile } from './profiles.ts';
import { aContainer, anEngine, GIB, MIB, sample, START_MS } from './test-builders.ts';
import { MINUTE_MS, HOUR_MS, DAY_MS } from '../../domain/time.ts';

const KINDS: UsageProfile[] = [
  { kind: 'steady' },
  { kind: 'idle' },
  { kind: 'spiky' },
  { kind: 'leak', leak: { bytesPerHour: 400 * MIB } },
  { kind: 'cpu-bound' },
  { kind: 'bursty', bursts: { periodSec: 600 } },
  { kind: 'sawtooth' },
];

/** Two containers per pod, each kind, in two namespaces; two nodes. */
function mixedSpecs(): ContainerSpec[] {
  const specs: ContainerSpec[] = [];
  KINDS.forEach((profile, k) => {
    for (const namespace of ['shop', 'batch']) {
      for (const container of ['app', 'sidecar']) {
        const node = k % 2 ? 'node-a' : 'node-b';
        const startedAtMs = START_MS - k * HOUR_MS;
        specs.push(aContainer({ namespace, pod: `p-${k}`, container, profile, node, startedAtMs }));
      }
    }
  });
  return specs;
}

function snapshot(engine: UsageEngine, specs: ContainerSpec[]): unknown {
  return {
    containers: specs.map((s) => engine.container(s.namespace, s.pod, s.container)),
    pods: specs.map((s) => engine.podNetwork(s.namespace, s.pod)),
    nodes: [engine.node('node-a'), engine.node('node-b')],
  };
}

function runMixed(order: (specs: ContainerSpec[]) => ContainerSpec[]): { snap: unknown; ooms: OomKillEvent[] } {
  const ooms: OomKillEvent[] = [];
  const engine = anEngine({ seed: 77, onOomKill: (e) => ooms.push(e) });
  engine.addNode({ name: 'node-b', cpuCores: 8, memoryBytes: 32 * GIB, fsCapacityBytes: 50 * GIB, bootTimeMs: 0 });
  const specs = mixedSpecs();
  for (const s of order(specs)) engine.addContainer(s);
  engine.advance(START_MS + 3 * HOUR_MS);
  engine.advance(START_MS + 3 * HOUR_MS + 7_000);
  return { snap: snapshot(engine, specs), ooms };
}

void describe('UsageEngine determinism', () => {
  void it('gives identical numbers whatever the order containers were added in', () => {
    const forward = runMixed((s) => s);
    const reversed = runMixed((s) => [...s].reverse());
    const interleaved = runMixed((s) => [...s.filter((_, i) => i % 2), ...s.filter((_, i) => i % 2 === 0)]);
    assert.deepEqual(reversed.snap, forward.snap);
    assert.deepEqual(interleaved.snap, forward.snap);
    assert.ok(forward.ooms.length > 0, 'the leaks were OOM-killed');
    assert.deepEqual(reversed.ooms, forward.ooms);
  });

  void it('gives different numbers for a different seed', () => {
    const a = anEngine({ seed: 1 });
    const b = anEngine({ seed: 2 });
    a.addContainer(aContainer());
    b.addContainer(aContainer());
    a.advance(START_MS + HOUR_MS);
    b.advance(START_MS + HOUR_MS);
    const cpuA = a.container('default', 'web-0', 'app')?.cpuSecondsTotal;
    assert.notEqual(cpuA, b.container('default', 'web-0', 'app')?.cpuSecondsTotal);
  });

  void it('gives the same instantaneous usage at a time whatever the sampling that led there', () => {
    const a = anEngine();
    const b = anEngine();
    a.addContainer(aContainer({ profile: { kind: 'spiky' } }));
    b.addContainer(aContainer({ profile: { kind: 'spiky' } }));
    a.advance(START_MS + HOUR_MS);
    for (let t = START_MS + 7_000; t < START_MS + HOUR_MS; t += 61_000) b.advance(t);
    b.advance(START_MS + HOUR_MS);
    const ua = a.container('default', 'web-0', 'app');
    const ub = b.container('default', 'web-0', 'app');
    assert.equal(ub?.cpuCores, ua?.cpuCores);
    assert.equal(ub?.memoryWorkingSetBytes, ua?.memoryWorkingSetBytes);
    const ratio = (ub?.cpuSecondsTotal ?? 0) / (ua?.cpuSecondsTotal ?? 1);
    assert.ok(Math.abs(ratio - 1) < 0.05, `integrals agree: ${ratio}`);
  });
});

void describe('UsageEngine counters', () => {
  void it('never go backwards without a restart', () => {
    const engine = anEngine();
    const specs = mixedSpecs().map((s) => ({ ...s, node: 'node-a', limits: { cpuCores: s.limits.cpuCores } }));
    for (const s of specs) engine.addContainer(s);
    const counters = (): number[] => [
      ...specs.flatMap((s) => {
        const u = engine.container(s.namespace, s.pod, s.container);
        const n = engine.podNetwork(s.namespace, s.pod);
        assert.ok(u && n);
        return [u.cpuSecondsTotal, u.cfsPeriodsTotal, u.cfsThrottledPeriodsTotal, u.cfsThrottledSecondsTotal,
          u.fsReadsBytesTotal, u.fsWritesBytesTotal, n.rxBytesTotal, n.txBytesTotal, n.rxErrorsTotal, n.txErrorsTotal];
      }),
      engine.node('node-a')?.cpuSecondsTotal,
    ].map((v) => v ?? Number.NaN);
    let previous = counters();
    for (const now of sample(engine, { toMs: START_MS + 6 * HOUR_MS, stepMs: 15_000 }, counters)) {
      now.forEach((v, k) => assert.ok(v >= (previous[k] ?? Infinity), `counter ${k}: ${v} < ${previous[k]}`));
      previous = now;
    }
  });

  void it('reports integer page-aligned memory with rss < working set < usage', () => {
    const engine = anEngine();
    engine.addContainer(aContainer());
    engine.advance(START_MS + HOUR_MS);
    const u = engine.container('default', 'web-0', 'app');
    assert.ok(u);
    assert.equal(u.memoryWorkingSetBytes % 4096, 0);
    const rssRatio = u.memoryRssBytes / u.memoryWorkingSetBytes;
    assert.ok(rssRatio >= 0.59 && rssRatio <= 0.9, `${rssRatio}`);
    assert.ok(u.memoryUsageBytes > u.memoryWorkingSetBytes);
    assert.ok(u.fsUsageBytes > 0 && u.fsReadsBytesTotal >= 0);
  });

  void it('backfills counters of a container that started before the engine', () => {
    const engine = anEngine();
    engine.addContainer(aContainer({ startedAtMs: START_MS - 10 * DAY_MS }));
    const u = engine.container('default', 'web-0', 'app');
    assert.ok(u && u.cpuSecondsTotal > 0.1 * 10 * 86_400, `${u?.cpuSecondsTotal}`);
    assert.ok(u.cfsPeriodsTotal >= 10 * 86_400 * 10 - 1);
    assert.equal(u.startedAtMs, START_MS - 10 * DAY_MS);
  });
});

void describe('UsageEngine lifecycle', () => {
  void it('removes a pod with its containers and network, and starts fresh when re-added', () => {
    const engine = anEngine();
    engine.addContainer(aContainer());
    engine.addContainer(aContainer({ container: 'proxy' }));
    engine.advance(START_MS + HOUR_MS);
    assert.equal(engine.containerCount, 2);
    assert.equal(engine.removePod('default', 'web-0'), true);
    assert.equal(engine.removePod('default', 'web-0'), false);
    assert.equal(engine.container('default', 'web-0', 'app'), undefined);
    assert.equal(engine.podNetwork('default', 'web-0'), undefined);
    assert.equal(engine.containerCount, 0);
    engine.addContainer(aContainer({ startedAtMs: engine.nowMs() }));
    const fresh = engine.container('default', 'web-0', 'app');
    assert.equal(fresh?.cpuSecondsTotal, 0);
    assert.equal(engine.podNetwork('default', 'web-0')?.rxBytesTotal, 0);
    assert.equal(engine.container('default', 'web-0', 'proxy'), undefined);
    engine.advance(START_MS + 2 * HOUR_MS);
    assert.ok((engine.container('default', 'web-0', 'app')?.cpuSecondsTotal ?? 0) > 0);
  });

  void it('reuses freed slots under churn', () => {
    const engine = anEngine();
    for (let round = 0; round < 5; round++) {
      const startedAtMs = engine.nowMs();
      for (let i = 0; i < 100; i++) engine.addContainer(aContainer({ pod: `job-${round}-${i}`, startedAtMs }));
      engine.advance(engine.nowMs() + MINUTE_MS);
      for (let i = 0; i < 100; i++) engine.removePod('default', `job-${round}-${i}`);
    }
    assert.equal(engine.containerCount, 0);
  });

  void it('replaces a container added twice and restarts one on request', () => {
    const engine = anEngine();
    engine.addContainer(aContainer());
    engine.advance(START_MS + HOUR_MS);
    const restartAt = engine.nowMs();
    const ref = { namespace: 'default', pod: 'web-0', atMs: restartAt };
    assert.equal(engine.restartContainer({ ...ref, container: 'app' }), true);
    assert.equal(engine.restartContainer({ ...ref, container: 'nope' }), false);
    const u = engine.container('default', 'web-0', 'app');
    assert.equal(u?.cpuSecondsTotal, 0);
    assert.equal(u?.startedAtMs, restartAt);
    assert.ok((u?.memoryWorkingSetBytes ?? 0) > 0, 'a restarted container has a working set at once');
    engine.addContainer(aContainer({ startedAtMs: restartAt }));
    assert.equal(engine.containerCount, 1);
  });

  void it('answers undefined for unknown entities', () => {
    const engine = anEngine();
    assert.equal(engine.container('x', 'y', 'z'), undefined);
    assert.equal(engine.node('nope'), undefined);
    assert.equal(engine.volume('x', 'y'), undefined);
    engine.addContainer(aContainer({ node: 'not-declared-yet' }));
    engine.advance(START_MS + MINUTE_MS);
    assert.equal(engine.node('not-declared-yet'), undefined);
  });
});

void describe('UsageEngine time stepping', () => {
  void it('ends exactly at the requested time with a partial step, and stays on the grid afterwards', () => {
    const engine = anEngine();
    engine.addContainer(aContainer());
    engine.advance(START_MS + 10_000);
    assert.equal(engine.nowMs(), START_MS + 10_000);
    const a = engine.container('default', 'web-0', 'app')?.cpuSecondsTotal ?? 0;
    const rate = engine.container('default', 'web-0', 'app')?.cpuCores ?? 0;
    assert.ok(Math.abs(a - rate * 10) < 1e-9, 'one partial step of 10 s');
    engine.advance(START_MS + 10_000);
    assert.equal(engine.container('default', 'web-0', 'app')?.cpuSecondsTotal, a, 'advancing to now is a no-op');
    engine.advance(START_MS + 20_000);
    const periods = engine.container('default', 'web-0', 'app')?.cfsPeriodsTotal;
    assert.equal(periods, 200, '5 s to the grid point at 15 s, then 5 s: 200 periods of 100 ms');
    assert.throws(() => engine.advance(START_MS), RangeError);
  });

  void it('runs a history, calling back after every step', () => {
    const engine = anEngine();
    engine.addContainer(aContainer());
    const seen: number[] = [];
    const toMs = START_MS + DAY_MS + 30_000;
    engine.runHistory({ fromMs: START_MS, toMs, stepMs: 60_000, onStep: (t) => seen.push(t) });
    assert.equal(seen.length, 1441);
    assert.equal(seen[0], START_MS + 60_000);
    assert.equal(seen.at(-1), START_MS + DAY_MS + 30_000);
    assert.throws(() => [...engine.history(START_MS, START_MS + HOUR_MS)], RangeError);
  });
});

void describe('UsageEngine nodes and volumes', () => {
  void it('makes node usage the sum of its containers plus system overhead', () => {
    const engine = anEngine();
    for (let i = 0; i < 20; i++) engine.addContainer(aContainer({ pod: `web-${i}` }));
    engine.advance(START_MS + HOUR_MS);
    const node = engine.node('node-a');
    assert.ok(node);
    let cpu = 0;
    let memory = 0;
    for (let i = 0; i < 20; i++) {
      cpu += engine.container('default', `web-${i}`, 'app')?.cpuCores ?? 0;
      memory += engine.container('default', `web-${i}`, 'app')?.memoryWorkingSetBytes ?? 0;
    }
    const overheadCpu = node.cpuCores - cpu;
    assert.ok(overheadCpu > 0.05 && overheadCpu < 0.3, `${overheadCpu}`);
    assert.equal(node.memoryWorkingSetBytes, memory + 350 * MIB + 0.025 * 64 * GIB);
    assert.equal(node.memoryAvailableBytes, 64 * GIB - node.memoryWorkingSetBytes);
    assert.ok(node.fsUsedBytes > 4 * GIB && node.fsUsedBytes < node.fsCapacityBytes);
    assert.ok(node.cpuSecondsTotal > 86_400 * 0.2 * 16, 'booted a day before: counter backfilled');
    assert.equal(node.bootTimeMs, START_MS - DAY_MS);
  });

  void it('fills a volume linearly up to its capacity', () => {
    const engine = anEngine();
    const size = { capacityBytes: 10 * GIB, fillBytesPerHour: GIB, initialUsedBytes: 2 * GIB };
    engine.addVolume({ namespace: 'db', claim: 'data', ...size });
    engine.advance(START_MS + 4 * HOUR_MS);
    const v = engine.volume('db', 'data');
    assert.ok(v);
    assert.equal(v.usedBytes, 6 * GIB);
    assert.equal(v.inodes, (10 * GIB) / 16_384);
    assert.ok(v.inodesUsed > 11 && v.inodesUsed < v.inodes);
    engine.advance(START_MS + 20 * HOUR_MS);
    assert.equal(engine.volume('db', 'data')?.usedBytes, 10 * GIB);
    assert.equal(engine.removeVolume('db', 'data'), true);
    assert.equal(engine.volume('db', 'data'), undefined);
  });

  void it('rejects a non-positive step', () => {
    assert.throws(() => new UsageEngine({ seed: 1, startMs: START_MS, stepMs: 0 }), RangeError);
  });
});
