// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodUsageIndex } from './pod-usage.ts';
import type { ContainerUsage } from '../sources/usage/index.ts';

/** A container of pod `pod` in namespace `ns`: [cpu cores, working set bytes, sample time]. */
const c = (pod: string, container: string, [cpuCores, memoryWorkingSetBytes, tsMs = 1]: [number, number, number?]): ContainerUsage => ({ namespace: 'ns', pod, container, tsMs, cpuCores, memoryWorkingSetBytes });
/** One cycle's containers, half as a source's early part and half at its end, as the collector sums them. */
async function sumCycle(index: PodUsageIndex, containers: readonly ContainerUsage[]): Promise<void> {
  index.begin();
  const half = Math.ceil(containers.length / 2);
  index.add(containers.slice(0, half));
  await index.addInSlices(containers.slice(half));
}
const usage = (index: PodUsageIndex, pod: string) => {
  const u = index.get('ns', pod);
  return u === undefined ? undefined : [u.cpuMillicores, u.memoryBytes, u.tsMs];
};

test('sums containers per pod; a cycle in progress changes nothing until it is published', async () => {
  const index = new PodUsageIndex();
  await sumCycle(index, [c('a', 'app', [0.5, 100, 1]), c('a', 'side', [0.25, 50, 2]), c('b', 'app', [Number.NaN, 10])]);
  assert.equal(usage(index, 'a'), undefined, 'nothing before the first publish');
  index.publish();
  assert.deepEqual(usage(index, 'a'), [750, 150, 2]);
  assert.deepEqual([index.value('ns', 'a', 'cpu'), index.value('ns', 'a', 'memory'), index.value('ns', 'none', 'cpu')], [750, 150, undefined], 'single values as get answers them');
  assert.deepEqual(usage(index, 'b'), [0, 10, 1], 'a non-finite value adds nothing');
  assert.equal(index.size, 2);

  await sumCycle(index, [c('a', 'app', [1, 1, 3]), c('new', 'app', [1, 1, 3])]);
  assert.deepEqual(usage(index, 'a'), [750, 150, 2], 'the published values hold while the next cycle sums');
  assert.equal(usage(index, 'new'), undefined);
  assert.deepEqual(
    [...index.cycleEntries()].map((e) => [e.name, e.cycleCpuMillicores]),
    [['a', 1000], ['new', 1000]],
  );
  index.publish();
  assert.deepEqual(usage(index, 'a'), [1000, 1, 3]);
  assert.equal(usage(index, 'b'), undefined, 'a pod the cycle did not see is gone');
  assert.equal(index.size, 2);
});

test('a cycle that is summed but never published (it failed) leaves the last published one, and the next starts afresh', async () => {
  const index = new PodUsageIndex();
  await sumCycle(index, [c('a', 'app', [1, 1])]);
  index.publish();
  await sumCycle(index, [c('a', 'app', [5, 5]), c('x', 'app', [5, 5])]);
  await sumCycle(index, [c('a', 'app', [2, 2])]);
  assert.deepEqual(usage(index, 'a'), [1000, 1, 1]);
  assert.equal(usage(index, 'x'), undefined);
  index.publish();
  assert.deepEqual(usage(index, 'a'), [2000, 2, 1], 'the failed cycle\'s sums do not carry over');
  assert.equal(usage(index, 'x'), undefined);
  assert.equal(index.size, 1);
});
