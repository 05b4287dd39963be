// SPDX-License-Identifier: Apache-2.0
// The comparison side of `bench:report`: one range query per container and metric (how KRR reads history), with
// the same PromQL as our aggregated queries restricted to one container by label matchers, and the same grid,
// windows and concurrency as our reader.
import { METRIC } from '../src/domain/series.ts';
import { usageQueries, type QueryLabels, type UsageQueryName } from '../src/sources/prometheus/queries.ts';
import { createRangeQuerier, transferHeaders } from '../src/sources/prometheus/range-query.ts';
import { readerGrid } from '../src/sources/prometheus/series-reader.ts';

export interface ReadResult {
  readonly queries: number;
  readonly wallMs: number;
  readonly series: number;
  readonly samples: number;
}

const METRICS: ReadonlyArray<[UsageQueryName, string]> = [
  ['containerCpuCores', METRIC.cpuMillicores],
  ['containerMemoryWorkingSet', METRIC.memoryWorkingSetBytes],
  ['containerMemoryRss', METRIC.memoryRssBytes],
  ['containerThrottledRatio', METRIC.throttleRatio],
];

const quote = (v: string): string => JSON.stringify(v);

/** A container metric and, for one read over the end of the window only, the time it is read from. */
export interface MetricRead {
  readonly metric: string;
  readonly fromMs?: number;
}

/** The per-container queries: every container (`ns/pod/container`) times every metric read. */
export function perContainerQueries(containers: readonly string[], labels: QueryLabels, reads: readonly MetricRead[]): Array<{ query: string; fromMs?: number }> {
  return containers.flatMap((entity) => {
    const [ns = '', pod = '', container = ''] = entity.split('/');
    const only = `${labels.namespace}=${quote(ns)}, ${labels.pod}=${quote(pod)}, ${labels.container}=${quote(container)}`;
    const q = usageQueries({ ...labels, cadvisorSelector: [labels.cadvisorSelector, only].filter((s) => s !== '').join(', ') });
    return reads.flatMap((r) => METRICS.filter(([, m]) => m === r.metric).map(([name]) => ({ query: q[name], ...(r.fromMs === undefined ? {} : { fromMs: r.fromMs }) })));
  });
}

/** Runs the per-container queries with `concurrency` in flight; counts queries, series and samples. */
export async function perContainerRead(o: {
  url: string;
  fromMs: number;
  toMs: number;
  stepMs: number;
  concurrency: number;
  containers: readonly string[];
  labels: QueryLabels;
  reads: readonly MetricRead[];
}): Promise<ReadResult> {
  // The same transfer as the report's reader (uncompressed from a Prometheus on this host).
  const querier = createRangeQuerier({ url: o.url, headers: transferHeaders(o.url) });
  const grid = readerGrid(o);
  const endMs = grid.startMs + (grid.points - 1) * grid.stepMs;
  // A read from a later time starts at the grid point the reader's would (series-reader.ts startOf).
  const startOf = (fromMs?: number): number => (fromMs === undefined || fromMs <= grid.startMs ? grid.startMs : grid.startMs + Math.ceil((fromMs - grid.startMs) / grid.stepMs) * grid.stepMs);
  const queries = perContainerQueries(o.containers, o.labels, o.reads);
  let series = 0;
  let samples = 0;
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      const q = queries[next++] as { query: string; fromMs?: number };
      const req = { signal: new AbortController().signal, startMs: startOf(q.fromMs), endMs, stepMs: grid.stepMs };
      for (const m of await querier.queryRange(q.query, req)) {
        series++;
        samples += m.values.length;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return { queries: queries.length, wallMs: performance.now() - started, series, samples };
}
