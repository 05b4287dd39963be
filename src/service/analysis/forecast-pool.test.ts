// SPDX-License-Identifier: Apache-2.0
// The forecast worker pool against forecasts made in the calling thread: the same forecasts bit for bit (samples,
// regular series that are views of a larger grid, flat and short series, a kept model), a worker that cannot start
// (every forecast made here instead, logged once), and closing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forecastSeries, type Forecast, type ForecastInput } from '../../analysis/forecast/index.ts';
import { RecordingLogger } from '../../logging/recording-logger.ts';
import { ForecastPool, forecastThreadsFor, inlineForecaster } from './forecast-pool.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 20);
const HORIZON = 7 * 24 * HOUR;

/** A deterministic pseudo-random sequence (a linear congruential generator), so that the series are noisy. */
function noise(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31 - 0.5;
  };
}

/** Hourly samples over `days` days to NOW: a level, a daily cycle, a trend and noise. */
function hourly(days: number, o: { level: number; cycle: number; trend: number; seed: number }) {
  const rnd = noise(o.seed);
  const out: { tsMs: number; value: number }[] = [];
  for (let ts = NOW - days * 24 * HOUR, h = 0; ts <= NOW; ts += HOUR, h++) out.push({ tsMs: ts, value: o.level + o.cycle * Math.sin((2 * Math.PI * h) / 24) + o.trend * h + o.level * 0.05 * rnd() });
  return out;
}

function inputs(): ForecastInput[] {
  // Regular series are views into one grid, as the requests history hands them out: the grid must stay whole.
  const grid = new Float64Array(3 * 336);
  for (let i = 0; i < grid.length; i++) grid[i] = 1000 + (i % 336) * 2 + (i % 24) * 10;
  const start = NOW - 335 * HOUR;
  const regular = [0, 1, 2].map((k) => ({ startMs: start, stepMs: HOUR, values: grid.subarray(k * 336, (k + 1) * 336) }));
  const at = { nowMs: NOW, horizonMs: HORIZON };
  const list: ForecastInput[] = [
    ...Array.from({ length: 40 }, (_, i) => ({ samples: hourly(14, { level: 500 + i, cycle: 50, trend: i % 3, seed: i + 1 }), ...at })),
    ...regular.map((samples) => ({ samples, ...at })),
    { samples: hourly(14, { level: 7, cycle: 0, trend: 0, seed: 0 }).map((s) => ({ ...s, value: 7 })), ...at },
    { samples: hourly(0.1, { level: 3, cycle: 1, trend: 0, seed: 9 }), ...at },
    { samples: [], ...at },
  ];
  const kept = forecastSeries(list[0] as ForecastInput).choice;
  if (kept !== undefined) list.push({ ...(list[1] as ForecastInput), reuse: kept });
  return list;
}

const same = (a: readonly Forecast[], b: readonly Forecast[]): void => assert.equal(JSON.stringify(a), JSON.stringify(b));

describe('forecast pool', () => {
  it('forecasts in worker threads exactly what the calling thread forecasts, in order', async (t) => {
    // Logged: a worker that failed would hand every forecast to this thread, and the answers would match regardless.
    const log = new RecordingLogger();
    const pool = new ForecastPool({ threads: 2, log });
    t.after(() => pool.close());
    const list = inputs();
    const expected = await Promise.all(list.map((i) => inlineForecaster.forecast(i)));
    const got = await Promise.all(list.map((i) => pool.forecast(i)));
    same(got, expected);
    assert.ok(got.some((f) => f.status === 'ok' && f.method !== 'constant' && f.points.length > 0));
    assert.ok(got.some((f) => f.method === 'constant') && got.some((f) => f.status === 'insufficient_data'));
    // The inputs' grid was copied, not transferred away: the regular series still read.
    const regular = list[40]?.samples as { values: ArrayLike<number> };
    assert.equal(regular.values.length, 336);
    assert.equal(regular.values[1], 1012);
    // A second round on the running workers.
    same(await Promise.all(list.slice(0, 5).map((i) => pool.forecast(i))), expected.slice(0, 5));
    assert.deepEqual(log.of('analysis.workers_failed'), []);
    assert.equal(pool.concurrent, true);
  });

  it('a worker that cannot start: every forecast is made in the calling thread, the failure logged once', async (t) => {
    const log = new RecordingLogger();
    const pool = new ForecastPool({ threads: 1, log, workerUrl: new URL('./no-such-forecast-worker.ts', import.meta.url) });
    t.after(() => pool.close());
    const list = inputs().slice(0, 6);
    same(await Promise.all(list.map((i) => pool.forecast(i))), await Promise.all(list.map((i) => inlineForecaster.forecast(i))));
    same(await Promise.all(list.map((i) => pool.forecast(i))), await Promise.all(list.map((i) => inlineForecaster.forecast(i))));
    assert.equal(log.of('analysis.workers_failed').length, 1);
    // From then on the pass forecasts itself, in its small blocks.
    assert.equal(pool.concurrent, false);
    assert.equal(pool.batch, inlineForecaster.batch);
    assert.equal(log.entries[0]?.level, 'warn');
  });

  it('closed: forecasts waiting and asked afterwards are refused as aborted (the pass stops, it saves nothing)', async () => {
    const pool = new ForecastPool({ threads: 1 });
    const first = inputs()[0] as ForecastInput;
    assert.equal((await pool.forecast(first)).status, 'ok');
    const waiting = assert.rejects(pool.forecast(first), { name: 'AbortError', message: 'forecast pool closed' });
    await pool.close();
    await waiting;
    await assert.rejects(pool.forecast(first), { name: 'AbortError', message: 'forecast pool closed' });
  });

  it('default threads: none on one or two cores (the pass keeps more than one busy), one per core beyond two, at most 4', () => {
    assert.deepEqual([1, 2, 3, 4, 6, 8, 64].map(forecastThreadsFor), [0, 0, 1, 2, 4, 4, 4]);
  });
});
