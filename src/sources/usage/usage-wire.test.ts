// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromWire, toWire, type WirePods } from './usage-wire.ts';
import type { PodMetricsItem } from './pod-metrics-decode.ts';
import type { NodeSummaryUsage } from './summary-decode.ts';

/** Through structured clone and back, as a worker's answer travels; the containers as plain objects, to compare. */
function overTheWire<T>(op: 'summary' | 'pods-chunk', reply: T): T {
  const { reply: wire, transfer } = toWire(op, reply as never);
  const back = fromWire(op, structuredClone(wire, { transfer })) as { containers: object[] } | { containers: object[] }[];
  const plain = (x: { containers: object[] }) => ({ ...x, containers: x.containers.map((c) => ({ ...c })) });
  return (Array.isArray(back) ? back.map(plain) : plain(back)) as T;
}

test('a summary survives the wire form: optional figures stay absent, not undefined', () => {
  const summary: NodeSummaryUsage = {
    node: { node: 'n1', tsMs: 5, cpuCores: 1.5, memoryWorkingSetBytes: 2048, fsUsedBytes: 10, fsCapacityBytes: 100 },
    containers: [
      { namespace: 'shop', pod: 'web-1', container: 'app', tsMs: 5, cpuCores: 0.25, memoryWorkingSetBytes: 1024, memoryRssBytes: 900 },
      { namespace: 'shop', pod: 'web-1', container: 'proxy', tsMs: 6, cpuCores: 0, memoryWorkingSetBytes: 0, throttledRatio: 0.5 },
      { namespace: 'db', pod: 'pg-0', container: 'app', tsMs: 7, cpuCores: 2, memoryWorkingSetBytes: 2 ** 40 },
    ],
    volumes: [{ namespace: 'db', pvc: 'data', tsMs: 7, usedBytes: 1, capacityBytes: 2 }],
  };
  const back = overTheWire('summary', summary);
  assert.deepEqual(back, summary);
  assert.ok(!('memoryRssBytes' in (back.containers[2] as object)) && !('throttledRatio' in (back.containers[0] as object)));
});

test('PodMetrics items survive the wire form, pods without containers included; each name is sent once', () => {
  const items: PodMetricsItem[] = [
    { namespace: 'shop', pod: 'web-1', tsMs: 1, containers: [{ namespace: 'shop', pod: 'web-1', container: 'app', tsMs: 1, cpuCores: 0.1, memoryWorkingSetBytes: 3 }] },
    { namespace: 'shop', pod: 'web-2', tsMs: 2, containers: [] },
    {
      namespace: 'shop',
      pod: 'web-3',
      tsMs: 3,
      containers: [
        { namespace: 'shop', pod: 'web-3', container: 'app', tsMs: 3, cpuCores: 0.2, memoryWorkingSetBytes: 4 },
        { namespace: 'shop', pod: 'web-3', container: 'sidecar', tsMs: 3, cpuCores: 0.3, memoryWorkingSetBytes: 5 },
      ],
    },
  ];
  assert.deepEqual(overTheWire('pods-chunk', items), items);
  const wire = toWire('pods-chunk', items).reply as WirePods;
  assert.deepEqual([...wire.containers.strings].sort(), ['app', 'shop', 'sidecar', 'web-1', 'web-2', 'web-3']);
  assert.deepEqual(overTheWire('pods-chunk', []), []);
});
