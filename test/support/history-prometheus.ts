// SPDX-License-Identifier: Apache-2.0
// A real Prometheus serving a scenario's past: `krm sim history` writes OpenMetrics ending now, promtool turns them
// into TSDB blocks, and Prometheus (test/support/prometheus.ts) serves those blocks. The backfill and report e2e
// tests and the report benchmark share it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus, type RunningPrometheus } from './prometheus.ts';
import { promtoolPath, repoRoot } from './tools.ts';

/** The families `krm report` reads: container usage and throttling, and volume fill. */
export const REPORT_FAMILIES = [
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
  'container_memory_rss',
  'container_cpu_cfs_periods_total',
  'container_cpu_cfs_throttled_periods_total',
  'kubelet_volume_stats_used_bytes',
  'kubelet_volume_stats_capacity_bytes',
] as const;

export interface HistoryPrometheusOptions {
  readonly scenario?: string;
  readonly days: number;
  readonly stepSec: number;
  /** Families to write (default: every family with history). */
  readonly families?: readonly string[];
  /** Called with a line per phase (the benchmark prints them). */
  readonly progress?: (line: string) => void;
}

export interface HistoryPrometheus extends RunningPrometheus {
  /** Time to write the OpenMetrics and to build the blocks, ms. */
  readonly buildMs: { readonly history: number; readonly blocks: number };
}

/** Builds the TSDB of `days` of the scenario's past and serves it; `stop()` removes everything. */
export async function startHistoryPrometheus(o: HistoryPrometheusOptions): Promise<HistoryPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'krm-history-prom-'));
  try {
    const file = join(dir, 'history.om');
    const args = [join(repoRoot, 'bin', 'krm.js'), 'sim', 'history', '--scenario', o.scenario ?? 'demo', '--days', String(o.days), '--step', String(o.stepSec), '--output', file];
    if (o.families) args.push('--families', o.families.join(','));
    let t = Date.now();
    // Run first, report after: an optional call would skip evaluating its argument.
    const written = execFileSync(process.execPath, args, { encoding: 'utf8' }).trim();
    o.progress?.(written);
    const history = Date.now() - t;
    const dataDir = join(dir, 'data');
    t = Date.now();
    // Day-long blocks: a two-week history in 14 blocks rather than 168, as a compacted Prometheus holds it.
    const built = spawnSync(promtoolPath(), ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', file, dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (built.status !== 0) throw new Error(`promtool failed (${built.status}): ${built.stderr.slice(-2000)}`);
    const blocks = Date.now() - t;
    o.progress?.(`promtool built the blocks in ${blocks} ms`);
    rmSync(file);
    const prom = await startPrometheus({ config: 'global:\n  scrape_interval: 1h\nscrape_configs: []\n', dataDir });
    return {
      ...prom,
      buildMs: { history, blocks },
      async stop() {
        await prom.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
