// SPDX-License-Identifier: Apache-2.0
// The comparison side of `bench:report`: one range query per container and metric over the window (how KRR reads
// history), with the same PromQL as our aggregated queries restricted to one container by label matchers, the same
// grid and the same concurrency.
import { METRIC } from '../src/domain/series.ts';
import { usageQueries, type QueryLabels, type UsageQueryName } from '../src/sources/prometheus/queries.ts';
import { createRangeQuerier } from '../src/sources/prometheus/range-query.ts';
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

/** The per-container queries: every container (`ns/pod/container`) times every container metric. */
export function perContainerQueries(containers: readonly string[], labels: QueryLabels): string[] {
  return containers.flatMap((entity) => {
    const [ns = '', pod = '', container = ''] = entity.split('/');
    const only = `${labels.namespace}=${quote(ns)}, ${labels.pod}=${quote(pod)}, ${labels.container}=${quote(container)}`;
    const q = usageQueries({ ...labels, cadvisorSelector: [labels.cadvisorSelector, only].filter((s) => s !== '').join(', ') });
    return METRICS.map(([name]) => q[name]);
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
}): Promise<ReadResult> {
  const querier = createRangeQuerier({ url: o.url });
  const grid = readerGrid(o);
  const req = { signal: new AbortController().signal, startMs: grid.startMs, endMs: grid.startMs + (grid.points - 1) * grid.stepMs, stepMs: grid.stepMs };
  const queries = perContainerQueries(o.containers, o.labels);
  let series = 0;
  let samples = 0;
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      const q = queries[next++] as string;
      for (const m of await querier.queryRange(q, req)) {
        series++;
        samples += m.values.length;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return { queries: queries.length, wallMs: performance.now() - started, series, samples };
}
