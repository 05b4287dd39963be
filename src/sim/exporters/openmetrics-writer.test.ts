// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { clusterMetricFamilies } from './cluster-metrics.ts';
import { createOpenMetricsWriter } from './openmetrics-writer.ts';
import type { MetricFamily } from './series.ts';
import { MapStore, TimeUsage } from './test-cluster.ts';
import { parseExposition, PROMTOOL } from './test-exposition.ts';
import { buildTestCluster, START_MS } from './test-objects.ts';

function families(t: number): MetricFamily[] {
  return [
    {
      name: 'requests_total',
      help: 'Requests "served".',
      type: 'counter',
      samples: () => [
        { labels: [['code', '200']], value: t / 1000 },
        { labels: [['code', '500']], value: 1 },
      ],
    },
    { name: 'temperature_celsius', help: 'Line one\nline two.', type: 'gauge', samples: () => [{ labels: [], value: 21.5 }] },
  ];
}

function writeAll(snapshots: number[], make: (t: number) => MetricFamily[]): string {
  let out = '';
  const writer = createOpenMetricsWriter((chunk) => {
    out += chunk;
  });
  for (const t of snapshots) writer.add(t, make(t));
  writer.end();
  return out;
}

/** Asserts the OpenMetrics ordering rules: series not interleaved, each series' timestamps strictly increasing. */
function assertSeriesContiguous(text: string): void {
  for (const f of parseExposition(text)) {
    // Consecutive runs of one series; a series key seen in two runs means it was interleaved.
    const runs: { key: string; times: number[] }[] = [];
    for (const s of f.samples) {
      const key = `${s.name}${JSON.stringify(s.labels)}`;
      const last = runs[runs.length - 1];
      if (last?.key === key) last.times.push(s.timestamp ?? NaN);
      else runs.push({ key, times: [s.timestamp ?? NaN] });
    }
    assert.equal(new Set(runs.map((r) => r.key)).size, runs.length, `${f.name} has interleaved series`);
    for (const r of runs) assert.ok(r.times.every((t, i) => i === 0 || t > (r.times[i - 1] ?? Infinity)), `${r.key} timestamps must increase`);
  }
}

void describe('OpenMetrics writer', () => {
  void it('writes each family once, series by series in time order, counters as `_total`, then # EOF', () => {
    const out = writeAll([1_700_000_000_000, 1_700_000_060_500], families);
    assert.equal(
      out,
      [
        '# TYPE requests counter',
        '# HELP requests Requests \\"served\\".',
        'requests_total{code="200"} 1.7e+09 1700000000',
        'requests_total{code="200"} 1.7000000605e+09 1700000060.5',
        'requests_total{code="500"} 1 1700000000',
        'requests_total{code="500"} 1 1700000060.5',
        '# TYPE temperature_celsius gauge',
        '# HELP temperature_celsius Line one\\nline two.',
        'temperature_celsius 21.5 1700000000',
        'temperature_celsius 21.5 1700000060.5',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  void it('rejects snapshots out of time order, use after end, and a family changing type', () => {
    const writer = createOpenMetricsWriter(() => undefined);
    writer.add(2000, families(2000));
    assert.throws(() => writer.add(2000, families(2000)), RangeError);
    assert.throws(() => writer.add(1000, families(1000)), RangeError);
    assert.throws(() => writer.add(3000, [{ name: 'temperature_celsius', help: '', type: 'counter', samples: () => [] }]), TypeError);
    writer.end();
    assert.throws(() => writer.add(4000, families(4000)));
    assert.throws(() => writer.end());
  });

  void it('rejects a duplicate series within one snapshot', () => {
    const writer = createOpenMetricsWriter(() => undefined);
    const dup: MetricFamily = { name: 'x', help: '', type: 'gauge', samples: () => [{ labels: [], value: 1 }, { labels: [], value: 2 }] };
    assert.throws(() => writer.add(1000, [dup]), /duplicate series/);
  });
});

void describe('OpenMetrics history backfilled by promtool', () => {
  void it('turns two hours of the test cluster at 60 s into TSDB blocks', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'krm-om-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const store = buildTestCluster(new MapStore());
    const file = join(dir, 'history.om');
    const chunks: string[] = [];
    const writer = createOpenMetricsWriter((chunk) => chunks.push(chunk));
    // The manual clock: one snapshot per minute from the scenario start, for two hours.
    for (let ms = START_MS; ms <= START_MS + 2 * 3_600_000; ms += 60_000) {
      writer.add(ms, clusterMetricFamilies({ store, usage: new TimeUsage(store, ms), nowMs: ms }));
    }
    writer.end();
    const text = chunks.join('');
    writeFileSync(file, text);
    assertSeriesContiguous(text);

    const res = spawnSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', file, join(dir, 'blocks')], { encoding: 'utf8' });
    assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
    const blocks = readdirSync(join(dir, 'blocks')).filter((d) => existsSync(join(dir, 'blocks', d, 'meta.json')));
    assert.ok(blocks.length >= 1, 'at least one block');
    const samples = blocks
      .map((b) => JSON.parse(readFileSync(join(dir, 'blocks', b, 'meta.json'), 'utf8')) as { stats: { numSamples: number } })
      .reduce((a, m) => a + m.stats.numSamples, 0);
    // promtool silently drops samples it sees out of order; every one of ours must have made it into a block.
    assert.equal(samples, writer.sampleCount);
  });
});
