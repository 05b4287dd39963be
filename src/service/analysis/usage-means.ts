// SPDX-License-Identifier: Apache-2.0
// CPU and working-set means per entity of one kind (cluster, namespace, node) over a window: what the capacity
// forecasts and the cost showback both read from the totals the collector writes.
import type { SeriesReader } from '../../domain/ports.ts';
import { columnSamples, METRIC, type EntityKind, type Sample, type SeriesColumn } from '../../domain/series.ts';
import { HOUR_MS } from '../../domain/time.ts';

export type UsageByEntity = Map<string, { cpu: Sample[]; memory: Sample[] }>;

/** The same means as columns, as the store answers them (no object per point). */
export type UsageColumnsByEntity = Map<string, { cpu: SeriesColumn; memory: SeriesColumn }>;

export interface UsageMeansQuery {
  readonly cluster: string;
  readonly kind: EntityKind;
  readonly fromMs: number;
  readonly toMs: number;
  /** Step of the means; an hourly step reads the 1 h tier, a finer one the 5 min tier. */
  readonly stepMs: number;
}

export async function readUsageMeans(history: SeriesReader, q: UsageMeansQuery): Promise<UsageByEntity> {
  const out: UsageByEntity = new Map();
  for (const [entity, e] of await readUsageColumns(history, q)) out.set(entity, { cpu: columnSamples(e.cpu), memory: columnSamples(e.memory) });
  return out;
}

/** {@link readUsageMeans} as columns: what the capacity step reads for every namespace and node of the cluster. */
export async function readUsageColumns(history: SeriesReader, q: UsageMeansQuery): Promise<UsageColumnsByEntity> {
  // Columns, not points: the whole cluster's nodes or namespaces, where an object per step is most of the garbage.
  const res = await history.queryColumns({
    fields: ['mean'],
    selector: { cluster: q.cluster, kind: q.kind, metrics: [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes] },
    fromMs: q.fromMs,
    toMs: q.toMs,
    stepMs: q.stepMs,
    tier: q.stepMs >= HOUR_MS ? '1h' : '5m',
  });
  const out: UsageColumnsByEntity = new Map();
  for (const s of res.series) {
    const e = out.get(s.series.entity) ?? { cpu: NO_COLUMN, memory: NO_COLUMN };
    out.set(s.series.entity, e);
    e[s.series.metric === METRIC.cpuMillicores ? 'cpu' : 'memory'] = { timestampsMs: s.timestampsMs, values: s.fields.mean ?? NO_VALUES };
  }
  return out;
}

const NO_VALUES = new Float64Array(0);
const NO_COLUMN: SeriesColumn = { timestampsMs: NO_VALUES, values: NO_VALUES };
