// SPDX-License-Identifier: Apache-2.0
// History mode end to end: `krm sim history` writes OpenMetrics, promtool turns it into real TSDB blocks, and a real
// Prometheus serves the past samples from them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus } from '../support/prometheus.ts';
import { promtoolPath, repoRoot } from '../support/tools.ts';

test('krm sim history → promtool blocks → Prometheus answers range queries over the past', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'krm-history-'));
  const file = join(dir, 'history.om');
  const out = execFileSync(process.execPath, [join(repoRoot, 'bin', 'krm.js'), 'sim', 'history', '--scenario', 'demo', '--days', '0.05', '--step', '60', '--output', file], { encoding: 'utf8' });
  assert.match(out, /samples of \d+ series/);
  const fd = openSync(file, 'r');
  const size = fstatSync(fd).size;
  const head = Buffer.alloc(64 * 1024);
  readSync(fd, head, 0, head.length, 0);
  const tail = Buffer.alloc(6);
  readSync(fd, tail, 0, 6, size - 6);
  closeSync(fd);
  assert.match(head.toString(), /^# TYPE \w+ (counter|gauge)$/m);
  assert.equal(tail.toString(), '# EOF\n');
  const dataDir = join(dir, 'data');
  execFileSync(promtoolPath(), ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], { encoding: 'utf8' });
  const prom = await startPrometheus({ config: 'global:\n  scrape_interval: 1h\nscrape_configs: []\n', dataDir });
  try {
    const end = Math.floor(Date.now() / 1000);
    const q = new URLSearchParams({
      query: 'sum(rate(container_cpu_usage_seconds_total{container!=""}[5m]))',
      start: String(end - 3600),
      end: String(end),
      step: '60',
    });
    const r = (await (await fetch(`${prom.url}/api/v1/query_range`, { method: 'POST', body: q })).json()) as {
      data: { result: { values: [number, string][] }[] };
    };
    const values = r.data.result[0]?.values ?? [];
    assert.ok(values.length >= 50, `expected about 60 points over the last hour, got ${values.length}`);
    assert.ok(values.every(([, v]) => Number(v) > 0), 'the cluster used CPU all along');
    const mem = await prom.query('count(container_memory_working_set_bytes)');
    // Instant queries look back 5 minutes only; the history ends "now", so the latest samples are visible.
    assert.ok(Number(mem[0]?.value[1] ?? 0) > 50);
  } finally {
    await prom.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
