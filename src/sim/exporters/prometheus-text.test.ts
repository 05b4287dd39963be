// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHelp, escapeLabelValue, prometheusTextToString, renderPrometheusText } from './prometheus-text.ts';
import { defineFamily, withSortedLabel, type MetricFamily } from './series.ts';

const family = (over: Partial<MetricFamily> = {}): MetricFamily => ({
  name: 'demo_bytes',
  help: 'Demo.',
  type: 'gauge',
  samples: () => [
    { labels: [['a', 'z']], value: 2 },
    { labels: [['a', 'b']], value: 1e9 },
  ],
  ...over,
});

void describe('Prometheus text renderer', () => {
  void it('escapes label values and HELP as format 0.0.4 requires', () => {
    assert.equal(escapeLabelValue('plain'), 'plain');
    assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
    assert.equal(escapeHelp('say "hi"\\\nbye'), 'say "hi"\\\\\\nbye');
  });

  void it('writes HELP, TYPE and samples; timestamps only for stamped families; optional sorting', () => {
    assert.equal(prometheusTextToString([family()]), '# HELP demo_bytes Demo.\n# TYPE demo_bytes gauge\ndemo_bytes{a="z"} 2\ndemo_bytes{a="b"} 1e+09\n');
    assert.equal(
      prometheusTextToString([family({ stamped: true })], { timestampMs: 1700000000123, sortSamples: true }),
      '# HELP demo_bytes Demo.\n# TYPE demo_bytes gauge\ndemo_bytes{a="b"} 1e+09 1700000000123\ndemo_bytes{a="z"} 2 1700000000123\n',
    );
    assert.equal(prometheusTextToString([family()], { timestampMs: 1 }), prometheusTextToString([family()]), 'unstamped family');
    assert.equal(prometheusTextToString([family({ samples: () => [{ labels: [], value: 3 }] })]).endsWith('\ndemo_bytes 3\n'), true);
  });

  void it('streams large families in bounded chunks', () => {
    const many = family({ samples: () => Array.from({ length: 20_000 }, (_, i) => ({ labels: [['i', String(i)]], value: i })) });
    const chunks = [...renderPrometheusText([many])];
    assert.ok(chunks.length > 1);
    assert.ok(chunks.every((c) => c.length < 70 * 1024));
    assert.equal(chunks.join(''), prometheusTextToString([many]));
  });
});

void describe('series model', () => {
  void it('requires counters to end in _total (OpenMetrics needs it)', () => {
    assert.throws(() => defineFamily({ name: 'requests', help: '', type: 'counter' }, () => []), TypeError);
    assert.doesNotThrow(() => defineFamily({ name: 'requests_total', help: '', type: 'counter' }, () => []));
  });

  void it('inserts a label at its sorted place', () => {
    const base = [
      ['container', 'app'],
      ['id', '/x'],
    ] as const;
    assert.deepEqual(withSortedLabel(base, 'cpu', 'total'), [
      ['container', 'app'],
      ['cpu', 'total'],
      ['id', '/x'],
    ]);
    assert.deepEqual(withSortedLabel(base, 'zone', 'a').at(-1), ['zone', 'a']);
  });
});
