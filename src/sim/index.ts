// SPDX-License-Identifier: Apache-2.0
// The simulated cluster as a module: the demo, the tests and the benchmarks start it in-process with
// startSimulationServer; `krm sim` is a thin command around the same function.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors/app-error.ts';
import { startSimServer, type SimServer } from './api/server.ts';
import { loadScenario } from './model/scenario/load.ts';
import type { Scenario } from './model/scenario/schema.ts';
import { Simulation, type SimulationOptions } from './simulation.ts';

export { defaultStart, Simulation, type SimulationOptions, type SimulationSummary } from './simulation.ts';
export { kubeconfigFor, prometheusScrapeConfig } from './client-config.ts';
export { writeHistory } from './history.ts';
export type { SimServer } from './api/server.ts';

export interface StartOptions extends Omit<SimulationOptions, 'scenario'> {
  /** A built-in scenario name, a path to a scenario file, or a parsed scenario. */
  scenario: string | Scenario;
  host?: string;
  port?: number;
  tls?: boolean;
  token?: string;
  bookmarkIntervalMs?: number;
  /** Path of a cluster dump to load instead of the scenario's objects. */
  dumpFile?: string;
}

function readDump(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new InputError('KRM_INPUT_INVALID', `cannot read the cluster dump ${path}`, { cause });
  }
}

export interface RunningSimulation {
  simulation: Simulation;
  server: SimServer;
  stop(): Promise<void>;
}

export async function startSimulationServer(opts: StartOptions): Promise<RunningSimulation> {
  const scenario = typeof opts.scenario === 'string' ? loadScenario(opts.scenario) : opts.scenario;
  const simulation = new Simulation(scenario, { ...opts, dump: opts.dumpFile ? readDump(opts.dumpFile) : opts.dump });
  simulation.start(opts.tickMs);
  try {
    const server = await startSimServer({
      backend: simulation,
      host: opts.host,
      port: opts.port,
      tls: opts.tls,
      token: opts.token,
      bookmarkIntervalMs: opts.bookmarkIntervalMs,
    });
    return {
      simulation,
      server,
      stop: async () => {
        simulation.stop();
        await server.close();
      },
    };
  } catch (err) {
    simulation.stop();
    throw err;
  }
}
