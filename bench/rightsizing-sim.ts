// SPDX-License-Identifier: Apache-2.0
// Usage traces from a simulator scenario's usage model, generated in-process the way the demo's history is
// (src/service/demo-history.ts): a usage engine with the scenario's seed, nodes and containers steps over a few
// days and every running container is read at each step. Each trace carries the container's requests and limits.
import { loadScenario } from '../src/sim/model/scenario/load.ts';
import { Simulation } from '../src/sim/index.ts';
import { UsageEngine } from '../src/sim/usage/engine.ts';
import type { UsageTrace } from '../src/analysis/replay/index.ts';
import type { Resources } from '../src/analysis/rightsizing/index.ts';
import { DAY_MS } from '../src/domain/time.ts';

export interface SimTraceOptions {
  readonly scenario: string;
  readonly days: number;
  readonly stepMs: number;
  /** At most this many containers (the first ones of the scenario), to bound the run time. */
  readonly maxContainers?: number;
}

type Amounts = { cpuCores?: number; memoryBytes?: number };

/** The container's spec in millicores and bytes; an unset amount stays absent. */
function specOf(c: { requests: Amounts; limits: Amounts }): Resources {
  const m = (cores: number | undefined): number | undefined => (cores === undefined ? undefined : cores * 1000);
  const entries = Object.entries({
    cpuRequest: m(c.requests.cpuCores),
    cpuLimit: m(c.limits.cpuCores),
    memRequest: c.requests.memoryBytes,
    memLimit: c.limits.memoryBytes,
  }).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries) as Resources;
}

export function simTraces(opts: SimTraceOptions): UsageTrace[] {
  const startMs = Date.parse('2026-01-05T00:00:00Z');
  const sim = new Simulation(loadScenario(opts.scenario), { startMs });
  const { built } = sim;
  const steps = Math.round((opts.days * DAY_MS) / opts.stepMs);
  const fromMs = startMs - steps * opts.stepMs;
  const engine = new UsageEngine({ seed: built.seed, startMs: fromMs, stepMs: opts.stepMs, capacityHint: built.containers.length });
  for (const n of built.nodes) {
    engine.addNode({ name: n.name, cpuCores: n.cpuCores, memoryBytes: n.memoryBytes, fsCapacityBytes: n.ephemeralStorageBytes, bootTimeMs: n.bootTimeMs });
  }
  for (const c of built.containers) engine.addContainer(c);
  const containers = built.containers.slice(0, opts.maxContainers ?? built.containers.length);
  const perPod = new Map<string, number>();
  for (const c of built.containers) perPod.set(`${c.namespace}/${c.pod}`, (perPod.get(`${c.namespace}/${c.pod}`) ?? 0) + 1);
  const ts = new Float64Array(steps);
  const cols = containers.map(() => ({ cpu: new Float64Array(steps).fill(Number.NaN), memory: new Float64Array(steps).fill(Number.NaN) }));
  let k = 0;
  for (const t of engine.history(fromMs, startMs, opts.stepMs)) {
    if (k >= steps) break;
    ts[k] = t;
    containers.forEach((c, j) => {
      const u = t < c.startedAtMs ? undefined : engine.container(c.namespace, c.pod, c.container);
      if (u === undefined) return;
      (cols[j] as { cpu: Float64Array }).cpu[k] = u.cpuCores * 1000;
      (cols[j] as { memory: Float64Array }).memory[k] = u.memoryWorkingSetBytes;
    });
    k++;
  }
  sim.stop();
  return containers.map((c, j) => ({
    name: `${c.namespace}/${c.pod}/${c.container}`,
    dataset: `sim-${opts.scenario}`,
    tsMs: ts.subarray(0, k),
    cpu: (cols[j] as { cpu: Float64Array }).cpu.subarray(0, k),
    memory: (cols[j] as { memory: Float64Array }).memory.subarray(0, k),
    current: specOf(c),
    containersInPod: perPod.get(`${c.namespace}/${c.pod}`) ?? 1,
  }));
}
