// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../runtime/manual-clock.ts';
import type { FamilyPresence } from '../prometheus/queries.ts';
import type { PrometheusSource } from './prometheus.ts';
import { createSourceSelector } from './select-source.ts';
import type { MetricsSource, UsageSnapshot, UsageSourceName } from './types.ts';

const signal = new AbortController().signal;

function snapshotOf(source: UsageSourceName, extra: Partial<UsageSnapshot> = {}): UsageSnapshot {
  const containers = [{ namespace: 'ns', pod: 'p', container: 'c', tsMs: 0, cpuCores: 0.1, memoryWorkingSetBytes: 1 }];
  return { source, collectedAtMs: 0, containers, nodes: [], volumes: [], errors: [], ...extra };
}

/** A source whose health the test flips. */
function stub(name: UsageSourceName): MetricsSource & { up: boolean; calls: number } {
  const s = {
    name,
    up: true,
    calls: 0,
    async collect() {
      s.calls++;
      if (!s.up) throw Object.assign(new Error('down'), { code: 'KRM_TEST_DOWN' });
      return snapshotOf(name);
    },
  };
  return s;
}

function stubProm(missing: string[] = []): PrometheusSource & { up: boolean; familyChecks: number } {
  const base = stub('prometheus');
  const p = Object.assign(base, {
    familyChecks: 0,
    async presentFamilies(): Promise<FamilyPresence[]> {
      p.familyChecks++;
      if (!p.up) throw new Error('unreachable');
      return [{ provider: 'cAdvisor', missing }];
    },
  });
  return p;
}

test('a failing active source falls back on the same collect and is taken back when it recovers', async () => {
  const prometheus = stubProm();
  const metricsServer = stub('metrics-server');
  const switches: string[] = [];
  const sel = createSourceSelector({ prometheus, metricsServer, onSwitch: (c) => switches.push(`${c.from ?? '-'}>${c.to ?? '-'}`) });
  assert.equal((await sel.collect({ nowMs: 1, signal })).state.active, 'prometheus');
  prometheus.up = false;
  const attempts: string[] = [];
  const down = await sel.collect({ nowMs: 2, signal, onAttempt: (name) => attempts.push(name) });
  assert.equal(down.snapshot?.source, 'metrics-server');
  assert.deepEqual(attempts, ['prometheus', 'metrics-server'], 'told before each source it tries');
  assert.equal(down.state.sources[0]?.status, 'unhealthy');
  prometheus.up = true;
  const back = await sel.collect({ nowMs: 3, signal });
  assert.equal(back.snapshot?.source, 'prometheus');
  assert.equal(back.state.reason, 'prometheus is the first available source');
  assert.deepEqual(switches, ['->prometheus', 'prometheus>metrics-server', 'metrics-server>prometheus']);
});

test('Prometheus without the cAdvisor families is skipped with the missing names as the reason', async () => {
  const sel = createSourceSelector({ prometheus: stubProm(['container_cpu_cfs_*']), metricsServer: stub('metrics-server') });
  const { state } = await sel.collect({ nowMs: 1, signal });
  assert.equal(state.active, 'metrics-server');
  assert.match(state.sources[0]?.reason ?? '', /missing families container_cpu_cfs_\*/);
});

test('the family check repeats hourly while Prometheus is healthy', async () => {
  const clock = new ManualClock(0);
  const prometheus = stubProm();
  const sel = createSourceSelector({ prometheus, clock });
  await sel.collect({ nowMs: 0, signal });
  await clock.advance(59 * 60_000);
  await sel.collect({ nowMs: 1, signal });
  assert.equal(prometheus.familyChecks, 1);
  await clock.advance(60_000);
  await sel.collect({ nowMs: 2, signal });
  assert.equal(prometheus.familyChecks, 2);
});

test('a kubelet snapshot where every node failed counts as a failure', async () => {
  const kubelet: MetricsSource = {
    name: 'kubelet',
    collect: async () => snapshotOf('kubelet', { containers: [], errors: [{ code: 'KRM_KUBE_TRANSPORT', target: 'node/a' }] }),
  };
  const sel = createSourceSelector({ kubelet });
  const res = await sel.collect({ nowMs: 1, signal });
  assert.equal(res.snapshot, undefined);
  assert.equal(res.state.reason, 'every usage source failed');
  assert.match(res.state.sources[2]?.reason ?? '', /^KRM_KUBE_TRANSPORT/);
});

test('a snapshot whose containers were all handed over while it read is not empty, errors or not', async () => {
  const errors = [{ code: 'KRM_KUBE_TRANSPORT', target: 'node/a' }];
  const collect = async (reported: number) => {
    const kubelet: MetricsSource = { name: 'kubelet', collect: async () => snapshotOf('kubelet', { containers: [], reported, errors }) };
    return (await createSourceSelector({ kubelet }).collect({ nowMs: 1, signal })).snapshot;
  };
  assert.equal((await collect(3))?.reported, 3);
  assert.equal(await collect(0), undefined);
});

test('what a failed source reports after its collect ended reaches no one', async () => {
  let late: ((c: UsageSnapshot['containers']) => void) | undefined;
  const metricsServer: MetricsSource = {
    name: 'metrics-server',
    collect: async (req) => {
      late = req.onContainers;
      throw Object.assign(new Error('nodes list failed'), { code: 'KRM_KUBE_TRANSPORT' });
    },
  };
  const kubelet: MetricsSource = {
    name: 'kubelet',
    collect: async (req) => {
      req.onContainers?.(snapshotOf('kubelet').containers);
      return snapshotOf('kubelet', { containers: [], reported: 1 });
    },
  };
  const reported: string[] = [];
  const res = await createSourceSelector({ metricsServer, kubelet }).collect({ nowMs: 1, signal, onContainers: (cs) => reported.push(...cs.map((c) => c.pod)) });
  assert.equal(res.snapshot?.source, 'kubelet');
  late?.(snapshotOf('metrics-server').containers);
  assert.deepEqual(reported, ['p'], "only the kubelet's part");
});

test('nothing configured: every source disabled', async () => {
  const res = await createSourceSelector({}).collect({ nowMs: 1, signal });
  assert.deepEqual(res.state.sources.map((s) => s.status), ['disabled', 'disabled', 'disabled']);
  assert.equal(res.state.reason, 'no usage source is configured');
});
