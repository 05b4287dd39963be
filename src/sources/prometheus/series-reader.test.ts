// SPDX-License-Identifier: Apache-2.0
// The reader's planning and folding without Prometheus: which queries a selector needs, the grid, and the points
// (the e2e test report-oneshot.test.ts checks the answers against a real Prometheus). The querier here records the
// queries and answers from a table, so that a count of queries can be asserted exactly.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MatrixSeries, RangeQuerier, RangeRequest } from './range-query.ts';
import { PrometheusSeriesReader, readerGrid } from './series-reader.ts';
import { containerMetricsFor, namespacesFor, needsTotals } from './series-reader-plan.ts';
import { readNamespace } from '../../service/analysis/read.ts';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../service/analysis/types.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('planning', () => {
  test('a selector pins its namespace through entity or a prefix past the first slash', () => {
    const all = ['data', 'shop', 'shop-dev'];
    assert.deepEqual(namespacesFor({ kind: 'container', entityPrefix: 'shop/' }, all), ['shop']);
    assert.deepEqual(namespacesFor({ kind: 'container', entity: 'shop/api-1/app' }, all), ['shop']);
    assert.deepEqual(namespacesFor({ kind: 'namespace', entity: 'data' }, all), ['data']);
    assert.deepEqual(namespacesFor({ kind: 'container', entityPrefix: 'shop' }, all), ['shop', 'shop-dev']);
    assert.deepEqual(namespacesFor({ kind: 'container', entityPrefix: 'gone/' }, all), []);
    assert.deepEqual(namespacesFor({ kind: 'cluster', entity: 'prod' }, all), all);
    assert.deepEqual(namespacesFor({}, all), all);
  });

  test('container metrics: the ones asked for, plus CPU and working set when totals can match', () => {
    assert.deepEqual([...containerMetricsFor({ kind: 'container', metrics: ['mem_rss_b'] })], ['mem_rss_b']);
    assert.deepEqual([...containerMetricsFor({ kind: 'workload', metrics: ['pods'] })].sort(), ['cpu_m', 'mem_ws_b']);
    assert.deepEqual([...containerMetricsFor({ kind: 'node' })], []);
    assert.equal(needsTotals({ kind: 'container' }), false);
    assert.equal(needsTotals({ metrics: ['used_b'] }), false);
    assert.equal(needsTotals({ kind: 'namespace' }), true);
  });

  test('the grid stays under Prometheus’s 11,000 points per series', () => {
    assert.deepEqual(readerGrid({ fromMs: 0, toMs: 14 * 24 * HOUR, stepMs: 5 * MIN }), { startMs: 0, stepMs: 5 * MIN, points: 4032 });
    const long = readerGrid({ fromMs: 0, toMs: 400 * 24 * HOUR, stepMs: 5 * MIN });
    assert.ok(long.points <= 11_000 && long.stepMs > 5 * MIN, JSON.stringify(long));
    assert.equal(readerGrid({ fromMs: 7 * MIN, toMs: 8 * MIN, stepMs: 5 * MIN }).points, 0);
  });
});

/** Answers each query by the metric name it contains, for namespaces shop and data (two containers each). */
function tableQuerier(log: string[]): RangeQuerier {
  const series = (ns: string, req: RangeRequest, value: (i: number) => number): MatrixSeries[] =>
    ['a', 'b'].map((pod) => {
      const ts: number[] = [];
      for (let t = req.startMs; t <= req.endMs; t += req.stepMs) ts.push(t);
      return { labels: { namespace: ns, pod: `${pod}-1`, container: 'app' }, timestampsMs: Float64Array.from(ts), values: Float64Array.from(ts.map((_, i) => value(i))) };
    });
  return {
    async queryRange(query, req) {
      log.push(query);
      const ns = /namespace="([^"]+)"/.exec(query)?.[1];
      if (ns === undefined) return [];
      if (query.includes('container_cpu_usage_seconds_total')) return series(ns, req, (i) => 0.1 + (i % 10) / 100);
      if (query.includes('container_memory_working_set_bytes')) return series(ns, req, () => 1000);
      return [];
    },
    async labelValues() {
      log.push('label-values');
      return ['data', 'shop'];
    },
  };
}

