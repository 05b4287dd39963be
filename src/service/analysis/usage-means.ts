// SPDX-License-Identifier: Apache-2.0
// CPU and working-set means per entity of one kind (cluster, namespace, node) over a window: what the capacity
// forecasts and the cost showback both read from the totals the collector writes.
import type { SeriesReader } from '../../domain/ports.ts';
import { METRIC, type EntityKind, type Sample } from '../../domain/series.ts';

export type UsageByEntity = Map<string, { cpu: Sample[]; memory: Sample[] }>;

const HOUR_MS = 3_600_000;

export interface UsageMeansQuery {
  readonly cluster: string;
  readonly kind: EntityKind;
  readonly fromMs: number;
  readonly toMs: number;
  /** Step of the means; an hourly step reads the 1 h tier, a finer one the 5 min tier. */
  readonly stepMs: number;
}

export async function readUsageMeans(history: SeriesReader, q: UsageMeansQuery): Promise<UsageByEntity> {
  const res = await history.query({
    selector: { cluster: q.cluster, kind: q.kind, metrics: [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes] },
    fromMs: q.fromMs,
    toMs: q.toMs,
    stepMs: q.stepMs,
    tier: q.stepMs >= HOUR_MS ? '1h' : '5m',
  });
  const out: UsageByEntity = new Map();
  for (const s of res.series) {
    const e = out.get(s.series.entity) ?? { cpu: [], memory: [] };
    out.set(s.series.entity, e);
    e[s.series.metric === METRIC.cpuMillicores ? 'cpu' : 'memory'] = s.points.map((p) => ({ tsMs: p.tsMs, value: p.mean }));
  }
  return out;
}
