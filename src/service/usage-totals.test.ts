// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { METRIC } from '../domain/series.ts';
import { UsageTotals } from './usage-totals.ts';

/** A pod's cycle sums: [CPU millicores, working set, sample time]. */
const pod = (name: string, [cpu, mem, ts]: [number, number, number]) => ({ namespace: 'ns', name, cycleCpuMillicores: cpu, cycleMemoryBytes: mem, cycleTsMs: ts });

/** Every sample of the cycle's parts as `kind entity metric ts value`, and the parts' sizes. */
function samplesOf(totals: UsageTotals, perPart: number): { rows: string[]; sizes: number[] } {
  const rows: string[] = [];
  const sizes: number[] = [];
  for (const part of totals.parts(perPart)) {
    sizes.push(part.length);
    for (let i = 0; i < part.length; i++) rows.push(`${part.kinds[i]} ${part.entities[i]} ${part.metrics[i]} ${part.timestampsMs[i]} ${part.values[i]}`);
  }
  return { rows: rows.sort(), sizes };
}

test('sums pods per entity, hands the samples out in parts, and a new cycle starts from zero', () => {
  const totals = new UsageTotals();
  totals.begin();
  for (const p of [pod('a', [100, 10, 5]), pod('b', [50, 20, 7])]) {
    totals.add('cluster', 'c1', p);
    totals.add('namespace', 'ns', p);
  }
  totals.add('workload', 'ns/Deployment/web', pod('a', [100, 10, 5]));
  const first = samplesOf(totals, 2);
  assert.deepEqual(first.sizes, [6, 3], 'two totals (three samples each) a part');
  assert.ok(first.rows.includes(`cluster c1 ${METRIC.cpuMillicores} 7 150`) && first.rows.includes(`cluster c1 ${METRIC.pods} 7 2`), first.rows.join('\n'));
  assert.ok(first.rows.includes(`workload ns/Deployment/web ${METRIC.memoryWorkingSetBytes} 5 10`));
  totals.end();

  totals.begin();
  totals.add('cluster', 'c1', pod('b', [1, 2, 9]));
  totals.end();
  totals.begin();
  totals.add('cluster', 'c1', pod('b', [3, 4, 11]));
  const third = samplesOf(totals, 10);
  assert.deepEqual(third.rows, [`cluster c1 ${METRIC.cpuMillicores} 11 3`, `cluster c1 ${METRIC.memoryWorkingSetBytes} 11 4`, `cluster c1 ${METRIC.pods} 11 1`], 'only this cycle, summed afresh');
});
