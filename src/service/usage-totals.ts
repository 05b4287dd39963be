// SPDX-License-Identifier: Apache-2.0
// The per-workload, per-namespace and cluster totals of a collection cycle (CPU, working set, pod count), summed from
// the pods' sums. The sums sit in typed columns by entity that last from cycle to cycle (domain/pod-slots.ts, keyed
// by kind and entity), and the cycle's samples are handed out a part at a time: an object per total and one list of
// all their samples (about 57,000 totals and 170,000 samples at the scale envelope) lived through the cycle's
// appends and so were promoted, a third of what a cycle left to the next full collection (BENCHMARKS.md, "What a
// cycle promotes").
import { PodSlots } from '../domain/pod-slots.ts';
import { METRIC, type EntityKind } from '../domain/series.ts';
import type { PodEntry } from './pod-usage.ts';
import { SampleColumns } from './sample-columns.ts';

/** The series of every total and their columns (the warm-up registers the same metrics). */
const TOTAL_VALUES = [
  [METRIC.cpuMillicores, 'cpu'],
  [METRIC.memoryWorkingSetBytes, 'memory'],
  [METRIC.pods, 'pods'],
] as const;
export const TOTAL_METRICS: readonly string[] = TOTAL_VALUES.map(([metric]) => metric);

const COLUMNS = ['cycle', 'cpu', 'memory', 'pods', 'ts'] as const;

/** Sums per (kind, entity) over one cycle's pods; see the file comment. */
export class UsageTotals {
  private readonly totals = new PodSlots(COLUMNS);
  private current = 0;

  /** Starts a cycle's sums; the entities of earlier cycles keep their slots until {@link end}. */
  begin(): void {
    this.current++;
  }

  /** Adds one pod's cycle sums to the total of `entity`. */
  add(kind: EntityKind, entity: string, p: PodEntry): void {
    const s = this.totals.slot(kind, entity);
    const t = this.totals;
    const [cycle, cpu, memory, pods, ts] = [t.column('cycle'), t.column('cpu'), t.column('memory'), t.column('pods'), t.column('ts')];
    if (cycle[s] !== this.current) {
      cycle[s] = this.current;
      cpu[s] = 0;
      memory[s] = 0;
      pods[s] = 0;
      ts[s] = p.cycleTsMs;
    }
    cpu[s] = (cpu[s] ?? 0) + p.cycleCpuMillicores;
    memory[s] = (memory[s] ?? 0) + p.cycleMemoryBytes;
    pods[s] = (pods[s] ?? 0) + 1;
    if (p.cycleTsMs > (ts[s] ?? 0)) ts[s] = p.cycleTsMs;
  }

  /** The cycle's samples, at most `entities` totals (three samples each) a part. Nothing may be added meanwhile. */
  *parts(entities: number): IterableIterator<SampleColumns> {
    const t = this.totals;
    let out = new SampleColumns();
    let inPart = 0;
    for (const s of t.slots()) {
      if (t.column('cycle')[s] !== this.current) continue;
      const key = { kind: t.namespaceOf(s) as EntityKind, entity: t.nameOf(s), tsMs: t.column('ts')[s] ?? 0 };
      for (const [metric, column] of TOTAL_VALUES) out.add(key, metric, t.column(column)[s]);
      if (++inPart < entities) continue;
      yield out;
      out = new SampleColumns();
      inPart = 0;
    }
    if (inPart > 0) yield out;
  }

  /** Ends the cycle: the entities it did not sum are forgotten. */
  end(): void {
    const cycle = this.totals.column('cycle');
    this.totals.sweep((s) => cycle[s] === this.current);
  }
}
