// SPDX-License-Identifier: Apache-2.0
// The reader's folding of points and its pod counts against their plain definitions: the store's dense step
// accumulator over every sample, and a set of pods per grid point. Series come from a querier that answers with
// irregular, gappy series with NaN samples, pods with several containers, and pods that come and go.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StepAccumulator } from '../../store/step-accumulator.ts';
import type { MatrixSeries, RangeQuerier, RangeRequest } from './range-query.ts';
import { PrometheusSeriesReader } from './series-reader.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** A deterministic pseudo-random sequence (the same series on every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

interface Made {
  readonly labels: Record<string, string>;
  readonly ts: number[];
  readonly vs: number[];
}

/** Samples on the grid from `startMs`, a fifth of them missing and one in twenty NaN. */
function samples(rnd: () => number, req: { startMs: number; endMs: number; stepMs: number }): { ts: number[]; vs: number[] } {
  const ts: number[] = [];
  const vs: number[] = [];
  for (let t = req.startMs; t <= req.endMs; t += req.stepMs) {
    if (rnd() < 0.2) continue;
    ts.push(t);
    vs.push(rnd() < 0.05 ? NaN : Math.round(rnd() * 1e6));
  }
  return { ts, vs };
}

/** Pods p0..p5 of namespace shop, one to three containers each, each present over part of the range with gaps. */
function makeSeries(req: RangeRequest, seed: number): Made[] {
  const rnd = random(seed);
  const out: Made[] = [];
  for (let p = 0; p < 6; p++) {
    const containers = 1 + (p % 3);
    const from = req.startMs + Math.floor(rnd() * 6) * req.stepMs * 10;
    for (let c = 0; c < containers; c++) out.push({ labels: { namespace: 'shop', pod: `p${p}`, container: `c${c}` }, ...samples(rnd, { ...req, startMs: from }) });
  }
  return out;
}

function querier(): RangeQuerier {
  return {
    async queryRange(query, req) {
      const seed = query.includes('cpu') ? 1 : 2;
      return makeSeries(req, seed).map((m): MatrixSeries => ({ labels: m.labels, timestampsMs: Float64Array.from(m.ts), values: Float64Array.from(m.vs) }));
    },
    async labelValues() {
      return ['shop'];
    },
  };
}

describe('PrometheusSeriesReader folding', () => {
  test('points over any range and step are the dense accumulator’s over every finite sample', async () => {
    const reader = new PrometheusSeriesReader({ querier: querier(), cluster: 'c', fromMs: 0, toMs: 12 * HOUR, stepMs: 5 * MIN });
    const series = await reader.findSeries({ kind: 'container', metrics: ['cpu_m'] });
    assert.equal(series.length, 12);
    const raw = makeSeries({ signal: new AbortController().signal, startMs: 0, endMs: 12 * HOUR - 5 * MIN, stepMs: 5 * MIN }, 1);
    const shapes = [
      { fromMs: 0, toMs: 12 * HOUR, stepMs: HOUR, quantiles: [0.95] },
      { fromMs: 3 * HOUR + 7 * MIN, toMs: 5 * HOUR, stepMs: 15 * MIN, quantiles: [] },
      { fromMs: 11 * HOUR, toMs: 12 * HOUR + 1, stepMs: 1000, quantiles: [0.5, 1] },
      { fromMs: 20 * HOUR, toMs: 21 * HOUR, stepMs: 5 * MIN, quantiles: [] },
    ];
    for (const q of shapes) {
      const res = await reader.query({ seriesIds: series.map((s) => s.id), ...q });
      assert.equal(res.series.length, series.length, 'a series without samples in the range is still answered');
      for (const s of res.series) {
        const made = raw.find((m) => `${m.labels.namespace}/${m.labels.pod}/${m.labels.container}` === s.series.entity) as Made;
        const alignedFromMs = Math.floor(q.fromMs / (5 * MIN)) * 5 * MIN;
        const grid = { fromMs: q.fromMs, toMs: q.toMs, alignedFromMs, stepMs: res.stepMs, steps: Math.max(0, Math.ceil((q.toMs - alignedFromMs) / res.stepMs)) };
        const acc = new StepAccumulator(grid, q.quantiles.length > 0 ? 'exact' : 'none');
        // CPU is read in cores and kept in millicores.
        made.ts.forEach((t, i) => Number.isFinite(made.vs[i]) && acc.addSample(t, (made.vs[i] as number) * 1000));
        assert.deepEqual(s.points, acc.points(q.quantiles), `${s.series.entity} ${JSON.stringify(q)}`);
      }
    }
  });

  test('pods count each pod once per point however many containers it has', async () => {
    const reader = new PrometheusSeriesReader({ querier: querier(), cluster: 'c', fromMs: 0, toMs: 12 * HOUR, stepMs: 5 * MIN });
    const [pods] = await reader.findSeries({ kind: 'namespace', entity: 'shop', metrics: ['pods'] });
    const res = await reader.query({ seriesIds: [pods?.id ?? -1], fromMs: 0, toMs: 12 * HOUR, stepMs: 5 * MIN });
    const expected = new Map<number, Set<string>>();
    for (const m of makeSeries({ signal: new AbortController().signal, startMs: 0, endMs: 12 * HOUR - 5 * MIN, stepMs: 5 * MIN }, 2)) {
      m.ts.forEach((t, i) => {
        if (!Number.isFinite(m.vs[i])) return;
        const set = expected.get(t) ?? new Set();
        expected.set(t, set.add(m.labels.pod as string));
      });
    }
    const want = [...expected].sort((a, b) => a[0] - b[0]).map(([t, set]) => ({ tsMs: t, mean: set.size }));
    assert.deepEqual(res.series[0]?.points.map((p) => ({ tsMs: p.tsMs, mean: p.mean })), want);
    assert.ok(want.some((p) => p.mean >= 4), 'several pods at once');
  });
});
