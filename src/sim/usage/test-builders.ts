// SPDX-License-Identifier: Apache-2.0
// Builders shared by the usage engine tests (not used by production code).
import { UsageEngine } from './engine.ts';
import type { ContainerSpec, UsageEngineOptions } from './engine.ts';
import { DAY_MS } from '../../domain/time.ts';

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;
/** Monday 2025-01-06 00:00 UTC. */
export const START_MS = Date.UTC(2025, 0, 6);

/** An engine at START_MS with one 16-core, 64 GiB node called `node-a`. */
export function anEngine(opts: Partial<UsageEngineOptions> = {}): UsageEngine {
  const engine = new UsageEngine({ seed: 1, startMs: START_MS, ...opts });
  engine.addNode({
    name: 'node-a',
    cpuCores: 16,
    memoryBytes: 64 * GIB,
    fsCapacityBytes: 100 * GIB,
    bootTimeMs: START_MS - DAY_MS,
  });
  return engine;
}

/** A steady container `default/web-0/app` (0.5 core / 512 MiB requests, 1 core / 1 GiB limits) on node-a. */
export function aContainer(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    namespace: 'default',
    pod: 'web-0',
    container: 'app',
    profile: { kind: 'steady' },
    requests: { cpuCores: 0.5, memoryBytes: 512 * MIB },
    limits: { cpuCores: 1, memoryBytes: 1024 * MIB },
    startedAtMs: START_MS,
    node: 'node-a',
    ...overrides,
  };
}

/** Samples `read` after each step of `stepMs` from the engine's now to `toMs`. */
export function sample<T>(engine: UsageEngine, every: { toMs: number; stepMs: number }, read: () => T): T[] {
  const out: T[] = [];
  for (let t = engine.nowMs() + every.stepMs; t <= every.toMs; t += every.stepMs) {
    engine.advance(t);
    out.push(read());
  }
  return out;
}
