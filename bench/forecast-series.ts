// SPDX-License-Identifier: Apache-2.0
// Long series for the forecast evaluation. Simulator: a usage engine with the scenario's seed, nodes and containers
// (as src/service/demo-history.ts builds the demo's history) steps over weeks forward from the scenario's start,
// when every container is running (before it the containers start one by one over the preceding days, which is a
// ramp, not usage), and the reads are summed per namespace and for the cluster, the totals the collector stores.
// Real: the Nezha pod traces (`timestamp,pod,cpu_millicores,memory_mib`, epoch seconds, 1-minute steps).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sample } from '../src/domain/series.ts';
import { loadScenario } from '../src/sim/model/scenario/load.ts';
import { Simulation } from '../src/sim/index.ts';
import { UsageEngine } from '../src/sim/usage/engine.ts';
import { DAY_MS } from '../src/domain/time.ts';

export interface EvalSeries {
  readonly dataset: string;
  readonly name: string;
  readonly samples: Sample[];
}

export interface SimSeriesOptions {
  readonly scenario: string;
  readonly days: number;
  readonly stepMs: number;
  /** Namespaces kept besides the cluster: the largest by mean CPU. */
  readonly namespaces: number;
}

type Sums = Map<string, { cpu: Float64Array; memory: Float64Array }>;

function engineFor(sim: Simulation, fromMs: number, stepMs: number): UsageEngine {
  const { built } = sim;
  const engine = new UsageEngine({ seed: built.seed, startMs: fromMs, stepMs, capacityHint: built.containers.length });
  for (const n of built.nodes) {
    engine.addNode({ name: n.name, cpuCores: n.cpuCores, memoryBytes: n.memoryBytes, fsCapacityBytes: n.ephemeralStorageBytes, bootTimeMs: n.bootTimeMs });
  }
  for (const c of built.containers) engine.addContainer(c);
  return engine;
}

function sumsOf(sim: Simulation, opts: SimSeriesOptions, fromMs: number): { ts: Float64Array; sums: Sums } {
  const steps = Math.round((opts.days * DAY_MS) / opts.stepMs);
  const engine = engineFor(sim, fromMs, opts.stepMs);
  const sums: Sums = new Map();
  const col = (key: string): { cpu: Float64Array; memory: Float64Array } => {
    let c = sums.get(key);
    if (c === undefined) sums.set(key, (c = { cpu: new Float64Array(steps), memory: new Float64Array(steps) }));
    return c;
  };
  const ts = new Float64Array(steps);
  let k = 0;
  for (const t of engine.history(fromMs, fromMs + steps * opts.stepMs, opts.stepMs)) {
    if (k >= steps) break;
    ts[k] = t;
    for (const c of sim.built.containers) {
      const u = engine.container(c.namespace, c.pod, c.container);
      if (u === undefined) continue;
      for (const key of ['cluster', `ns/${c.namespace}`]) {
        const s = col(key);
        s.cpu[k] = (s.cpu[k] as number) + u.cpuCores * 1000;
        s.memory[k] = (s.memory[k] as number) + u.memoryWorkingSetBytes;
      }
    }
    k++;
  }
  return { ts: ts.subarray(0, k), sums };
}

const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);

export function simSeries(opts: SimSeriesOptions): EvalSeries[] {
  const fromMs = Date.parse('2026-01-05T00:00:00Z');
  const sim = new Simulation(loadScenario(opts.scenario), { startMs: fromMs });
  const { ts, sums } = sumsOf(sim, opts, fromMs);
  sim.stop();
  const namespaces = [...sums.entries()]
    .filter(([key]) => key !== 'cluster')
    .sort((a, b) => mean(b[1].cpu) - mean(a[1].cpu))
    .slice(0, opts.namespaces);
  const kept = [['cluster', sums.get('cluster')], ...namespaces] as [string, { cpu: Float64Array; memory: Float64Array }][];
  const toSamples = (v: Float64Array): Sample[] => Array.from(v, (value, i) => ({ tsMs: ts[i] as number, value }));
  return kept.flatMap(([key, c]) => [
    { dataset: `sim-${opts.scenario}`, name: `${key} cpu_m`, samples: toSamples(c.cpu.subarray(0, ts.length)) },
    { dataset: `sim-${opts.scenario}`, name: `${key} mem_ws_b`, samples: toSamples(c.memory.subarray(0, ts.length)) },
  ]);
}

/** Every `<day>/pods/<pod>.csv` of a Nezha-layout folder: CPU and memory series per pod. */
export function traceSeries(dir: string): EvalSeries[] {
  const out: EvalSeries[] = [];
  for (const day of readdirSync(dir, { withFileTypes: true })) {
    if (!day.isDirectory()) continue;
    const podsDir = join(dir, day.name, 'pods');
    let files: string[];
    try {
      files = readdirSync(podsDir).filter((f) => f.endsWith('.csv'));
    } catch {
      continue;
    }
    for (const f of files.sort()) out.push(...podSeries(day.name, join(podsDir, f)));
  }
  return out;
}

function podSeries(dataset: string, file: string): EvalSeries[] {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = (lines[0] ?? '').split(',');
  const [iTs, iCpu, iMem] = ['timestamp', 'cpu_millicores', 'memory_mib'].map((c) => header.indexOf(c));
  const cpu: Sample[] = [];
  const memory: Sample[] = [];
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const tsMs = Number(f[iTs as number]) * 1000;
    cpu.push({ tsMs, value: Number(f[iCpu as number]) });
    memory.push({ tsMs, value: Number(f[iMem as number]) });
  }
  const pod = file.slice(file.lastIndexOf('/') + 1, -4);
  return [
    { dataset, name: `${pod} cpu`, samples: cpu },
    { dataset, name: `${pod} memory`, samples: memory },
  ];
}
