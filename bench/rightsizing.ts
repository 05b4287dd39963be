// SPDX-License-Identifier: Apache-2.0
// `npm run bench:rightsizing`: replays the rightsizing strategies on usage traces (recommend from the past, score on
// what follows; see src/analysis/replay/) and prints, per data set and in total, each strategy's CPU
// under-provisioning, OOM kills and idle reserved CPU and memory. Data sets: the simulator's `demo` scenario (usage
// generated in-process) and the pod traces in ../shared/traces, or only the folder given with `--traces`.
//
//   node --import tsx bench/rightsizing.ts [--traces DIR] [--json] [--no-sim] [--sim-days N] [--sim-step-min N] [--oracle]
//
// `--oracle` adds the hindsight bound (src/analysis/replay/oracle.ts): the least idle CPU any recommender holding one
// CPU request per trace could reach, knowing the scored future, at the under-provisioning the target allows.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { addScore, emptyScore, hindsightBound, replayTrace, scoredCpu, toRow, type ReplayRow, type ReplayScore, type UsageTrace } from '../src/analysis/replay/index.ts';
import { STRATEGIES } from '../src/analysis/rightsizing/index.ts';
import { loadTraces } from './rightsizing-traces.ts';
import { simTraces } from './rightsizing-sim.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED_TRACES = join(ROOT, '..', 'shared', 'traces');

type Totals = Record<string, ReplayScore>;

function fresh(): Totals {
  return Object.fromEntries(STRATEGIES.map((s) => [s, emptyScore()]));
}

function accumulate(into: Totals, part: Totals): void {
  for (const s of STRATEGIES) addScore(into[s] as ReplayScore, part[s] as ReplayScore);
}

function rows(t: Totals): ReplayRow[] {
  return STRATEGIES.map((s) => toRow(s, t[s] as ReplayScore));
}

function table(title: string, t: Totals): string {
  const head = `${title}\n  ${'strategy'.padEnd(12)} ${'cpu_under%'.padStart(10)} ${'oom_kills'.padStart(9)} ${'idle_cpu_core_h'.padStart(15)} ${'idle_mem_gib_h'.padStart(14)}`;
  const body = rows(t).map(
    (r) =>
      `  ${r.strategy.padEnd(12)} ${(r.cpu_underprovisioned_fraction * 100).toFixed(2).padStart(10)} ${String(r.oom_kills).padStart(9)} ${r.idle_cpu_core_hours.toFixed(3).padStart(15)} ${r.idle_memory_gib_hours.toFixed(3).padStart(14)}`,
  );
  return [head, ...body].join('\n');
}

/** Relative change of `a` against `b`, signed, e.g. `−12.5 %`. */
function change(a: number, b: number): string {
  if (!(b > 0)) return 'n/a';
  const pct = 100 * (a / b - 1);
  return `${pct < 0 ? '−' : '+'}${Math.abs(pct).toFixed(1)} %`;
}

/** krm against each of the others: no worse on under-provisioning and OOM kills, ≥ 15 % less idle CPU and memory. */
function verdict(t: Totals): string {
  const [k, ...others] = rows(t);
  const krm = k as ReplayRow;
  const checks = others.map((o) => {
    const ok =
      krm.cpu_underprovisioned_fraction <= o.cpu_underprovisioned_fraction + 1e-12 &&
      krm.oom_kills <= o.oom_kills &&
      krm.idle_cpu_core_hours <= 0.85 * o.idle_cpu_core_hours &&
      krm.idle_memory_gib_hours <= 0.85 * o.idle_memory_gib_hours;
    const cpu = change(krm.idle_cpu_core_hours, o.idle_cpu_core_hours);
    const mem = change(krm.idle_memory_gib_hours, o.idle_memory_gib_hours);
    return `vs ${o.strategy}: ${ok ? 'target met' : 'TARGET MISSED'} (idle CPU ${cpu}, idle memory ${mem})`;
  });
  return `  krm ${checks.join('; ')}`;
}

function byDataset(traces: readonly UsageTrace[]): Map<string, UsageTrace[]> {
  const out = new Map<string, UsageTrace[]>();
  for (const t of traces) out.set(t.dataset, [...(out.get(t.dataset) ?? []), t]);
  return out;
}

export interface RightsizingBenchOptions {
  readonly traces?: string;
  readonly sim: boolean;
  readonly simDays: number;
  readonly simStepMs: number;
}

function benchTraces(opts: RightsizingBenchOptions): UsageTrace[] {
  const traces: UsageTrace[] = [];
  if (opts.sim) traces.push(...simTraces({ scenario: 'demo', days: opts.simDays, stepMs: opts.simStepMs }));
  const dir = opts.traces ?? SHARED_TRACES;
  if (existsSync(dir)) traces.push(...loadTraces(dir));
  return traces;
}

/**
 * The hindsight bound at the under-provisioning the target allows (krm no worse than the best other strategy),
 * against the idle CPU the target asks for (15 % under the least of the others).
 */
function oracleLine(traces: readonly UsageTrace[], t: Totals): string {
  const [, ...others] = rows(t);
  const fraction = Math.min(...others.map((o) => o.cpu_underprovisioned_fraction));
  const needed = 0.85 * Math.min(...others.map((o) => o.idle_cpu_core_hours));
  const bound = hindsightBound(traces.map((tr) => scoredCpu(tr)), fraction);
  const verdictText = bound.idleCpuCoreHours > needed ? 'out of reach for any such request' : 'not excluded by the bound';
  return (
    `  hindsight bound (one CPU request per trace, scored future known): at ${(fraction * 100).toFixed(2)} % under-provisioned, ` +
    `idle CPU ≥ ${bound.idleCpuCoreHours.toFixed(1)} core-h; the target needs ≤ ${needed.toFixed(1)}: ${verdictText}`
  );
}

export function runRightsizingBench(opts: RightsizingBenchOptions, traces = benchTraces(opts)): { perDataset: Map<string, Totals>; total: Totals } {
  const perDataset = new Map<string, Totals>();
  const total = fresh();
  for (const [name, list] of byDataset(traces)) {
    const t = fresh();
    for (const trace of list) accumulate(t, replayTrace(trace, { strategies: STRATEGIES }) as Totals);
    perDataset.set(name, t);
    accumulate(total, t);
  }
  return { perDataset, total };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      traces: { type: 'string' },
      json: { type: 'boolean', default: false },
      'no-sim': { type: 'boolean', default: false },
      'sim-days': { type: 'string', default: '3' },
      'sim-step-min': { type: 'string', default: '5' },
      oracle: { type: 'boolean', default: false },
    },
  });
  const opts: RightsizingBenchOptions = {
    traces: values.traces,
    // `--traces DIR` scores that folder alone.
    sim: !values['no-sim'] && values.traces === undefined,
    simDays: Number(values['sim-days']),
    simStepMs: Number(values['sim-step-min']) * 60_000,
  };
  const traces = benchTraces(opts);
  const { perDataset, total } = runRightsizingBench(opts, traces);
  if (values.json) {
    console.log(JSON.stringify(rows(total)));
    return;
  }
  for (const [name, t] of perDataset) console.log(`${table(name, t)}\n${verdict(t)}\n`);
  console.log(`${table('TOTAL', total)}\n${verdict(total)}`);
  if (values.oracle) console.log(oracleLine(traces, total));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
