// SPDX-License-Identifier: Apache-2.0
// Bytes per stored sample on real usage data: the Nezha pod traces (../shared/traces/nezha, 1-minute CPU and memory
// of 51 pods, read in place) go through the live ingest path into a real SQLite file, and the raw tier's pages
// (table and indexes, from dbstat) are divided by the samples stored. Target: at most 4 bytes per sample.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeriesKey } from '../domain/series.ts';
import { manualClock, openTestStore, tempDir } from './testing.ts';

const NEZHA = fileURLToPath(new URL('../../../shared/traces/nezha/', import.meta.url));
const MIB = 2 ** 20;

interface Trace {
  readonly pod: string;
  readonly ts: number[];
  readonly cpu: number[];
  readonly mem: number[];
}

function loadTraces(): Trace[] {
  const out: Trace[] = [];
  for (const day of ['onlineboutique-2022-08-22', 'trainticket-2023-01-29']) {
    const dir = join(NEZHA, day, 'pods');
    for (const file of readdirSync(dir).sort()) {
      const rows = readFileSync(join(dir, file), 'utf8').trim().split('\n').slice(1);
      const cols = rows.map((r) => r.split(','));
      out.push({
        pod: file.replace(/\.csv$/, ''),
        ts: cols.map((c) => Number(c[0]) * 1000),
        cpu: cols.map((c) => Number(c[2])),
        mem: cols.map((c) => Math.round(Number(c[3]) * MIB)),
      });
    }
  }
  return out;
}

void describe('bytes per sample at rest on real traces', { skip: !existsSync(NEZHA) && 'shared/traces not present' }, () => {
  void it('stores the raw tier in at most 4 bytes per sample and reads the samples back', async (t) => {
    const traces = loadTraces();
    const keys: SeriesKey[] = traces.flatMap((tr) => [
      { cluster: 'nezha', kind: 'pod', entity: `default/${tr.pod}`, metric: 'cpu_m' },
      { cluster: 'nezha', kind: 'pod', entity: `default/${tr.pod}`, metric: 'mem_ws_b' },
    ]);
    const end = Math.max(...traces.map((tr) => tr.ts[tr.ts.length - 1] ?? 0));
    const clock = manualClock(end + 3 * 3_600_000);
    // The two trace days are five months apart: keep raw long enough that rotation expires neither.
    const store = await openTestStore(t, { path: join(tempDir(t), 'nezha.db'), clock, retentionMs: { raw: 3650 * 86_400_000 } });
    const ids = await store.resolveSeries(keys);
    // One append per pod and minute, as the sampler would (samples of a cycle share nothing but the batch).
    let stored = 0;
    traces.forEach((tr, p) => {
      const seriesIds = [ids[2 * p] ?? 0, ids[2 * p + 1] ?? 0];
      for (let i = 0; i < tr.ts.length; i++) {
        void store.append({ seriesIds, timestampsMs: [tr.ts[i] ?? 0, tr.ts[i] ?? 0], values: [tr.cpu[i] ?? 0, tr.mem[i] ?? 0] });
        stored += 2;
      }
    });
    await store.rotate(); // cuts the last heads: everything is in chunk rows now
    const raw = store.storageStats().raw;
    assert.equal(raw.items, stored);
    const bytesPerSample = raw.diskBytes / raw.items;
    t.diagnostic(`raw tier: ${raw.items} samples, ${raw.rows} chunks, ${(raw.payloadBytes / raw.items).toFixed(2)} B/sample payload, ${bytesPerSample.toFixed(2)} B/sample on disk`);
    assert.ok(bytesPerSample <= 4, `${bytesPerSample.toFixed(2)} bytes per sample`);

    const tr = traces[0] as Trace;
    const range = { fromMs: tr.ts[0] ?? 0, toMs: (tr.ts[tr.ts.length - 1] ?? 0) + 1 };
    const res = await store.query({ seriesIds: [ids[0] ?? 0, ids[1] ?? 0], ...range, stepMs: 1000, tier: 'raw' });
    const [cpu, mem] = res.series;
    assert.equal(cpu?.points.length, tr.ts.length);
    cpu?.points.forEach((pt, i) => assert.ok(Math.abs(pt.mean - (tr.cpu[i] ?? 0)) <= 0.0005 + 1e-12));
    assert.deepEqual(mem?.points.map((pt) => pt.mean), tr.mem, 'memory bytes are exact');
  });
});
