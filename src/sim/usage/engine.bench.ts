// SPDX-License-Identifier: Apache-2.0
// Micro benchmark of the usage engine at the largest supported cluster: 5,000 nodes, 150,000 pods, 225,000
// containers. Not a test. Run: node --import tsx src/sim/usage/engine.bench.ts [containers]
// Prints the time to add everything, milliseconds per live step, retained memory per container, and the cost of
// a 14-day history at 60 s for a few hundred containers.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { UsageEngine } from './engine.ts';
import type { ContainerSpec } from './engine.ts';
import type { UsageProfile } from './profiles.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const START_MS = Date.UTC(2025, 0, 6);
const PROFILES: UsageProfile[] = [
  { kind: 'steady' },
  { kind: 'steady' },
  { kind: 'steady' },
  { kind: 'idle' },
  { kind: 'idle' },
  { kind: 'spiky' },
  { kind: 'leak' },
  { kind: 'cpu-bound' },
  { kind: 'bursty' },
  { kind: 'sawtooth', sawtooth: { periodSec: 300 } },
];
const SIDECARS = ['app', 'istio-proxy'];

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Heap plus typed-array memory after a full collection (twice, with a pause: backing stores are freed late). */
async function heapBytes(): Promise<number> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Builds the container specs first, so that the caller's strings are not counted as engine memory. */
function buildSpecs(containers: number, nodes: number): ContainerSpec[] {
  const specs: ContainerSpec[] = [];
  for (let pod = 0; specs.length < containers; pod++) {
    const namespace = `team-${pod % 120}`;
    const podName = `svc-${pod % 997}-6d8f9c7b5-${pod.toString(36).padStart(5, 'x')}`;
    const node = `node-${pod % nodes}`;
    const count = pod % 2 === 0 ? 1 : 2;
    for (let k = 0; k < count && specs.length < containers; k++) {
      specs.push({
        namespace,
        pod: podName,
        container: SIDECARS[k] ?? 'app',
        profile: PROFILES[(pod + k) % PROFILES.length] ?? { kind: 'steady' },
        requests: { cpuCores: 0.1 + (pod % 5) * 0.1, memoryBytes: (128 + (pod % 4) * 128) * MIB },
        limits: { cpuCores: 0.5 + (pod % 3) * 0.5, memoryBytes: (512 + (pod % 4) * 256) * MIB },
        startedAtMs: START_MS - (pod % 1000) * 60_000,
        node,
      });
    }
  }
  return specs;
}

async function benchLive(containers: number, nodes: number): Promise<void> {
  const specs = buildSpecs(containers, nodes);
  const before = await heapBytes();
  const engine = new UsageEngine({ seed: 42, startMs: START_MS });
  let t0 = performance.now();
  for (let n = 0; n < nodes; n++) {
    const bootTimeMs = START_MS - 86_400_000;
    engine.addNode({ name: `node-${n}`, cpuCores: 16, memoryBytes: 64 * GIB, fsCapacityBytes: 200 * GIB, bootTimeMs });
  }
  for (const spec of specs) engine.addContainer(spec);
  const addMs = performance.now() - t0;
  const perContainer = ((await heapBytes()) - before) / containers;
  engine.advance(START_MS + 15_000 * 20); // warm-up: let V8 optimise the kernel
  const steps = 40;
  t0 = performance.now();
  engine.advance(START_MS + 15_000 * (20 + steps));
  const stepMs = (performance.now() - t0) / steps;
  write(`containers=${containers} pods≈${Math.round(containers / 1.5)} nodes=${nodes}`);
  write(`add all: ${addMs.toFixed(0)} ms (${((addMs * 1000) / containers).toFixed(2)} µs/container)`);
  write(`step: ${stepMs.toFixed(1)} ms per step (${((stepMs * 1e6) / containers).toFixed(0)} ns/container)`);
  // `specs` is read after the measurement so that the caller's strings stay alive and are not counted.
  write(`memory: ${perContainer.toFixed(0)} bytes/container retained by the engine (${specs.length} specs alive)`);
}

function benchHistory(containers: number): void {
  const engine = new UsageEngine({ seed: 7, startMs: START_MS });
  engine.addNode({ name: 'node-0', cpuCores: 16, memoryBytes: 64 * GIB, fsCapacityBytes: 200 * GIB, bootTimeMs: 0 });
  for (const spec of buildSpecs(containers, 1)) engine.addContainer(spec);
  const t0 = performance.now();
  let samples = 0;
  const toMs = START_MS + 14 * 86_400_000;
  engine.runHistory({ fromMs: START_MS, toMs, stepMs: 60_000, onStep: () => samples++ });
  const ms = performance.now() - t0;
  write(`history: 14 days at 60 s (${samples} steps) for ${containers} containers: ${ms.toFixed(0)} ms`);
}

const containers = Number(process.argv[2] ?? 225_000);
await benchLive(containers, Math.max(1, Math.round(containers / 45)));
benchHistory(300);
