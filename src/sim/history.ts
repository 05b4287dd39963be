// SPDX-License-Identifier: Apache-2.0
// History mode: runs a scenario over N past days as fast as the usage model steps, and writes the samples either
// as OpenMetrics (for `promtool tsdb create-blocks-from openmetrics`, which makes real Prometheus blocks) or as
// JSON lines the monitor imports. Only the families that carry history are written: usage counters and gauges,
// declared requests and limits, restarts and volume fill. Static inventory series would only repeat themselves.
import { closeSync, openSync, writeSync } from 'node:fs';
import { clusterMetricFamilies, createOpenMetricsWriter, type MetricFamily } from './exporters/index.ts';
import { loadScenario } from './model/scenario/load.ts';
import { Simulation } from './simulation.ts';
import { HISTORY_FAMILIES } from './history-families.ts';

export { HISTORY_FAMILIES } from './history-families.ts';

export interface HistoryRequest {
  scenario: string;
  seed?: number;
  days: number;
  /** Seconds between samples. */
  step: number;
  format: 'openmetrics' | 'jsonl';
  output: string;
  /** End of the history, epoch ms (default: now). */
  endMs?: number;
  /**
   * Only these families (a subset of {@link HISTORY_FAMILIES}); default all. Weeks of history for a tool that reads
   * a few families (`krm report`'s benchmark) stay a fraction of the size.
   */
  families?: readonly string[];
}

export interface HistoryResult {
  samples: number;
  series: number;
  fromMs: number;
  toMs: number;
}

interface SampleSink {
  add(tMs: number, families: MetricFamily[]): void;
  end(): { samples: number; series: number };
}

function openMetricsSink(write: (chunk: string) => void): SampleSink {
  const w = createOpenMetricsWriter(write);
  const series = new Set<string>();
  return {
    add: (t, families) => {
      w.add(t, families);
      if (series.size === 0) for (const f of families) for (const s of f.samples()) series.add(f.name + JSON.stringify(s.labels));
    },
    end: () => {
      const samples = w.sampleCount;
      w.end();
      return { samples, series: series.size };
    },
  };
}

/**
 * JSON lines: `{"series":N,"metric":NAME,"labels":{...}}` once per series, then one `{"t":MS,"v":[[N,VALUE],...]}`
 * per step, so the file streams in time order and stays compact.
 */
function jsonlSink(write: (chunk: string) => void): SampleSink {
  const ids = new Map<string, number>();
  let samples = 0;
  return {
    add: (t, families) => {
      const values: [number, number][] = [];
      for (const f of families) {
        for (const s of f.samples()) {
          const key = f.name + JSON.stringify(s.labels);
          let id = ids.get(key);
          if (id === undefined) {
            id = ids.size;
            ids.set(key, id);
            write(`${JSON.stringify({ series: id, metric: f.name, labels: Object.fromEntries(s.labels) })}\n`);
          }
          values.push([id, s.value]);
        }
      }
      samples += values.length;
      write(`${JSON.stringify({ t, v: values })}\n`);
    },
    end: () => ({ samples, series: ids.size }),
  };
}

export async function writeHistory(req: HistoryRequest): Promise<HistoryResult> {
  const toMs = req.endMs ?? Date.now();
  const stepMs = req.step * 1000;
  const fromMs = Math.floor((toMs - req.days * 86_400_000) / stepMs) * stepMs;
  const sim = new Simulation(loadScenario(req.scenario), { seed: req.seed, startMs: fromMs, speed: 0 });
  const wanted = req.families ? new Set(req.families.filter((f) => HISTORY_FAMILIES.has(f))) : HISTORY_FAMILIES;
  // The loop is synchronous and the OpenMetrics writer emits the whole file in one burst at the end (gigabytes for
  // weeks of history): writes go straight to the file descriptor, since a stream would queue all of it in memory
  // (and its vectored write of such a backlog fails).
  const fd = openSync(req.output, 'w');
  try {
    const write = (chunk: string): void => void writeSync(fd, chunk);
    const sink = req.format === 'openmetrics' ? openMetricsSink(write) : jsonlSink(write);
    for (let t = fromMs + stepMs; t <= toMs; t += stepMs) {
      sim.advanceTo(t);
      sink.add(t, clusterMetricFamilies({ store: sim.store, usage: sim.usage, nowMs: t }).filter((f) => wanted.has(f.name)));
    }
    return { ...sink.end(), fromMs, toMs };
  } finally {
    closeSync(fd);
  }
}
