// SPDX-License-Identifier: Apache-2.0
// The demo's week of history: the first start on an empty database writes it into chunks and rollups under the
// collector's series keys, and a second start on the same database does not write it again.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { METRIC } from '../../src/domain/series.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createLifecycle, type Lifecycle } from '../../src/runtime/lifecycle.ts';
import { startDemo, type RunningDemo } from '../../src/service.ts';
import { DAY_MS } from '../../src/domain/time.ts';

const dir = mkdtempSync(join(tmpdir(), 'krm-service-history-'));
const dbPath = join(dir, 'k8s_metrics.db');

interface Started {
  readonly demo: RunningDemo;
  readonly lifecycle: Lifecycle;
  readonly messages: string[];
  readonly ms: number;
}

async function start(): Promise<Started> {
  const messages: string[] = [];
  const write = (line: string): void => {
    messages.push(String((JSON.parse(line) as { message?: unknown }).message));
  };
  const log = createLogger({ level: 'info', destination: { write } });
  const config = loadConfig({ flags: { port: '0', host: '127.0.0.1', db: dbPath }, env: {}, cwd: dir, readFile: () => undefined });
  const lifecycle = createLifecycle({ process: { on: () => undefined, removeListener: () => undefined, exit: () => undefined }, log });
  const begun = Date.now();
  const demo = await startDemo({ config, log, lifecycle });
  return { demo, lifecycle, messages, ms: Date.now() - begun };
}

async function until<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('the first demo start seeds a week of history; a restart does not seed again', async () => {
  const first = await start();
  const built = first.demo.simulation.simulation.built;
  const oldest = [...built.containers].sort((a, b) => a.startedAtMs - b.startedAtMs)[0];
  const entity = oldest === undefined ? '' : `${oldest.namespace}/${oldest.pod}/${oldest.container}`;
  try {
    assert.ok(first.ms < 20_000, `ready in ${first.ms} ms`);
    assert.ok(first.messages.includes('demo history written'), 'history written');
    assert.ok(oldest !== undefined && oldest.startedAtMs < built.nowMs - 7 * DAY_MS, 'a container older than the week');
    const nowMs = first.demo.simulation.simulation.nowMs();
    const selector = { kind: 'container' as const, entity, metrics: [METRIC.cpuMillicores] };
    const result = await first.demo.store.query({ selector, fromMs: nowMs - 7 * DAY_MS, toMs: nowMs });
    const points = result.series[0]?.points ?? [];
    assert.ok(points.length > 0, 'history points');
    const spanMs = (points.at(-1)?.tsMs ?? 0) - (points[0]?.tsMs ?? 0);
    assert.ok(spanMs >= 6.5 * DAY_MS, `points span ${(spanMs / DAY_MS).toFixed(2)} days`);
    // The collector appends to the same series: one CPU series for the container after a collection.
    await until('the first collection', () => first.demo.collector.lastCollection());
    assert.equal((await first.demo.store.findSeries(selector)).length, 1);
  } finally {
    assert.equal(await first.lifecycle.shutdown('test'), 0);
  }
  const second = await start();
  try {
    assert.ok(second.messages.includes('demo history skipped: the database already holds data'), 'skipped on restart');
    assert.ok(!second.messages.includes('demo history written'));
    const series = await second.demo.store.findSeries({ kind: 'container', entity, metrics: [METRIC.cpuMillicores] });
    assert.equal(series.length, 1);
  } finally {
    assert.equal(await second.lifecycle.shutdown('test'), 0);
  }
});
