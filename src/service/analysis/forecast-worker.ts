// SPDX-License-Identifier: Apache-2.0
// Entry of a forecast worker thread (forecast-pool.ts): forecasts each job's inputs with the same pure function the
// pass would call, and sends the results back with their paths' buffers transferred. An exception in a forecast is
// sent back as the job's error, as the pass would have seen it thrown.
import { parentPort } from 'node:worker_threads';
import { forecastSeries } from '../../analysis/forecast/index.ts';
import { packForecast, unpackInput, type ForecastJob, type ForecastReply, type WireForecast } from './forecast-wire.ts';

function run(job: ForecastJob): { reply: ForecastReply; transfer: ArrayBuffer[] } {
  try {
    const transfer: ArrayBuffer[] = [];
    const forecasts: WireForecast[] = job.inputs.map((w) => {
      const packed = packForecast(forecastSeries(unpackInput(w)));
      transfer.push(...packed.transfer);
      return packed.message;
    });
    return { reply: { id: job.id, forecasts }, transfer };
  } catch (e) {
    const error = e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
    return { reply: { id: job.id, error }, transfer: [] };
  }
}

parentPort?.on('message', (job: ForecastJob) => {
  const { reply, transfer } = run(job);
  parentPort?.postMessage(reply, transfer);
});
