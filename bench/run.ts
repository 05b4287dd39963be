// SPDX-License-Identifier: Apache-2.0
// `npm run bench`: every benchmark of the product in one run, side by side on the same machine, printed as the
// Markdown that BENCHMARKS.md records. Timings vary from run to run on shared machines; compare within one run.
import { cpus, totalmem } from 'node:os';
import { benchDemo } from './demo.ts';
import { benchSim } from './sim.ts';
import { formatNabReport, runNabBench } from './nab.ts';
import { benchSeries, seriesBenchRows } from './series.ts';
import { benchMonitor, formatMonitorReport } from './monitor.ts';
import { analysesBenchRows, benchAnalyses } from './analyses.ts';

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${process.platform}/${process.arch}`;
}

function mark(ok: boolean): string {
  return ok ? 'met' : 'NOT met';
}

async function main(): Promise<void> {
  console.log(`# Benchmark run ${new Date().toISOString()}\n\nMachine: ${machine()}\n`);
  const sim = await benchSim('scale-150k');
  console.log('## Simulated cluster, scenario scale-150k (simulator pinned to one core)\n');
  console.log('| what | result | target | |\n|---|---|---|---|');
  console.log(`| build the cluster (${sim.pods} pods) | ${(sim.buildMs / 1000).toFixed(1)} s | < 20 s | ${mark(sim.buildMs < 20_000)} |`);
  console.log(`| paginated pod LIST (limit 500, ${sim.listPages} pages) | ${sim.listPodsPerSec.toLocaleString('en')} pods/s | ≥ 50,000 pods/s | ${mark(sim.listPodsPerSec >= 50_000)} |`);
  console.log(`| watch stream (${sim.watchEvents.toLocaleString('en')} events) | ${sim.watchEventsPerSec.toLocaleString('en')} events/s | ≥ 20,000 events/s | ${mark(sim.watchEventsPerSec >= 20_000)} |`);
  console.log(`| peak RSS | ${(sim.peakRssBytes / 2 ** 30).toFixed(2)} GiB | < 2 GB | ${mark(sim.peakRssBytes < 2e9)} |`);
  const demo = await benchDemo();
  console.log('\n## `krm demo` start-up (empty data directory, a week of history generated)\n');
  console.log('| what | result | target | |\n|---|---|---|---|');
  console.log(`| start to ready (/health/readiness 200) | ${(demo.readyMs / 1000).toFixed(1)} s | < 20 s | ${mark(demo.readyMs < 20_000)} |`);
  console.log('\n## The monitor against scenario scale-150k (simulator in its own process; figures noisy on shared machines)\n');
  console.log(formatMonitorReport(await benchMonitor({ scenario: 'scale-150k', runs: 3, watchEvents: 60_000, rate: 200, seconds: 300, monitorCores: 2 })));
  const series = await benchSeries({ series: 600_000, workloads: 300, queries: 60 });
  console.log(`\n## \`GET /api/v1/series\`, 14 days of one workload (${series.registeredSeries.toLocaleString('en')} series registered, app.inject)\n`);
  console.log('| what | result | target | |\n|---|---|---|---|');
  for (const row of seriesBenchRows(series)) console.log(row);
  // Seeding 14 days for the whole of scale-150k takes hours here, so the full run adds `--analyses-scale 1`.
  const scaleArg = process.argv.indexOf('--analyses-scale');
  const scale = scaleArg < 0 ? 0.01 : Number(process.argv[scaleArg + 1]);
  console.log(`\n## All analyses over scale-150k × ${scale}, 14 days of history (rollups; raw for the last day)\n`);
  console.log('| what | result | target | |\n|---|---|---|---|');
  for (const row of analysesBenchRows(await benchAnalyses({ scenario: 'scale-150k', scale, days: 14, stepMs: 60_000 }))) console.log(row);
  if (!process.argv.includes('--sim-only')) {
    console.log('\n## Anomaly detection, NAB subset\n');
    console.log(formatNabReport(runNabBench()));
  }
}

await main();