describe('PrometheusSeriesReader', () => {
  test('reads each namespace and metric once, folds points like the raw tier, and sums totals without queries', async () => {
    const log: string[] = [];
    const reader = new PrometheusSeriesReader({ querier: tableQuerier(log), cluster: 'c', fromMs: 0, toMs: 2 * HOUR, stepMs: 5 * MIN });
    const cpu = await reader.findSeries({ kind: 'container', entityPrefix: 'shop/', metrics: ['cpu_m'] });
    assert.deepEqual(cpu.map((s) => s.entity), ['shop/a-1/app', 'shop/b-1/app']);
    assert.equal(log.length, 2, log.join('\n'));
    assert.equal(await reader.findSeries({ cluster: 'other' }).then((x) => x.length), 0);

    const hourly = await reader.query({ seriesIds: [cpu[0]?.id ?? -1], fromMs: 0, toMs: 2 * HOUR, stepMs: HOUR, quantiles: [0.5, 1] });
    const first = hourly.series[0]?.points[0];
    assert.equal(hourly.tier, 'raw');
    assert.equal(hourly.approximateQuantiles, false);
    assert.deepEqual({ count: first?.count, min: first?.min, max: first?.max }, { count: 12, min: 100, max: 190 });
    // Twelve samples 100, 100, 110, 110, 120 … 190: the store's exact quantile (nearest rank) gives 130 for the median.
    assert.deepEqual(first?.quantiles, [130, 190]);
    // A step below the grid is widened to it.
    assert.equal((await reader.query({ seriesIds: [cpu[0]?.id ?? -1], fromMs: 0, toMs: HOUR, stepMs: 1000 })).stepMs, 5 * MIN);

    // Namespace totals: the working set query is added, then both containers summed; no further query for pods.
    const [ws] = await reader.findSeries({ kind: 'namespace', entity: 'shop', metrics: ['mem_ws_b'] });
    const [pods] = await reader.findSeries({ kind: 'namespace', entity: 'shop', metrics: ['pods'] });
    assert.equal(log.length, 3);
    const total = await reader.query({ seriesIds: [ws?.id ?? -1, pods?.id ?? -1], fromMs: 0, toMs: 5 * MIN, stepMs: 5 * MIN });
    assert.deepEqual(total.series.map((s) => s.points[0]?.mean), [2000, 2]);

    // The cluster total loads every namespace's CPU and working set: two queries per other namespace.
    const cluster = await reader.findSeries({ kind: 'cluster', metrics: ['cpu_m'] });
    assert.equal(cluster.length, 1);
    assert.equal(log.length, 5);
    assert.equal(reader.stats().queries, 5);
  });

  test('a pass\'s namespace read queries the metrics the analyses read, and no other (not the RSS)', async () => {
    const log: string[] = [];
    const nowMs = 14 * 24 * HOUR;
    const reader = new PrometheusSeriesReader({ querier: tableQuerier(log), cluster: 'c', fromMs: 0, toMs: nowMs, stepMs: 5 * MIN });
    const data = await readNamespace({ history: reader, cluster: 'c', namespace: 'shop', nowMs, settings: DEFAULT_ANALYSIS_SETTINGS });
    assert.deepEqual([...data.long.keys()].sort(), ['shop/a-1/app', 'shop/b-1/app']);
    const asked = log.filter((q) => q.includes('namespace="shop"'));
    assert.ok(asked.some((q) => q.includes('container_cpu_usage_seconds_total')) && asked.some((q) => q.includes('container_memory_working_set_bytes')), asked.join('\n'));
    assert.deepEqual(asked.filter((q) => q.includes('container_memory_rss')), []);
  });

  test('namespaces outside the restriction are never queried', async () => {
    const log: string[] = [];
    const reader = new PrometheusSeriesReader({ querier: tableQuerier(log), cluster: 'c', fromMs: 0, toMs: HOUR, stepMs: 5 * MIN, namespaces: ['data'] });
    const all = await reader.findSeries({ kind: 'container', metrics: ['cpu_m'] });
    assert.ok(all.every((s) => s.entity.startsWith('data/')));
    assert.equal(log.filter((q) => q.includes('shop')).length, 0);
  });

  test('a failed query is not cached: the next read asks again', async () => {
    let fail = true;
    const log: string[] = [];
    const inner = tableQuerier(log);
    const querier: RangeQuerier = {
      queryRange: async (q, r) => {
        if (fail) throw new Error('prometheus down');
        return inner.queryRange(q, r);
      },
      labelValues: (l, r) => inner.labelValues(l, r),
    };
    const reader = new PrometheusSeriesReader({ querier, cluster: 'c', fromMs: 0, toMs: HOUR, stepMs: 5 * MIN });
    await assert.rejects(reader.findSeries({ kind: 'container', entityPrefix: 'shop/', metrics: ['cpu_m'] }), /prometheus down/);
    fail = false;
    assert.equal((await reader.findSeries({ kind: 'container', entityPrefix: 'shop/', metrics: ['cpu_m'] })).length, 2);
  });
});
